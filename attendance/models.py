"""attendance: punches, the derived attendance day, corrections (补卡), overtime, HR's settings.

Policy 二、工作时间和考勤: 每天需按时打卡; 迟到、早退、旷工 are punished; 不得私自加班，加班需经上级主管批准.
"""

from datetime import datetime, timedelta
from decimal import Decimal
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from opsdept.models import DecidedRequest, Employee, RequestStatus, RoutedRequest, SingletonModel  # noqa: F401 (RequestStatus: attendance's name for it)


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
    overtime_late_days = models.PositiveSmallIntegerField(
        _("overtime filed afterwards within (days)"), default=0,
        help_text=_("0: overtime must be requested before it starts. N: it may be filed up to N days afterwards, with a reason the approver sees."),
    )
    comp_time_expiry_months = models.PositiveSmallIntegerField(
        _("comp time expires after (months)"), default=0,
        help_text=_("0: comp time never expires. N: hours earned on a rest day expire N months after that day; "
                    "expired hours leave the balance."),
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
        # The audit trail keeps this as the punch's name: the person and the local time, in words.
        return f"{self.employee.name} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

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
    BUSINESS = "business", _("On business")


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
        indexes = [
            # The night (and the whole-department pages) read one date for everyone. The (employee, date)
            # unique index cannot serve `date = …`: PostgreSQL 15 ran a Parallel Seq Scan over the whole
            # history (10k employees × 60 workdays: 177 ms, 590k rows filtered); with this index, an
            # Index Scan of that date's 10k rows (19 ms). Plans: tests/bench/nightly_explain.md.
            models.Index(fields=["date"], name="attendance_day_date"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.date} {self.get_status_display()}"

    def findings(self) -> dict[str, str]:
        """The attendance rules this day breaks, as {rule code: details}: what the nightly check flags.

        Corrections and leave resolve a flag whose code a recomputed day no longer lists.
        The details become a flag's stored text, so they are in the department's
        language whatever request recomputes the day.
        """
        return day_findings([(self.late_minutes, self.early_minutes, self.status)])[0]


def day_findings(days: list[tuple[int, int, str]]) -> list[dict[str, str]]:
    """`AttendanceDay.findings` of many (late minutes, early minutes, status), translated once for all."""
    with translation.override(settings.LANGUAGE_CODE):
        late, early = translation.gettext("Late by %(minutes)d minutes."), translation.gettext("Left %(minutes)d minutes early.")
        by_status = {DayStatus.MISSING: ("missing-punch", translation.gettext("Only one punch on this workday.")),
                     DayStatus.ABSENT: ("absent", translation.gettext("No punch and no approved leave on this workday."))}
    result = []
    for late_minutes, early_minutes, status in days:
        found = {}
        if late_minutes:
            found["late"] = late % {"minutes": late_minutes}
        if early_minutes:
            found["early-leave"] = early % {"minutes": early_minutes}
        if status in by_status:
            code, text = by_status[status]
            found[code] = text
        result.append(found)
    return result


class DayChange(models.Model):
    """A date whose stored days (`AttendanceDay`) a refresh created, changed or deleted: one row per date and refresh.

    Append-only. `refresh_attendance_days` writes it last, in the transaction that writes the days, so
    the number of a date's change rows a statement sees names exactly the committed writes of that
    date's days it sees: the version `DayTally` is keyed by.
    """

    date = models.DateField(_("date"), db_index=True)

    class Meta:
        verbose_name = _("attendance day change")
        verbose_name_plural = _("attendance day changes")

    def __str__(self) -> str:
        return f"{self.date}"


class DayTally(models.Model):
    """Everyone's stored days of one date and status (how many, their leave in days), as of `changes`.

    A derived summary, not a record: the whole-department charts (the manager's and HR's team month and
    punctuality card) read it instead of grouping every employee's rows on every page view (issue 16:
    77–90 ms a chart at 10,000 employees, a second with a year of history). `selectors.day_tallies`
    writes it when a date's `DayChange` count differs from the one its rows were computed at, and
    anyone may delete it: it is recomputed from `AttendanceDay`. Each computed date also has a row
    with status "" (no days), so a date without stored days is known to be computed. Rows of two
    counts may coexist for a moment (two readers recomputing at once each insert their own
    snapshot), hence the count in the unique key.
    """

    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, blank=True)   # "": the date's marker row
    days = models.PositiveIntegerField(_("days"), default=0)
    leave = models.DecimalField(_("leave (days)"), max_digits=9, decimal_places=1, default=Decimal("0"))
    changes = models.PositiveIntegerField(_("changes"))

    class Meta:
        verbose_name = _("attendance day tally")
        verbose_name_plural = _("attendance day tallies")
        constraints = [models.UniqueConstraint(fields=["date", "status", "changes"], name="one_day_tally_per_date_status_version")]

    def __str__(self) -> str:
        return f"{self.date} {self.status} {self.days}"


# The rule codes `AttendanceDay.findings` may name.
FLAG_CODES = ("late", "early-leave", "missing-punch", "absent")


class Correction(RoutedRequest):
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


class OvertimeCompensation(models.TextChoices):
    """How rest-day overtime is compensated (劳动法 第四十四条 二: 安排补休 or ×2 pay)."""

    PAY = "pay", _("Overtime pay")
    COMP_TIME = "comp_time", _("Comp time (调休)")


class Overtime(RoutedRequest):
    """A request to work overtime; only approved overtime counts anywhere (不得私自加班).

    It starts on `date` at `start_time`; an `end_time` at or before the start ends the next day
    (overnight). `day_kind` is fixed from the work calendar when it is filed.
    """

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="overtime_requests")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    overnight = models.BooleanField(_("ends the next day"), default=False)
    day_kind = models.CharField(_("day type"), max_length=10, default="workday",
                                choices=[("workday", _("Workday")), ("rest", _("Rest day")), ("holiday", _("Statutory holiday"))])
    compensation = models.CharField(_("compensation"), max_length=10, choices=OvertimeCompensation.choices,
                                    default=OvertimeCompensation.PAY)
    late_reason = models.TextField(_("why it is filed afterwards"), blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("overtime request")
        verbose_name_plural = _("overtime requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(start_time__lt=models.F("end_time")) | models.Q(overnight=True),
                                   name="overtime_start_before_end_or_overnight"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def hours(self) -> Decimal:
        return overtime_hours(self.start_time, self.end_time, overnight=self.overnight)

    @property
    def is_comp_time(self) -> bool:
        return self.day_kind == "rest" and self.compensation == OvertimeCompensation.COMP_TIME


def overtime_hours(start, end, *, overnight: bool = False) -> Decimal:
    """Hours from `start` to `end` (the next day when overnight), to one decimal place."""
    finish = datetime.combine(datetime.min + timedelta(days=1 if overnight else 0), end)
    minutes = (finish - datetime.combine(datetime.min, start)) // timedelta(minutes=1)
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"))


class MonthClose(models.Model):
    """HR's monthly confirmation (考勤确认) of one month: opened, reminded, locked.

    After the lock, a change to that month's days needs HR and a reason (LockedMonthChange).
    """

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    opened_by = models.ForeignKey(Employee, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    locked_by = models.ForeignKey(Employee, verbose_name=_("locked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly confirmation")
        verbose_name_plural = _("monthly confirmations")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MonthConfirmation(models.Model):
    """One employee's answer for a month: not yet, confirmed, or disputed (a day with a reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")

    close = models.ForeignKey(MonthClose, verbose_name=_("month"), on_delete=models.PROTECT, related_name="confirmations")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="month_confirmations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["close", "employee__employee_no"]
        verbose_name = _("attendance confirmation")
        verbose_name_plural = _("attendance confirmations")
        constraints = [models.UniqueConstraint(fields=["close", "employee"], name="one_confirmation_per_employee_month")]

    def __str__(self) -> str:
        return f"{self.employee} {self.close} {self.status}"


class DayDispute(models.Model):
    """An employee disputes one day of their month; the supervisor resolves it (a correction, a leave or a note)."""

    class Resolution(models.TextChoices):
        CORRECTION = "correction", _("A punch correction")
        LEAVE = "leave", _("A leave request")
        NOTE = "note", _("A note (the record stands)")

    confirmation = models.ForeignKey(MonthConfirmation, verbose_name=_("confirmation"), on_delete=models.PROTECT, related_name="disputes")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="day_disputes")
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    resolution = models.CharField(_("resolved by"), max_length=12, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(Employee, verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("attendance dispute")
        verbose_name_plural = _("attendance disputes")

    def __str__(self) -> str:
        return f"{self.employee} {self.date}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class LockedMonthChange(models.Model):
    """A change to a day of a locked month, made by HR with a reason; the export marks it."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(Employee, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("change to a locked month")
        verbose_name_plural = _("changes to locked months")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class CompTimeEntry(models.Model):
    """One line of an employee's comp-time (调休) ledger, in hours. Never edited: a reversal is a new line.

    Credits come from worked rest days (rest-day overtime taken as comp time, holiday duty); debits
    from approved 调休 leave; HR adjusts. `source_key` makes a credit or debit idempotent (one line per
    duty shift, per change of an overtime's counted hours, per leave request); a line whose key starts
    with a debit's key and a colon gives (part of) that debit back.
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
    # The day the hours were earned (the rest day worked) or are used (the first day of the 调休 leave);
    # a line written before this field existed counts from the day it was entered.
    dated = models.DateField(_("date"), null=True, blank=True)
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
