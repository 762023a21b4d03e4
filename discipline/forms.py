import uuid

from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from opsdept import bounds
from opsdept.forms import AsciiDecimalField, AsciiIntegerField, SingleLineMixin
from opsdept.pickers import EmployeeChoiceField

from .models import MONEY_KINDS, CampaignMiss, Kind, Rule
from .selectors import rules_in_policy_order


class DismissFlagForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AmountField(AsciiDecimalField):
    """Yuan with at most two decimals; the range is the rule's, checked by the service."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "0.01")


# The kind a rule's form opens on: the mildest the rule allows (a 迟到 flag opens on a verbal warning).
MILDEST_FIRST = [Kind.VERBAL_WARNING, Kind.PUBLIC_PRAISE, Kind.WRITTEN_WARNING, Kind.PUBLIC_CRITICISM, Kind.BONUS,
                 Kind.BONUS_DEDUCTION, Kind.FINE, Kind.SUSPENSION]


class RecordForm(forms.Form):
    """Issue a reward or a penalty. `token` makes a double submit create one record."""

    employee = EmployeeChoiceField(label=_("employee"), scope="discipline-record",
                                   forbid_message=_("You cannot reward or penalise yourself."))
    rule = forms.ModelChoiceField(label=_("rule"), queryset=Rule.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=pgettext_lazy("discipline", "kind"), choices=Kind.choices)
    amount = AmountField(label=_("amount ¥"), help_text=_("Only for a bonus, a bonus deduction or a fine; within the rule's range."))
    evidence = forms.CharField(label=_("evidence"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, team=None, refresh_url: str = "", me=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = team
        self.fields["employee"].forbid = me
        self.fields["rule"].queryset = rules_in_policy_order(active_only=True)
        if not self.is_bound and "token" not in self.initial:
            self.initial["token"] = uuid.uuid4()
        self.chosen_rule = self._chosen_rule()
        self._follow_the_rule()
        if refresh_url:
            # htmx: choosing a rule or a kind asks the same page for the rule's kinds, range and clause.
            for name in ("rule", "kind"):
                self.fields[name].widget.attrs.update({
                    "hx-get": refresh_url, "hx-trigger": "change", "hx-target": "#rule-fields",
                    "hx-select": "#rule-fields", "hx-swap": "outerHTML", "hx-include": "closest form",
                })

    def _chosen_rule(self) -> Rule | None:
        value = self.data.get("rule") if self.is_bound else self.initial.get("rule")
        value = getattr(value, "pk", value)
        if not str(value or "").isdigit():
            return None
        return self.fields["rule"].queryset.filter(pk=int(value)).first()

    def _follow_the_rule(self) -> None:
        """The rule decides the kinds (a 迟到 flag offers warnings, never 通报表扬) and the amount's range."""
        rule = self.chosen_rule
        if rule is None or not rule.allowed_kinds:
            return
        labels = dict(Kind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in Kind.values if kind in rule.allowed_kinds]
        if not self.is_bound and self.initial.get("kind") not in rule.allowed_kinds:
            self.initial["kind"] = next(kind for kind in MILDEST_FIRST if kind in rule.allowed_kinds)
        amount = self.fields["amount"].widget.attrs
        if rule.min_amount is not None:
            amount["min"] = f"{rule.min_amount}"
        if rule.max_amount is not None:
            amount["max"] = f"{rule.max_amount}"

    @property
    def chosen_kind(self) -> str:
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return kind if kind in Kind.values else ""

    @property
    def needs_amount(self) -> bool:
        """Whether the chosen kind carries money (a bonus, a deduction, a fine)."""
        return self.chosen_kind in MONEY_KINDS


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("reason for the appeal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AppealDecisionForm(forms.Form):
    OUTCOMES = [("upheld", _("Uphold")), ("reduced", _("Reduce the amount")), ("revoked", _("Revoke"))]
    outcome = forms.ChoiceField(label=_("decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    new_amount = AmountField(label=_("new amount ¥"), help_text=_("Only when reducing: lower than now, within the rule's range."))
    reason = forms.CharField(label=_("reason for the decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CampaignMissForm(SingleLineMixin, forms.ModelForm):
    employee = EmployeeChoiceField(label=_("project lead"), scope="discipline-campaign-miss",
                                   forbid_message=_("You cannot record a miss of your own."))

    class Meta:
        model = CampaignMiss
        fields = ["employee", "campaign", "date", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        day = self.cleaned_data["date"]
        bounds.form_validator(bounds.Kind.PAST)(day)
        return day

    def __init__(self, *args, team=None, me=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = team
        self.fields["employee"].forbid = me


class RuleConfigForm(forms.Form):
    allowed_kinds = forms.MultipleChoiceField(label=_("allowed kinds"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple)
    min_amount = AmountField(label=_("minimum ¥"))
    max_amount = AmountField(label=_("maximum ¥"))
    is_active = forms.BooleanField(label=_("active"), required=False)


class SettingsForm(forms.Form):
    appeal_window_days = AsciiIntegerField(label=_("appeal window (days)"), min_value=1, max_value=90)
    flag_review_workdays = AsciiIntegerField(label=_("workdays before an unreviewed flag goes up"), min_value=1, max_value=20)


class FlagExplanationForm(forms.Form):
    text = forms.CharField(label=_("explanation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    attachment = forms.FileField(label=_("attachment (PDF, PNG or JPEG, optional)"), required=False)


class PublishPolicyForm(SingleLineMixin, forms.Form):
    label = forms.CharField(label=_("version"), max_length=40)
    note = forms.CharField(label=_("what changed"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


