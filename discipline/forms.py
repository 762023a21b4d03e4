import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CampaignMiss, Kind, Rule
from .selectors import rules_in_policy_order


class DismissFlagForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AmountField(forms.DecimalField):
    """Yuan with at most two decimals; the range is the rule's, checked by the service."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "0.01")


class RecordForm(forms.Form):
    """Issue a reward or a penalty. `token` makes a double submit create one record."""

    employee = forms.ModelChoiceField(label=_("employee"), queryset=None)
    rule = forms.ModelChoiceField(label=_("rule"), queryset=Rule.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    amount = AmountField(label=_("amount ¥"), help_text=_("Only for a bonus, a bonus deduction or a fine; within the rule's range."))
    evidence = forms.CharField(label=_("evidence"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, team=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = team
        self.fields["employee"].label_from_instance = lambda employee: f"{employee.name} ({employee.employee_no})"
        self.fields["rule"].queryset = rules_in_policy_order(active_only=True)
        if not self.is_bound and "token" not in self.initial:
            self.initial["token"] = uuid.uuid4()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("reason for the appeal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AppealDecisionForm(forms.Form):
    OUTCOMES = [("upheld", _("Uphold")), ("reduced", _("Reduce the amount")), ("revoked", _("Revoke"))]
    outcome = forms.ChoiceField(label=_("decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    new_amount = AmountField(label=_("new amount ¥"), help_text=_("Only when reducing: lower than now, within the rule's range."))
    reason = forms.CharField(label=_("reason for the decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CampaignMissForm(forms.ModelForm):
    class Meta:
        model = CampaignMiss
        fields = ["employee", "campaign", "date", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, team=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = team
        self.fields["employee"].label_from_instance = lambda employee: f"{employee.name} ({employee.employee_no})"


class RuleConfigForm(forms.Form):
    allowed_kinds = forms.MultipleChoiceField(label=_("allowed kinds"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple)
    min_amount = AmountField(label=_("minimum ¥"))
    max_amount = AmountField(label=_("maximum ¥"))
    is_active = forms.BooleanField(label=_("active"), required=False)


class SettingsForm(forms.Form):
    appeal_window_days = forms.IntegerField(label=_("appeal window (days)"), min_value=1, max_value=90)
    flag_review_workdays = forms.IntegerField(label=_("workdays before an unreviewed flag goes up"), min_value=1, max_value=20)


class FlagExplanationForm(forms.Form):
    text = forms.CharField(label=_("explanation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    attachment = forms.FileField(label=_("attachment (PDF, PNG or JPEG, optional)"), required=False)


class PublishPolicyForm(forms.Form):
    label = forms.CharField(label=_("version"), max_length=40)
    note = forms.CharField(label=_("what changed"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RecordFilterForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("employee"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---------"), *Kind.choices], required=False)

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = people
        self.fields["employee"].label_from_instance = lambda employee: f"{employee.name} ({employee.employee_no})"
