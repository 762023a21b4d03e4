"""Rules of the 奖惩条例 and the flags raised by the nightly checks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsdept.models import Employee


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

    def clean(self) -> None:
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            raise ValidationError({"max_amount": _("The maximum cannot be below the minimum.")})


class Flag(models.Model):
    """A finding of a nightly check, waiting for a supervisor's review."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        PENALISED = "penalised", _("Turned into a record")
        RESOLVED = "resolved", _("Resolved")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="flags")
    date = models.DateField(_("date"), db_index=True)
    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="flags")
    details = models.TextField(_("details"), blank=True)
    source = models.CharField(_("raised by"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-date", "employee__employee_no"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date", "rule"], name="one_flag_per_employee_date_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.date} {self.rule.display_title}"
