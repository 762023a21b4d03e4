"""The one way list pages filter: django-filter FilterSets rendered by `templates/_filters.html`.

Every list (audit trail, flags, requests, people) builds a `ListFilter` subclass from
the queryset it may show (the scoping stays in the selector / permission module) and
renders `{% include "_filters.html" with filter=filter %}`: a collapsible panel that
is closed on a phone until opened, open while a filter is active. Dates are bounded
like every other date field (`bounds.form_validator`); an invalid filter shows its
error in Chinese and is ignored, never a 500.
"""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
import django_filters

from . import bounds
from .audit import Action
from .models import AuditEvent, Department, Employee, OutboxMessage


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateFrom(django_filters.DateFilter):
    def __init__(self, field_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("from"))
        super().__init__(field_name=field_name, lookup_expr="gte", widget=_date_widget(),
                         validators=[bounds.form_validator(bounds.Kind.VIEW)], **kwargs)


class DateTo(django_filters.DateFilter):
    def __init__(self, field_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("to"))
        super().__init__(field_name=field_name, lookup_expr="lte", widget=_date_widget(),
                         validators=[bounds.form_validator(bounds.Kind.VIEW)], **kwargs)


class ListFilterForm(forms.Form):
    """Bootstrap classes on every widget; start ≤ end when both named `start` and `end` are given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self) -> dict:
        data = super().clean()
        for name, field in self.fields.items():
            # A choice of a row or a number reads any Unicode digits ("１", "٣") as 0–9: refuse them, like a URL's id.
            raw = self.data.get(self.add_prefix(name), "") if hasattr(self.data, "get") else ""
            if isinstance(field, (forms.ModelChoiceField, forms.IntegerField)) and not bounds.typed_ascii(str(raw)):
                self.add_error(name, field.error_messages.get("invalid_choice") or field.error_messages.get("invalid"))
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            # on the end date (which leaves the list's dates unfiltered rather than empty)
            self.add_error("end", _("The start date must not be after the end date."))
            data.pop("start", None)
        return data


class ListFilter(django_filters.FilterSet):
    """Base of every list filter: the shared form, and `active` for the template."""

    class Meta:
        form = ListFilterForm

    def __init__(self, data: Any = None, *args: Any, defaults: dict[str, str] | None = None, **kwargs: Any) -> None:
        """`defaults`: what the list shows before the reader chooses (a review queue's open items)."""
        self.defaults = defaults or {}
        if self.defaults:
            data = data.copy() if data is not None else {}
            for name, value in self.defaults.items():
                data.setdefault(name, value)
        super().__init__(data, *args, **kwargs)

    @property
    def active(self) -> bool:
        """True when the reader filtered something (the panel then opens by itself)."""
        return any(self.data.get(name) not in (None, "", self.defaults.get(name)) for name in self.filters)

    @property
    def query(self) -> str:
        """The filter's part of the query string, for pagination links."""
        data = self.data.copy() if hasattr(self.data, "copy") else dict(self.data)
        if hasattr(data, "pop"):
            data.pop("page", None)
        return data.urlencode() if hasattr(data, "urlencode") else ""

    @property
    def qs(self) -> QuerySet:
        # An invalid filter is ignored (its error shows beside it), the list stays whole.
        if not hasattr(self, "_qs"):
            queryset = self.queryset.all()
            if self.is_bound:
                self.form.is_valid()
                for name, value in self.form.cleaned_data.items():
                    queryset = self.filters[name].filter(queryset, value)
            self._qs = queryset
        return self._qs


def _person_search(queryset: QuerySet, prefix: str, value: str) -> QuerySet:
    if not value:
        return queryset
    return queryset.filter(Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}employee_no__icontains": value}))


class AuditFilter(ListFilter):
    action = django_filters.ChoiceFilter(label=_("action"), choices=Action.choices, empty_label=_("all"))
    actor = django_filters.CharFilter(label=_("who"), method="filter_actor")
    target = django_filters.CharFilter(label=_("object"), field_name="target_repr", lookup_expr="icontains")
    start = DateFrom("at__date")
    end = DateTo("at__date")

    class Meta(ListFilter.Meta):
        model = AuditEvent
        fields: list[str] = []

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(actor__username__icontains=value) | Q(actor__employee__name__icontains=value))


class PeopleFilter(ListFilter):
    q = django_filters.CharFilter(label=_("name or number"), method="filter_q")
    department = django_filters.ModelChoiceFilter(label=_("department"), queryset=Department.objects.all(),
                                                  empty_label=_("all"))
    role = django_filters.ChoiceFilter(label=_("role"), choices=Employee.Role.choices, empty_label=_("all"))
    inactive = django_filters.BooleanFilter(label=_("show inactive"), method="filter_inactive",
                                            widget=forms.CheckboxInput)

    class Meta(ListFilter.Meta):
        model = Employee
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _person_search(queryset, "", value)

    def filter_inactive(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset if value else queryset.filter(is_active=True)

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        if not (self.form.is_bound and self.form.cleaned_data.get("inactive")):
            queryset = queryset.filter(is_active=True)
        return queryset


def employee_search(queryset: QuerySet, value: str, prefix: str = "employee__") -> QuerySet:
    """A request or flag list's "who" filter: part of the person's name or number."""
    return _person_search(queryset, prefix, value)


class OutboxFilter(ListFilter):
    """HR's outbox page: waiting and failed messages first (the default), any status on request."""

    status = django_filters.ChoiceFilter(label=_("status"), choices=OutboxMessage.Status.choices,
                                         empty_label=_("waiting or failed"), method="filter_status")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OutboxMessage.Kind.choices, empty_label=_("all"))
    start = DateFrom("created_at__date")
    end = DateTo("created_at__date")

    class Meta(ListFilter.Meta):
        model = OutboxMessage
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=value) if value else queryset

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        if not self.form.is_bound or not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=OutboxMessage.Status.DELIVERED)  # what still needs someone
        return queryset
