"""duty: holiday duty (节假日值班制度) — periods, rosters, shifts, swaps and the duty log.

Policy 节假日值班制度: 值班负责人需做好节假日网站正常运营一切事宜，值班实行责任制; 值班期间应积极友好地
与部门成员和兄弟部门成员保持通信交流; 第五条: 不得擅自调休 (a shift changes hands only through an
approved swap, and the roster keeps who held it before).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opsdept.models import DecidedRequest, Employee


class DutyPeriod(models.Model):
    """A run of days that needs duty: a holiday from the work calendar, or one HR declared (双十一).

    HR decides per period whether a worked duty shift earns comp time (调休) or is paid as
    holiday overtime, and the pay rate (法定节假日 300%).
    """

    class Compensation(models.TextChoices):
        COMP_TIME = "comp_time", _("Comp time (调休)")
        PAY = "pay", _("Overtime pay")

    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    is_declared = models.BooleanField(_("declared by HR"), default=False,
                                      help_text=_("A duty period HR declared; it may include workdays."))
    compensation = models.CharField(_("compensation"), max_length=10, choices=Compensation.choices,
                                    default=Compensation.COMP_TIME)
    pay_rate = models.DecimalField(_("pay rate"), max_digits=3, decimal_places=1, default=Decimal("3.0"),
                                   help_text=_("Times the normal wage, when duty is paid (statutory holidays: 3)."))
    created_by = models.ForeignKey(Employee, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("duty period")
        verbose_name_plural = _("duty periods")
        constraints = [
            models.UniqueConstraint(fields=["start_date", "end_date"], name="duty_period_unique_dates"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="duty_period_ends_after_start"),
            models.CheckConstraint(condition=Q(pay_rate__gte=1), name="duty_period_rate_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> list:
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]


class DutyRoster(models.Model):
    """One supervisor's roster for a period, covering their reporting tree (the manager's: everyone)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    period = models.ForeignKey(DutyPeriod, verbose_name=_("duty period"), on_delete=models.PROTECT, related_name="rosters")
    owner = models.ForeignKey(Employee, verbose_name=_("arranged by"), on_delete=models.PROTECT, related_name="duty_rosters")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(Employee, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["period__start_date", "id"]
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        constraints = [models.UniqueConstraint(fields=["period", "owner"], name="duty_roster_one_per_owner")]

    def __str__(self) -> str:
        return f"{self.period.name} · {self.owner.name}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class DutyDay(models.Model):
    """One date of a roster, with its one 值班负责人 (responsible person)."""

    roster = models.ForeignKey(DutyRoster, verbose_name=_("duty roster"), on_delete=models.PROTECT, related_name="days")
    date = models.DateField(_("date"))
    responsible = models.ForeignKey(Employee, verbose_name=_("person in charge"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date"]
        verbose_name = _("duty day")
        verbose_name_plural = _("duty days")
        constraints = [models.UniqueConstraint(fields=["roster", "date"], name="duty_day_unique_date")]

    def __str__(self) -> str:
        return f"{self.roster.period.name} {self.date}"


class DutyShift(models.Model):
    """A stretch of one duty day (default one all-day shift)."""

    day = models.ForeignKey(DutyDay, verbose_name=_("duty day"), on_delete=models.PROTECT, related_name="shifts")
    start_time = models.TimeField(_("from"), default=time(9, 0))
    end_time = models.TimeField(_("until"), default=time(18, 0))

    class Meta:
        ordering = ["day__date", "start_time", "id"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="duty_shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.day.date} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def hours(self) -> Decimal:
        span = datetime.combine(self.day.date, self.end_time) - datetime.combine(self.day.date, self.start_time)
        return (Decimal(span // timedelta(minutes=1)) / 60).quantize(Decimal("0.01"))

    def start_moment(self) -> datetime:
        return datetime.combine(self.day.date, self.start_time)

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A shift must end after it starts.")})


class DutyAssignment(models.Model):
    """Who holds a shift, with the contact phone for it. A swap ends one and starts another (history kept)."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("duty shift"), on_delete=models.PROTECT, related_name="assignments")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="duty_assignments")
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    via_swap = models.ForeignKey("DutySwap", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["shift__day__date", "shift__start_time", "id"]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        constraints = [
            models.UniqueConstraint(fields=["shift", "employee"], condition=Q(is_active=True),
                                    name="duty_assignment_once_per_shift"),
        ]

    def __str__(self) -> str:
        return f"{self.shift} {self.employee.name}"


class DutySwap(DecidedRequest):
    """A request to hand a shift to a colleague: the colleague accepts, then the supervisor approves.

    pending + accepted_at empty: waiting for the colleague; pending + accepted_at: waiting for
    the supervisor; approved: the roster changed; rejected: declined by the colleague or the
    supervisor; cancelled: withdrawn by either side before approval.
    """

    assignment = models.ForeignKey(DutyAssignment, verbose_name=_("duty shift"), on_delete=models.PROTECT, related_name="swaps")
    requester = models.ForeignKey(Employee, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="duty_swaps_asked")
    colleague = models.ForeignKey(Employee, verbose_name=_("colleague"), on_delete=models.PROTECT, related_name="duty_swaps_offered")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(Employee, verbose_name=_("withdrawn by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("duty swap")
        verbose_name_plural = _("duty swaps")
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("colleague")), name="duty_swap_not_with_oneself"),
            models.UniqueConstraint(fields=["assignment"], condition=Q(status="pending"), name="duty_swap_one_open_per_shift"),
        ]

    def __str__(self) -> str:
        return f"{self.requester.name} → {self.colleague.name} {self.assignment.shift}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def stage_label(self) -> str:
        if self.is_pending:
            return str(_("Waiting for the supervisor") if self.is_accepted else _("Waiting for the colleague"))
        if self.status == "rejected" and self.decided_by_id == self.colleague_id and not self.is_accepted:
            return str(_("Declined by the colleague"))
        return self.get_status_display()


class DutyLog(models.Model):
    """The responsible person's log of one duty day (值班实行责任制; 保持通信交流)."""

    day = models.OneToOneField(DutyDay, verbose_name=_("duty day"), on_delete=models.PROTECT, related_name="log")
    author = models.ForeignKey(Employee, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+")
    checked = models.TextField(_("what was checked"))
    incidents = models.TextField(_("incidents and how they were resolved"), blank=True)
    contacts = models.TextField(_("whom you contacted"), blank=True)
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["-day__date"]
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")

    def __str__(self) -> str:
        return f"{self.day} {self.author.name}"
