"""条例 第四条: long sick leave, or 20+ days of 事假 without pay deduction, takes away the year's annual leave, with the reason shown."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from leave import balance
from leave.models import LeaveRequest, LeaveType
from tests.factories import EmployeeFactory

from .factories import LeaveRequestFactory, leave_type


def approved(employee, code: str, start: date, end: date, days: str) -> LeaveRequest:
    return LeaveRequestFactory(employee=employee, leave_type=leave_type(code), start_date=start, end_date=end,
                               days=Decimal(days), status=LeaveRequest.Status.APPROVED, decided_at=timezone.now())


def test_sick_leave_of_two_months_takes_away_annual_leave_for_under_ten_years(cast):
    person = EmployeeFactory(work_start_date=date(2020, 7, 1), hire_date=date(2021, 1, 4))
    approved(person, "sick", date(2026, 3, 2), date(2026, 4, 30), "43")
    assert balance.balance_for(person, 2026).excluded == ""
    approved(person, "sick", date(2026, 5, 6), date(2026, 5, 8), "1")      # 44 ≥ 2 × 21.75
    found = balance.balance_for(person, 2026)
    assert found.entitlement == 0 and found.remaining == 0
    assert "病假" in found.excluded and "第四条" in found.excluded


def test_twenty_years_of_work_needs_four_months_of_sick_leave(cast):
    person = EmployeeFactory(work_start_date=date(2000, 7, 1), hire_date=date(2010, 1, 4))
    approved(person, "sick", date(2026, 3, 2), date(2026, 6, 30), "80")
    assert balance.balance_for(person, 2026).excluded == ""
    assert balance.balance_for(person, 2026).entitlement == 15


def test_personal_leave_counts_only_where_pay_is_not_docked(cast):
    person = EmployeeFactory(work_start_date=date(2015, 7, 1), hire_date=date(2020, 1, 6))
    approved(person, "personal", date(2026, 3, 2), date(2026, 3, 31), "22")
    assert balance.balance_for(person, 2026).excluded == ""          # 事假 is unpaid here: the law does not apply
    LeaveType.objects.filter(code="personal").update(is_paid=True)
    found = balance.balances_for([person], 2026)[person.pk]
    assert found.entitlement == 0 and "事假" in found.excluded


def test_the_reason_is_shown_on_the_balance(client, cast):
    year = timezone.localdate().year   # the page shows this year's balance
    approved(cast.employee, "sick", date(year, 1, 5), date(year, 4, 30), "80")
    client.force_login(cast.employee.user)
    page = client.get("/leave/").content.decode()
    assert 'data-testid="annual-exclusion"' in page and "第四条" in page
