"""A reproducible department for the benchmarks: seeded, built with bulk inserts.

`generate(employees)` makes a group of `employees` people: one manager, two HR
officers, supervisors of `team_size` staff each, spread over departments of about
`per_department` people. Over the `history` workdays ending on `night` it writes
punches (`punch_rate` of person-days punch in and out, a few late), daily reports
(`report_rate`), one same-day task per person every fifth workday (most done),
approved leave for about 1 % of people, pending leave, overtime and corrections for
about `pending_rate` of the staff each (the approval queues' content), the weekly Monday meeting per department
with its attendance, and a published holiday-duty roster per department when a
holiday falls in the range. The night itself can be made worse with
`night_punch_rate` / `night_report_rate` (0.0: nobody punched or reported).

It writes facts only (no attendance days, no flags): the nightly checks and the
pages compute from them, which is what the benchmarks measure. Used by
`tests/bench/bench_*.py` (`make bench`, PostgreSQL) and, at a small size, by the
smoke tests in `make test`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
import os
import platform
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from attendance.models import Correction, Overtime, Punch
from duty.models import DutyAssignment, DutyDay, DutyPeriod, DutyRoster, DutyShift
from leave.models import LeaveRequest, LeaveType
from leave.seeds import seed_leave_types
from meetings.models import AttendanceStatus, Meeting, MeetingAttendance
from opsdept import workcalendar
from opsdept.models import Department, Employee, RequestStatus, WorkSchedule
from worklog.models import DailyReport, Task

NIGHT = date(2026, 10, 30)      # a Friday; October 2026 holds the National Day holiday
BATCH = 5000


@dataclass
class Generated:
    night: date
    workdays: list[date]
    manager: Employee
    hr: Employee
    supervisor: Employee                       # a supervisor of `team_size`
    departments: list[Department]
    employee_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        return ", ".join(f"{value:,} {name}" for name, value in self.counts.items())


def scale() -> str:
    """`BENCH_SCALE=small` turns every benchmark into a smoke run (used by `make test`)."""
    return os.environ.get("BENCH_SCALE", "full")


def sizes(*full: int, small: tuple[int, ...] = (20,)) -> tuple[int, ...]:
    return small if scale() == "small" else full


def machine() -> str:
    database = connection.vendor
    if database == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        database = f"PostgreSQL {major}.{rest % 100}"
    return f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {database}"


def target_line(label: str, value: str, target: str) -> str:
    return f"  {label:<58} {value:>14}   target {target}"


def _moment(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _people(employees: int, *, team_size: int, per_department: int, prefix: str, hire: date):
    User = get_user_model()
    departments = [Department(name=f"{prefix}运营{n + 1}部") for n in range(max(1, -(-employees // per_department)))]
    Department.objects.bulk_create(departments)
    departments = list(Department.objects.filter(name__startswith=f"{prefix}运营").order_by("pk"))
    User.objects.bulk_create([User(username=f"{prefix}{n}", password="!") for n in range(employees)], batch_size=BATCH)
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))

    def person(n: int, role: str, department: Department, supervisor_id: int | None) -> Employee:
        return Employee(user_id=users[n], employee_no=f"{prefix.upper()}{n:06d}", name=f"员工{n}", department=department,
                        role=role, supervisor_id=supervisor_id, hire_date=hire, work_start_date=date(2015, 1, 1))

    manager = person(0, Employee.Role.MANAGER, departments[0], None)
    manager.save()
    hr = [person(n, Employee.Role.HR, departments[0], manager.pk) for n in (1, 2)]
    Employee.objects.bulk_create(hr)
    rest = list(range(3, employees))
    supervisors, staff = [], []
    for start in range(0, len(rest), team_size + 1):
        team = rest[start:start + team_size + 1]
        department = departments[min(start // per_department, len(departments) - 1)]
        supervisors.append((team[0], department, team[1:]))
    Employee.objects.bulk_create([person(n, Employee.Role.SUPERVISOR, d, manager.pk) for n, d, _members in supervisors],
                                 batch_size=BATCH)
    supervisor_pk = dict(Employee.objects.filter(employee_no__startswith=prefix.upper(), role=Employee.Role.SUPERVISOR)
                         .values_list("employee_no", "pk"))
    for n, department, members in supervisors:
        boss = supervisor_pk[f"{prefix.upper()}{n:06d}"]
        staff.extend(person(m, Employee.Role.STAFF, department, boss) for m in members)
    Employee.objects.bulk_create(staff, batch_size=BATCH)
    full_team = max(supervisors, key=lambda entry: len(entry[2]))[0]
    return manager, hr[0], Employee.objects.get(employee_no=f"{prefix.upper()}{full_team:06d}"), departments


def generate(employees: int = 1000, *, night: date = NIGHT, history: int = 19, punch_rate: float = 0.95,
             report_rate: float = 0.93, night_punch_rate: float | None = None, night_report_rate: float | None = None,
             team_size: int = 50, per_department: int = 1000, seed: int = 7, prefix: str = "gen",
             meetings: bool = True, duty: bool = True, pending_rate: float = 0.02) -> Generated:
    """Build the department; return the people and dates the benchmarks need."""
    rng = random.Random(seed)
    workdays = [day for day in workcalendar.workdays_between(night - timedelta(days=history * 2 + 14), night)][-history:]
    first = workdays[0]
    schedule = WorkSchedule.current()
    schedule.go_live_date = first
    schedule.save()
    manager, hr, supervisor, departments = _people(employees, team_size=team_size, per_department=per_department,
                                                   prefix=prefix, hire=first - timedelta(days=400))
    people = list(Employee.objects.filter(employee_no__startswith=prefix.upper())
                  .order_by("pk").values_list("pk", "department_id", "supervisor_id"))
    ids = [pk for pk, _department, _boss in people]
    counts = {"employees": len(ids), "departments": len(departments)}

    punches: list[Punch] = []
    reports: list[DailyReport] = []
    tasks: list[Task] = []
    for index, day in enumerate(workdays):
        is_night = day == night
        p_rate = night_punch_rate if is_night and night_punch_rate is not None else punch_rate
        r_rate = night_report_rate if is_night and night_report_rate is not None else report_rate
        for pk, _department, boss in people:
            if rng.random() < p_rate:
                late = rng.random() < 0.05
                arrival = time(9, rng.randint(5, 50)) if late else time(8, rng.randint(30, 59))
                punches.append(Punch(employee_id=pk, at=_moment(day, arrival), local_date=day, source=Punch.Source.IMPORT))
                if rng.random() < 0.98:
                    punches.append(Punch(employee_id=pk, at=_moment(day, time(18, rng.randint(0, 59))),
                                         local_date=day, source=Punch.Source.IMPORT))
            if rng.random() < r_rate:
                reports.append(DailyReport(employee_id=pk, date=day, done="完成当日工作", plan="继续推进", completion=100))
            if boss and (pk + index) % 5 == 0:
                done = rng.random() < 0.9
                tasks.append(Task(assignee_id=pk, assigned_by_id=boss, title="当日任务", due_date=day,
                                  status=Task.Status.DONE if done else Task.Status.OPEN,
                                  done_at=_moment(day, time(16)) if done else None, done_on=day if done else None))
        if len(punches) > 50_000:
            Punch.objects.bulk_create(punches, batch_size=BATCH)
            counts["punches"] = counts.get("punches", 0) + len(punches)
            punches = []
    Punch.objects.bulk_create(punches, batch_size=BATCH)
    counts["punches"] = counts.get("punches", 0) + len(punches)
    DailyReport.objects.bulk_create(reports, batch_size=BATCH)
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    counts["daily reports"], counts["tasks"] = len(reports), len(tasks)

    seed_leave_types(LeaveType)
    annual = LeaveType.objects.filter(code="annual").first() or LeaveType.objects.first()
    leave = []
    for pk, _department, boss in people:
        if boss and rng.random() < 0.01:
            day = rng.choice(workdays)
            leave.append(LeaveRequest(employee_id=pk, leave_type=annual, start_date=day, end_date=day, days=Decimal("1"),
                                      reason="年假", status=RequestStatus.APPROVED, decided_by_id=boss,
                                      decided_at=_moment(day - timedelta(days=3), time(10)), created_by_id=pk))
    LeaveRequest.objects.bulk_create(leave, batch_size=BATCH)
    counts["leave requests"] = len(leave)
    counts.update(_pending(people, workdays, night, annual, rng, pending_rate))

    if meetings:
        counts["meeting attendances"] = _meetings(workdays, departments, people, rng)
    if duty:
        counts["duty assignments"] = _duty(workdays, departments, people, manager)
    if connection.vendor == "postgresql":
        # A department in service has its tables analysed by autovacuum; a bulk load in one transaction
        # has not, and the planner would treat 10,000 people like the few of an earlier, smaller run.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Generated(night=night, workdays=workdays, manager=manager, hr=hr, supervisor=supervisor,
                     departments=departments, employee_ids=ids, counts=counts)


def _pending(people, workdays: list[date], night: date, annual: LeaveType, rng: random.Random,
             rate: float) -> dict[str, int]:
    """Requests waiting for a decision, so that the approval queues are measured with content: about
    `rate` of the staff each have a pending leave (the week after the night), a pending overtime and a
    pending missed-punch correction (both on a workday of the history)."""
    leave, overtime, corrections = [], [], []
    for pk, _department, boss in people:
        if not boss:
            continue
        if rng.random() < rate:
            day = night + timedelta(days=rng.randint(3, 10))
            leave.append(LeaveRequest(employee_id=pk, leave_type=annual, start_date=day, end_date=day, days=Decimal("1"),
                                      reason="事假", status=RequestStatus.PENDING, created_by_id=pk))
        if rng.random() < rate:
            overtime.append(Overtime(employee_id=pk, date=rng.choice(workdays), start_time=time(19), end_time=time(21),
                                     reason="版本上线", status=RequestStatus.PENDING))
        if rng.random() < rate:
            corrections.append(Correction(employee_id=pk, date=rng.choice(workdays), time=time(18, 5),
                                          reason="忘记打卡", status=RequestStatus.PENDING))
    LeaveRequest.objects.bulk_create(leave, batch_size=BATCH)
    Overtime.objects.bulk_create(overtime, batch_size=BATCH)
    Correction.objects.bulk_create(corrections, batch_size=BATCH)
    return {"pending leave": len(leave), "pending overtime": len(overtime), "pending corrections": len(corrections)}


def _meetings(workdays: list[date], departments: list[Department], people, rng: random.Random) -> int:
    mondays = [day for day in workdays if day.weekday() == 0]
    by_department: dict[int, list[int]] = {}
    for pk, department, _boss in people:
        by_department.setdefault(department, []).append(pk)
    attendance = []
    for day in mondays:
        for department in departments:
            starts = _moment(day, time(10))
            meeting = Meeting.objects.create(department=department, title="周例会", week_of=day, starts_at=starts,
                                             date=day, planned_at=starts, status=Meeting.Status.SCHEDULED)
            members = by_department.get(department.pk, [])
            Meeting.invitees.through.objects.bulk_create(
                [Meeting.invitees.through(meeting_id=meeting.pk, employee_id=pk) for pk in members], batch_size=BATCH)
            attendance.extend(
                MeetingAttendance(meeting=meeting, employee_id=pk, status=AttendanceStatus.PRESENT,
                                  source=MeetingAttendance.Source.PAGE,
                                  checked_in_at=starts - timedelta(minutes=rng.randint(1, 9)))
                for pk in members if rng.random() < 0.95)
    MeetingAttendance.objects.bulk_create(attendance, batch_size=BATCH)
    return len(attendance)


def _duty(workdays: list[date], departments: list[Department], people, manager: Employee) -> int:
    """A published roster per department for the first rest day inside the range, two people on it."""
    rest_days = [day for day in (workdays[0] + timedelta(days=n) for n in range((workdays[-1] - workdays[0]).days))
                 if not workcalendar.is_workday(day)]
    if not rest_days:
        return 0
    day = rest_days[0]
    period = DutyPeriod.objects.create(name=f"{day:%m月%d日}值班", start_date=day, end_date=day, created_by=manager)
    made = 0
    for department in departments:
        team = [(pk, boss) for pk, dept, boss in people if dept == department.pk and boss and boss != manager.pk][:2]
        if not team:
            continue
        staff = [pk for pk, _boss in team]
        roster = DutyRoster.objects.create(period=period, owner_id=team[0][1], status=DutyRoster.Status.PUBLISHED,
                                           published_by=manager, published_at=_moment(day - timedelta(days=5), time(10)))
        duty_day = DutyDay.objects.create(roster=roster, date=day, responsible_id=staff[0])
        shift = DutyShift.objects.create(day=duty_day)
        DutyAssignment.objects.bulk_create([DutyAssignment(shift=shift, employee_id=pk) for pk in staff])
        made += len(staff)
    return made
