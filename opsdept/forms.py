from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .audit import Action
from .models import CalendarOverride, Employee, WorkSchedule


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "employee_no", "name", "department", "title", "supervisor", "role", "is_meeting_clerk",
            "phone", "email", "hire_date", "work_start_date",
        ]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "work_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        supervisors = Employee.objects.filter(is_active=True)
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors


class NewEmployeeForm(EmployeeForm):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput, min_length=8)

    class Meta(EmployeeForm.Meta):
        fields = ["username", "password", *EmployeeForm.Meta.fields]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("That username is taken."))
        return username


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = WorkSchedule
        fields = ["start_time", "end_time", "lunch_start", "lunch_end", "grace_minutes"]
        widgets = {name: forms.TimeInput(attrs={"type": "time"}, format="%H:%M") for name in ["start_time", "end_time", "lunch_start", "lunch_end"]}


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("kind"), choices=CalendarOverride.Kind.choices)
    note = forms.CharField(label=_("note"), max_length=100, required=False)

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return day


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("action"), required=False, choices=[("", "---------"), *Action.choices])
    actor = forms.CharField(label=_("actor"), required=False)
    start = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data


# ---------------------------------------------------------------- approvals and reminders

class DeputyForm(forms.Form):
    """Name a deputy approver (代理审批人) for the dates one is away."""

    principal = forms.ModelChoiceField(label=_("approver away"), queryset=Employee.objects.none(), required=False)
    deputy = forms.ModelChoiceField(label=_("deputy approver"), queryset=Employee.objects.none())
    start_date = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("until"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, may_choose_principal: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        deciders = Employee.objects.filter(is_active=True, role__in=[Employee.Role.SUPERVISOR, Employee.Role.MANAGER])
        self.fields["deputy"].queryset = deciders
        if may_choose_principal:
            self.fields["principal"].queryset = deciders
        else:
            del self.fields["principal"]


class ApprovalSettingsForm(forms.Form):
    top_approver = forms.ModelChoiceField(
        label=_("decides the manager's requests and appeals"), required=False,
        queryset=Employee.objects.filter(is_active=True).exclude(role=Employee.Role.MANAGER),
        help_text=_("Empty: HR decides them."),
    )
    escalate_after_workdays = forms.IntegerField(label=_("workdays before a pending request escalates"),
                                                 min_value=1, max_value=20)


class ReminderChoiceForm(forms.Form):
    kind = forms.CharField(max_length=50)
    enabled = forms.BooleanField(required=False)


class ChatWebhookForm(forms.Form):
    """HR adds a WeCom or DingTalk group robot."""

    name = forms.CharField(label=_("name"), max_length=60, help_text=_("The group it posts to, e.g. 客服部群."))
    vendor = forms.ChoiceField(label=_("app"), choices=[("wecom", _("WeCom group robot")), ("dingtalk", _("DingTalk custom robot"))])
    url = forms.CharField(label=_("webhook address"), max_length=500)
    secret = forms.CharField(label=_("signing secret"), max_length=200, required=False,
                             help_text=_("DingTalk's 加签 secret (SEC…); leave empty for WeCom."))
    events = forms.MultipleChoiceField(label=_("events"), required=False, widget=forms.CheckboxSelectMultiple)
    include_personal_data = forms.BooleanField(label=_("names in messages"), required=False,
                                               help_text=_("Off: group messages say how many, never who."))

    def __init__(self, *args, **kwargs) -> None:
        from . import registries

        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(key, label) for key, label in registries.chat_events.items()]


class ChatWebhookEditForm(forms.Form):
    events = forms.MultipleChoiceField(label=_("events"), required=False, widget=forms.CheckboxSelectMultiple)
    include_personal_data = forms.BooleanField(label=_("names in messages"), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        from . import registries

        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(key, label) for key, label in registries.chat_events.items()]
