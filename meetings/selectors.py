"""meetings: the reads that pages, checks, the export, the year summary and the feed share."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from attendance import selectors as attendance_selectors
from opsdept import permissions, registries, workcalendar
from opsdept.models import Department, Employee, WorkSchedule

from .models import AttendanceStatus, Meeting, MeetingAttendance, MeetingSettings, MemberReport

# How far back the dashboard and the list look for recent meetings.
RECENT_DAYS = 35


def department_tree_ids(root_id: int) -> set[int]:
    """The ids of `root_id` and every department below it (one query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, frontier = {root_id}, [root_id]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, []) if child not in found]
        found.update(frontier)
    return found


def root_department_id(employee: Employee) -> int:
    department = employee.department
    seen: set[int] = set()
    while department.parent_id is not None and department.pk not in seen:
        seen.add(department.pk)
        department = department.parent
    return department.pk


def _weekly_members(meeting: Meeting) -> QuerySet[Employee]:
    """部门成员: the department's active members on the meeting's date; HR, who oversees the records, is not one."""
    return (
        Employee.objects.filter(is_active=True, hire_date__lte=meeting.date,
                                department_id__in=department_tree_ids(meeting.department_id))
        .exclude(role=Employee.Role.HR)
    )


def expected_members(meeting: Meeting) -> list[Employee]:
    """Who is expected: the department for the weekly meeting, the invitees of an extra one."""
    if meeting.kind == Meeting.Kind.WEEKLY:
        queryset = _weekly_members(meeting)
    else:
        queryset = meeting.invitees.filter(is_active=True)
    return list(queryset.select_related("department").order_by("employee_no"))


def is_expected(meeting: Meeting, employee: Employee) -> bool:
    if meeting.kind == Meeting.Kind.WEEKLY:
        return _weekly_members(meeting).filter(pk=employee.pk).exists()
    return meeting.invitees.filter(pk=employee.pk, is_active=True).exists()


def in_department(meeting: Meeting, employee: Employee) -> bool:
    """Whether `employee` belongs to the meeting's department (or was invited to it)."""
    return (employee.department_id in department_tree_ids(meeting.department_id)
            or meeting.invitees.filter(pk=employee.pk).exists())


def checkin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """(opens, closes): 部门成员需提前五分钟到 — opens five minutes early by default (HR's setting)."""
    config = MeetingSettings.current()
    return (meeting.starts_at - timedelta(minutes=config.checkin_opens_minutes),
            meeting.starts_at + timedelta(minutes=config.checkin_closes_minutes))


def window_is_open(meeting: Meeting, now: datetime | None = None) -> bool:
    opens, closes = checkin_window(meeting)
    return not meeting.is_cancelled and opens <= (now or timezone.now()) <= closes


def excused_ids(meeting: Meeting, employee_ids: Iterable[int]) -> set[int]:
    """Who is excused: approved leave covering the meeting's half of the day (attendance's day providers)."""
    ids = list(employee_ids)
    if not ids:
        return set()
    covers = attendance_selectors.day_covers(ids, meeting.date, meeting.date, kinds=("leave",))
    in_morning = timezone.localtime(meeting.starts_at).time() < WorkSchedule.current().lunch_start
    return {
        employee_id for (employee_id, day), cover in covers.items()
        if day == meeting.date and (cover.morning if in_morning else cover.afternoon)
    }


@dataclass
class RollRow:
    employee: Employee
    attendance: MeetingAttendance | None
    excused: bool
    status: str | None  # an AttendanceStatus value, or None while someone may still check in

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status else ""


def roll(meeting: Meeting, now: datetime | None = None) -> list[RollRow]:
    """Everyone expected with their attendance: a record, else excused by leave, else absent once check-in closed."""
    members = expected_members(meeting)
    records = {
        record.employee_id: record
        for record in MeetingAttendance.objects.filter(meeting=meeting).select_related("marked_by", "acknowledged_by")
    }
    excused = excused_ids(meeting, [e.pk for e in members])
    closed = (now or timezone.now()) > checkin_window(meeting)[1]
    rows = []
    for employee in members:
        record = records.get(employee.pk)
        if record is not None:
            status = record.status
        elif employee.pk in excused:
            status = AttendanceStatus.EXCUSED
        else:
            status = AttendanceStatus.ABSENT if closed and not meeting.is_cancelled else None
        rows.append(RollRow(employee, record, employee.pk in excused, status))
    return rows


def previous_workday(day: date) -> date | None:
    for info in reversed(workcalendar.days_between(day - timedelta(days=21), day - timedelta(days=1))):
        if info.is_workday:
            return info.date
    return None


def previous_report_summaries(employee_ids: list[int], day: date) -> dict[int, tuple[str, str]]:
    """(progress, problems) per member from their daily report of the workday before `day` (worklog registers it)."""
    previous = previous_workday(day)
    result: dict[int, tuple[str, str]] = {}
    if previous is None:
        return result
    for summaries in registries.daily_report_summaries:
        result.update(summaries(employee_ids, previous))
    return result


def visible_meetings(user: permissions.User) -> QuerySet[Meeting]:
    """The meetings `user` may see: everything for HR, the manager and the clerk; else their department's and invitations."""
    me = permissions.employee_of(user)
    queryset = Meeting.objects.select_related("department")
    if me is None:
        return queryset.none()
    if me.is_hr or me.is_manager or me.is_meeting_clerk:
        return queryset
    return queryset.filter(Q(department_id=root_department_id(me)) | Q(invitees=me)).distinct()


def meetings_of(employee: Employee, start: date, end: date) -> list[Meeting]:
    """The meetings `employee` is expected at from `start` to `end`, cancelled ones included (two queries)."""
    weekly = Q(kind=Meeting.Kind.WEEKLY, department_id=root_department_id(employee))
    candidates = list(
        Meeting.objects.filter(Q(date__range=(start, end)) & (weekly | Q(invitees=employee))).distinct().order_by("starts_at")
    )
    if employee.role == Employee.Role.HR or employee.hire_date is None:
        return [m for m in candidates if m.kind == Meeting.Kind.EXTRA]
    return [m for m in candidates if m.kind == Meeting.Kind.EXTRA or m.date >= employee.hire_date]


def next_meeting_for(employee: Employee, now: datetime | None = None) -> Meeting | None:
    """The next meeting (or the one now in its check-in window) that `employee` is expected at."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for meeting in meetings_of(employee, today, today + timedelta(days=21)):
        if not meeting.is_cancelled and checkin_window(meeting)[1] >= now:
            return meeting
    return None


def counts(employee_ids: list[int], start: date, end: date) -> dict[int, dict[str, int]]:
    """{employee id: {"absent": n, "late": n}} at meetings held from `start` to `end` (one query)."""
    rows = (
        MeetingAttendance.objects.filter(employee_id__any=set(employee_ids), meeting__date__range=(start, end),
                                         meeting__status=Meeting.Status.SCHEDULED,
                                         status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LATE])
        .values_list("employee_id", "status").annotate(n=Count("pk")).order_by()
    )
    result: dict[int, dict[str, int]] = {pk: {"absent": 0, "late": 0} for pk in employee_ids}
    for employee_id, status, n in rows:
        result.setdefault(employee_id, {"absent": 0, "late": 0})[status] = n
    return result


def draft_reports(meeting: Meeting) -> list[MemberReport]:
    """Unsaved member reports for new minutes: everyone expected, prefilled from the previous workday's report."""
    members = expected_members(meeting)
    summaries = previous_report_summaries([e.pk for e in members], meeting.date)
    return [MemberReport(employee=employee, progress=summaries.get(employee.pk, ("", ""))[0],
                         problems=summaries.get(employee.pk, ("", ""))[1]) for employee in members]


def people_to_call(user: Any = None) -> QuerySet[Employee]:
    """Whom a meeting may expect and an action item may go to (the picker "meetings-people"): everyone active."""
    return Employee.objects.filter(is_active=True).select_related("department").order_by("department_id", "employee_no")
