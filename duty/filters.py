"""Filter of the duty swaps list: the one panel of `opsdept.filters`."""

from django.utils.translation import gettext_lazy as _
import django_filters

from opsdept.filters import DateFrom, DateTo, ListFilter
from opsdept.models import RequestStatus

from .models import DutySwap


class SwapFilter(ListFilter):
    """My swaps (asked by me or of me): by status and the shift's date."""

    status = django_filters.ChoiceFilter(label=_("status"), choices=RequestStatus.choices, empty_label=_("all"))
    start = DateFrom("assignment__shift__day__date")
    end = DateTo("assignment__shift__day__date")

    class Meta(ListFilter.Meta):
        model = DutySwap
        fields: list[str] = []
