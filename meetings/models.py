"""The department meeting (例会制度): the Monday 10:00 meeting and extra ones, who came, the minutes.

四、例会制度: 例会时间为每周一上午10点（如有变动，另行通知），部门成员需提前五分钟到;
例会不能无故请假、迟到、缺勤; 迟到者会后及时向会议考勤员说明情况; 会议须准确做好会议记录.
"""

from datetime import datetime, time, timedelta
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opsdept.models import Department, Employee, SingletonModel


class MeetingSettings(SingletonModel):
    """HR's meeting settings: one row. The policy's defaults: Monday 10:00, arrive five minutes early."""

    weekly_time = models.TimeField(_("weekly meeting time"), default=time(10, 0))
    duration_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=60)
    checkin_opens_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before)"), default=5,
        help_text=_("部门成员需提前五分钟到: check-in opens this many minutes before the start."),
    )
    checkin_closes_minutes = models.PositiveSmallIntegerField(
        _("check-in closes (minutes after)"), default=60,
        help_text=_("After this many minutes past the start only the clerk can mark attendance."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(checkin_opens_minutes__lte=120), name="meeting_opens_at_most_2h",
                                   violation_error_message=_("Check-in opens at most 120 minutes before the start.")),
            models.CheckConstraint(condition=models.Q(checkin_closes_minutes__lte=480), name="meeting_closes_at_most_8h",
                                   violation_error_message=_("Check-in closes at most 480 minutes after the start.")),
            models.CheckConstraint(condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                                   name="meeting_duration_5_to_480",
                                   violation_error_message=_("A meeting lasts from 5 to 480 minutes.")),
        ]

    def __str__(self) -> str:
        return str(_("Meeting settings"))


class Meeting(models.Model):
    """One meeting: the weekly one (one per department and week) or an extra one with its own invitees."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly meeting")
        EXTRA = "extra", _("Extra meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WEEKLY)
    title = models.CharField(_("title"), max_length=100)
    # The Monday of the week a weekly meeting belongs to (null for extra meetings).
    week_of = models.DateField(_("week of"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    date = models.DateField(_("date"), db_index=True)  # the local date of starts_at, for day queries
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    # The time first planned, kept when the meeting is moved ("the old time stays visible").
    planned_at = models.DateTimeField(_("first planned for"))
    change_reason = models.TextField(_("reason for the change"), blank=True)
    # Moved off a holiday by the work calendar (not by a person): moves back if the date is a workday again.
    moved_by_calendar = models.BooleanField(_("moved by the work calendar"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    invitees = models.ManyToManyField(Employee, verbose_name=_("expected"), blank=True, related_name="+")
    created_by = models.ForeignKey(Employee, verbose_name=_("called by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["department", "week_of"], condition=models.Q(kind="weekly"),
                                    name="one_weekly_meeting_per_department_week"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def was_moved(self) -> bool:
        return self.planned_at != self.starts_at


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("meeting attendance", "Present")
    LATE = "late", pgettext_lazy("meeting attendance", "Late")
    ABSENT = "absent", pgettext_lazy("meeting attendance", "Absent")
    EXCUSED = "excused", pgettext_lazy("meeting attendance", "Excused (on leave)")


class MeetingAttendance(models.Model):
    """One person's attendance at one meeting: a check-in, or the clerk's mark (who marked it is kept)."""

    class Source(models.TextChoices):
        PAGE = "page", _("Checked in on the meeting page")
        QR = "qr", _("Checked in with the room's QR code")
        CLERK = "clerk", _("Marked by the clerk")
        CLOSED = "closed", _("Recorded when the meeting day was closed")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attendance")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    marked_by = models.ForeignKey(Employee, verbose_name=_("marked by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation for being late"), blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(Employee, verbose_name=_("explanation acknowledged by"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("explanation acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "employee__employee_no"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "employee"], name="one_attendance_per_meeting_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.employee.name} {self.get_status_display()}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class Minutes(models.Model):
    """会议须准确做好会议记录: the clerk's record of one meeting; published, then readable by the department."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    meeting = models.OneToOneField(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes")
    topics = models.TextField(_("topics"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(Employee, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(Employee, verbose_name=_("last changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class MemberReport(models.Model):
    """A member's work progress and problems, as reported at the meeting (汇报各项工作进展)."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="reports")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    progress = models.TextField(_("progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)

    class Meta:
        ordering = ["employee__employee_no"]
        verbose_name = _("member report")
        verbose_name_plural = _("member reports")
        constraints = [models.UniqueConstraint(fields=["minutes", "employee"], name="one_report_per_minutes_member")]

    def __str__(self) -> str:
        return f"{self.minutes} {self.employee.name}"


class ActionItem(models.Model):
    """A decision with an owner and a due date; on publishing it becomes a work-log task."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="action_items")
    owner = models.ForeignKey(Employee, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(pgettext_lazy("action item", "action"), max_length=200)
    due_date = models.DateField(_("due date"))
    # The work-log task it became (meetings cannot import worklog: the id, through opsdept.registries).
    task_id = models.PositiveIntegerField(_("work-log task"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


class MinutesVersion(models.Model):
    """Every published state of the minutes, kept: an edit after publishing adds one with who changed what."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    saved_by = models.ForeignKey(Employee, verbose_name=_("saved by"), on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["minutes_id", "number"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="one_minutes_version_number")]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret in a person's iCalendar feed URL; resetting it makes the old URL stop working."""

    employee = models.OneToOneField(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    reset_at = models.DateTimeField(_("reset at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return self.employee.name
