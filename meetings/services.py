"""meetings: every state change of meetings, their attendance and their minutes (四、例会制度)."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from discipline.models import Flag
from discipline.services import resolve_flag
from opsdept import audit, permissions, registries, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Department, Employee
from opsdept.chat import post_event
from opsdept.notify import Message, department_language, notify

from . import selectors, tokens
from .models import (
    ActionItem, AttendanceStatus, CalendarFeed, Meeting, MeetingAttendance, MeetingSettings, MemberReport, Minutes,
    MinutesVersion, new_feed_token,
)

# How far ahead the weekly meetings are planned (Celery beat and seed_demo call plan_weekly_meetings).
PLAN_WEEKS_AHEAD = 4
MINUTES_EVENT = "meetings.minutes"  # registries.chat_events
# A moved or called meeting lies within the business range: no further ahead than this.
MAX_DAYS_AHEAD = 366
# How far past the planned Monday a holiday may push the weekly meeting (the Spring Festival is the longest).
MAX_HOLIDAY_SHIFT = 21


class MeetingError(DomainError):
    pass


def _me(actor: AbstractBaseUser) -> Employee:
    me = permissions.employee_of(actor)
    if me is None:
        raise MeetingError(_("Your login is not linked to an employee record. Ask HR."))
    return me


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _in_department_language(function: Callable[[], str]) -> str:
    """Stored text (titles, reasons, notices) is written in the department's language, whoever triggers it."""
    with department_language():
        return function()


def _weekly_title() -> str:
    return _in_department_language(lambda: _("Weekly department meeting"))


def first_workday_from(day: date) -> date | None:
    """`day` if it is a workday, else the next workday within MAX_HOLIDAY_SHIFT days (None if none)."""
    for info in workcalendar.days_between(day, day + timedelta(days=MAX_HOLIDAY_SHIFT)):
        if info.is_workday:
            return info.date
    return None


def _holiday_reason(day: date, moved_to: date) -> str:
    info = workcalendar.day_info(day)

    def text() -> str:
        name = info.name or str(info.kind_label)
        return _("%(day)s is not a workday (%(name)s): the meeting moves to the next workday, %(to)s, at the same time.") % {
            "day": day.isoformat(), "name": name, "to": moved_to.isoformat(),
        }

    return _in_department_language(text)


def _notify_expected(meeting: Meeting, subject: Message, body: str) -> None:
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    for employee in selectors.expected_members(meeting):
        notify(employee, subject=subject, body=body, url=url)


# ---------------------------------------------------------------- the schedule

def plan_weekly_meetings(first_day: date, *, weeks: int = PLAN_WEEKS_AHEAD, include_past: bool = False) -> int:
    """Create the weekly meeting of every top department for the `weeks` weeks from `first_day`'s week.

    Monday 10:00 (例会时间为每周一上午10点); a Monday that is not a workday moves the meeting
    to the next workday at the same time, and the meeting says why. Safe to run twice. A meeting
    whose time has passed is not created after the fact (nobody could have attended it), unless
    `include_past` (the demo data's history).
    """
    monday = first_day - timedelta(days=first_day.weekday())
    created = 0
    departments = list(Department.objects.filter(parent__isnull=True))
    for week in range(weeks):
        for department in departments:
            created += _plan_week(department, monday + timedelta(weeks=week), include_past)
    return created


@transaction.atomic
def _plan_week(department: Department, monday: date, include_past: bool) -> int:
    if Meeting.objects.filter(department=department, kind=Meeting.Kind.WEEKLY, week_of=monday).exists():
        return 0
    config = MeetingSettings.current()
    day = first_workday_from(monday) or monday
    if not include_past and _aware(day, config.weekly_time) <= timezone.now():
        return 0
    planned = _aware(monday, config.weekly_time)
    meeting = Meeting(
        department=department, kind=Meeting.Kind.WEEKLY, title=_weekly_title(), week_of=monday,
        starts_at=_aware(day, config.weekly_time), date=day, duration_minutes=config.duration_minutes,
        planned_at=planned, change_reason=_holiday_reason(monday, day) if day != monday else "",
        moved_by_calendar=day != monday,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # another run planned this week between our look and our write
        return 0
    audit.record(None, audit.Action.MEETING_PLANNED, meeting,
                 changes={"starts_at": meeting.starts_at, "reason": meeting.change_reason})
    return 1


def replan_for_calendar_change(day: date, actor: AbstractBaseUser | None) -> None:
    """The `calendar_changed_hooks` entry: a meeting on a date that stopped being a workday moves on;
    one the calendar had moved off `day` comes back when `day` is a workday again."""
    if workcalendar.is_workday(day):
        _move_back_to(day, actor)
        return
    moving = Meeting.objects.select_for_update().filter(date=day, status=Meeting.Status.SCHEDULED,
                                                        starts_at__gt=timezone.now())
    for meeting in moving:
        target = first_workday_from(day)
        if target is None:
            continue
        local = timezone.localtime(meeting.starts_at)
        before = meeting.starts_at
        meeting.starts_at, meeting.date = _aware(target, local.time()), target
        meeting.change_reason, meeting.moved_by_calendar = _holiday_reason(day, target), True
        meeting.save(update_fields=["starts_at", "date", "change_reason", "moved_by_calendar"])
        audit.record(actor, audit.Action.MEETING_MOVED, meeting,
                     changes={"starts_at": [before, meeting.starts_at]}, note=meeting.change_reason)
        _notify_moved(meeting)


def _move_back_to(day: date, actor: AbstractBaseUser | None) -> None:
    now = timezone.now()
    for meeting in Meeting.objects.select_for_update().filter(moved_by_calendar=True, status=Meeting.Status.SCHEDULED,
                                                              starts_at__gt=now).exclude(date=day):
        if timezone.localdate(meeting.planned_at) != day or meeting.planned_at <= now:
            continue
        before = meeting.starts_at
        meeting.starts_at, meeting.date, meeting.moved_by_calendar = meeting.planned_at, day, False
        meeting.change_reason = _in_department_language(
            lambda: _("%(day)s is a workday again: the meeting is back at its planned time.") % {"day": day.isoformat()})
        meeting.save(update_fields=["starts_at", "date", "moved_by_calendar", "change_reason"])
        audit.record(actor, audit.Action.MEETING_MOVED, meeting,
                     changes={"starts_at": [before, meeting.starts_at]}, note=meeting.change_reason)
        _notify_moved(meeting)


def _notify_moved(meeting: Meeting, body: str | None = None) -> None:
    local = timezone.localtime(meeting.starts_at)
    _notify_expected(
        meeting,
        subject=Message(gettext_lazy("%(title)s moved to %(when)s"), **{
            "title": meeting.title, "when": local.strftime("%Y-%m-%d %H:%M")}),
        body=meeting.change_reason if body is None else body,
    )


def _check_new_time(starts_at: datetime, now: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise MeetingError(_("Give the time with its time zone."), field="starts_at")
    if starts_at <= now:
        raise MeetingError(_("The new time must be in the future."), field="starts_at")
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise MeetingError(_("A meeting can be planned at most a year ahead."), field="starts_at")
    if not workcalendar.is_workday(timezone.localdate(starts_at)):
        raise MeetingError(_("Meetings are held on workdays: choose a workday."), field="starts_at")


def _clean_line(text: str, field: str, empty_message: str) -> str:
    """One line of text that may end up in a mail subject: no line breaks or control characters."""
    text = (text or "").strip()
    if not text:
        raise MeetingError(empty_message, field=field)
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise MeetingError(_("Write it on one line."), field=field)
    return text


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MeetingError(_("Say why (如有变动，另行通知: everyone expected is told the reason)."), field="reason")
    return reason


@transaction.atomic
def move_meeting(meeting_id: int, *, actor: AbstractBaseUser, starts_at: datetime, reason: str) -> Meeting:
    """A supervisor, the manager or the clerk moves a meeting; everyone expected is notified."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    permissions.require(actor, "meetings.schedule", meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled."))
    now = timezone.now()
    if meeting.starts_at <= now:
        raise MeetingError(_("This meeting has already started: it can no longer be moved."))
    reason = _clean_reason(reason)
    _check_new_time(starts_at, now)
    before = meeting.starts_at
    meeting.starts_at, meeting.date, meeting.change_reason = starts_at, timezone.localdate(starts_at), reason
    meeting.moved_by_calendar = False  # a person decided this time: the calendar no longer moves it back
    meeting.save(update_fields=["starts_at", "date", "change_reason", "moved_by_calendar"])
    audit.record(actor, audit.Action.MEETING_MOVED, meeting, changes={"starts_at": [before, starts_at]}, note=reason)
    _notify_moved(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(meeting_id: int, *, actor: AbstractBaseUser, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    permissions.require(actor, "meetings.schedule", meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled."))
    if meeting.starts_at <= timezone.now():
        raise MeetingError(_("This meeting has already started: it can no longer be cancelled."))
    reason = _clean_reason(reason)
    meeting.status, meeting.change_reason = Meeting.Status.CANCELLED, reason
    meeting.save(update_fields=["status", "change_reason"])
    audit.record(actor, audit.Action.MEETING_CANCELLED, meeting, changes={"status": ["scheduled", "cancelled"]}, note=reason)
    local = timezone.localtime(meeting.starts_at)
    _notify_expected(meeting, subject=Message(gettext_lazy("%(title)s on %(when)s is cancelled"), **{
        "title": meeting.title, "when": local.strftime("%Y-%m-%d %H:%M")}), body=reason)
    return meeting


@transaction.atomic
def call_meeting(*, actor: AbstractBaseUser, title: str, starts_at: datetime, duration_minutes: int,
                 invitee_ids: Iterable[int], reason: str) -> Meeting:
    """Call an extra meeting (a cross-team or summary meeting, 第四条) with its own list of who is expected."""
    permissions.require(actor, "meetings.schedule")
    me = _me(actor)
    title = _clean_line(title, "title", _("Give the meeting a title."))
    reason = _clean_reason(reason)
    _check_new_time(starts_at, timezone.now())
    if not 5 <= duration_minutes <= 480:
        raise MeetingError(_("A meeting lasts from 5 to 480 minutes."), field="duration_minutes")
    invitees = list(Employee.objects.filter(pk__in=list(invitee_ids), is_active=True))
    if not invitees:
        raise MeetingError(_("Choose who is expected."), field="invitees")
    root = me.department
    while root.parent_id is not None:
        root = root.parent
    meeting = Meeting.objects.create(
        department=root, kind=Meeting.Kind.EXTRA, title=title, starts_at=starts_at, date=timezone.localdate(starts_at),
        duration_minutes=duration_minutes, planned_at=starts_at, change_reason=reason, created_by=me,
    )
    meeting.invitees.set(invitees)
    audit.record(actor, audit.Action.MEETING_CALLED, meeting,
                 changes={"starts_at": starts_at, "invitees": sorted(e.pk for e in invitees)}, note=reason)
    local = timezone.localtime(starts_at)
    _notify_expected(meeting, subject=Message(gettext_lazy("%(title)s on %(when)s"), **{
        "title": title, "when": local.strftime("%Y-%m-%d %H:%M")}), body=reason)
    return meeting


# ---------------------------------------------------------------- check-in and attendance

def _lock_meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


@transaction.atomic
def check_in(meeting_id: int, *, actor: AbstractBaseUser, token: str | None = None) -> MeetingAttendance:
    """Check oneself in: from the window's opening (9:55) on; after the start it counts as late. Server time decides.

    With `token` (the room's QR code) the token must be current: it rotates every 30 seconds.
    """
    meeting = _lock_meeting(meeting_id)
    permissions.require(actor, "meetings.checkin", meeting)
    me = _me(actor)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled."))
    if token is not None and not tokens.is_valid(meeting.pk, token):
        raise MeetingError(_("This QR code has expired or is not valid. Scan the code shown in the room again."))
    if not selectors.is_expected(meeting, me):
        raise MeetingError(_("You are not expected at this meeting."))
    now = timezone.now()
    opens, closes = selectors.checkin_window(meeting)
    if now < opens:
        raise MeetingError(_("Check-in opens at %(time)s.") % {"time": timezone.localtime(opens).strftime("%H:%M")})
    if now > closes:
        raise MeetingError(_("Check-in closed at %(time)s: ask the meeting clerk to record your attendance.") % {
            "time": timezone.localtime(closes).strftime("%H:%M")})
    if MeetingAttendance.objects.filter(meeting=meeting, employee=me).exists():
        raise MeetingError(_("Your attendance at this meeting is already recorded."))
    status = AttendanceStatus.LATE if now > meeting.starts_at else AttendanceStatus.PRESENT
    attendance = MeetingAttendance.objects.create(
        meeting=meeting, employee=me, status=status, checked_in_at=now,
        source=MeetingAttendance.Source.QR if token is not None else MeetingAttendance.Source.PAGE,
    )
    audit.record(actor, audit.Action.MEETING_CHECKED_IN, attendance, changes={"status": status, "at": now})
    return attendance


MARKABLE = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT)


@transaction.atomic
def mark_attendance(meeting_id: int, employee_id: int, *, actor: AbstractBaseUser, status: str,
                    note: str = "") -> MeetingAttendance:
    """The clerk marks someone present, late or absent with a note; the record keeps who marked it."""
    meeting = _lock_meeting(meeting_id)
    permissions.require(actor, "meetings.mark", meeting)
    me = _me(actor)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled: there is no attendance to mark."))
    if status not in MARKABLE:
        raise MeetingError(_("Choose present, late or absent."), field="status")
    now = timezone.now()
    opens, _closes = selectors.checkin_window(meeting)
    if now < opens:
        raise MeetingError(_("The meeting has not begun: attendance can be marked from %(time)s.") % {
            "time": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M")})
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None or not selectors.is_expected(meeting, employee):
        raise MeetingError(_("This person is not expected at this meeting."), field="employee")
    note = (note or "").strip()[:200]
    attendance = (MeetingAttendance.objects.select_for_update().filter(meeting=meeting, employee=employee).first()
                  or MeetingAttendance(meeting=meeting, employee=employee))
    audit.update_audited(
        attendance, actor=actor, action=audit.Action.MEETING_ATTENDANCE_MARKED, fields=["status", "note", "marked_by"],
        values={"status": status, "note": note, "marked_by": me, "marked_at": now, "source": MeetingAttendance.Source.CLERK},
        note=note, validate=False,
    )
    _resolve_cleared_flag(employee, meeting.date, actor)
    return attendance


def explanation_open(meeting: Meeting) -> bool:
    """A late member explains to the clerk until the meeting day ends; after that the night has judged it."""
    return timezone.localdate() <= meeting.date


@transaction.atomic
def explain_lateness(attendance_id: int, *, actor: AbstractBaseUser, explanation: str) -> MeetingAttendance:
    """迟到者会后及时向会议考勤员说明情况: the late member explains; the clerk is told."""
    attendance = MeetingAttendance.objects.select_for_update().select_related("meeting", "employee").get(pk=attendance_id)
    permissions.require(actor, "meetings.explain", attendance)
    if attendance.status != AttendanceStatus.LATE:
        raise MeetingError(_("Only a late arrival needs an explanation."))
    if attendance.is_acknowledged:
        raise MeetingError(_("The clerk has already acknowledged your explanation."))
    if not explanation_open(attendance.meeting):
        raise MeetingError(_("The meeting day is over: explain the flag the night raised instead."))
    explanation = (explanation or "").strip()
    if not explanation:
        raise MeetingError(_("Write what made you late."), field="explanation")
    if not audit.update_audited(attendance, actor=actor, action=audit.Action.MEETING_LATENESS_EXPLAINED,
                                fields=["explanation"], values={"explanation": explanation, "explained_at": timezone.now()},
                                validate=False):
        return attendance  # the same explanation again: nothing new to tell the clerk
    for clerk in Employee.objects.filter(is_meeting_clerk=True, is_active=True).exclude(pk=attendance.employee_id):
        notify(clerk, subject=Message(gettext_lazy("%(name)s explained being late to %(meeting)s"), **{
            "name": attendance.employee.name, "meeting": attendance.meeting.title}),
            body=explanation, url=reverse("meetings:detail", kwargs={"pk": attendance.meeting_id}))
    return attendance


@transaction.atomic
def acknowledge_explanation(attendance_id: int, *, actor: AbstractBaseUser) -> MeetingAttendance:
    """The clerk acknowledges a late explanation; a late arrival acknowledged raises no flag."""
    attendance = MeetingAttendance.objects.select_for_update().select_related("meeting", "employee").get(pk=attendance_id)
    permissions.require(actor, "meetings.acknowledge", attendance)
    if attendance.status != AttendanceStatus.LATE or not attendance.explanation:
        raise MeetingError(_("There is no explanation to acknowledge."))
    if attendance.is_acknowledged:
        raise MeetingError(_("This explanation is already acknowledged."))
    attendance.acknowledged_by, attendance.acknowledged_at = _me(actor), timezone.now()
    attendance.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit.record(actor, audit.Action.MEETING_EXPLANATION_ACKNOWLEDGED, attendance, changes={"acknowledged": [False, True]})
    _resolve_cleared_flag(attendance.employee, attendance.meeting.date, actor)
    notify(attendance.employee, subject=Message(gettext_lazy("Your explanation for %(meeting)s was acknowledged"), **{
        "meeting": attendance.meeting.title}), url=reverse("meetings:detail", kwargs={"pk": attendance.meeting_id}))
    return attendance


@transaction.atomic
def close_roll(meeting_id: int) -> int:
    """After the meeting day: write `absent` or `excused` for everyone expected with no record. Safe to run twice."""
    meeting = _lock_meeting(meeting_id)
    if meeting.is_cancelled:
        return 0
    # The meeting row is locked: nobody else writes this roll until we commit, so the records the
    # roll read are all there are, and the missing ones are written in bulk (a constant number of queries).
    missing = [
        MeetingAttendance(meeting=meeting, employee=row.employee, source=MeetingAttendance.Source.CLOSED,
                          status=AttendanceStatus.EXCUSED if row.excused else AttendanceStatus.ABSENT)
        for row in selectors.roll(meeting) if row.attendance is None
    ]
    written = MeetingAttendance.objects.bulk_create(missing, batch_size=1000)
    audit.record_many([audit.unsaved_event(None, audit.Action.MEETING_ROLL_CLOSED, attendance,
                                           changes={"status": attendance.status}) for attendance in written])
    return len(written)


def _resolve_cleared_flag(employee: Employee, day: date, actor: AbstractBaseUser) -> None:
    """The night flagged an absence or an unexplained lateness the clerk has since corrected: resolve it.

    One flag stands for the whole day (unique per employee, date and rule): it stays while any
    meeting of that day still shows an absence or an unacknowledged lateness.
    """
    still = MeetingAttendance.objects.filter(employee=employee, meeting__date=day, meeting__status=Meeting.Status.SCHEDULED).filter(
        Q(status=AttendanceStatus.ABSENT) | Q(status=AttendanceStatus.LATE, acknowledged_at__isnull=True))
    if still.exists():
        return
    for flag in Flag.objects.filter(employee=employee, date=day, rule__code="meeting-absent", status=Flag.Status.OPEN):
        note = _in_department_language(lambda: _("The meeting clerk corrected the attendance."))
        resolve_flag(flag.pk, actor=actor, note=note)


# ---------------------------------------------------------------- minutes

def _json(value: object) -> object:
    """Dates and datetimes as ISO strings, for a JSON field."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _minutes_content(minutes: Minutes) -> dict:
    """What a version keeps: the text, each member's report and the action items."""
    return _json({
        "topics": minutes.topics,
        "decisions": minutes.decisions,
        "reports": [
            {"employee": report.employee.name, "employee_id": report.employee_id, "progress": report.progress,
             "problems": report.problems}
            for report in minutes.reports.select_related("employee").order_by("employee__employee_no")
        ],
        "action_items": [
            {"owner": item.owner.name, "title": item.title, "due_date": item.due_date}
            for item in minutes.action_items.select_related("owner").order_by("due_date", "id")
        ],
    })


def minutes_for(meeting: Meeting) -> Minutes:
    """The meeting's minutes, created (a draft, prefilled from the previous workday's daily reports) on first use."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        return minutes
    minutes, created = Minutes.objects.get_or_create(meeting=meeting)
    if created:
        reports = selectors.draft_reports(meeting)
        for report in reports:
            report.minutes = minutes
        MemberReport.objects.bulk_create(reports)
    return minutes


def check_minutes_writable(meeting: Meeting, actor: AbstractBaseUser) -> None:
    """Refuse (MeetingError) unless the actor is the clerk and the meeting has taken place and was not cancelled."""
    permissions.require(actor, "meetings.minutes", meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled: it has no minutes."))
    opens, _closes = selectors.checkin_window(meeting)
    if timezone.now() < opens:
        raise MeetingError(_("This meeting has not taken place yet."))


def _record_version(minutes: Minutes, me: Employee, changes: dict) -> MinutesVersion:
    # The caller holds the minutes' row lock; count from the versions kept, not only the counter.
    kept = minutes.versions.aggregate(last=Max("number"))["last"] or 0
    minutes.version = max(minutes.version, kept) + 1
    minutes.save(update_fields=["version", "updated_at"])
    return MinutesVersion.objects.create(minutes=minutes, number=minutes.version, content=_minutes_content(minutes),
                                         changes=_json(changes), saved_by=me)


@transaction.atomic
def save_minutes(meeting_id: int, *, actor: AbstractBaseUser, topics: str, decisions: str,
                 reports: dict[int, tuple[str, str]]) -> Minutes:
    """The clerk writes the minutes; after publishing, every edit keeps the earlier version viewable."""
    meeting = _lock_meeting(meeting_id)
    check_minutes_writable(meeting, actor)
    me = _me(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes_for(meeting).pk)
    changes: dict = {}
    for name, value in (("topics", topics), ("decisions", decisions)):
        value = (value or "").strip()
        if getattr(minutes, name) != value:
            changes[name] = [getattr(minutes, name), value]
            setattr(minutes, name, value)
    for report in minutes.reports.select_related("employee"):
        if report.employee_id not in reports:
            continue
        progress, problems = (text.strip() for text in reports[report.employee_id])
        if (progress, problems) != (report.progress, report.problems):
            changes[f"report:{report.employee.name}"] = [[report.progress, report.problems], [progress, problems]]
            report.progress, report.problems = progress, problems
            report.save(update_fields=["progress", "problems"])
    if not changes:
        return minutes
    minutes.updated_by = me
    minutes.save(update_fields=["topics", "decisions", "updated_by", "updated_at"])
    audit.record(actor, audit.Action.MINUTES_SAVED, minutes, changes=changes)
    if minutes.is_published:
        _record_version(minutes, me, changes)
    return minutes


def _source(meeting: Meeting) -> str:
    return f"{meeting.title} {timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def _assign(item: ActionItem, actor: AbstractBaseUser) -> None:
    assigner = registries.task_assigners.get("worklog")
    if assigner is None:
        raise MeetingError(_("Action items cannot become tasks: the work log is not installed."))
    task = assigner.assign(item.owner, item.title, item.due_date, actor=actor, source=_source(item.minutes.meeting))
    item.task_id = task.pk
    item.save(update_fields=["task_id"])


@transaction.atomic
def add_action_item(meeting_id: int, *, actor: AbstractBaseUser, owner_id: int, title: str, due_date: date) -> ActionItem:
    """An action item: an owner in the department and a due workday; a work-log task once the minutes are published."""
    meeting = _lock_meeting(meeting_id)
    check_minutes_writable(meeting, actor)
    me = _me(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes_for(meeting).pk)
    title = _clean_line(title, "title", _("Say what is to be done."))
    owner = Employee.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None or not selectors.in_department(meeting, owner):
        raise MeetingError(_("The owner must be an active member of the department."), field="owner")
    if due_date < timezone.localdate():
        raise MeetingError(_("The due date cannot be in the past."), field="due_date")
    if due_date > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
        raise MeetingError(_("The due date can be at most a year ahead."), field="due_date")
    if not workcalendar.is_workday(due_date):
        raise MeetingError(_("The due date must be a workday."), field="due_date")
    item = ActionItem.objects.create(minutes=minutes, owner=owner, title=title, due_date=due_date)
    audit.record(actor, audit.Action.ACTION_ITEM_ADDED, item,
                 changes={"owner": owner.name, "title": title, "due_date": due_date})
    if minutes.is_published:
        _assign(item, actor)
        _record_version(minutes, me, {"action_item": [None, title]})
    return item


@transaction.atomic
def publish_minutes(meeting_id: int, *, actor: AbstractBaseUser) -> Minutes:
    """Publish: the department can read them, and each action item becomes a work-log task."""
    meeting = _lock_meeting(meeting_id)
    permissions.require(actor, "meetings.minutes", meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting was cancelled: it has no minutes."))
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("Minutes cannot be published for a meeting that has not taken place."))
    me = _me(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes_for(meeting).pk)
    if minutes.is_published:
        raise MeetingError(_("These minutes are already published."))
    if not minutes.topics.strip() and not minutes.decisions.strip():
        raise MeetingError(_("Write the topics or the decisions before publishing."), field="topics")
    for item in minutes.action_items.select_related("owner", "minutes__meeting").filter(task_id__isnull=True):
        _assign(item, actor)
    minutes.status, minutes.published_at, minutes.published_by = Minutes.Status.PUBLISHED, timezone.now(), me
    minutes.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    _record_version(minutes, me, {"status": ["draft", "published"]})
    audit.record(actor, audit.Action.MINUTES_PUBLISHED, minutes, changes={"status": ["draft", "published"]})
    # To the group robots HR pointed this event at: the title and date only (the minutes stay in opsdept).
    with department_language():
        post_event(MINUTES_EVENT, text=_("Minutes published: %(title)s, %(day)s") % {
            "title": meeting.title, "day": meeting.date.isoformat()})
    return minutes


# ---------------------------------------------------------------- settings and the calendar feed

@transaction.atomic
def update_meeting_settings(*, actor: AbstractBaseUser, **values: object) -> MeetingSettings:
    permissions.require(actor, "meetings.settings")
    config = MeetingSettings.objects.select_for_update().get(pk=MeetingSettings.current().pk)
    before_time, before_length = config.weekly_time, config.duration_minutes
    audit.update_audited(config, actor=actor, action=audit.Action.MEETING_SETTINGS_CHANGED, fields=list(values), values=values)
    if (config.weekly_time, config.duration_minutes) != (before_time, before_length):
        _retime_planned_meetings(before_time, config, actor)
    return config


def _retime_planned_meetings(before_time: time, config: MeetingSettings, actor: AbstractBaseUser) -> int:
    """A new weekly time or length applies to the weekly meetings already planned that nobody moved by hand.

    A meeting a person moved (it has a reason and is not at its planned time) keeps the time that
    person chose; one that has started keeps its time; everyone expected is told of the new time.
    """
    now = timezone.now()
    moved = 0
    for meeting in Meeting.objects.select_for_update().filter(kind=Meeting.Kind.WEEKLY, status=Meeting.Status.SCHEDULED,
                                                              starts_at__gt=now):
        by_hand = meeting.change_reason and not meeting.moved_by_calendar and meeting.starts_at != meeting.planned_at
        if by_hand or timezone.localtime(meeting.starts_at).time() != before_time:
            continue
        starts_at = _aware(meeting.date, config.weekly_time)
        if starts_at <= now:
            continue
        before = meeting.starts_at
        meeting.starts_at, meeting.duration_minutes = starts_at, config.duration_minutes
        meeting.planned_at = _aware(timezone.localdate(meeting.planned_at), config.weekly_time)
        meeting.save(update_fields=["starts_at", "duration_minutes", "planned_at"])
        note = _in_department_language(lambda: _("The weekly meeting time was changed in the settings."))
        audit.record(actor, audit.Action.MEETING_MOVED, meeting, changes={"starts_at": [before, starts_at]}, note=note)
        if starts_at != before:
            _notify_moved(meeting, body=note)
        moved += 1
    return moved


def feed_for(employee: Employee) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(employee=employee)
    return feed


@transaction.atomic
def reset_feed_token(*, actor: AbstractBaseUser) -> CalendarFeed:
    """A new secret for one's own feed URL: the old link stops working at once."""
    me = _me(actor)
    feed = CalendarFeed.objects.select_for_update().filter(employee=me).first() or CalendarFeed(employee=me)
    feed.token = new_feed_token()
    feed.save()
    audit.record(actor, audit.Action.CALENDAR_FEED_RESET, feed)
    return feed
