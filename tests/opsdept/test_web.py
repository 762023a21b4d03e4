"""opsdept/web.py: the one access helper, the form-error helper, month navigation and the year parameter."""

from datetime import date
from pathlib import Path
import re

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from opsdept import web
from opsdept.errors import DomainError
from opsdept.models import Employee

ROOT = Path(__file__).resolve().parents[2]


def _request(user=None, query: str = ""):
    request = RequestFactory().get("/" + (f"?{query}" if query else ""))
    if user is not None:
        request.user = user
    return request


@pytest.fixture
def on_day(monkeypatch):
    """Fix today (Asia/Shanghai) for the month and year fallbacks."""
    def fix(day: date) -> date:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return fix


# ---------------------------------------------------------------- access: 404 vs 403

def test_object_outside_ones_reach_is_404(cast):
    with pytest.raises(Http404):
        web.get_for_action_or_404(_request(cast.employee.user), Employee.objects.all(), employee_field="pk",
                                  pk=cast.outsider.pk)


def test_object_outside_ones_reach_is_404_even_with_an_action(cast):
    """The 404 comes first: an action never reveals that a hidden object exists."""
    with pytest.raises(Http404):
        web.get_for_action_or_404(_request(cast.employee.user), Employee.objects.all(), "people.manage",
                                  employee_field="pk", pk=cast.outsider.pk)


def test_missing_object_is_404(cast):
    with pytest.raises(Http404):
        web.get_for_action_or_404(_request(cast.hr.user), Employee.objects.all(), employee_field="pk", pk=999_999)


def test_visible_object_without_the_right_is_403(cast):
    with pytest.raises(PermissionDenied):
        web.get_for_action_or_404(_request(cast.supervisor.user), Employee.objects.all(), "people.manage",
                                  employee_field="pk", pk=cast.employee.pk)


def test_visible_object_with_the_right_is_returned(cast):
    found = web.get_for_action_or_404(_request(cast.hr.user), Employee.objects.all(), "people.manage",
                                      employee_field="pk", pk=cast.employee.pk)
    assert found == cast.employee


def test_visible_object_without_an_action_is_returned(cast):
    found = web.get_for_action_or_404(_request(cast.supervisor.user), Employee.objects.all(), employee_field="pk",
                                      pk=cast.employee.pk)
    assert found == cast.employee


def test_requires_refuses_with_403_and_lets_the_allowed_through(cast):
    @web.requires("audit.view")
    def view(request, pk: int) -> HttpResponse:
        return HttpResponse(f"seen {pk}")

    with pytest.raises(PermissionDenied):
        view(_request(cast.employee.user), pk=1)
    assert view(_request(cast.manager.user), pk=1).content == b"seen 1"
    assert view.__name__ == "view"


def test_require_action_checks_the_object(cast):
    web.require_action(_request(cast.supervisor.user), "people.view", cast.employee)
    with pytest.raises(PermissionDenied):
        web.require_action(_request(cast.supervisor.user), "people.view", cast.outsider)


# ---------------------------------------------------------------- a service's refusal on its form

class _NoteForm(forms.Form):
    note = forms.CharField()


def test_domain_error_naming_a_field_lands_on_it():
    form = _NoteForm({"note": "x"})
    form.is_valid()
    web.apply_domain_error(form, DomainError("Too short.", field="note"))
    assert form.errors["note"] == ["Too short."]


def test_domain_error_naming_no_known_field_lands_on_the_form():
    form = _NoteForm({"note": "x"})
    form.is_valid()
    web.apply_domain_error(form, DomainError("Not now.", field="elsewhere"))
    web.apply_domain_error(form, DomainError("Never."))
    assert form.non_field_errors() == ["Not now.", "Never."]


# ---------------------------------------------------------------- month navigation

def test_month_nav_reads_the_month_and_its_neighbours(db):
    nav = web.MonthNav.from_request(_request(query="month=2026-10"))
    assert (nav.year, nav.month) == (2026, 10)
    assert (nav.first, nav.last) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (nav.previous, nav.following) == ("2026-09", "2026-11")
    assert (nav.previous_first, nav.following_first) == (date(2026, 9, 1), date(2026, 11, 1))
    assert str(nav) == "2026-10"


def test_month_nav_crosses_the_year_and_knows_february(db):
    january = web.MonthNav.from_request(_request(query="month=2026-01"))
    assert january.previous == "2025-12"
    december = web.MonthNav.from_request(_request(query="month=2026-12"))
    assert (december.last, december.following) == (date(2026, 12, 31), "2027-01")
    assert web.MonthNav(2028, 2).last == date(2028, 2, 29)
    assert web.MonthNav(2026, 2).last == date(2026, 2, 28)


def test_month_nav_accepts_the_edges_of_the_business_range(db):
    assert web.MonthNav.from_request(_request(query="month=2000-01")).previous == "1999-12"
    last = web.MonthNav.from_request(_request(query="month=2100-12"))
    assert (last.year, last.month, last.last, last.following) == (2100, 12, date(2100, 12, 31), "2101-01")


@pytest.mark.parametrize("value", [
    "0000-01", "9999-12", "1999-12", "2101-01", "2026-00", "2026-13", "2026-1", "26-10", "2026/10", "2026-10-01",
    "２０２６-10", "٢٠٢٦-10", "2026-１0", "²⁰²⁶-10", "-001-10", "garbage", "",
])
def test_month_nav_falls_back_to_this_month_on_bad_input(on_day, value):
    on_day(date(2026, 7, 15))
    nav = web.MonthNav.from_request(_request(query=f"month={value}" if value else ""))
    assert (nav.year, nav.month) == (2026, 7)


def test_month_nav_reads_another_parameter(on_day):
    on_day(date(2026, 7, 15))
    request = _request(query="month=2020-02&start=2024-03")
    assert web.MonthNav.from_request(request, param="start").first == date(2024, 3, 1)


# ---------------------------------------------------------------- the year parameter

def test_year_is_read_from_the_request(on_day):
    on_day(date(2026, 7, 15))
    assert web.year_from_request(_request(query="year=2024")) == 2024
    assert web.year_from_request(_request(query="year=2000")) == 2000
    assert web.year_from_request(_request(query="year=2100")) == 2100


@pytest.mark.parametrize("value", [
    "²", "²⁰²⁶", "２０２６", "٢٠٢٦", "0", "-2026", "1999", "2101", "99999999999999999999", "2026.5", "twenty", "",
])
def test_bad_year_falls_back_to_this_year(on_day, value):
    on_day(date(2026, 7, 15))
    assert web.year_from_request(_request(query=f"year={value}")) == 2026


def test_bad_year_falls_back_to_the_given_default(on_day):
    on_day(date(2026, 7, 15))
    assert web.year_from_request(_request(query="year=²"), default=2025) == 2025
    assert web.year_from_request(_request(), default=2025) == 2025


# ---------------------------------------------------------------- the pages that read them never fail

BAD_MONTHS = ["0000-01", "9999-12", "２０２６-10", "2026-13", "x" * 300]
BAD_YEARS = ["²", "0000", "9999", "２０２６", "-1", "x" * 300]

MONTH_PAGES = [
    ("employee", "calendar"),
    ("employee", "attendance:my_month"),
    ("supervisor", "attendance:team_month"),
    ("supervisor", "leave:team_calendar"),
]
YEAR_PAGES = [
    ("hr", "leave:balances"),
    ("manager", "discipline:year_end"),
]


@pytest.mark.parametrize("role,route", MONTH_PAGES)
def test_month_pages_show_this_month_for_bad_months(client, cast, role, route):
    client.force_login(cast.by_role(role).user)
    this_month = timezone.localdate().strftime("%Y-%m")
    for value in BAD_MONTHS:
        response = client.get(reverse(route), {"month": value})
        assert response.status_code == 200, value
        assert f"?month={web.MonthNav(*map(int, this_month.split('-'))).following}" in response.content.decode()


@pytest.mark.parametrize("role,route", YEAR_PAGES)
def test_year_pages_show_this_year_for_bad_years(client, cast, role, route):
    client.force_login(cast.by_role(role).user)
    for value in BAD_YEARS:
        response = client.get(reverse(route), {"year": value})
        assert response.status_code == 200, value
        assert response.context["year"] == timezone.localdate().year


def test_year_end_page_never_looks_beyond_next_year(client, cast):
    client.force_login(cast.manager.user)
    response = client.get(reverse("discipline:year_end"), {"year": "2100"})
    assert response.context["year"] == timezone.localdate().year + 1


@pytest.mark.parametrize("value", ["0000-01", "9999-12", "２０２６-10"])
def test_export_refuses_months_outside_the_business_range(client, cast, value):
    client.force_login(cast.hr.user)
    response = client.get(reverse("attendance:export"), {"month": value, "format": "csv"})
    assert response.status_code == 200
    assert response.context["form"].errors["month"]


# ---------------------------------------------------------------- one of each helper

HELPER_COPIES = {
    "an access helper": re.compile(r"^\s*def (require_or_403|_require|require_action|requires|get_for_action_or_404)\b", re.M),
    "a domain-error-to-form helper": re.compile(r"^\s*def (_form_error|_apply|apply_domain_error)\b", re.M),
    "month navigation": re.compile(
        r"^\s*(def (_month|month_start|year_month)\b|class (MonthForm|MonthNav)\b)|timedelta\(days=32\)", re.M),
    "year parsing": re.compile(
        r"^\s*(def year_from_request\b|class YearForm\b)|int\(request\.GET\.get\(\s*[\"']year", re.M),
}
HOME = {"opsdept/web.py"}


def _python_sources() -> list[Path]:
    skip = {"tests", ".venv", "node_modules", "static", "migrations", ".git"}
    return sorted(path for path in ROOT.rglob("*.py") if not skip.intersection(path.relative_to(ROOT).parts))


def test_the_helpers_live_only_in_opsdept_web():
    sources = _python_sources()
    assert any(path.relative_to(ROOT).as_posix() == "opsdept/web.py" for path in sources)
    copies = []
    for path in sources:
        name = path.relative_to(ROOT).as_posix()
        if name in HOME:
            continue
        text = path.read_text(encoding="utf-8")
        for helper, pattern in HELPER_COPIES.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                copies.append(f"{name}:{line} looks like a second copy of {helper}: {match.group(0).strip()}")
    assert not copies, "Use opsdept/web.py instead:\n" + "\n".join(copies)


def test_the_copy_finder_finds_a_copy():
    """The grep above could pass by finding nothing at all; show that it recognises each kind of copy."""
    samples = {
        "an access helper": "def require_or_403(request, action):\n",
        "a domain-error-to-form helper": "    def _form_error(form, error):\n",
        "month navigation": "following = (first + timedelta(days=32)).replace(day=1)\n",
        "year parsing": "        year = int(request.GET.get('year', today.year))\n",
    }
    for helper, sample in samples.items():
        assert HELPER_COPIES[helper].search(sample), helper


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_number_display_shows_what_the_template_engine_shows(language, settings):
    """`web.number_display` (the team month's and year-end summary's numbers) writes ints and Decimals out itself;
    it must show exactly what `{{ value }}` (formats.number_format) shows, with and without thousands grouping."""
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    values = [0, 1, -3, 17, 12345678, Decimal("0"), Decimal("0.0"), Decimal("2.0"), Decimal("-0"), Decimal("1.5"),
              Decimal("-2.50"), Decimal("12345.678"), Decimal("1E+1"), Decimal("1E-7"), Decimal("100"), True]
    for grouping in (False, True):
        settings.USE_THOUSAND_SEPARATOR = grouping
        with translation.override(language):
            show = web.number_display()
            assert [show(value) for value in values] == [str(number_format(value)) for value in values]
