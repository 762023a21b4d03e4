"""Filters of the leave lists (to approve, my requests, trips to decide): the one panel of `opsdept.filters`."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
import django_filters

from opsdept.filters import DateFrom, DateTo, ListFilter, employee_search
from opsdept.models import RequestStatus

from .models import BusinessTrip, LeaveRequest, LeaveType


class LeaveFilter(ListFilter):
    who = django_filters.CharFilter(label=_("employee"), method="filter_who")
    leave_type = django_filters.ModelChoiceFilter(label=_("leave type"), queryset=LeaveType.objects.all(), empty_label=_("all"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=LeaveRequest.Status.choices, empty_label=_("all"))
    start = DateFrom("end_date")  # a request that overlaps the chosen dates
    end = DateTo("start_date")

    class Meta(ListFilter.Meta):
        model = LeaveRequest
        fields: list[str] = []

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return employee_search(queryset, value)


class PendingLeaveFilter(LeaveFilter):
    """The approval queue: every request in it is pending, so no status to choose."""

    status = None


class MyLeaveFilter(LeaveFilter):
    """My own requests: no "who"."""

    who = None


class MyTripFilter(ListFilter):
    """My business trips (外出 / 出差): the same panel as my leave."""

    kind = django_filters.ChoiceFilter(label=_("kind"), choices=BusinessTrip.Kind.choices, empty_label=_("all"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=RequestStatus.choices, empty_label=_("all"))
    start = DateFrom("end_date")  # a trip that overlaps the chosen dates
    end = DateTo("start_date")

    class Meta(ListFilter.Meta):
        model = BusinessTrip
        fields: list[str] = []
