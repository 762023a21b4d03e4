"""Benchmark: the leave provider attendance calls for 2,000 employees × one month, and HR's balance list.

Prints numbers; never fails on time. Run with `.venv/bin/pytest tests/bench/bench_leave.py -s -p no:cacheprovider`.
"""

from datetime import date, timedelta
from decimal import Decimal
import time as clock

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
import pytest

from leave import balance, selectors
from leave.models import LeaveRequest, LeaveType
from leave.seeds import seed_leave_types
from opsdept.models import Department, Employee

EMPLOYEES = 2000


def populate() -> list[Employee]:
    seed_leave_types(LeaveType)
    department = Department.objects.create(name="基准部")
    User = get_user_model()
    User.objects.bulk_create([User(username=f"lbench{n}", password="!") for n in range(EMPLOYEES)], batch_size=1000)
    users = User.objects.filter(username__startswith="lbench").order_by("pk")
    Employee.objects.bulk_create([
        Employee(user=user, employee_no=f"L{n:05d}", name=f"员工{n}", department=department,
                 hire_date=date(2020, 1, 1), work_start_date=date(2010 + n % 15, 1, 1))
        for n, user in enumerate(users)
    ], batch_size=1000)
    employees = list(Employee.objects.filter(department=department).order_by("pk"))
    types = list(LeaveType.objects.all())
    LeaveRequest.objects.bulk_create([
        LeaveRequest(employee=employee, leave_type=types[n % len(types)], start_date=date(2026, 10, 8) + timedelta(days=n % 20),
                     start_half="pm" if n % 3 else "am", end_date=date(2026, 10, 9) + timedelta(days=n % 20), end_half="pm",
                     days=Decimal("1.5"), status=LeaveRequest.Status.APPROVED, created_by=employee)
        for n, employee in enumerate(employees)
    ], batch_size=1000)
    return employees


@pytest.mark.django_db
def test_bench_leave_provider_and_balances():
    employees = populate()
    with CaptureQueriesContext(connection) as queries:
        started = clock.perf_counter()
        fractions = selectors.leave_covers(None, date(2026, 10, 1), date(2026, 10, 31))
        provider_seconds = clock.perf_counter() - started
    print(f"\nleave_covers: {EMPLOYEES} employees × October: {len(fractions)} leave days "
          f"in {provider_seconds:.2f} s, {len(queries)} queries")
    started = clock.perf_counter()
    found = balance.balances_for(employees, 2026)
    print(f"balances_for: {len(found)} balances in {clock.perf_counter() - started:.2f} s")
