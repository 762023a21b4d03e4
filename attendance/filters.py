"""Filters of the attendance approval lists (corrections, overtime): the one panel of `opsdept.filters`."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
import django_filters

from opsdept.filters import DateFrom, DateTo, ListFilter, employee_search
from opsdept.models import RequestStatus


class AttendanceRequestFilter(ListFilter):
    """One filter for both queues of the approval page (both have an employee and a date)."""

    who = django_filters.CharFilter(label=_("employee"), method="filter_who")
    start = DateFrom("date")
    end = DateTo("date")

    class Meta(ListFilter.Meta):
        fields: list[str] = []

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return employee_search(queryset, value)


class MyAttendanceRequestFilter(ListFilter):
    """My own corrections or overtime: by status and dates (the same panel as every list)."""

    status = django_filters.ChoiceFilter(label=_("status"), choices=RequestStatus.choices, empty_label=_("all"))
    start = DateFrom("date")
    end = DateTo("date")

    class Meta(ListFilter.Meta):
        fields: list[str] = []
