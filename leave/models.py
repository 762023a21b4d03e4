"""Leave: types, requests (half-day granularity), attachments, annual-leave adjustments, settings.

Policy (一、考勤制度 2): 请假需提前至少一天向部门主管提出请假申请，并说明请假原因以及预计的请假时间。
在主管批准后，方可请假; 请假必须有请假条 … 请假条必须有上级签字方可生效; 特许情况 … 通过电话或是
短信跟上级请假，会后及时补交假条.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opsdept.models import Employee, RequestStatus, RoutedRequest, SingletonModel

# 调休 draws on the comp-time ledger (attendance.comptime): earned hours only, never below zero.
COMP_TIME_CODE = "compensatory"


class LeaveType(models.Model):
    """A kind of leave HR manages (事假, 病假, 年假 …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    is_paid = models.BooleanField(_("paid"), default=False)
    requires_attachment = models.BooleanField(
        _("attachment required"), default=False, help_text=_("For example a sick note for sick leave."),
    )
    deducts_annual_balance = models.BooleanField(
        _("deducts the annual-leave balance"), default=False,
        help_text=_("Only paid annual leave (年假) under the Regulations on Paid Annual Leave."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and not (translation.get_language() or "zh-hans").startswith("zh"):
            return self.name_en
        return self.name


class Half(models.TextChoices):
    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")


class LeaveRequest(RoutedRequest):
    Status = RequestStatus

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        SMS = "sms", _("SMS")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="leave_requests")
    leave_type = models.ForeignKey(LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT, related_name="requests")
    start_date = models.DateField(_("start date"))
    start_half = models.CharField(_("starting"), max_length=2, choices=Half.choices, default=Half.MORNING)
    end_date = models.DateField(_("end date"))
    end_half = models.CharField(_("ending"), max_length=2, choices=Half.choices, default=Half.AFTERNOON)
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        Employee, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+",
    )
    cancelled_by = models.ForeignKey(
        Employee, verbose_name=_("cancelled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    ended_early_by = models.ForeignKey(
        Employee, verbose_name=_("ended early by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    ended_early_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    # 特许情况: leave granted by phone or SMS, recorded by the supervisor; the written slip follows.
    is_emergency = models.BooleanField(_("emergency leave"), default=False)
    granted_via = models.CharField(_("granted by"), max_length=10, choices=Channel.choices, blank=True)
    slip_due = models.DateField(_("written request due"), null=True, blank=True)
    slip_submitted_at = models.DateTimeField(_("written request handed in"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        indexes = [models.Index(fields=["employee", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")) | (
                    Q(end_date=F("start_date")) & ~Q(start_half=Half.AFTERNOON, end_half=Half.MORNING)
                ),
                name="leave_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="leave_covers_some_time"),
            models.CheckConstraint(
                condition=Q(is_emergency=False) | Q(slip_due__isnull=False), name="emergency_leave_has_slip_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.leave_type.display_name} {self.start_date}–{self.end_date}"


def attachment_path(instance: "LeaveAttachment", filename: str) -> str:
    # The stored name never reuses the uploader's: no path tricks, no guessable URLs (served by a view anyway).
    from uuid import uuid4

    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
    return f"leave/attachments/{uuid4().hex}{suffix.get(instance.content_type, '')}"


class LeaveAttachment(models.Model):
    """A supporting document (a sick note): PDF or image, served only through a permission-checked view."""

    request = models.ForeignKey(LeaveRequest, verbose_name=_("leave request"), on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(Employee, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AnnualLeaveAdjustment(models.Model):
    """HR's correction of one employee's annual-leave balance for one year (never edited; add another)."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="annual_leave_adjustments")
    year = models.PositiveSmallIntegerField(_("year"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1, help_text=_("Positive adds days, negative removes them."))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(Employee, verbose_name=_("adjusted by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("adjusted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("annual-leave adjustment")
        verbose_name_plural = _("annual-leave adjustments")
        constraints = [models.CheckConstraint(condition=~Q(days=0), name="adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.year} {self.days:+}"


class LeaveSettings(SingletonModel):
    """HR's settings for the chapter: one row."""

    emergency_slip_workdays = models.PositiveSmallIntegerField(
        _("workdays to hand in the written request after emergency leave"), default=2,
    )
    max_attachment_mb = models.PositiveSmallIntegerField(_("largest attachment (MB)"), default=5)

    class Meta:
        verbose_name = _("leave settings")
        verbose_name_plural = _("leave settings")

    def __str__(self) -> str:
        return str(_("leave settings"))

    @property
    def max_attachment_bytes(self) -> int:
        return self.max_attachment_mb * 1024 * 1024



class BusinessTrip(RoutedRequest):
    """外出 / 出差: working away from the office, approved by the supervisor like leave (half-day granularity).

    An approved one makes the days it covers "on business" in attendance (counted as attended, no
    punch needed) through the "business" day provider.
    """

    class Kind(models.TextChoices):
        OUTING = "outing", _("Working offsite (外出)")
        TRIP = "trip", _("Business trip (出差)")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="business_trips")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TRIP)
    start_date = models.DateField(_("start date"))
    start_half = models.CharField(_("starting"), max_length=2, choices=Half.choices, default=Half.MORNING)
    end_date = models.DateField(_("end date"))
    end_half = models.CharField(_("ending"), max_length=2, choices=Half.choices, default=Half.AFTERNOON)
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    destination = models.CharField(_("destination"), max_length=100)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("business trip")
        verbose_name_plural = _("business trips")
        indexes = [models.Index(fields=["employee", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")) | (
                    Q(end_date=F("start_date")) & ~Q(start_half=Half.AFTERNOON, end_half=Half.MORNING)
                ),
                name="trip_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="trip_covers_some_time"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.get_kind_display()} {self.start_date}–{self.end_date}"
