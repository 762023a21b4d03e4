"""Everyone employed in the month is counted (leavers, newcomers), and nothing before the go-live date counts.

October 2026 has 18 workdays (1–7 National Day; 10-10 is a make-up workday).
"""

from datetime import date
from decimal import Decimal

from django.urls import reverse
import pytest

from attendance import export, selectors
from attendance.checks import flag_late_early_missing_and_absent as attendance_check
from attendance.models import AttendanceDay
from opsdept import nightly, registries
from opsdept.models import NightlyRun, WorkSchedule
from tests.attendance.factories import punch_day
from tests.factories import EmployeeFactory
from worklog.checks import missing_report
from worklog.selectors import year_summary

OCTOBER_WORKDAYS = 18


@pytest.fixture
def no_providers(only_registered):
    only_registered(registries.day_providers)
    only_registered(registries.export_columns)


@pytest.fixture
def leaver(cast, no_providers):
    """Left on 2026-10-15 (after 8 workdays of October: 8, 9, 10, 12, 13, 14, 15 … and the 9th)."""
    person = EmployeeFactory(name="高离职", supervisor=cast.supervisor, department=cast.employee.department,
                             leave_date=date(2026, 10, 15), is_active=False)
    for day in ("2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15"):
        punch_day(person, day, "08:55", "18:02")
    return person


@pytest.fixture
def newcomer(cast, no_providers):
    return EmployeeFactory(name="徐新人", supervisor=cast.supervisor, department=cast.employee.department,
                           hire_date=date(2026, 10, 26), work_start_date=date(2026, 10, 26))


def _go_live(day: date) -> None:
    schedule = WorkSchedule.current()
    schedule.go_live_date = day
    schedule.save()


def test_a_leaver_stays_in_the_month_they_left_with_only_their_days(leaver):
    data = export.build(2026, 10)
    row = next(row for row in data.rows if row[1] == "高离职")
    # expected 7 (Oct 8–15 less the weekend 11th), present 7, absent 0
    assert row[3:5] == [Decimal("7"), Decimal("7")]
    assert row[10] == Decimal("0")
    assert all(row[1] != "高离职" for row in export.build(2026, 11).rows)


def test_a_newcomer_is_counted_from_the_hire_date_not_absent_before(newcomer):
    totals = export.build(2026, 10).totals[newcomer.pk]
    assert totals.expected_days == 5 and totals.absent_days == 5  # 26–30 Oct: no punches, so absent
    assert min(totals.days) == date(2026, 10, 26)
    assert not totals.tracks(date(2026, 10, 23))


def test_the_grid_marks_days_outside_employment(leaver, newcomer):
    from openpyxl import load_workbook
    import io

    book = load_workbook(io.BytesIO(export.to_xlsx(export.build(2026, 10))))
    grid = book.worksheets[1]
    rows = {row[1]: row for row in grid.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert rows["高离职"][2 + 15] == "/"        # 16 Oct, after leaving
    assert rows["高离职"][2 + 14] != "/"        # 15 Oct, the last day
    assert rows["徐新人"][2 + 22] == "/"        # 23 Oct, before hire


def test_someone_deactivated_without_a_leave_date_is_not_in_later_months(cast, no_providers):
    gone = EmployeeFactory(name="无日期", is_active=False)
    assert gone.pk not in export.build(2026, 10).totals


def test_the_team_month_lists_the_leaver_to_their_supervisor(client, cast, leaver):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("attendance:team_month") + "?month=2026-10")
    assert "高离职" in response.content.decode()
    response = client.get(reverse("attendance:team_month") + "?month=2026-11")
    assert "高离职" not in response.content.decode()


def test_the_month_page_says_not_employed(client, cast, newcomer):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("attendance:employee_month", args=[newcomer.pk]) + "?month=2026-10")
    assert response.context["days"][22]["untracked"] == "未在职"


def test_hr_records_a_leave_date_on_the_employee_form(client, cast):
    from opsdept import services

    services.update_employee(cast.employee.pk, actor=cast.hr.user, leave_date=date(2026, 10, 20))
    cast.employee.refresh_from_db()
    assert cast.employee.leave_date == date(2026, 10, 20)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_employee(cast.employee.pk, actor=cast.hr.user, leave_date=date(2019, 1, 1))


# ---------------------------------------------------------------- go-live

def test_go_live_month_counts_only_from_go_live(cast, no_providers):
    _go_live(date(2026, 10, 26))
    totals = selectors.month_totals([cast.employee.pk], 2026, 10)[cast.employee.pk]
    assert totals.expected_days == 5 and totals.absent_days == 5
    assert selectors.month_totals([cast.employee.pk], 2026, 9)[cast.employee.pk].expected_days == 0


def test_go_live_in_the_export(cast, no_providers):
    _go_live(date(2026, 10, 26))
    row = next(row for row in export.build(2026, 10).rows if row[1] == "张员工")
    assert row[3] == Decimal("5") and row[10] == Decimal("5")


def test_go_live_in_the_year_end_summary(cast, no_providers):
    _go_live(date(2026, 11, 23))   # Mon 23 Nov; today is later in the tests' clock or not, the sum stops at yesterday
    attendance = selectors.year_summary_columns([cast.employee.pk], 2026)[cast.employee.pk]
    reports = year_summary([cast.employee.pk], 2026)[cast.employee.pk]
    absent = Decimal(attendance["absent days"] if "absent days" in attendance else list(attendance.values())[4])
    assert absent <= 5
    assert reports["reports_missing"] <= 5


def test_go_live_stops_nightly_checks_and_catch_up(cast, no_providers):
    _go_live(date(2026, 10, 26))
    assert missing_report(date(2026, 10, 23)) == 0
    assert attendance_check(date(2026, 10, 23)) == 0
    assert not AttendanceDay.objects.filter(date=date(2026, 10, 23)).exists()
    NightlyRun.objects.create(date=date(2026, 10, 20), finished_at="2026-10-21T00:00:00+08:00")
    dates = nightly.dates_to_catch_up(today=date(2026, 10, 29))
    assert dates == [date(2026, 10, 26), date(2026, 10, 27), date(2026, 10, 28)]


def test_rows_before_go_live_are_dropped_when_recomputed(cast, no_providers):
    from attendance.services import refresh_attendance_days

    refresh_attendance_days(employee_ids=[cast.employee.pk], start=date(2026, 10, 19), end=date(2026, 10, 30))
    assert AttendanceDay.objects.filter(employee=cast.employee, date=date(2026, 10, 20)).exists()
    _go_live(date(2026, 10, 26))
    refresh_attendance_days(employee_ids=[cast.employee.pk], start=date(2026, 10, 19), end=date(2026, 10, 30))
    assert not AttendanceDay.objects.filter(employee=cast.employee, date=date(2026, 10, 20)).exists()
    assert AttendanceDay.objects.filter(employee=cast.employee, date=date(2026, 10, 26)).exists()


def test_the_year_end_summary_lists_the_leaver_with_their_days_but_not_a_later_years(client, cast, leaver):
    someone_gone_last_year = EmployeeFactory(name="钱去年", supervisor=cast.supervisor, department=cast.employee.department,
                                             hire_date=date(2024, 3, 1), leave_date=date(2025, 6, 30), is_active=False)
    client.force_login(cast.manager.user)
    page = client.get(reverse("discipline:year_end") + "?year=2026").content.decode()
    assert "高离职" in page and "2026-10-15" in page and someone_gone_last_year.name not in page
    summary = selectors.year_summary_columns([leaver.pk], 2026)[leaver.pk]
    from opsdept import workcalendar

    expected = len(workcalendar.workdays_between(max(leaver.hire_date, date(2026, 1, 1)), date(2026, 10, 15)))
    assert list(summary.values())[0] == f"7/{expected}"   # counted up to the leave date, not after
