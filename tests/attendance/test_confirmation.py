"""考勤确认: HR opens a finished month, employees confirm or dispute a day, supervisors resolve, HR reminds and locks;
after the lock only HR changes the month, with a reason, and the export says so."""

from datetime import date, time
import io

from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook
import pytest

from attendance import confirmation, export, services
from attendance.confirmation import ConfirmationError
from attendance.models import Correction, LockedMonthChange, MonthConfirmation, Punch
from opsdept import registries
from opsdept.models import Notification
from tests.attendance.factories import CorrectionFactory, punch_day
from tests.factories import EmployeeFactory

NOV_2 = date(2026, 11, 2)   # the first workday of November 2026


@pytest.fixture(autouse=True)
def _no_providers(only_registered):
    only_registered(registries.day_providers)
    only_registered(registries.export_columns)


@pytest.fixture
def opened(cast):
    return confirmation.open_confirmation(2026, 10, actor=cast.hr.user, today=NOV_2)


def test_confirmation_opens_from_the_first_workday_of_the_next_month(cast):
    with pytest.raises(ConfirmationError, match="2026-11-02"):
        confirmation.open_confirmation(2026, 10, actor=cast.hr.user, today=date(2026, 10, 31))
    with pytest.raises(PermissionDenied):
        confirmation.open_confirmation(2026, 10, actor=cast.supervisor.user, today=NOV_2)
    leaver = EmployeeFactory(name="高离职", leave_date=date(2026, 10, 15), is_active=False)
    close = confirmation.open_confirmation(2026, 10, actor=cast.hr.user, today=NOV_2)
    asked = set(close.confirmations.values_list("employee_id", flat=True))
    assert cast.employee.pk in asked and leaver.pk in asked
    assert Notification.objects.filter(recipient=cast.employee).exists()
    assert not Notification.objects.filter(recipient=leaver).exists()
    with pytest.raises(ConfirmationError):
        confirmation.open_confirmation(2026, 10, actor=cast.hr.user, today=NOV_2)


def test_confirming_a_month_that_is_not_open_is_refused(cast):
    with pytest.raises(ConfirmationError):
        confirmation.confirm_month(2026, 10, actor=cast.employee.user)
    assert not MonthConfirmation.objects.exists()


def test_dispute_resolve_confirm_lock(cast, opened):
    with pytest.raises(ConfirmationError):
        confirmation.dispute_day(2026, 10, date(2026, 11, 3), actor=cast.employee.user, reason="不在本月")
    with pytest.raises(ConfirmationError):
        confirmation.dispute_day(2026, 10, date(2026, 10, 12), actor=cast.employee.user, reason="  ")
    dispute = confirmation.dispute_day(2026, 10, date(2026, 10, 12), actor=cast.employee.user, reason="我打了卡，机器没记上")
    assert confirmation.my_confirmation(cast.employee, 2026, 10).status == MonthConfirmation.Status.DISPUTED
    with pytest.raises(ConfirmationError):
        confirmation.confirm_month(2026, 10, actor=cast.employee.user)
    with pytest.raises(ConfirmationError):
        confirmation.lock_month(2026, 10, actor=cast.hr.user)
    with pytest.raises(PermissionDenied):
        confirmation.resolve_dispute(dispute.pk, actor=cast.employee.user, resolution="note", note="x")
    confirmation.resolve_dispute(dispute.pk, actor=cast.supervisor.user, resolution="correction", note="已批准补卡")
    confirmation.confirm_month(2026, 10, actor=cast.employee.user)
    assert confirmation.remind_unconfirmed(2026, 10, actor=cast.hr.user) == len(
        [e for e in [cast.manager, cast.supervisor, cast.other_supervisor, cast.outsider, cast.hr, cast.clerk]])
    confirmation.lock_month(2026, 10, actor=cast.hr.user)
    with pytest.raises(ConfirmationError, match="锁定"):
        confirmation.confirm_month(2026, 10, actor=cast.outsider.user)
    with pytest.raises(ConfirmationError):
        confirmation.dispute_day(2026, 10, date(2026, 10, 13), actor=cast.outsider.user, reason="x")


def test_after_the_lock_a_supervisor_cannot_change_the_month_and_nothing_is_written(cast, opened):
    correction = CorrectionFactory(employee=cast.employee, date=date(2026, 10, 12), time=time(18, 0))
    confirmation.lock_month(2026, 10, actor=cast.hr.user)
    with pytest.raises(ConfirmationError, match="人事"):
        services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=True)
    correction.refresh_from_db()
    assert correction.status == "pending" and not Punch.objects.exists()


def test_after_the_lock_hr_changes_with_a_reason_and_the_export_marks_it(cast, opened):
    punch_day(cast.employee, "2026-10-12", "08:55", "18:00")
    confirmation.confirm_month(2026, 10, actor=cast.employee.user)
    confirmation.lock_month(2026, 10, actor=cast.hr.user)
    services.reconcile_days(cast.employee, date(2026, 10, 12), date(2026, 10, 12), actor=cast.hr.user,
                            note="考勤机数据补录")
    change = LockedMonthChange.objects.get()
    assert (change.employee, change.date, change.reason) == (cast.employee, date(2026, 10, 12), "考勤机数据补录")
    with translation.override("zh-hans"):
        data = export.build(2026, 10)
        book = load_workbook(io.BytesIO(export.to_xlsx(data)))
    headers = data.headers
    row = next(row for row in data.rows if row[0] == cast.employee.employee_no)
    assert row[headers.index("考勤确认")] == "已确认"
    assert row[headers.index("锁定后变更")] == "10-12 考勤机数据补录"
    assert "锁定于" in book.worksheets[0]["A1"].value


def test_a_future_month_is_refused_not_exported_as_zeros(cast, client):
    with pytest.raises(export.ExportRefused):
        export.build(2026, 12, today=date(2026, 11, 28))
    client.force_login(cast.hr.user)
    response = client.get("/attendance/export/?month=2099-01&format=xlsx")
    assert response.status_code == 200 and "尚未开始" in response.content.decode()


def test_the_anomalies_sheet_lists_each_flag_with_its_resolution(cast):
    from discipline.services import raise_flag

    flag, _created = raise_flag(cast.employee, day=date(2026, 10, 12), rule_code="absent", details="无打卡")
    with translation.override("zh-hans"):
        book = load_workbook(io.BytesIO(export.to_xlsx(export.build(2026, 10))))
        open_label = str(flag.Status.OPEN.label)
    rows = list(book.worksheets[2].iter_rows(min_row=3, values_only=True))
    assert rows[0][:5] == ("2026-10-12", cast.employee.employee_no, "张员工", "旷工", open_label)


def test_hr_adds_a_punch_to_a_locked_month_with_a_reason(cast, opened, client):
    punch_day(cast.employee, "2026-10-12", "08:55")
    confirmation.lock_month(2026, 10, actor=cast.hr.user)
    with pytest.raises(ConfirmationError):
        services.add_punch_to_locked_month(cast.employee.pk, date(2026, 10, 12), time(18, 5), actor=cast.hr.user, reason=" ")
    with pytest.raises(PermissionDenied):
        services.add_punch_to_locked_month(cast.employee.pk, date(2026, 10, 12), time(18, 5), actor=cast.supervisor.user,
                                           reason="补录")
    client.force_login(cast.hr.user)
    client.post("/attendance/confirmations/locked-punch/?month=2026-10",
                {"employee": cast.employee.employee_no, "date": "2026-10-12", "time": "18:05", "reason": "考勤机故障，人事补录"})
    assert Punch.objects.filter(employee=cast.employee, local_date=date(2026, 10, 12)).count() == 2
    assert LockedMonthChange.objects.get().reason == "考勤机故障，人事补录"
    day = next(d for d in export.build(2026, 10).totals[cast.employee.pk].days.values() if d.date == date(2026, 10, 12))
    assert day.status == "normal"
