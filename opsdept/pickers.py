"""The one employee picker: a search box instead of a list of everyone (issue 16).

A form field that chooses people is an `EmployeeChoiceField` (one person) or an
`EmployeeMultipleChoiceField` (several), named after a scope registered in
`registries.employee_pickers` (who the user may choose there). The field decides, here
only, how it looks:

- at most SMALL people to choose from: the plain select (checkboxes for several);
- more: a text box. Typing part of a name or the start of an employee number asks
  `employee_pick` (htmx, /people/pick/<scope>/) for at most MAX_RESULTS matches in the
  same scope; choosing one puts it in the form. Without JavaScript one types the employee
  number (or the exact name) and the server checks it.

Either way the value posted is the employee number, so the page no longer grows with
the department (10,000 options were 0.2–2.4 MB of HTML), and a bad value gets a clear
error: no such person, not someone one may choose here, oneself where that is refused.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import registries
from .models import Employee
from .web import require_action

SMALL = 50  # up to this many people to choose from, the plain select stays (a team of 50 is ~4 KB)
MAX_RESULTS = 20
MAX_TOKENS = 500  # people typed into one multiple field
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_HTML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,80}$")


def people_for(scope: str, user: Any) -> QuerySet[Employee]:
    """Who `user` may choose in the picker `scope`: what the form validates against."""
    entry = registries.employee_pickers.get(scope)
    if entry is None:
        raise LookupError(scope)
    return entry.people(user)


def search(people: QuerySet[Employee], text: str) -> tuple[list[Employee], bool]:
    """Up to MAX_RESULTS of `people` whose name holds `text` or whose number starts with it; and whether more match."""
    text = (text or "").strip()
    if not text or len(text) > 50 or _CONTROL.search(text):
        return [], False
    found = list(people.filter(Q(name__icontains=text) | Q(employee_no__istartswith=text))
                 .select_related("department").order_by("employee_no")[:MAX_RESULTS + 1])
    return found[:MAX_RESULTS], len(found) > MAX_RESULTS


def label(person: Employee) -> str:
    return f"{person.name}（{person.employee_no}）"


# ---------------------------------------------------------------- rendering (the widget and the endpoint share it)

def _url(scope: str, name: str, html_id: str, multiple: bool) -> str:
    query = {"field": name, "id": html_id}
    if multiple:
        query["multiple"] = "1"
    return f"{reverse('employee_pick', kwargs={'scope': scope})}?{urlencode(query)}"


def _render_picker(*, scope: str, name: str, html_id: str, multiple: bool, chosen: list[Employee], typed: str,
                   invalid: bool = False, extra_class: str = "") -> str:
    return render_to_string("opsdept/_employee_picker.html", {"picker": {
        "scope": scope, "name": name, "id": html_id, "multiple": multiple, "chosen": chosen, "typed": typed,
        "url": _url(scope, name, html_id, multiple), "invalid": invalid, "extra_class": extra_class,
        # one person chosen by number: say who it is beside the box
        "named": chosen[0] if chosen and not multiple else None,
    }})


def _tokens(values: list[str]) -> list[str]:
    tokens = [token for value in values for token in _SEPARATORS.split(str(value)) if token]
    return list(dict.fromkeys(tokens))[:MAX_TOKENS]


def _by_number(people: QuerySet[Employee], values: list[str]) -> dict[str, Employee]:
    """{employee number: person} for the values that are numbers of `people` (a NUL would upset PostgreSQL: left out)."""
    numbers = [value for value in values if len(value) <= 50 and not _CONTROL.search(value)]
    return {person.employee_no: person for person in people.filter(employee_no__in=numbers)} if numbers else {}


class EmployeePicker(forms.Widget):
    """The field's widget: a plain select for a few people, the search box for more (see the module)."""

    scope = ""
    multiple = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not self.multiple:
            return data.get(name)
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return None
        return _tokens(values if isinstance(values, (list, tuple)) else [values])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        field = self.choices.field
        people = field.queryset
        few = list(people[:SMALL + 1])
        attrs = self.build_attrs(self.attrs, attrs)
        css = attrs.get("class", "")
        values = [] if value in (None, "") else [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
        if len(few) <= SMALL:
            return self._plain(name, values, field, few, attrs, css, renderer)
        known = _by_number(people, values)
        chosen = [known[v] for v in values if v in known]
        typed = " ".join(v for v in values if v not in known) if self.multiple else (values[0] if values else "")
        typed = _CONTROL.sub("", typed)
        return _render_picker(scope=self.scope, name=name, html_id=attrs.get("id") or f"id_{name}", multiple=self.multiple,
                              chosen=chosen, typed=typed, invalid="is-invalid" in css)

    def _plain(self, name: str, values: list[str], field: forms.ModelChoiceField, few: list[Employee], attrs: dict,
               css: str, renderer: Any) -> str:
        choices = [(person.employee_no, field.label_from_instance(person)) for person in few]
        if self.multiple:
            return render_to_string("opsdept/_employee_checkboxes.html", {
                "name": name, "id": attrs.get("id") or f"id_{name}", "invalid": "is-invalid" in css,
                "boxes": [(number, text, number in values) for number, text in choices]})
        if field.empty_label is not None:
            choices.insert(0, ("", field.empty_label))
        attrs["class"] = " ".join(["form-select", *(c for c in css.split() if c not in ("form-control", "form-select"))])
        return forms.Select(choices=choices).render(name, values[0] if values else "", attrs, renderer)


class _Resolving:
    """Turn what was posted (a number, or a name) into a person of the scope, with the reason when not."""

    default_error_messages = {
        "unknown": _("No one has the employee number or name “%(value)s”."),
        "not_allowed": _("“%(value)s” is not among the people you may choose here."),
        "ambiguous": _("Several people are called “%(value)s”: type the employee number."),
        "self": _("You cannot choose yourself here."),
    }

    def __init__(self, *, scope: str, queryset: QuerySet | None = None, forbid: Employee | None = None,
                 forbid_message: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", EmployeePicker)
        super().__init__(queryset=queryset if queryset is not None else Employee.objects.none(),
                         to_field_name="employee_no", **kwargs)
        self.scope = scope
        self.widget.scope = scope
        self.widget.multiple = isinstance(self, forms.ModelMultipleChoiceField)
        self.forbid = forbid
        if forbid_message:
            self.error_messages = {**self.error_messages, "self": forbid_message}

    def label_from_instance(self, obj: Employee) -> str:
        return label(obj)

    def _error(self, code: str, token: str) -> forms.ValidationError:
        return forms.ValidationError(self.error_messages[code], code=code, params={"value": token[:30]})

    def resolve(self, token: str) -> Employee:
        token = token.strip()
        if not token or len(token) > 50 or _CONTROL.search(token):
            raise self._error("unknown", _CONTROL.sub("", token))
        found = self._in_scope(token)
        forbid = self.forbid
        if forbid is not None and (found.pk == forbid.pk if found is not None
                                   else token.upper() in (forbid.employee_no.upper(), forbid.name.upper())):
            raise self._error("self", token)
        if found is not None:
            return found
        if Employee.objects.filter(Q(employee_no__iexact=token) | Q(name=token)).exists():
            raise self._error("not_allowed", token)
        raise self._error("unknown", token)

    def _in_scope(self, token: str) -> Employee | None:
        """By employee number (any letter case), else by a name only one person of the scope has."""
        people = self.queryset
        found = people.filter(employee_no=token).first() or people.filter(employee_no__iexact=token).first()
        if found is not None:
            return found
        named = list(people.filter(name=token)[:2])
        if len(named) > 1:
            raise self._error("ambiguous", token)
        return named[0] if named else None


class EmployeeChoiceField(_Resolving, forms.ModelChoiceField):
    """One person of the picker `scope`; the form sets `queryset` to `pickers.people_for(scope, user)`.

    `forbid`: the person who may not be chosen here (oneself where one may not penalise or
    approve oneself, the employee being edited as their own supervisor), with `forbid_message`.
    """

    def to_python(self, value: Any) -> Employee | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Employee):
            value = value.employee_no
        return self.resolve(str(value))


class EmployeeMultipleChoiceField(_Resolving, forms.ModelMultipleChoiceField):
    """Several people of the picker `scope` (checked ones, and numbers or names typed, separated by spaces or commas)."""

    def clean(self, value: Any) -> QuerySet[Employee]:
        tokens = _tokens(value if isinstance(value, (list, tuple)) else [value] if value else [])
        if not tokens:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        known = _by_number(self.queryset, tokens)
        chosen, errors = [], []
        for token in tokens:
            try:
                chosen.append(known[token] if token in known else self.resolve(token))
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        self.run_validators(chosen)
        return Employee.objects.filter(pk__in=[person.pk for person in chosen]).order_by("employee_no")


def register() -> None:
    """opsdept's own pickers (opsdept.apps); the chapters register theirs in their ready()."""
    from . import permissions
    from .forms import deciders, supervisor_choices, top_approver_choices

    registries.employee_pickers.register("people-supervisor", registries.PickerScope(
        "people.view", lambda user: supervisor_choices() if permissions.sees_everyone(user) else Employee.objects.none()))
    registries.employee_pickers.register("approval-deputy", registries.PickerScope("deputy.name", lambda user: deciders()))
    registries.employee_pickers.register("approval-top", registries.PickerScope(
        "approval.configure", lambda user: top_approver_choices()))


# ---------------------------------------------------------------- the endpoint

def employee_pick(request: HttpRequest, scope: str) -> HttpResponse:
    """htmx: the people matching what was typed (`?field=…&id=…&<field>=text`), or the picker with `pick` chosen.

    Scoped by the picker's own queryset; junk (an unknown field name, control characters,
    a number no one has) answers an empty list, never an error page.
    """
    entry = registries.employee_pickers.get(scope)
    if entry is None:
        raise Http404
    require_action(request, entry.action)
    name, html_id, multiple = request.GET.get("field", ""), request.GET.get("id", ""), request.GET.get("multiple") == "1"
    if not (_HTML_NAME.match(name) and _HTML_NAME.match(html_id)):
        return HttpResponse("")
    people = entry.people(request.user)
    if "pick" in request.GET:
        picked = _tokens([request.GET["pick"]])
        values = _tokens(request.GET.getlist(name)) + picked if multiple else picked
        known = _by_number(people, values)
        chosen = [known[v] for v in values if v in known]
        typed = "" if multiple else (chosen[0].employee_no if chosen else "")
        return HttpResponse(_render_picker(scope=scope, name=name, html_id=html_id, multiple=multiple,
                                           chosen=chosen, typed=typed))
    values = request.GET.getlist(name)
    results, more = search(people, values[-1] if values else "")
    return HttpResponse(render_to_string("opsdept/_employee_picker_results.html", {
        "picker": {"url": _url(scope, name, html_id, multiple), "id": html_id, "multiple": multiple},
        "results": results, "more": more}))
