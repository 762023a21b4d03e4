"""meetings: forms. Rules that need the database or the clock live in the services."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opsdept.forms import AsciiIntegerField, AsciiTimeField, ascii_formfield
from opsdept.models import Employee
from opsdept.pickers import EmployeeChoiceField, EmployeeMultipleChoiceField
from opsdept.web import FIRST_YEAR, LAST_YEAR

from .models import AttendanceStatus, MeetingSettings
from .services import MARKABLE


class WhenForm(forms.Form):
    """A local date and time, combined into an aware datetime (Asia/Shanghai)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = AsciiTimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self) -> dict:
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.add_error("date", _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
        elif day is not None and at is not None:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, at))
        return data


class MoveForm(WhenForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CallForm(WhenForm):
    title = forms.CharField(label=pgettext_lazy("meeting", "Title"), max_length=100)
    duration_minutes = AsciiIntegerField(label=_("Length (minutes)"), min_value=5, max_value=480, initial=60)
    invitees = EmployeeMultipleChoiceField(label=_("Who is expected"), scope="meetings-people")
    reason = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = people if people is not None else Employee.objects.filter(is_active=True)
        self.fields["invitees"].label_from_instance = lambda e: f"{e.name}（{e.department.name}）"


class MarkForm(forms.Form):
    employee = AsciiIntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=[(s.value, s.label) for s in AttendanceStatus if s in MARKABLE])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ExplanationForm(forms.Form):
    explanation = forms.CharField(label=_("Why were you late?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TokenForm(forms.Form):
    t = forms.CharField(max_length=200, widget=forms.HiddenInput)


class MinutesForm(forms.Form):
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False)
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False)

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for report in self.members:
            self.fields[f"progress_{report.employee_id}"] = forms.CharField(
                label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False,
                initial=report.progress)
            self.fields[f"problems_{report.employee_id}"] = forms.CharField(
                label=_("Problems"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False,
                initial=report.problems)

    def member_rows(self) -> list:
        return [(report, self[f"progress_{report.employee_id}"], self[f"problems_{report.employee_id}"]) for report in self.members]

    def reports(self) -> dict[int, tuple[str, str]]:
        return {report.employee_id: (self.cleaned_data[f"progress_{report.employee_id}"],
                                     self.cleaned_data[f"problems_{report.employee_id}"]) for report in self.members}


class ActionItemForm(forms.Form):
    owner = EmployeeChoiceField(label=_("Owner"), scope="meetings-people")
    title = forms.CharField(label=pgettext_lazy("action item", "Action"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, owners=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Employee.objects.filter(is_active=True)

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(_("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
        return day


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MeetingSettings
        formfield_callback = ascii_formfield
        fields = ["weekly_time", "duration_minutes", "checkin_opens_minutes", "checkin_closes_minutes"]
        widgets = {"weekly_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
