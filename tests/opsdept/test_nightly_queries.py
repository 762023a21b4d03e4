"""A whole night in a constant number of queries (issue 16): the same at 5 and at 40 employees,
whether nearly nobody or everybody is flagged, and a rerun of a finished night is as cheap.

Every registered check runs (attendance, leave, worklog, meetings, duty): the department has a
weekly meeting on the night's Monday, everyone a task due that day, and in the worst night
nobody punched, reported, finished a task or came to the meeting.
"""

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discipline.models import Flag
from meetings import services as meeting_services
from meetings.models import AttendanceStatus, Meeting, MeetingAttendance
from opsdept import nightly
from opsdept.models import Employee, NightlyRun
from attendance.models import Punch
from tests.attendance.factories import punch_day
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.worklog.factories import DailyReportFactory, TaskFactory
from worklog.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Three workday Mondays of November 2026: a warm-up night, then the nights measured at each size.
WARM_UP, SMALL_NIGHT, LARGE_NIGHT = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)


@pytest.fixture
def clock(monkeypatch):
    current = {"now": datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)}
    monkeypatch.setattr(timezone, "now", lambda: current["now"].astimezone(ZoneInfo("UTC")))

    def set_to(moment: datetime) -> None:
        current["now"] = moment

    return set_to


@pytest.fixture
def department(db, clock):
    """A department with its supervisor, a meeting clerk and the weekly meetings of the three Mondays."""
    root = DepartmentFactory(name="运营部")
    supervisor = EmployeeFactory(name="主管", department=root, role=Employee.Role.SUPERVISOR)
    EmployeeFactory(name="记录员", department=root, supervisor=supervisor, is_meeting_clerk=True)
    meeting_services.plan_weekly_meetings(WARM_UP, weeks=3)
    return root, supervisor


def grow(department, to: int, hired: date = WARM_UP) -> list[Employee]:
    """Staff up to `to`, the newcomers hired on `hired` (so an earlier night keeps its size)."""
    root, supervisor = department
    have = Employee.objects.filter(department=root, role=Employee.Role.STAFF, is_meeting_clerk=False).count()
    for _ in range(to - have):
        EmployeeFactory(department=root, supervisor=supervisor, hire_date=hired)
    return list(Employee.objects.filter(department=root, role=Employee.Role.STAFF, is_meeting_clerk=False))


def set_up_day(staff: list[Employee], day: date, *, everyone_flagged: bool) -> None:
    """Everyone has a task due on `day`; on a normal night a tenth come late and everything else is in order
    (the minutes are never published: the clerk's one flag a night)."""
    supervisor = staff[0].supervisor
    meeting = Meeting.objects.get(date=day)
    for number, employee in enumerate(staff):
        if everyone_flagged:
            TaskFactory(assignee=employee, assigned_by=supervisor, due_date=day)
            continue
        TaskFactory(assignee=employee, assigned_by=supervisor, due_date=day, status=Task.Status.DONE, done_on=day)
        late = number % 10 == 0
        punch_day(employee, day.isoformat(), "09:20" if late else "08:50", "18:05")
        DailyReportFactory(employee=employee, date=day)
        MeetingAttendance.objects.create(meeting=meeting, employee=employee, status=AttendanceStatus.PRESENT,
                                         source=MeetingAttendance.Source.CLERK)
    if not everyone_flagged:
        for employee in [supervisor, *Employee.objects.filter(is_meeting_clerk=True)]:
            punch_day(employee, day.isoformat(), "08:50", "18:05")
            DailyReportFactory(employee=employee, date=day)
            MeetingAttendance.objects.create(meeting=meeting, employee=employee, status=AttendanceStatus.PRESENT,
                                             source=MeetingAttendance.Source.CLERK)


@contextmanager
def counting():
    with CaptureQueriesContext(connection) as captured:
        yield captured


def night(day: date, clock, *, force: bool = True) -> int:
    """Run the whole night of `day` at 01:30 the next morning; return its query count."""
    clock(datetime(day.year, day.month, day.day + 1, 1, 30, tzinfo=SHANGHAI))
    with counting() as captured:
        outcome = nightly.run_night(day, trigger="test", force=force)
    assert outcome.state == NightlyRun.Status.DONE, outcome.message
    return len(captured)


@pytest.mark.parametrize("everyone_flagged", [False, True], ids=["normal", "everyone-flagged"])
def test_a_night_takes_the_same_queries_at_5_and_40_employees(department, clock, everyone_flagged):
    set_up_day(grow(department, 5), WARM_UP, everyone_flagged=everyone_flagged)
    night(WARM_UP, clock)  # the first night fills the process's caches (content types, the calendar)

    staff = grow(department, 5)
    set_up_day(staff, SMALL_NIGHT, everyone_flagged=everyone_flagged)
    small = night(SMALL_NIGHT, clock)
    small_flags = Flag.objects.filter(date=SMALL_NIGHT).count()

    staff = grow(department, 40, hired=LARGE_NIGHT)
    set_up_day(staff, LARGE_NIGHT, everyone_flagged=everyone_flagged)
    large = night(LARGE_NIGHT, clock)
    large_flags = Flag.objects.filter(date=LARGE_NIGHT).count()

    # The nights really differ in size: in the worst one everyone is flagged under four rules.
    if everyone_flagged:
        assert small_flags >= 4 * 5 and large_flags >= 4 * 40
    else:
        assert 0 < small_flags < large_flags <= 1 + 40 // 10
    assert large == small, f"{small} queries at 5 employees, {large} at 40"


def test_a_rerun_of_a_finished_night_adds_nothing_in_the_same_queries(department, clock):
    set_up_day(grow(department, 5), WARM_UP, everyone_flagged=True)
    night(WARM_UP, clock)
    night(WARM_UP, clock)  # warm the rerun path too
    set_up_day(grow(department, 5), SMALL_NIGHT, everyone_flagged=True)
    night(SMALL_NIGHT, clock)
    set_up_day(grow(department, 40, hired=LARGE_NIGHT), LARGE_NIGHT, everyone_flagged=True)
    night(LARGE_NIGHT, clock)
    flags = Flag.objects.count()

    small = night(SMALL_NIGHT, clock)
    large = night(LARGE_NIGHT, clock)
    assert Flag.objects.count() == flags
    assert large == small, f"rerun: {small} queries at 5 employees, {large} at 40"
    # Nothing changed since the first run: the checks that declare their facts (opsdept.facts) left every chunk.
    rerun = NightlyRun.objects.filter(date=LARGE_NIGHT).latest("pk")
    chunks = [chunk for result in rerun.checks.values() for chunk in result.get("chunks", {}).values()]
    assert len(chunks) >= 4 and sum(bool(chunk.get("unchanged")) for chunk in chunks) >= 4


def test_a_forced_rerun_that_judges_a_changed_chunk_again_takes_the_same_queries_at_5_and_40(department, clock):
    """A punch corrected in the store after the night: the forced rerun recomputes the chunk (its facts changed)."""
    set_up_day(grow(department, 5), WARM_UP, everyone_flagged=False)
    night(WARM_UP, clock)
    counts = []
    for size, day in ((5, SMALL_NIGHT), (40, LARGE_NIGHT)):
        staff = grow(department, size, hired=day)
        set_up_day(staff, day, everyone_flagged=False)
        night(day, clock)
        latest = Punch.objects.filter(employee=staff[1], local_date=day).latest("at")
        Punch.objects.filter(pk=latest.pk).update(at=datetime(day.year, day.month, day.day, 17, 0, tzinfo=SHANGHAI))
        counts.append(night(day, clock))
        run = NightlyRun.objects.filter(date=day).latest("pk")
        assert not run.checks["attendance.lateness"]["chunks"][next(iter(run.checks["attendance.lateness"]["chunks"]))].get("unchanged")
        assert Flag.objects.filter(date=day, employee=staff[1], rule__code="early-leave").exists()
    assert counts[0] == counts[1], f"{counts[0]} queries at 5 employees, {counts[1]} at 40"


def test_the_scheduled_run_leaves_a_done_night_alone_in_a_few_queries(department, clock):
    set_up_day(grow(department, 40, hired=LARGE_NIGHT), LARGE_NIGHT, everyone_flagged=True)
    night(LARGE_NIGHT, clock)
    clock(datetime(2026, 11, 24, 1, 30, tzinfo=SHANGHAI))
    with counting() as captured:
        outcome = nightly.run_night(LARGE_NIGHT, trigger="test")
    assert outcome.state == "already-done"
    assert len(captured) <= 5

