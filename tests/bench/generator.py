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

The big tables (users, employees, punches, reports, tasks, meeting invitations and attendance) are
written as plain rows, never model instances: `COPY … FROM STDIN` on PostgreSQL (100,000 employees
and their month in a few minutes), `bulk_create` elsewhere (SQLite, the smoke runs). Users get an
unusable password, not a hash each. The random draws are the same, in the same order, whatever the
database: the same seed gives the same department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
import io
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
COPY_ROWS = 100_000             # rows per COPY (a few MB of text in memory)


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
    return (f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {database}, "
            f"load average {load_average()}")


def load_average() -> str:
    """The 1-minute load average now ("?" where the system does not say): figures taken above ~1 on two cores are
    several times too high."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def target_line(label: str, value: str, target: str) -> str:
    return f"  {label:<58} {value:>14}   target {target}"


@lru_cache(maxsize=None)
def _moment(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


_TEXT: dict = {}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: object) -> str:
    """One value in COPY's text format (the same few dates, times and strings recur: formatted once)."""
    if type(value) is int:
        return str(value)
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = _TEXT.get(value)
    if text is None:
        if isinstance(value, str):
            text = value.translate(_ESCAPES)
        else:
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)   # dates, times; Decimal
        _TEXT[value] = text
    return text


class Rows:
    """Rows of one model's table, given as values of `columns` (attnames), written in batches: `COPY` on
    PostgreSQL, `bulk_create` elsewhere. The other columns get their field's default (now for `auto_now_add`)."""

    def __init__(self, model, columns: tuple[str, ...]) -> None:
        self.model, self.columns, self.pending, self.count = model, columns, [], 0
        self.copy = connection.vendor == "postgresql"
        if self.copy:
            now = timezone.now()
            fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
            rest = [f for name, f in fields.items() if name not in columns]
            self.sql = "COPY {} ({}) FROM STDIN".format(
                connection.ops.quote_name(model._meta.db_table),
                ", ".join(connection.ops.quote_name(fields[name].column) for name in (*columns, *(f.attname for f in rest))))
            self.suffix = "".join("\t" + _text(now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
                                                else f.get_default()) for f in rest) + "\n"

    def add(self, *values: object) -> None:
        self.pending.append(values)
        if len(self.pending) >= COPY_ROWS:
            self.flush()

    def flush(self) -> int:
        if self.pending:
            if self.copy:
                suffix = self.suffix
                buffer = io.StringIO("".join("\t".join([_text(value) for value in row]) + suffix for row in self.pending))
                with connection.cursor() as cursor:
                    cursor.copy_expert(self.sql, buffer)
            else:
                self.model.objects.bulk_create([self.model(**dict(zip(self.columns, row))) for row in self.pending],
                                               batch_size=BATCH)
            self.count += len(self.pending)
            self.pending = []
        return self.count


def _people(employees: int, *, team_size: int, per_department: int, prefix: str, hire: date):
    User = get_user_model()
    departments = [Department(name=f"{prefix}运营{n + 1}部") for n in range(max(1, -(-employees // per_department)))]
    Department.objects.bulk_create(departments)
    departments = list(Department.objects.filter(name__startswith=f"{prefix}运营").order_by("pk"))
    users = Rows(User, ("username", "password"))
    for n in range(employees):
        users.add(f"{prefix}{n}", "!")      # an unusable password: nobody logs in with it, and no hash per user
    users.flush()
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))
    number = prefix.upper()
    columns = ("user_id", "employee_no", "name", "department_id", "role", "supervisor_id", "hire_date", "work_start_date")
    started = date(2015, 1, 1)

    def employ(role: str, people) -> dict[int, int]:
        """Write the people [(n, department, supervisor id)] of `role` in this order; return {n: employee id}."""
        rows = Rows(Employee, columns)
        for n, department, supervisor_id in people:
            rows.add(users[n], f"{number}{n:06d}", f"员工{n}", department.pk, role, supervisor_id, hire, started)
        rows.flush()
        return {int(no[len(number):]): pk for no, pk in
                Employee.objects.filter(employee_no__startswith=number, role=role).values_list("employee_no", "pk")}

    manager = employ(Employee.Role.MANAGER, [(0, departments[0], None)])[0]
    hr = employ(Employee.Role.HR, [(n, departments[0], manager) for n in (1, 2)])[1]
    rest = list(range(3, employees))
    supervisors = []
    for start in range(0, len(rest), team_size + 1):
        team = rest[start:start + team_size + 1]
        department = departments[min(start // per_department, len(departments) - 1)]
        supervisors.append((team[0], department, team[1:]))
    boss = employ(Employee.Role.SUPERVISOR, [(n, department, manager) for n, department, _members in supervisors])
    employ(Employee.Role.STAFF, [(m, department, boss[n]) for n, department, members in supervisors for m in members])
    full_team = max(supervisors, key=lambda entry: len(entry[2]))[0]
    return (Employee.objects.get(pk=manager), Employee.objects.get(pk=hr), Employee.objects.get(pk=boss[full_team]),
            departments)


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

    punches = Rows(Punch, ("employee_id", "at", "local_date", "source"))
    reports = Rows(DailyReport, ("employee_id", "date", "done", "plan", "completion"))
    tasks = Rows(Task, ("assignee_id", "assigned_by_id", "title", "due_date", "status", "done_at", "done_on"))
    imported, done, still_open = Punch.Source.IMPORT, Task.Status.DONE, Task.Status.OPEN
    for index, day in enumerate(workdays):
        is_night = day == night
        p_rate = night_punch_rate if is_night and night_punch_rate is not None else punch_rate
        r_rate = night_report_rate if is_night and night_report_rate is not None else report_rate
        task_done_at = _moment(day, time(16))
        for pk, _department, boss in people:
            if rng.random() < p_rate:
                late = rng.random() < 0.05
                arrival = time(9, rng.randint(5, 50)) if late else time(8, rng.randint(30, 59))
                punches.add(pk, _moment(day, arrival), day, imported)
                if rng.random() < 0.98:
                    punches.add(pk, _moment(day, time(18, rng.randint(0, 59))), day, imported)
            if rng.random() < r_rate:
                reports.add(pk, day, "完成当日工作", "继续推进", 100)
            if boss and (pk + index) % 5 == 0:
                if rng.random() < 0.9:
                    tasks.add(pk, boss, "当日任务", day, done, task_done_at, day)
                else:
                    tasks.add(pk, boss, "当日任务", day, still_open, None, None)
    counts["punches"], counts["daily reports"], counts["tasks"] = punches.flush(), reports.flush(), tasks.flush()

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
    by_department = _by_department(people)
    invitations = Rows(Meeting.invitees.through, ("meeting_id", "employee_id"))
    attendance = Rows(MeetingAttendance, ("meeting_id", "employee_id", "status", "source", "checked_in_at"))
    present, page = AttendanceStatus.PRESENT, MeetingAttendance.Source.PAGE
    for day in mondays:
        for department in departments:
            starts = _moment(day, time(10))
            meeting = Meeting.objects.create(department=department, title="周例会", week_of=day, starts_at=starts,
                                             date=day, planned_at=starts, status=Meeting.Status.SCHEDULED)
            members = [pk for pk, _boss in by_department.get(department.pk, [])]
            for pk in members:
                invitations.add(meeting.pk, pk)
            for pk in members:
                if rng.random() < 0.95:
                    attendance.add(meeting.pk, pk, present, page, starts - timedelta(minutes=rng.randint(1, 9)))
    invitations.flush()
    return attendance.flush()


def _by_department(people) -> dict[int, list[tuple[int, int | None]]]:
    """{department id: [(employee id, supervisor id)]} in the order of `people`."""
    by_department: dict[int, list[tuple[int, int | None]]] = {}
    for pk, department, boss in people:
        by_department.setdefault(department, []).append((pk, boss))
    return by_department


def _duty(workdays: list[date], departments: list[Department], people, manager: Employee) -> int:
    """A published roster per department for the first rest day inside the range, two people on it."""
    rest_days = [day for day in (workdays[0] + timedelta(days=n) for n in range((workdays[-1] - workdays[0]).days))
                 if not workcalendar.is_workday(day)]
    if not rest_days:
        return 0
    day = rest_days[0]
    period = DutyPeriod.objects.create(name=f"{day:%m月%d日}值班", start_date=day, end_date=day, created_by=manager)
    by_department = _by_department(people)
    made = 0
    for department in departments:
        team = [(pk, boss) for pk, boss in by_department.get(department.pk, []) if boss and boss != manager.pk][:2]
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
