"""duty: forms. Field rules here; the department's rules in the services."""

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from opsdept.forms import AsciiDecimalField, AsciiDigitsMixin, AsciiTimeField
from opsdept.models import Employee

from .models import DutyPeriod

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AsciiDateField(AsciiDigitsMixin, forms.DateField):
    """A date typed with ASCII digits only (Python would read full-width ２０２６ silently)."""

    ascii_error = _("Enter the date with ordinary digits, as YYYY-MM-DD.")


class PeriodDatesForm(forms.Form):
    start_date = AsciiDateField(label=_("first day"), widget=forms.HiddenInput)
    end_date = AsciiDateField(label=_("last day"), widget=forms.HiddenInput)


class DeclarePeriodForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    start_date = AsciiDateField(label=_("first day"), widget=DATE_INPUT)
    end_date = AsciiDateField(label=_("last day"), widget=DATE_INPUT)


class CompensationForm(PeriodDatesForm):
    compensation = forms.ChoiceField(label=_("compensation"), choices=DutyPeriod.Compensation.choices)
    pay_rate = AsciiDecimalField(label=_("pay rate"), min_value=1, max_value=5, decimal_places=1, max_digits=3)


class DayForm(forms.Form):
    """One duty day: up to three shifts, the people on each, their phones, and the person in charge."""

    SHIFT_ROWS = 3

    def __init__(self, *args, team: list[Employee], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        choices = [(str(person.pk), person.name) for person in team]
        self.fields["responsible"] = forms.ChoiceField(label=_("person in charge (值班负责人)"), choices=[("", "—")] + choices,
                                                       required=False)
        for row in range(self.SHIFT_ROWS):
            self.fields[f"shift{row}_start"] = AsciiTimeField(label=_("from"), required=False, widget=TIME_INPUT)
            self.fields[f"shift{row}_end"] = AsciiTimeField(label=_("until"), required=False, widget=TIME_INPUT)
            self.fields[f"shift{row}_people"] = forms.MultipleChoiceField(
                label=_("people"), choices=choices, required=False, widget=forms.CheckboxSelectMultiple)
        for person in team:
            self.fields[f"phone_{person.pk}"] = forms.CharField(label=person.name, max_length=30, required=False)

    def shift_rows(self) -> list[tuple]:
        return [(self[f"shift{row}_start"], self[f"shift{row}_end"], self[f"shift{row}_people"]) for row in range(self.SHIFT_ROWS)]

    def phone_fields(self) -> list:
        return [self[f"phone_{person.pk}"] for person in self.team]

    def clean(self) -> dict:
        data = super().clean()
        for person in self.team:
            phone = (data.get(f"phone_{person.pk}") or "").strip()
            if phone and not all(ch.isascii() and (ch.isdigit() or ch in "+- ()") for ch in phone):
                self.add_error(f"phone_{person.pk}", _("Enter a phone number with digits only."))
        return data

    def plans(self) -> list:
        from .services import ShiftPlan

        plans = []
        for row in range(self.SHIFT_ROWS):
            start, end = self.cleaned_data.get(f"shift{row}_start"), self.cleaned_data.get(f"shift{row}_end")
            people = [int(pk) for pk in self.cleaned_data.get(f"shift{row}_people") or []]
            if start is None and end is None and not people:
                continue
            plans.append(ShiftPlan(start or time(9, 0), end or time(18, 0),
                                   {pk: (self.cleaned_data.get(f"phone_{pk}") or "").strip() for pk in people}))
        return plans

    def responsible_id(self) -> int | None:
        value = self.cleaned_data.get("responsible")
        return int(value) if value else None


class SwapRequestForm(forms.Form):
    colleague = forms.ModelChoiceField(label=_("colleague"), queryset=Employee.objects.none())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = team


class NoteForm(forms.Form):
    note = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class DutyLogForm(forms.Form):
    checked = forms.CharField(label=_("what was checked"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                              help_text=_("The website, the customer service queue, the campaigns running …"))
    incidents = forms.CharField(label=_("incidents and how they were resolved"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    contacts = forms.CharField(label=_("whom you contacted"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               max_length=2000, help_text=_("保持通信: the colleagues and other departments you kept in touch with."))
