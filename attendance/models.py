"""attendance: punches, the derived attendance day, corrections (补卡), overtime, HR's settings.

Policy 二、工作时间和考勤: 每天需按时打卡; 迟到、早退、旷工 are punished; 不得私自加班，加班需经上级主管批准.
"""

from datetime import datetime, timedelta
from decimal import Decimal
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opsdept.models import DecidedRequest, Employee, RequestStatus, SingletonModel  # noqa: F401 (RequestStatus: attendance's name for it)


class AttendanceSettings(SingletonModel):
    """HR's attendance settings: one row."""

    office_networks = models.TextField(
        _("office networks"), blank=True,
        help_text=_("One network per line in CIDR form (e.g. 10.1.0.0/16). Leave empty to allow punching from anywhere."),
    )
    correction_monthly_limit = models.PositiveSmallIntegerField(
        _("corrections per employee per month"), default=3,
        help_text=_("How many missed-punch corrections one employee may ask for in one month."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance settings")
        verbose_name_plural = _("attendance settings")

    def __str__(self) -> str:
        return str(_("Attendance settings"))

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(line.strip(), strict=False) for line in self.office_networks.splitlines() if line.strip()]

    def clean(self) -> None:
        for line in self.office_networks.splitlines():
            if not line.strip():
                continue
            try:
                ipaddress.ip_network(line.strip(), strict=False)
            except ValueError:
                raise ValidationError({"office_networks": _("%(value)s is not a network in CIDR form.") % {"value": line.strip()}})



class Punch(models.Model):
    """One clock event. Never edited, never deleted: a correction is a new punch."""

    class Source(models.TextChoices):
        WEB = "web", _("Browser")
        IMPORT = "import", _("Attendance machine")
        CORRECTION = "correction", _("Approved correction")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="punches")
    at = models.DateTimeField(_("time"))
    # The Asia/Shanghai date of `at`, fixed when the punch is written, so that a punch at
    # 00:30 or 23:59 belongs to its local day whatever timezone the server or database runs in.
    local_date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.WEB)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    correction = models.OneToOneField(
        "Correction", verbose_name=_("correction"), null=True, blank=True, on_delete=models.PROTECT, related_name="punch",
    )
    created_by = models.ForeignKey(Employee, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("punch")
        verbose_name_plural = _("punches")
        indexes = [models.Index(fields=["employee", "local_date"]), models.Index(fields=["local_date"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Punches are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Punches are never deleted.")


class DayStatus(models.TextChoices):
    NORMAL = "normal", _("Normal")
    LATE = "late", _("Late arrival")
    EARLY = "early", _("Early leave")
    LATE_EARLY = "late_early", _("Late and early leave")
    MISSING = "missing", _("Missing punch")
    ABSENT = "absent", _("Absent")
    ON_LEAVE = "leave", _("On leave")


class AttendanceDay(models.Model):
    """One employee's workday, derived from punches, the calendar, leave and corrections (recomputed, never typed in)."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="attendance_days")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=DayStatus.choices)
    first_in = models.DateTimeField(_("in"), null=True, blank=True)
    last_out = models.DateTimeField(_("out"), null=True, blank=True)
    punch_count = models.PositiveSmallIntegerField(_("punches"), default=0)
    late_minutes = models.PositiveIntegerField(_("late minutes"), default=0)
    early_minutes = models.PositiveIntegerField(_("early-leave minutes"), default=0)
    leave_fraction = models.DecimalField(_("leave (days)"), max_digits=3, decimal_places=1, default=Decimal("0"))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "employee_id"]
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="one_attendance_day_per_employee_date")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"

    def findings(self) -> dict[str, str]:
        """The attendance rules this day breaks, as {rule code: details}: what the nightly check flags.

        Corrections and leave resolve a flag whose code a recomputed day no longer lists.
        The details become a flag's stored text, so they are in the department's
        language whatever request recomputes the day.
        """
        found = {}
        with translation.override(settings.LANGUAGE_CODE):
            if self.late_minutes:
                found["late"] = translation.gettext("Late by %(minutes)d minutes.") % {"minutes": self.late_minutes}
            if self.early_minutes:
                found["early-leave"] = translation.gettext("Left %(minutes)d minutes early.") % {"minutes": self.early_minutes}
            if self.status == DayStatus.MISSING:
                found["missing-punch"] = translation.gettext("Only one punch on this workday.")
            if self.status == DayStatus.ABSENT:
                found["absent"] = translation.gettext("No punch and no approved leave on this workday.")
        return found


# The rule codes `AttendanceDay.findings` may name.
FLAG_CODES = ("late", "early-leave", "missing-punch", "absent")


class Correction(DecidedRequest):
    """A request to add a missed punch (补卡), decided by the supervisor."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="corrections")
    date = models.DateField(_("date"))
    time = models.TimeField(_("punch time"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("punch correction")
        verbose_name_plural = _("punch corrections")

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.time:%H:%M}"


class Overtime(DecidedRequest):
    """A request to work overtime; only approved overtime counts anywhere (不得私自加班)."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="overtime_requests")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("overtime request")
        verbose_name_plural = _("overtime requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(start_time__lt=models.F("end_time")), name="overtime_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def hours(self) -> Decimal:
        return overtime_hours(self.start_time, self.end_time)


def overtime_hours(start, end) -> Decimal:
    """Hours between two times of one day, to one decimal place."""
    minutes = (datetime.combine(datetime.min, end) - datetime.combine(datetime.min, start)) // timedelta(minutes=1)
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"))


class CompTimeEntry(models.Model):
    """One line of an employee's comp-time (调休) ledger, in hours. Never edited: a reversal is a new line.

    Credits come from worked rest days (holiday duty); debits from approved 调休 leave; HR adjusts.
    `source_key` makes a credit or debit idempotent (one line per duty shift, per leave request).
    """

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit")
        DEBIT = "debit", _("Debit")
        ADJUSTMENT = "adjustment", _("Adjustment")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="comp_time_entries")
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2,
                                help_text=_("Positive adds comp time, negative uses it."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=200)
    source_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_by = models.ForeignKey(Employee, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comp-time entry")
        verbose_name_plural = _("comp-time entries")
        constraints = [
            models.CheckConstraint(condition=~models.Q(hours=0), name="comp_time_entry_not_zero"),
            models.CheckConstraint(condition=~models.Q(kind="credit") | models.Q(hours__gt=0), name="comp_time_credit_positive"),
            models.CheckConstraint(condition=~models.Q(kind="debit") | models.Q(hours__lt=0), name="comp_time_debit_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.hours:+} {self.source}"
