"""The comp-time (调休) ledger: credits, debits by approved 调休 leave, reversal on cancellation, never below zero."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from attendance import comptime
from attendance.models import CompTimeEntry
from leave import services as leave_services
from leave.errors import LeaveError
from opsdept.models import AuditEvent
from tests.leave.helpers import file_leave, local_time

pytestmark = pytest.mark.django_db


def test_credits_add_up_and_a_source_key_credits_once(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="国庆值班", actor=None, source_key="duty.assignment:1")
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="国庆值班", actor=None, source_key="duty.assignment:1")
    comptime.credit_comp_time(cast.employee, hours=Decimal("4.5"), source="周末值班", actor=None)
    assert comptime.comp_time_balance(cast.employee) == Decimal("12.50")


def test_a_debit_below_zero_is_refused_with_the_balance(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("4"), source="值班", actor=None)
    with pytest.raises(comptime.CompTimeError, match="4.00"):
        comptime.debit_comp_time(cast.employee, hours=Decimal("8"), source="调休", actor=None)
    assert CompTimeEntry.objects.count() == 1


def test_expired_credits_leave_the_balance(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="值班", actor=None, expires_on=date(2026, 12, 31))
    assert comptime.comp_time_balance(cast.employee, on=date(2026, 12, 31)) == Decimal("8.00")
    assert comptime.comp_time_balance(cast.employee, on=date(2027, 1, 1)) == Decimal("0.00")


def test_only_hr_adjusts_and_never_below_zero(cast):
    with pytest.raises(PermissionDenied):
        comptime.adjust_comp_time(cast.employee.pk, hours=Decimal("8"), reason="补录", actor=cast.supervisor.user)
    comptime.adjust_comp_time(cast.employee.pk, hours=Decimal("8"), reason="补录", actor=cast.hr.user)
    with pytest.raises(comptime.CompTimeError):
        comptime.adjust_comp_time(cast.employee.pk, hours=Decimal("-9"), reason="更正", actor=cast.hr.user)
    assert comptime.comp_time_balance(cast.employee) == Decimal("8.00")


def test_compensatory_leave_draws_the_ledger_down_and_cancelling_gives_it_back(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("9"), source="国庆值班", actor=None, earned_on=date(2026, 10, 2))
    with local_time(2026, 11, 23):  # a Monday
        with pytest.raises(LeaveError, match="9.00"):
            file_leave(cast.employee, date(2026, 11, 24), date(2026, 11, 25), code="compensatory")
        leave = file_leave(cast.employee, date(2026, 11, 24), code="compensatory")
        leave_services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
        assert comptime.comp_time_balance(cast.employee) == Decimal("1.00")
        debit = CompTimeEntry.objects.get(kind="debit")
        assert debit.hours == Decimal("-8.00") and debit.created_by == cast.supervisor
        leave_services.cancel_leave_request(leave.pk, actor=cast.employee.user)
        assert comptime.comp_time_balance(cast.employee) == Decimal("9.00")


def test_approval_is_refused_when_the_balance_went_short_meanwhile(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="值班", actor=None, earned_on=date(2026, 10, 2))
    with local_time(2026, 11, 23):
        first = file_leave(cast.employee, date(2026, 11, 24), code="compensatory")
        second = file_leave(cast.employee, date(2026, 11, 25), code="compensatory")
        leave_services.approve_leave_request(first.pk, actor=cast.supervisor.user)
        with pytest.raises(LeaveError):
            leave_services.approve_leave_request(second.pk, actor=cast.supervisor.user)
    second.refresh_from_db()
    assert second.status == "pending" and comptime.comp_time_balance(cast.employee) == Decimal("0.00")


# ---------------------------------------------------------------- rest-day overtime taken as comp time

def _rest_day_overtime(cast, status="approved"):
    from datetime import time

    from tests.attendance.factories import OvertimeFactory

    return OvertimeFactory(employee=cast.employee, date=date(2026, 10, 17), start_time=time(9), end_time=time(13),
                           day_kind="rest", compensation="comp_time", status=status)


def test_approved_rest_day_overtime_credits_the_counted_hours_once(cast):
    from attendance import checks
    from tests.attendance.factories import punch_day

    overtime = _rest_day_overtime(cast)
    punch_day(cast.employee, "2026-10-17", "09:10", "12:40")   # 3.5 of the 4 hours asked
    assert comptime.sync_overtime_credits([overtime], actor=None) == 1
    checks.comp_time_for_rest_day_overtime(date(2026, 10, 17))           # the night reruns it: nothing new
    assert comptime.sync_overtime_credits([overtime], actor=None) == 0
    entry = CompTimeEntry.objects.get()
    assert (entry.kind, entry.hours, entry.dated) == ("credit", Decimal("3.50"), date(2026, 10, 17))
    assert comptime.comp_time_balance(cast.employee) == Decimal("3.50")


def test_a_later_punch_credits_the_difference_and_paid_or_pending_overtime_credits_nothing(cast):
    from datetime import time

    from attendance import services
    from tests.attendance.factories import CorrectionFactory, punch_day

    overtime = _rest_day_overtime(cast)
    punch_day(cast.employee, "2026-10-17", "09:00", "11:00")
    comptime.sync_overtime_credits([overtime], actor=None)
    # The last punch was lost: an approved correction adds 13:00 and the ledger earns the other two hours.
    correction = CorrectionFactory(employee=cast.employee, date=date(2026, 10, 17), time=time(13))
    with local_time(2026, 10, 19):
        services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=True)
    assert sorted(CompTimeEntry.objects.values_list("hours", flat=True)) == [Decimal("2.00"), Decimal("2.00")]
    assert comptime.comp_time_balance(cast.employee) == Decimal("4.00")
    for day, compensation, status in [(date(2026, 10, 24), "pay", "approved"), (date(2026, 10, 25), "comp_time", "pending")]:
        other = _rest_day_overtime(cast, status=status)
        other.compensation, other.date = compensation, day
        other.save()
        punch_day(cast.employee, day.isoformat(), "09:00", "13:00")
    assert comptime.sync_overtime_between([cast.employee.pk], date(2026, 10, 24), date(2026, 10, 25), actor=None) == 0


def test_approving_an_overtime_filed_afterwards_credits_at_once(cast):
    from attendance import services
    from tests.attendance.factories import punch_day

    overtime = _rest_day_overtime(cast, status="pending")
    punch_day(cast.employee, "2026-10-17", "09:00", "13:00")
    services.decide_overtime(overtime.pk, actor=cast.supervisor.user, approve=True)
    entry = CompTimeEntry.objects.get()
    assert (entry.hours, entry.created_by) == (Decimal("4.00"), cast.supervisor)


def test_clocking_out_after_comp_time_overtime_shows_the_hours_at_once(cast):
    from datetime import time

    from attendance import services
    from tests.attendance.factories import OvertimeFactory

    OvertimeFactory(employee=cast.employee, date=date(2026, 10, 17), start_time=time(9), end_time=time(13),
                    day_kind="rest", compensation="comp_time", status="approved")
    with local_time(2026, 10, 17, 8, 58):
        services.record_punch(actor=cast.employee.user, ip_address="10.0.0.1")
    assert comptime.comp_time_balance(cast.employee, on=date(2026, 10, 17)) == Decimal("0.00")
    with local_time(2026, 10, 17, 13, 5):
        services.record_punch(actor=cast.employee.user, ip_address="10.0.0.1")
    assert comptime.comp_time_balance(cast.employee, on=date(2026, 10, 17)) == Decimal("4.00")


# ---------------------------------------------------------------- expiry

def test_credits_expire_after_hrs_months_and_a_use_takes_what_expires_first(cast):
    from attendance.models import AttendanceSettings

    AttendanceSettings.objects.update_or_create(pk=AttendanceSettings.current().pk, defaults={"comp_time_expiry_months": 6})
    first, _ = comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="国庆值班", actor=None, earned_on=date(2026, 10, 3))
    second, _ = comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="周末加班", actor=None, earned_on=date(2026, 11, 7))
    assert (first.expires_on, second.expires_on) == (date(2027, 4, 2), date(2027, 5, 6))
    with local_time(2026, 11, 23):
        leave = file_leave(cast.employee, date(2026, 11, 24), code="compensatory")
        leave_services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    ledger = comptime.ledger_of(cast.employee)
    # The 调休 took the October hours (they expire first); November's 8 are still whole.
    assert ledger.expiring(date(2026, 12, 1)) == [(date(2027, 5, 6), Decimal("8.00"))]
    assert comptime.comp_time_balance(cast.employee, on=date(2027, 5, 6)) == Decimal("8.00")
    assert comptime.comp_time_balance(cast.employee, on=date(2027, 5, 7)) == Decimal("0.00")   # expired, not negative


def test_a_use_after_the_credits_expired_is_refused_with_what_is_left_then(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="值班", actor=None,
                              earned_on=date(2026, 10, 3), expires_on=date(2026, 11, 20))
    with local_time(2026, 11, 18):
        with pytest.raises(LeaveError, match="0.00"):
            file_leave(cast.employee, date(2026, 11, 23), code="compensatory")
        leave = file_leave(cast.employee, date(2026, 11, 19), code="compensatory")
    assert leave.status == "pending"
    assert comptime.comp_time_balance(cast.employee, on=date(2026, 11, 21)) == Decimal("0.00")


def test_the_balance_never_goes_below_zero_when_a_used_credit_is_reversed(cast):
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="值班", actor=None,
                              source_key="duty.assignment:9", earned_on=date(2026, 10, 3))
    comptime.debit_comp_time(cast.employee, hours=Decimal("8"), source="调休", actor=None, used_on=date(2026, 10, 9))
    comptime.reverse_comp_time("duty.assignment:9", source="值班取消", actor=cast.hr.user)
    assert comptime.comp_time_balance(cast.employee) == Decimal("0.00")
    comptime.credit_comp_time(cast.employee, hours=Decimal("8"), source="值班", actor=None, earned_on=date(2026, 10, 10))
    assert comptime.comp_time_balance(cast.employee) == Decimal("0.00")   # it pays back what was owed first


def test_ending_comp_time_leave_early_gives_the_unused_hours_back_once(cast):
    from leave.models import Half

    comptime.credit_comp_time(cast.employee, hours=Decimal("16"), source="值班", actor=None, earned_on=date(2026, 10, 3))
    with local_time(2026, 11, 20):
        leave = file_leave(cast.employee, date(2026, 11, 23), date(2026, 11, 24), code="compensatory")
        leave_services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    assert comptime.comp_time_balance(cast.employee) == Decimal("0.00")
    with local_time(2026, 11, 23, 15):
        leave_services.end_leave_early(leave.pk, actor=cast.supervisor.user, end_date=date(2026, 11, 23),
                                       end_half=Half.AFTERNOON, note="提前回来上班")
    back = CompTimeEntry.objects.get(kind="adjustment")
    assert back.hours == Decimal("8.00") and back.created_by == cast.supervisor
    assert comptime.comp_time_balance(cast.employee) == Decimal("8.00")
    assert AuditEvent.objects.filter(action="comptime.adjusted", actor=cast.supervisor.user).count() == 1


def test_hr_sets_the_expiry_on_the_settings_page_and_a_bad_value_writes_nothing(client, cast):
    from attendance.models import AttendanceSettings

    client.force_login(cast.hr.user)
    form = {"office_networks": "", "correction_monthly_limit": "3", "overtime_late_days": "0"}
    client.post("/attendance/settings/", {**form, "comp_time_expiry_months": "-1"})
    client.post("/attendance/settings/", {**form, "comp_time_expiry_months": "61"})
    assert AttendanceSettings.current().comp_time_expiry_months == 0
    client.post("/attendance/settings/", {**form, "comp_time_expiry_months": "6"})
    assert AttendanceSettings.current().comp_time_expiry_months == 6
    assert AuditEvent.objects.filter(action="attendance.settings_updated", actor=cast.hr.user).count() == 1
