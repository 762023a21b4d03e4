"""The department itself: people, the work schedule and calendar, the audit trail."""

from datetime import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class SingletonModel(models.Model):
    """A table of settings that holds one row, created with its defaults on first use."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls) -> "SingletonModel":
        """The row, read once per web request (opsdept.memo); each caller gets its own copy to change."""
        import copy

        from . import memo

        return copy.copy(memo.remembered(("singleton", cls._meta.label), cls._read_current))

    @classmethod
    def _read_current(cls) -> "SingletonModel":
        found = cls.objects.order_by("pk").first()
        return found or cls.objects.create()


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A member of the department, linked to one login."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        SUPERVISOR = "supervisor", _("Supervisor")
        HR = "hr", _("HR")
        MANAGER = "manager", _("Manager")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee"
    )
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="employees"
    )
    title = models.CharField(_("title"), max_length=50, blank=True)
    supervisor = models.ForeignKey(
        "self", verbose_name=_("direct supervisor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reports",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_meeting_clerk = models.BooleanField(_("meeting clerk"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hire_date = models.DateField(_("hire date"))
    work_start_date = models.DateField(
        _("cumulative work start date"),
        help_text=_("When the employee first started working anywhere; counts for annual leave."),
    )
    leave_date = models.DateField(
        _("leave date"), null=True, blank=True,
        help_text=_("The last day of employment. Days after it are not counted; the months up to it keep the employee."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("id")), name="employee_not_own_supervisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    def clean(self) -> None:
        if self.work_start_date and self.hire_date and self.work_start_date > self.hire_date:
            raise ValidationError(
                {"work_start_date": _("The cumulative work start date cannot be after the hire date.")}
            )
        if self.leave_date and self.hire_date and self.leave_date < self.hire_date:
            raise ValidationError({"leave_date": _("The leave date cannot be before the hire date.")})
        ancestor = self.supervisor
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"supervisor": _("This would make a reporting loop.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.supervisor

    @property
    def is_hr(self) -> bool:
        return self.role == self.Role.HR

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_supervisor(self) -> bool:
        return self.role in (self.Role.SUPERVISOR, self.Role.MANAGER)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class DecidedRequest(models.Model):
    """What every request a supervisor decides has: its status, who decided, when and why.

    Corrections, overtime, leave, appeals, flags (reviewed rather than decided) and the
    later chapters' requests (swaps, business trips) inherit it, so the decision note has
    one name and "who decided" is an Employee. A model with other states overrides `status`.
    """

    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(Employee, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class RoutedRequest(DecidedRequest):
    """A decided request that never gets stuck: a deputy may decide it, and it escalates.

    Leave, business trips, corrections, overtime and appeals inherit it; each registers in
    `registries.escalations`, and `opsdept.approvals.escalate_stuck_requests` moves the stuck ones.
    """

    # 代理审批: the approver the decider stood in for (as their deputy, or after escalation).
    decided_for = models.ForeignKey(
        Employee, verbose_name=_("decided for"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    # A request left pending at its start, or too long, goes one level up.
    escalated_to = models.ForeignKey(
        Employee, verbose_name=_("escalated to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        abstract = True


class WorkSchedule(SingletonModel):
    """The policy's working hours (二、工作时间): one row, HR-editable."""

    start_time = models.TimeField(_("start of work"), default=time(9, 0))
    end_time = models.TimeField(_("end of work"), default=time(18, 0))
    lunch_start = models.TimeField(_("lunch starts"), default=time(12, 0))
    lunch_end = models.TimeField(_("lunch ends"), default=time(13, 0))
    grace_minutes = models.PositiveSmallIntegerField(_("grace minutes"), default=0)
    go_live_date = models.DateField(
        _("go-live date"), null=True, blank=True,
        help_text=_("The first day the department tracks attendance and reports in opsdept. Nothing before it counts as absent or missing."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work schedule")
        verbose_name_plural = _("work schedule")
        constraints = [
            models.CheckConstraint(condition=models.Q(start_time__lt=models.F("end_time")), name="schedule_start_before_end"),
            models.CheckConstraint(condition=models.Q(lunch_start__lt=models.F("lunch_end")), name="schedule_lunch_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self) -> None:
        errors = {}
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            errors["end_time"] = _("Work must end after it starts.")
        if self.lunch_start and self.lunch_end and self.lunch_start >= self.lunch_end:
            errors["lunch_end"] = _("Lunch must end after it starts.")
        elif self.lunch_start and self.start_time and self.end_time and not (
            self.start_time <= self.lunch_start and self.lunch_end <= self.end_time
        ):
            errors["lunch_start"] = _("Lunch must lie within working hours.")
        if errors:
            raise ValidationError(errors)


class CalendarOverride(models.Model):
    """HR's word on one date, above what chinese-calendar says."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Workday (make-up workday)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_by = models.ForeignKey(Employee, verbose_name=_("set by"), null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class AuditEvent(models.Model):
    """Who did what to which object and when. Never edited, never deleted."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Audit events are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are never deleted.")


class NightlyRun(models.Model):
    """One attempt at one night's checks (the run log). A rerun is a new row; nothing is overwritten.

    A night (a date) is done when one of its attempts is DONE: every registered check has
    finished for that date, in this attempt or an earlier one (a resumed attempt runs only
    the checks that had not finished).
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("nightly run", "Not run yet")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        PARTIAL = "partial", _("Partly done")
        WAITING = "waiting", _("Waiting for the calendar")

    date = models.DateField(_("night of"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    trigger = models.CharField(_("started by"), max_length=30, blank=True)
    holder = models.CharField(_("process"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # {check name: flags raised} of the checks this attempt finished.
    summary = models.JSONField(_("flags raised per check"), default=dict, blank=True)
    # {check name: {"status": "done"|"failed", "flags": n, "error": text, "started": iso, "finished": iso}}
    checks = models.JSONField(_("checks"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("nightly run")
        verbose_name_plural = _("nightly runs")

    def __str__(self) -> str:
        return f"{self.date} {self.status}"

    @property
    def flags_raised(self) -> int:
        return sum(int(count) for count in self.summary.values())


class CalendarYear(models.Model):
    """HR's confirmation that a year's holidays and make-up workdays are entered (for a year
    chinese-calendar does not know): its nights may run on the work calendar as it stands."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_by = models.ForeignKey(Employee, verbose_name=_("confirmed by"), null=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        ordering = ["year"]
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")

    def __str__(self) -> str:
        return str(self.year)


class AlertSent(models.Model):
    """An operations alert already sent, by key, so that HR hears of each problem once."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """A message to one employee in the app (and by email): a new request, a decision…"""

    recipient = models.ForeignKey(Employee, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="notifications")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # What the notification is about ("leave:42", "appeal:7"): acting on it marks every copy read.
    key = models.CharField(_("subject key"), max_length=100, blank=True, db_index=True)
    # The same notification in the site's other languages: {"en": [subject, body]} (subject and body
    # above are the department's language). Empty for rows older than issue 12: they show as stored.
    texts = models.JSONField(_("in other languages"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    def in_language(self, language: str | None) -> tuple[str, str]:
        """(subject, body) in `language`, else as stored (the department's language)."""
        found = (self.texts or {}).get(language or "")
        if isinstance(found, list) and len(found) == 2:
            return found[0], found[1]
        return self.subject, self.body

    @property
    def shown_subject(self) -> str:
        """The subject in the reader's language (the language active for this request)."""
        return self.in_language(translation.get_language())[0]

    @property
    def shown_body(self) -> str:
        return self.in_language(translation.get_language())[1]


class Deputy(models.Model):
    """代理审批人: while `principal` is away (start–end), `deputy` decides the requests that go to them."""

    principal = models.ForeignKey(Employee, verbose_name=_("approver away"), on_delete=models.PROTECT, related_name="deputies_named")
    deputy = models.ForeignKey(Employee, verbose_name=_("deputy approver"), on_delete=models.PROTECT, related_name="deputising")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(Employee, verbose_name=_("named by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("named at"), auto_now_add=True)
    cancelled_by = models.ForeignKey(Employee, verbose_name=_("cancelled by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("deputy approver")
        verbose_name_plural = _("deputy approvers")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="deputy_ends_after_start"),
            models.CheckConstraint(condition=~models.Q(deputy=models.F("principal")), name="deputy_not_principal"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy.name} → {self.principal.name} {self.start_date}–{self.end_date}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class ApprovalSettings(SingletonModel):
    """HR's settings for who decides when nobody above can: one row."""

    top_approver = models.ForeignKey(
        Employee, verbose_name=_("decides the manager's requests and appeals"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty: HR decides them."),
    )
    escalate_after_workdays = models.PositiveSmallIntegerField(
        _("workdays before a pending request escalates"), default=2,
    )

    class Meta:
        verbose_name = _("approval settings")
        verbose_name_plural = _("approval settings")

    def __str__(self) -> str:
        return str(_("approval settings"))


class ReminderDefault(models.Model):
    """HR's default for one kind of reminder (on or off) for everyone who has not chosen."""

    kind = models.CharField(_("reminder"), max_length=50, unique=True)
    enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("reminder default")
        verbose_name_plural = _("reminder defaults")

    def __str__(self) -> str:
        return f"{self.kind} {self.enabled}"


class ReminderPreference(models.Model):
    """One person's choice for one kind of reminder, above HR's default."""

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="reminder_preferences")
    kind = models.CharField(_("reminder"), max_length=50)
    enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")
        constraints = [models.UniqueConstraint(fields=["employee", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.kind} {self.enabled}"


class SentReminder(models.Model):
    """A reminder that went out: its unique key makes sure the same reminder never goes twice."""

    key = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=50)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.key


class ChatWebhook(models.Model):
    """A team's group robot: 企业微信群机器人 (WeCom) or 钉钉自定义机器人 (DingTalk), fed the events HR chose."""

    class Vendor(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk custom robot")

    name = models.CharField(_("name"), max_length=60)
    vendor = models.CharField(_("app"), max_length=10, choices=Vendor.choices)
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("DingTalk's 加签 secret (SEC…); leave empty for WeCom."))
    events = models.JSONField(_("events"), default=list, blank=True)
    include_personal_data = models.BooleanField(
        _("names in messages"), default=False,
        help_text=_("Off: group messages say how many, never who."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(Employee, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_vendor_display()})"


class WebhookDelivery(models.Model):
    """One message to a group robot and how it went (HR sees the last ones)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(ChatWebhook, verbose_name=_("group robot"), on_delete=models.PROTECT, related_name="deliveries")
    event = models.CharField(_("event"), max_length=60)
    text = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response = models.CharField(_("answer"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.webhook} {self.event} {self.status}"


class MailPreference(models.Model):
    """How one employee wants e-mail: the language of the mail's frame and the kinds they unsubscribed from."""

    employee = models.OneToOneField(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="mail_preference")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    unsubscribed = models.JSONField(_("unsubscribed kinds"), default=list, blank=True)

    class Meta:
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")

    def __str__(self) -> str:
        return f"{self.employee.name} {self.language}"


class OutboxMessage(models.Model):
    """Something a request must send later (a group-robot message, an e-mail, a task), written in the
    request's own transaction and delivered by a worker (`opsdept.outbox`): a dead broker at request
    time delays it, never loses it."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("Group robot message")
        MAIL = "mail", _("E-mail")
        TASK = "task", _("Background task")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Not before this time (a retry's backoff); the sweep picks up what is due.
    available_at = models.DateTimeField(_("due at"), default=timezone.now)
    # A worker that claimed the message owns it until then; after that (it died) the sweep takes it back.
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"
