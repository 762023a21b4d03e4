"""Filters of the discipline lists (flags, appeals, rewards and penalties): the one panel of `opsdept.filters`."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _, pgettext_lazy
import django_filters

from opsdept.filters import DateFrom, DateTo, ListFilter, employee_search

from .models import Appeal, Flag, Kind, Record, Rule


class FlagFilter(ListFilter):
    who = django_filters.CharFilter(label=_("employee"), method="filter_who")
    rule = django_filters.ModelChoiceFilter(label=_("rule"), queryset=Rule.objects.order_by("code"), empty_label=_("all"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=Flag.Status.choices, empty_label=_("all"))
    start = DateFrom("date")
    end = DateTo("date")

    class Meta(ListFilter.Meta):
        model = Flag
        fields: list[str] = []

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return employee_search(queryset, value)


class AppealFilter(ListFilter):
    who = django_filters.CharFilter(label=_("employee"), method="filter_who")
    status = django_filters.ChoiceFilter(label=_("status"), choices=Appeal.Status.choices, empty_label=_("all"))
    start = DateFrom("filed_at__date")
    end = DateTo("filed_at__date")

    class Meta(ListFilter.Meta):
        model = Appeal
        fields: list[str] = []

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return employee_search(queryset, value)


class RecordFilter(ListFilter):
    """Rewards and penalties: whose, under which rule, which kind, issued when."""

    who = django_filters.CharFilter(label=_("employee"), method="filter_who")
    rule = django_filters.ModelChoiceFilter(label=_("rule"), queryset=Rule.objects.order_by("code"), empty_label=_("all"))
    kind = django_filters.ChoiceFilter(label=pgettext_lazy("discipline", "kind"), choices=Kind.choices, empty_label=_("all"))
    start = DateFrom("issued_at__date")
    end = DateTo("issued_at__date")

    class Meta(ListFilter.Meta):
        model = Record
        fields: list[str] = []

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return employee_search(queryset, value)
