"""The one set of view helpers every chapter uses (STYLE.md rule 11).

- `requires(action)`: a view decorator; 403 unless the user may do `action`.
- `get_for_action_or_404(request, queryset, action, ...)`: 404 when the object is
  outside what the user may see, 403 when they see it but may not do `action`.
- `apply_domain_error(form, error)`: show a service's refusal on its form.
- `MonthNav.from_request(request)`: the `?month=YYYY-MM` page's month and its neighbours.
- `YearForm` / `year_from_request(request)`: the `?year=YYYY` parameter.
- `people_page(request, queryset, ...)`: a whole-department list one page of 50 at a time,
  with search by name or employee number, one department at a time, and the department
  summary; a team that fits on one page shows no paging at all.
- `number_display()`: numbers as `{{ value }}` shows them, for a page that shows hundreds.
- `url_with_pk(viewname)`: `reverse(viewname, args=[pk])` for every row of a page, reversed once.
- `compact_month_grid(first, css)`: a small month grid's HTML (the team month's person cards).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
import functools
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.numberformat import format as format_number
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy as _, pgettext

from . import bounds, permissions
from .errors import DomainError

# The business range of months and years a page may be asked for; outside it the page shows today.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def number_display() -> Callable[[int | Decimal], SafeString]:
    """A function that shows a number as the template engine's `{{ value }}` does in the active language
    (`formats.number_format`), with the language's formats looked up once instead of per value: the team month
    shows 450 numbers a page, and the engine's lookups per value were a tenth of a supervisor's request.
    A template shows its strings for the same cost as any other string."""
    from django.conf import settings

    decimal_separator = get_format("DECIMAL_SEPARATOR")
    grouping, thousand_separator = get_format("NUMBER_GROUPING"), get_format("THOUSAND_SEPARATOR")

    # Safe strings, as format_number's are (digits, a sign and separators): format_html passes them as they are
    # rather than escaping 500 numbers a page.
    def show(value: int | Decimal) -> SafeString:
        return SafeString(format_number(value, decimal_separator, None, grouping, thousand_separator))

    if settings.USE_THOUSAND_SEPARATOR and grouping:
        return show

    def plain(value: int | Decimal) -> SafeString:
        # Without grouping, what `format_number` makes of an int or a Decimal, for a tenth of its calls: the
        # number as written (`{:f}`), the language's decimal separator.
        if type(value) is int:
            return SafeString(value)
        if type(value) is Decimal and value.is_finite():
            text = f"{value:f}"
            if len(text) < 200:  # format_number writes longer ones in scientific notation
                return SafeString(text if decimal_separator == "." else text.replace(".", decimal_separator))
        return show(value)

    return plain


def blocktranslated(text: str, **values: Any) -> SafeString:
    """`text` (a translation with %(name)s placeholders) with `values` escaped into it, as `{% blocktranslate %}`
    shows it: the translator's text as written, each value escaped. For rows built in Python (the team month's
    cards, the year-end summary's rows), where the template engine per row was most of the page's time."""
    from django.utils.html import conditional_escape

    return mark_safe(text % {key: conditional_escape(value) for key, value in values.items()})


_PK_PLACEHOLDER = 987654321987654321


def url_with_pk(viewname: str) -> Callable[[int], str]:
    """A function giving `reverse(viewname, args=[pk])` (a URL with one integer argument) for any pk, the URL
    reversed once: a page of 50 rows, each linking to its person, spent more on reversing than on its data."""
    before, after = reverse(viewname, args=[_PK_PLACEHOLDER]).split(str(_PK_PLACEHOLDER))
    return lambda pk: f"{before}{int(pk)}{after}"


def require_action(request: HttpRequest, action: str, obj: object = None) -> None:
    """Raise PermissionDenied (403) unless the user may do `action` (to `obj`)."""
    if not permissions.can(request.user, action, obj):
        raise PermissionDenied(action)


def requires(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: 403 unless the user may do `action` (an action without an object)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_action(request, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_for_action_or_404(request: HttpRequest, queryset: QuerySet, action: str | None = None, *,
                          employee_field: str = "employee", **lookup: Any) -> Model:
    """The object the user may see (else 404); 403 if they see it but may not do `action`."""
    obj = permissions.get_visible_or_404(request.user, queryset, employee_field, **lookup)
    if action is not None:
        require_action(request, action, obj)
    return obj


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: on its field when it names one."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class MonthForm(forms.Form):
    """A `YYYY-MM` month within the business range: the `?month=` parameter, or a form's month field."""

    # [0-9], not \d: a URL's digits are ASCII; "２０２６-01" is refused like any other bad value.
    month = forms.RegexField(regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$", required=False,
                             error_messages={"invalid": _("Enter a month as YYYY-MM.")})

    def clean_month(self) -> str:
        value = self.cleaned_data["month"]
        if value and not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
            raise forms.ValidationError(_("Enter a month between 2000 and 2100."), code="range")
        return value

    def year_month(self, today: date | None = None) -> tuple[int, int]:
        """The month asked for; `today`'s month (default: today) when it is missing or bad."""
        self.is_valid()  # a bad month is left out of cleaned_data
        value = self.cleaned_data.get("month")
        if not value:
            today = today or timezone.localdate()
            return today.year, today.month
        year, month = (int(part) for part in value.split("-"))
        return year, month


@dataclass(frozen=True)
class MonthNav:
    """A month page's month, its first and last day and its neighbours (`YYYY-MM` for links)."""

    year: int
    month: int

    @classmethod
    def from_request(cls, request: HttpRequest, param: str = "month") -> "MonthNav":
        form = MonthForm({"month": request.GET.get(param, "")})
        return cls(*form.year_month(timezone.localdate()))

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    @property
    def previous(self) -> str:
        return (self.first - timedelta(days=1)).strftime("%Y-%m")

    @property
    def following(self) -> str:
        return (self.first + timedelta(days=32)).replace(day=1).strftime("%Y-%m")

    @property
    def previous_first(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def following_first(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    def __str__(self) -> str:
        return self.first.strftime("%Y-%m")


class YearForm(forms.Form):
    """A `?year=YYYY` query parameter within the business range."""

    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)

    def clean_year(self) -> int | None:
        # IntegerField reads any Unicode digits ("２０２６", "٢٠٢٦"); a URL's year is ASCII, like the month's.
        if not bounds.typed_ascii(str(self.data.get("year", ""))):
            raise forms.ValidationError(self.fields["year"].error_messages["invalid"], code="invalid")
        return self.cleaned_data["year"]


def year_from_request(request: HttpRequest, default: int | None = None) -> int:
    """The `?year=` parameter, or `default` (this year) when it is missing or out of range."""
    fallback = default if default is not None else timezone.localdate().year
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return fallback


def id_from_request(request: HttpRequest, name: str) -> int | None:
    """A `?name=` row id: ASCII digits that fit a 64-bit key, else None.

    `str.isdigit()` is true for '²' and '٣', which int() then refuses or reads as a digit.
    """
    value = request.GET.get(name, "")
    if len(value) > 18 or not bounds.ascii_digits(value):
        return None
    return int(value)


# ---------------------------------------------------------------- whole-department lists

PEOPLE_PER_PAGE = 50


class PeopleSearchForm(forms.Form):
    """`?q=` (part of a name or an employee number) and `?department=` (one department's people)."""

    q = forms.CharField(label=_("Name or employee no."), required=False, max_length=50, strip=True)
    department = forms.IntegerField(label=_("Department"), required=False, min_value=1, max_value=2**62)


@dataclass
class DepartmentCount:
    id: int | None
    name: str
    count: int


@dataclass
class PeoplePage:
    """One page of a whole-department list, and what the page shows above it.

    `paged` is False when the whole list fits on one page (a supervisor of a few): the page then
    shows neither search nor summary nor paging, exactly as before.
    """

    page: Page
    paged: bool
    form: PeopleSearchForm
    search: str
    department_id: int | None
    departments: list[DepartmentCount]
    total: int
    query: str
    keep_fields: list[tuple[str, str]]
    page_param: str = "page"

    @property
    def rows(self) -> list:
        return list(self.page.object_list)

    @property
    def filtered(self) -> bool:
        return bool(self.search) or self.department_id is not None


def people_page(request: HttpRequest, queryset: QuerySet, *, person: str = "", page_param: str = "page",
                keep: tuple[str, ...] = ("month", "date", "year"), per_page: int = PEOPLE_PER_PAGE,
                search: bool = True) -> PeoplePage:
    """Page through `queryset` (rows of or about employees; `person` is the lookup to the Employee,
    "" for Employee rows, "employee__" for their requests), filtered by `?q=` and `?department=`.

    Queries: the department summary (one GROUP BY over the whole list; its sum is the count when
    nothing is filtered), the filtered count when something is, and the page's rows, whatever the size
    of the department. `search=False`: the list is already
    filtered (a django-filter panel, opsdept/filters.py): only page it, keeping every parameter.
    """
    if not search:
        page = Paginator(queryset, per_page).get_page(request.GET.get(page_param))
        kept_all = [(name, value) for name, value in request.GET.items() if not name.endswith("page")]
        return PeoplePage(page=page, paged=page.paginator.count > per_page, form=PeopleSearchForm(), search="",
                          department_id=None, departments=[], total=page.paginator.count, query=urlencode(kept_all),
                          keep_fields=kept_all, page_param=page_param)
    form = PeopleSearchForm(request.GET)
    search, department_id = "", None
    if form.is_valid():
        search = form.cleaned_data["q"] or ""
        department_id = form.cleaned_data["department"]
    counted = (queryset.order_by().values(f"{person}department_id", f"{person}department__name")
               .annotate(people=Count("pk")).order_by(f"{person}department__name"))
    departments = [DepartmentCount(row[f"{person}department_id"], row[f"{person}department__name"] or "", row["people"])
                   for row in counted]
    total = sum(item.count for item in departments)
    if department_id is not None and department_id not in {item.id for item in departments}:
        department_id = None
    filtered = queryset
    if department_id is not None:
        filtered = filtered.filter(**{f"{person}department_id": department_id})
    if search:
        filtered = filtered.filter(Q(**{f"{person}name__icontains": search}) | Q(**{f"{person}employee_no__icontains": search}))
    paginator = Paginator(filtered, per_page)
    if filtered is queryset:
        paginator.count = total  # the summary counted them already: no second COUNT over the whole list
    page = paginator.get_page(request.GET.get(page_param))
    kept = {name: request.GET[name] for name in keep if request.GET.get(name)}
    keep_fields = list(kept.items())
    if search:
        kept["q"] = search
    if department_id is not None:
        kept["department"] = str(department_id)
    return PeoplePage(page=page, paged=total > per_page, form=form, search=search, department_id=department_id,
                      departments=departments, total=total, query=urlencode(kept), keep_fields=keep_fields,
                      page_param=page_param)


# The team month's small grids: the heat-map classes under one-letter names (static/css/opsdept.css, `.mgc`).
SHORT_CSS = {
    "status-normal": "n", "status-late": "l", "status-early": "e", "status-missing": "m", "status-absent": "a",
    "status-leave": "v", "status-business": "b", "status-untracked": "u",
    "cal-weekend": "w", "cal-holiday": "h", "cal-makeup": "k", "cal-fallback": "f",
}


@functools.lru_cache(maxsize=8)
def _compact_head(language: str | None) -> str:
    """The weekday initials of a small grid in `language` (the active one; the argument keys the cache)."""
    return "".join(f"<th>{escape(label)}</th>" for label in (
        pgettext("weekday initial", "M"), pgettext("weekday initial Tuesday", "T"), pgettext("weekday initial", "W"),
        pgettext("weekday initial Thursday", "T"), pgettext("weekday initial", "F"),
        pgettext("weekday initial Saturday", "S"), pgettext("weekday initial Sunday", "S")))


@functools.lru_cache(maxsize=1024)
def _compact_cell(css: str, day: int) -> str:
    """One small grid's cell: the same few colours and 31 day numbers on every card (cached)."""
    short = " ".join(SHORT_CSS[name] for name in css.split() if name in SHORT_CSS)
    return f'<td class="{short}">{day}</td>' if short else f"<td>{day}</td>"


def compact_month_grid(first: date, css: list[str], testid: str = "") -> SafeString:
    """A small month grid (day numbers only, coloured like templates/_month_grid.html) for the team month's
    person cards: the month starting on `first`, `css` the class names of each of its days in order. Built here
    rather than by the template engine: fifty of them are 1,500 cells a page.

    No per-cell dates, statuses or tooltips: the legend above the cards names the colours, and each card
    links to the person's month with the detail.
    """
    head = _compact_head(get_language())
    cells = ['<td class="x"></td>'] * first.weekday() + [_compact_cell(name, day) for day, name in enumerate(css, 1)]
    cells += ['<td class="x"></td>'] * (-len(cells) % 7)
    rows = ["<tr>" + "".join(cells[start:start + 7]) + "</tr>" for start in range(0, len(cells), 7)]
    testid_attr = f' data-testid="{escape(testid)}"' if testid else ""
    return mark_safe(f'<div class="month-grid-wrap"><table class="table table-bordered month-grid month-grid-compact mgc mb-0"'
                     f'{testid_attr}><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
