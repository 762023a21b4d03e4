from datetime import date
import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import bounds
from .audit import Action
from .models import CalendarOverride, Employee, WorkSchedule

# A line break, another control character or a Unicode line/paragraph separator.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


class SingleLineMixin:
    """Refuse line breaks and control characters in every one-line text box of the form.

    Titles and names become mail subjects, file names and spreadsheet cells; a text
    area (several lines on purpose) and a password are left alone.
    """

    def clean(self) -> dict:
        data = super().clean()
        for name, field in self.fields.items():
            value = data.get(name)
            if (isinstance(value, str) and isinstance(field, forms.CharField)
                    and not isinstance(field.widget, (forms.Textarea, forms.PasswordInput))
                    and _NOT_ONE_LINE.search(value)):
                self.add_error(name, _("Write this on one line (no line breaks)."))
        return data



# ---------------------------------------------------------------- numbers and times typed with ASCII digits

class AsciiDigitsMixin:
    """Refuse what is not typed with ASCII digits: Python reads full-width "１２" (and Arabic-Indic digits)
    as 12 silently, so a number field would store something the person never saw on their keyboard."""

    ascii_error = _("Type the number with ordinary digits 0–9 (full-width digits such as １２ are not accepted).")

    def to_python(self, value):
        if not bounds.typed_ascii(value):
            raise forms.ValidationError(self.ascii_error, code="invalid")
        return super().to_python(value)


class AsciiIntegerField(AsciiDigitsMixin, forms.IntegerField):
    pass


class AsciiDecimalField(AsciiDigitsMixin, forms.DecimalField):
    pass


class AsciiTimeField(AsciiDigitsMixin, forms.TimeField):
    ascii_error = _("Type the time with ordinary digits 0–9, as HH:MM (full-width digits are not accepted).")


_ASCII_FIELDS = {forms.IntegerField: AsciiIntegerField, forms.DecimalField: AsciiDecimalField,
                 forms.TimeField: AsciiTimeField}


def ascii_formfield(model_field, **kwargs):
    """A ModelForm's `Meta.formfield_callback`: its number and time fields refuse non-ASCII digits."""
    field = model_field.formfield(**kwargs)
    stricter = _ASCII_FIELDS.get(type(field))
    if stricter is not None:
        field.__class__ = stricter  # the same field, only a stricter to_python
    return field


class EmployeeForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "employee_no", "name", "department", "title", "supervisor", "role", "is_meeting_clerk",
            "phone", "email", "hire_date", "work_start_date", "leave_date",
        ]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "leave_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "work_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        supervisors = Employee.objects.filter(is_active=True)
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors

    def clean_leave_date(self) -> date | None:
        return _within_business_range(self.cleaned_data.get("leave_date"))


def _within_business_range(day: date | None) -> date | None:
    if day is not None and not 2000 <= day.year <= 2100:
        raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
    return day


    def _clean_employment_date(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        earliest, latest = date(1950, 1, 1), bounds._years_from(timezone.localdate(), 1)
        if day is not None and not earliest <= day <= latest:
            raise forms.ValidationError(_("Enter a date between %(earliest)s and %(latest)s.") % {
                "earliest": earliest.isoformat(), "latest": latest.isoformat()})
        return day

    def clean_hire_date(self) -> date | None:
        return self._clean_employment_date("hire_date")

    def clean_work_start_date(self) -> date | None:
        return self._clean_employment_date("work_start_date")


class ReportingLineForm(forms.ModelForm):
    """The manager's form for HR staff: their role and supervisor only."""

    class Meta:
        model = Employee
        fields = ["role", "supervisor"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = Employee.objects.filter(is_active=True).exclude(pk=self.instance.pk)


class NewEmployeeForm(EmployeeForm):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput, min_length=8)

    class Meta(EmployeeForm.Meta):
        fields = ["username", "password", *EmployeeForm.Meta.fields]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        get_user_model()._meta.get_field("username").run_validators(username)
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("That username is taken."))
        return username

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("username"):
            user = get_user_model()(username=data["username"], email=data.get("email") or "")
            try:
                password_validation.validate_password(data["password"], user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = WorkSchedule
        formfield_callback = ascii_formfield
        fields = ["start_time", "end_time", "lunch_start", "lunch_end", "grace_minutes", "go_live_date"]
        widgets = {name: forms.TimeInput(attrs={"type": "time"}, format="%H:%M") for name in ["start_time", "end_time", "lunch_start", "lunch_end"]}
        widgets["go_live_date"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean_go_live_date(self) -> date | None:
        return _within_business_range(self.cleaned_data.get("go_live_date"))


class CalendarOverrideForm(SingleLineMixin, forms.Form):
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


class ConfirmYearForm(forms.Form):
    """HR: the year whose holidays and make-up workdays are now entered on the calendar."""

    year = AsciiIntegerField(label=_("year"), min_value=2000, max_value=2100)


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
    escalate_after_workdays = AsciiIntegerField(label=_("workdays before a pending request escalates"),
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
