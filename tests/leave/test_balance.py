"""Annual leave under 职工带薪年休假条例: 5/10/15 days at 1/10/20 years, the joining year prorated."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
import pytest

from leave import services
from leave.balance import balance_for, entitlement
from leave.services import LeaveError
from opsdept.models import AuditEvent
from tests.factories import EmployeeFactory

from .helpers import file_leave, local_time


def person(hired: date, working_since: date):
    return EmployeeFactory.build(hire_date=hired, work_start_date=working_since)


def test_tiers_for_a_long_serving_employee():
    assert entitlement(person(date(2010, 1, 1), date(2000, 1, 1)), 2026) == Decimal("15")
    assert entitlement(person(date(2010, 1, 1), date(2010, 1, 1)), 2026) == Decimal("10")
    assert entitlement(person(date(2020, 1, 1), date(2020, 1, 1)), 2026) == Decimal("5")
    assert entitlement(person(date(2026, 1, 1), date(2026, 1, 1)), 2026) == Decimal("0")


def test_joining_year_is_prorated_by_remaining_calendar_days_and_rounded_down_to_whole_days():
    # 实施办法 第五条: (184 ÷ 365) × 10 = 5.04 → 5; (92 ÷ 365) × 10 = 2.52 → 2 (不足1整天的部分不享受).
    assert entitlement(person(date(2026, 7, 1), date(2010, 1, 1)), 2026) == Decimal("5")
    assert entitlement(person(date(2026, 10, 1), date(2010, 1, 1)), 2026) == Decimal("2")
    assert entitlement(person(date(2026, 10, 1), date(2010, 1, 1)), 2027) == Decimal("10")


def test_not_employed_yet_means_nothing():
    assert entitlement(person(date(2027, 3, 1), date(2010, 1, 1)), 2026) == Decimal("0")


def test_year_a_tier_is_reached_is_prorated_from_the_month_after():
    # Ten years complete on 2026-06-30: 181 days at 5, 184 days at 10 → 7.52 → 7.
    assert entitlement(person(date(2020, 1, 1), date(2016, 7, 1)), 2026) == Decimal("7")
    # One year of work reached on 2026-09-14: from 2026-10-01, 92 days at 5 → 1.26 → 1.
    assert entitlement(person(date(2025, 9, 15), date(2025, 9, 15)), 2026) == Decimal("1")


def test_annual_leave_beyond_the_balance_is_refused_pending_counts_and_hr_can_adjust(cast):
    cast.employee.work_start_date = date(2020, 1, 1)   # 5 days in 2026
    cast.employee.save()
    with local_time(2026, 11, 27):
        file_leave(cast.employee, date(2026, 11, 30), date(2026, 12, 3), code="annual")    # 4 days, pending
        with pytest.raises(LeaveError) as error:
            file_leave(cast.employee, date(2026, 12, 7), date(2026, 12, 8), code="annual")  # 2 more: only 1 left
        assert error.value.field == "leave_type"
        with pytest.raises(PermissionDenied):
            services.adjust_annual_leave(cast.employee.pk, actor=cast.supervisor.user, year=2026, days=Decimal("1"), reason="结转")
        with pytest.raises(LeaveError):
            services.adjust_annual_leave(cast.employee.pk, actor=cast.hr.user, year=2026, days=Decimal("1"), reason="")
        services.adjust_annual_leave(cast.employee.pk, actor=cast.hr.user, year=2026, days=Decimal("1"), reason="上年结转")
        file_leave(cast.employee, date(2026, 12, 7), date(2026, 12, 8), code="annual")
    balance = balance_for(cast.employee, 2026)
    assert (balance.total, balance.pending, balance.remaining) == (Decimal("6"), Decimal("6"), Decimal("0"))
    event = AuditEvent.objects.get(action="leave.balance_adjusted")
    assert event.note == "上年结转" and event.changes == {"year": 2026, "days": "1"}


def test_hr_cannot_adjust_below_what_is_already_taken(cast):
    cast.employee.work_start_date = date(2020, 1, 1)
    cast.employee.save()
    with local_time(2026, 11, 27):
        file_leave(cast.employee, date(2026, 11, 30), date(2026, 12, 3), code="annual")
        with pytest.raises(LeaveError) as error:
            services.adjust_annual_leave(cast.employee.pk, actor=cast.hr.user, year=2026, days=Decimal("-2"), reason="扣减")
    assert error.value.field == "days"


def test_annual_leave_across_new_year_is_refused(cast):
    with local_time(2026, 12, 1):
        with pytest.raises(LeaveError):
            file_leave(cast.employee, date(2026, 12, 31), date(2027, 1, 4), code="annual")


def test_other_leave_types_do_not_touch_the_balance(cast):
    with local_time(2026, 11, 27):
        file_leave(cast.employee, date(2026, 11, 30), date(2026, 12, 31))
    assert balance_for(cast.employee, 2026).pending == Decimal("0")
