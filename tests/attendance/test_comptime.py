"""The comp-time (调休) ledger: credits, debits by approved 调休 leave, reversal on cancellation, never below zero."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from attendance import comptime
from attendance.models import CompTimeEntry
from leave import services as leave_services
from leave.errors import LeaveError
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
