"""attendance: forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsdept import bounds
from opsdept.forms import AsciiDecimalField, AsciiTimeField, ascii_formfield, SingleLineMixin
from opsdept.pickers import EmployeeChoiceField
from opsdept.web import MonthForm

from .models import AttendanceSettings, DayDispute, OvertimeCompensation


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class CorrectionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[bounds.form_validator(bounds.Kind.PAST)])
    time = AsciiTimeField(label=_("Punch time"), widget=TimeInput, help_text=_("The time you arrived or left."))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OvertimeForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[bounds.form_validator(bounds.Kind.EMPLOYMENT)])
    start_time = AsciiTimeField(label=_("From"), widget=TimeInput)
    end_time = AsciiTimeField(label=_("Until"), widget=TimeInput,
                               help_text=_("An end at or before the start means the next day (overnight)."))
    compensation = forms.ChoiceField(label=_("Compensation"), choices=OvertimeCompensation.choices,
                                     initial=OvertimeCompensation.PAY, widget=forms.RadioSelect,
                                     help_text=_("Only rest-day overtime can be taken as comp time (调休)."))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    late_reason = forms.CharField(label=_("Why it is filed afterwards"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Only when HR allows filing after the fact."))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return day


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
        formfield_callback = ascii_formfield
        fields = ["office_networks", "correction_monthly_limit", "overtime_late_days", "comp_time_expiry_months"]
        widgets = {"office_networks": forms.Textarea(attrs={"rows": 3})}

    def clean_correction_monthly_limit(self) -> int:
        value = self.cleaned_data["correction_monthly_limit"]
        if value > 31:
            raise forms.ValidationError(_("At most 31 a month."))
        return value

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overtime_late_days"].required = False
        self.fields["comp_time_expiry_months"].required = False

    def clean_comp_time_expiry_months(self) -> int | None:
        value = self.cleaned_data["comp_time_expiry_months"]
        if value is not None and value > 60:
            raise forms.ValidationError(_("At most 60 months."))
        return value

    def clean_overtime_late_days(self) -> int | None:
        value = self.cleaned_data["overtime_late_days"]
        if value is not None and value > 31:
            raise forms.ValidationError(_("At most 31 days."))
        return value


class DisputeForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Resolved by"), choices=DayDispute.Resolution.choices)
    note = forms.CharField(label=_("Resolution"), max_length=1000)


class LockedPunchForm(forms.Form):
    """HR's missed punch on a day of a locked month, with the reason the export shows."""

    # By employee number, not a list of everyone (10,000 options were most of the page at group scale).
    employee = forms.ModelChoiceField(label=_("Employee no."), queryset=None, to_field_name="employee_no",
                                      widget=forms.TextInput(attrs={"placeholder": _("Employee no.")}))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    time = AsciiTimeField(label=_("Punch time"), widget=TimeInput)
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args, **kwargs) -> None:
        from opsdept.models import Employee

        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Employee.objects.order_by("employee_no")

class CompTimePersonForm(forms.Form):
    """Whose comp-time ledger to show: anyone one may see (the picker "attendance-comp-time")."""

    who = EmployeeChoiceField(label=_("employee"), scope="attendance-comp-time", required=False)

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = people


class CompTimeAdjustForm(forms.Form):
    """HR's correction of a comp-time (调休) balance."""

    hours = AsciiDecimalField(label=_("hours"), max_digits=6, decimal_places=2, min_value=-168, max_value=168,
                               help_text=_("Positive adds comp time, negative uses it."))
    reason = forms.CharField(label=_("reason"), max_length=200)
