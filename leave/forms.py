"""leave: forms. They parse input; the services decide what the department's rules allow."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsdept import bounds
from opsdept.forms import AsciiDecimalField, AsciiIntegerField, ascii_formfield, SingleLineMixin
from opsdept.models import Employee
from opsdept.pickers import EmployeeChoiceField

from .models import BusinessTrip, Half, LeaveRequest, LeaveType

# An HTML date input only understands ISO dates, whatever the language formats dates as.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; each is checked by the service (type, content, size)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    max_files = 5

    def clean(self, data, initial=None) -> list:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        if len(files) > self.max_files:
            raise forms.ValidationError(_("Attach at most %(count)d files.") % {"count": self.max_files})
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class SpanForm(forms.Form):
    leave_type = forms.ModelChoiceField(label=_("leave type"), queryset=LeaveType.objects.none(),
                                        error_messages={"invalid_choice": _("Choose a leave type from the list.")})
    start_date = forms.DateField(label=_("start date"), widget=DATE_WIDGET)
    start_half = forms.ChoiceField(label=_("starting"), choices=Half.choices, initial=Half.MORNING)
    end_date = forms.DateField(label=_("end date"), widget=DATE_WIDGET)
    end_half = forms.ChoiceField(label=_("ending"), choices=Half.choices, initial=Half.AFTERNOON)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = LeaveType.objects.filter(is_active=True).order_by("sort_order", "id")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        for name in ("start_date", "end_date"):
            problem = bounds.reason(data[name], bounds.Kind.EMPLOYMENT) if data.get(name) else None
            if problem:
                self.add_error(name, problem)
        if start and end and end < start:
            self.add_error("end_date", _("The leave must end after it starts."))
        return data


class LeaveRequestForm(SpanForm):
    """Only these fields are read: a posted status, approver or employee is ignored."""

    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    attachment = MultipleFileField(label=_("attachments (PDF or image)"))


class EmergencyLeaveForm(SpanForm):
    employee = EmployeeChoiceField(label=_("employee"), scope="leave-emergency")
    granted_via = forms.ChoiceField(label=_("asked for by"), choices=LeaveRequest.Channel.choices)
    note = forms.CharField(label=_("what was agreed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    field_order = ["employee", "leave_type", "start_date", "start_half", "end_date", "end_half", "granted_via", "note"]

    def __init__(self, *args, employees=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees if employees is not None else Employee.objects.none()


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(SingleLineMixin, forms.Form):
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class EndEarlyForm(SingleLineMixin, forms.Form):
    end_date = forms.DateField(label=_("new last day"), widget=DATE_WIDGET,
                               validators=[bounds.form_validator(bounds.Kind.EMPLOYMENT)])
    end_half = forms.ChoiceField(label=_("ending"), choices=Half.choices, initial=Half.AFTERNOON)
    note = forms.CharField(label=_("reason"), max_length=2000)


class WrittenSlipForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    attachment = MultipleFileField(label=_("attachments (PDF or image)"))


class AdjustmentForm(forms.Form):
    year = AsciiIntegerField(label=_("year"), min_value=2000, max_value=2100)
    days = AsciiDecimalField(label=_("days (+ adds, − removes)"), max_digits=4, decimal_places=1,
                              min_value=Decimal("-366"), max_value=Decimal("366"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


class LeaveTypeForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = LeaveType
        formfield_callback = ascii_formfield
        fields = ["code", "name", "name_en", "is_paid", "requires_attachment", "deducts_annual_balance", "is_active", "sort_order"]


class SettingsForm(forms.Form):
    emergency_slip_workdays = AsciiIntegerField(
        label=_("workdays to hand in the written request after emergency leave"), min_value=0, max_value=30)
    max_attachment_mb = AsciiIntegerField(label=_("largest attachment (MB)"), min_value=1, max_value=20)



class BusinessTripForm(forms.Form):
    """外出 / 出差: only these fields are read."""

    kind = forms.ChoiceField(label=_("kind"), choices=BusinessTrip.Kind.choices, initial=BusinessTrip.Kind.TRIP)
    start_date = forms.DateField(label=_("start date"), widget=DATE_WIDGET)
    start_half = forms.ChoiceField(label=_("starting"), choices=Half.choices, initial=Half.MORNING)
    end_date = forms.DateField(label=_("end date"), widget=DATE_WIDGET)
    end_half = forms.ChoiceField(label=_("ending"), choices=Half.choices, initial=Half.AFTERNOON)
    destination = forms.CharField(label=_("destination"), max_length=100)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("start_date", "end_date"):
            if data.get(name) and not 2000 <= data[name].year <= 2100:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
        return data
