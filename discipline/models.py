"""Rules of the 奖惩条例 and the flags raised by the nightly checks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from opsdept.models import DecidedRequest, Employee, RoutedRequest, SingletonModel


class Rule(models.Model):
    """A rule a flag or a reward/penalty cites, with the policy's ¥ range."""

    class Category(models.TextChoices):
        REWARD = "reward", _("Reward")
        PENALTY = "penalty", _("Penalty")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("policy rule number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    clause = models.CharField(_("policy clause"), max_length=40, blank=True, help_text=_("Anchor of the clause in the policy handbook."))
    allowed_kinds = models.JSONField(_("allowed kinds"), default=list, blank=True)
    min_amount = models.DecimalField(_("minimum ¥"), max_digits=10, decimal_places=2, null=True, blank=True)
    max_amount = models.DecimalField(_("maximum ¥"), max_digits=10, decimal_places=2, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number", "code"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_amount__isnull=True) | models.Q(max_amount__isnull=True)
                | models.Q(min_amount__lte=models.F("max_amount")),
                name="rule_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        from .rules import RULE_TITLES

        return str(RULE_TITLES.get(self.code, self.title))

    @property
    def clause_label(self) -> str:
        """The cited clause as a reader knows it ("部门奖惩条例第 1 条"), not its anchor."""
        from .rules import CLAUSE_NAMES

        return str(CLAUSE_NAMES.get(self.clause, self.clause))

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.allowed_kinds]

    def clean(self) -> None:
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            raise ValidationError({"max_amount": _("The maximum cannot be below the minimum.")})


class Flag(DecidedRequest):
    """A finding of a nightly check, waiting for a supervisor's review (the decision fields record it)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        DISMISSED = "dismissed", _("Dismissed")
        PENALISED = "penalised", _("Turned into a record")
        RESOLVED = "resolved", _("Resolved")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="flags")
    date = models.DateField(_("date"))
    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="flags")
    details = models.TextField(_("details"), blank=True)
    source = models.CharField(_("raised by"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    # Left unreviewed for HR's number of workdays: sent to the supervisor's supervisor.
    escalated_to = models.ForeignKey(Employee, verbose_name=_("escalated to"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "employee__employee_no"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date", "rule"], name="one_flag_per_employee_date_rule"),
        ]
        indexes = [
            # `raise_flags` reads the flags of the night's dates under a check's rules in one query. On
            # the date index alone PostgreSQL 15 fetched every flag of the date and filtered the rule
            # (40k flags on a worst 10k night: 21 ms for 10k rows, and the old per-flag lookup by the
            # unique key also took the date index, 40k rows removed by filter, 24 ms each, because the
            # night's date is not in the planner's statistics yet). With (date, rule): a Bitmap Index
            # Scan of that rule's rows (5.8 ms), and a lookup by employee, date and rule goes to the
            # unique index (0.14 ms). It still serves lookups by date alone, so it replaces the date
            # index rather than adding one. Plans: tests/bench/nightly_explain.md.
            models.Index(fields=["date", "rule"], name="discipline_flag_date_rule"),
        ]

    def __str__(self) -> str:
        return self.describe(self.employee.name, self.date, self.rule.display_title)

    @staticmethod
    def describe(name: str, day, rule_title: str) -> str:
        """How a flag reads in a list or the audit trail (`raise_flags` writes it without an instance)."""
        return f"{name} {day} {rule_title}"


def explanation_path(instance: "FlagExplanation", filename: str) -> str:
    from uuid import uuid4

    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
    return f"discipline/explanations/{uuid4().hex}{suffix.get(instance.content_type, '')}"


class FlagExplanation(models.Model):
    """The employee's explanation of a flag (情况说明), written within two workdays, shown at review."""

    flag = models.OneToOneField(Flag, verbose_name=_("flag"), on_delete=models.PROTECT, related_name="explanation")
    text = models.TextField(_("explanation"))
    file = models.FileField(_("attachment"), upload_to=explanation_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=50, blank=True)
    written_by = models.ForeignKey(Employee, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")

    def __str__(self) -> str:
        return f"{self.flag} · {self.text[:30]}"


class Kind(models.TextChoices):
    """The measures the policy names (二、部门奖惩条例 and 5. 奖励与处罚)."""

    PUBLIC_PRAISE = "praise", _("Public praise")
    BONUS = "bonus", _("Bonus")
    PUBLIC_CRITICISM = "criticism", _("Public criticism")
    BONUS_DEDUCTION = "deduction", _("Bonus deduction")
    FINE = "fine", _("Fine")
    VERBAL_WARNING = "verbal", _("Verbal warning")
    WRITTEN_WARNING = "written", _("Written warning")
    SUSPENSION = "suspension", _("Suspension")


MONEY_KINDS = frozenset({Kind.BONUS, Kind.BONUS_DEDUCTION, Kind.FINE})
PUBLIC_KINDS = frozenset({Kind.PUBLIC_PRAISE, Kind.PUBLIC_CRITICISM})


class Record(models.Model):
    """A reward or a penalty under a rule. Never edited, never deleted.

    A correction is a new record that `reverses` the original: it carries the
    original's amount negated (so sums of `amount` stay right) and the
    original's `effective_on` (so the month and year totals move with it).
    """

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="discipline_records")
    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount ¥"), max_digits=10, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    issued_by = models.ForeignKey(Employee, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)
    effective_on = models.DateField(_("effective date"), db_index=True)
    source_flag = models.OneToOneField(
        Flag, verbose_name=_("flag"), null=True, blank=True, on_delete=models.PROTECT, related_name="record",
    )
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal",
    )
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="replacements",
        help_text=_("The record this one replaces after an appeal reduced it."),
    )
    token = models.UUIDField(_("submission token"), unique=True, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("reward or penalty")
        verbose_name_plural = _("rewards and penalties")
        constraints = [
            # An original carries a positive amount (or none); its reversal the same amount negated.
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True)
                | models.Q(reverses__isnull=True, amount__gt=0)
                | models.Q(reverses__isnull=False, amount__lt=0),
                name="record_amount_sign_matches_reversal",
            ),
        ]

    def __str__(self) -> str:
        amount = f" ¥{self.amount}" if self.amount is not None else ""
        return f"{self.employee.name} {self.get_kind_display()}{amount}"


class CampaignMiss(models.Model):
    """A campaign that missed its expected effect (rule 2 needs more than three per project lead)."""

    employee = models.ForeignKey(Employee, verbose_name=_("project lead"), on_delete=models.PROTECT, related_name="campaign_misses")
    campaign = models.CharField(_("campaign"), max_length=200)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(Employee, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    penalised_by = models.ForeignKey(
        Record, verbose_name=_("penalised by"), null=True, blank=True, on_delete=models.PROTECT, related_name="campaign_misses",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("campaign miss")
        verbose_name_plural = _("campaign misses")

    def __str__(self) -> str:
        return f"{self.employee.name} {self.campaign} {self.date}"


class DisciplineSettings(SingletonModel):
    """HR's settings for this chapter: one row."""

    appeal_window_days = models.PositiveSmallIntegerField(
        _("appeal window (days)"), default=7,
        help_text=_("How many days after a record its employee may appeal."),
    )
    flag_review_workdays = models.PositiveSmallIntegerField(
        _("workdays before an unreviewed flag goes up"), default=3,
        help_text=_("A flag its supervisor has not reviewed after this many workdays goes to their supervisor."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("discipline settings")
        verbose_name_plural = _("discipline settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(appeal_window_days__gte=1), name="appeal_window_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)



class Appeal(RoutedRequest):
    """An employee's appeal (申诉) against a record, decided by the manager."""

    ROUTE = "appeal"  # decided by the manager, the manager's own by HR (permissions.usual_approver)

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("appeal", "Pending")
        UPHELD = "upheld", _("Upheld")
        REDUCED = "reduced", _("Reduced")
        REVOKED = "revoked", _("Revoked")

    record = models.OneToOneField(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="appeal")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("reason"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    new_amount = models.DecimalField(_("new amount ¥"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.employee.name} · {self.record}"


class PolicyVersion(models.Model):
    """A published version of the policy handbook that everyone acknowledges (签收)."""

    label = models.CharField(_("version"), max_length=40, unique=True)
    note = models.TextField(_("what changed"), blank=True)
    text_sha256 = models.CharField(_("text fingerprint"), max_length=64)
    published_by = models.ForeignKey(Employee, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        return self.label

    @classmethod
    def current(cls) -> "PolicyVersion | None":
        return cls.objects.order_by("-published_at", "-id").first()


class PolicyAcknowledgement(models.Model):
    version = models.ForeignKey(PolicyVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="acknowledgements")
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="policy_acknowledgements")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="one_acknowledgement_per_version_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.version.label}"
