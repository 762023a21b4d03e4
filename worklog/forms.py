"""worklog: forms. Rules that need the database or the clock live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from opsdept import bounds
from opsdept.forms import AsciiIntegerField, SingleLineMixin
from opsdept.pickers import EmployeeChoiceField

from .models import DailyReport


class DailyReportForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date", "readonly": True}, format="%Y-%m-%d"))
    done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    completion = AsciiIntegerField(label=_("Completion (%)"), min_value=0, max_value=100, initial=100)
    problems = forms.CharField(label=_("Problems met"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    solutions = forms.CharField(label=_("Solutions"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    plan = forms.CharField(label=_("Tomorrow's plan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReviewForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=DailyReport.Rating.choices)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DayForm(forms.Form):
    date = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           validators=[bounds.form_validator(bounds.Kind.VIEW)])


class TaskForm(SingleLineMixin, forms.Form):
    assignee = EmployeeChoiceField(label=_("Assignee"), scope="worklog-assignee")
    title = forms.CharField(label=pgettext_lazy("task", "Title"), max_length=200)
    detail = forms.CharField(label=_("Detail"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               validators=[bounds.form_validator(bounds.Kind.FUTURE)])

    def __init__(self, *args, team=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["assignee"].queryset = team


class FeedbackForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    new_plan = forms.CharField(label=_("New plan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
