"""Benchmark: HR's monthly export for 2,000 employees × one month before any night has run, so every day is
judged from the punches (prints numbers; never fails on time).

Issue 16's export targets are for 10,000 employees with the nights' days stored, and its peak memory is the
exporting process's own: tests/bench/bench_web.py measures those in a child process. This one shows the export's
other path, the days judged on the spot, beside the same time targets.
Run with `make bench` (or `.venv/bin/pytest tests/bench/bench_attendance.py -s -p no:cacheprovider`).
"""

from datetime import date, time, timedelta
import random
import time as clock
import tracemalloc

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
import pytest

from attendance import export
from attendance.days import local_moment
from attendance.models import Overtime, Punch, RequestStatus
from opsdept import workcalendar
from opsdept.models import Department, Employee
from tests.bench.generator import target_line

EMPLOYEES = 2000
YEAR, MONTH = 2026, 10


def populate() -> int:
    department = Department.objects.create(name="基准部")
    User = get_user_model()
    User.objects.bulk_create([User(username=f"bench{n}", password="!") for n in range(EMPLOYEES)], batch_size=1000)
    users = User.objects.filter(username__startswith="bench").order_by("pk")
    Employee.objects.bulk_create([
        Employee(user=user, employee_no=f"B{n:05d}", name=f"员工{n}", department=department,
                 hire_date=date(2020, 1, 1), work_start_date=date(2015, 1, 1))
        for n, user in enumerate(users)
    ], batch_size=1000)
    rng = random.Random(7)
    workdays = workcalendar.workdays_between(date(YEAR, MONTH, 1), date(YEAR, MONTH, 31))
    punches, overtime = [], []
    for employee_id in Employee.objects.values_list("pk", flat=True):
        for day in workdays:
            roll = rng.random()
            if roll < 0.02:
                continue                                              # absent
            arrival = local_moment(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 29) if roll > 0.1 else rng.randint(31, 75))
            punches.append(Punch(employee_id=employee_id, at=arrival, local_date=day, source=Punch.Source.IMPORT))
            if roll > 0.04:                                           # else a missing punch
                punches.append(Punch(employee_id=employee_id, at=local_moment(day, time(17, 45)) + timedelta(minutes=rng.randint(0, 60)),
                                     local_date=day, source=Punch.Source.IMPORT))
        overtime.append(Overtime(employee_id=employee_id, date=workdays[3], start_time=time(19), end_time=time(21),
                                 reason="bench", status=RequestStatus.APPROVED))
    Punch.objects.bulk_create(punches, batch_size=5000)
    Overtime.objects.bulk_create(overtime, batch_size=2000)
    return len(punches)


def measure(label: str, make, target: str) -> None:
    """Time one run, then count its queries and its peak Python memory in a second run (tracemalloc slows it)."""
    started = clock.perf_counter()
    content = make()
    seconds = clock.perf_counter() - started
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        make()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(target_line(f"{label} ({len(content) / 1e6:.2f} MB; {len(queries)} queries, Python objects peak {peak / 1e6:.0f} MB)",
                      f"{seconds:.2f} s", target))


@pytest.mark.django_db
def test_monthly_export_of_2000_employees():
    started = clock.perf_counter()
    count = populate()
    print(f"\nattendance export benchmark: {EMPLOYEES} employees, {count} punches in {YEAR}-{MONTH:02d} "
          f"(set-up {clock.perf_counter() - started:.1f} s, {connection.vendor})")
    measure("CSV", lambda: export.to_csv(export.build(YEAR, MONTH)), "CSV ≤ 3 s (the issue's, at 10,000)")
    measure("XLSX", lambda: export.to_xlsx(export.build(YEAR, MONTH)), "XLSX ≤ 5 s (the issue's, at 10,000)")
