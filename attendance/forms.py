"""attendance: forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsdept import bounds
from opsdept.forms import SingleLineMixin
from opsdept.web import MonthForm

from .models import AttendanceSettings


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class CorrectionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[bounds.form_validator(bounds.Kind.PAST)])
    time = forms.TimeField(label=_("Punch time"), widget=TimeInput, help_text=_("The time you arrived or left."))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OvertimeForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[bounds.form_validator(bounds.Kind.EMPLOYMENT)])
    start_time = forms.TimeField(label=_("From"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["start_time"] >= data["end_time"]:
            self.add_error("end_time", _("Overtime must end after it starts (on the same day)."))
        return data


class DecisionForm(SingleLineMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Decision comment"), max_length=500, required=False)


class ExportForm(MonthForm):
    """The month to export (required here, within the business range) and the file format."""

    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        month = self.fields["month"]
        month.required, month.label, month.widget = True, _("Month"), forms.TextInput(attrs={"type": "month"})

    def clean_month(self) -> str:
        value = super().clean_month()
        if value:
            try:
                bounds.parse_month(value)  # an export runs from 2000-01 to this month
            except bounds.DateOutOfBounds as error:
                raise forms.ValidationError(error.message) from error
        return value


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns employee_no,timestamp; ISO 8601 times, no offset means Beijing time."))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AttendanceSettings
        fields = ["office_networks", "correction_monthly_limit"]
        widgets = {"office_networks": forms.Textarea(attrs={"rows": 3})}

    def clean_correction_monthly_limit(self) -> int:
        value = self.cleaned_data["correction_monthly_limit"]
        if value > 31:
            raise forms.ValidationError(_("At most 31 a month."))
        return value


class CompTimeAdjustForm(forms.Form):
    """HR's correction of a comp-time (调休) balance."""

    hours = forms.DecimalField(label=_("hours"), max_digits=6, decimal_places=2, min_value=-168, max_value=168,
                               help_text=_("Positive adds comp time, negative uses it."))
    reason = forms.CharField(label=_("reason"), max_length=200)
