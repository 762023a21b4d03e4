"""Business-date bounds, in one place: which dates a person or a file may enter.

Every date typed into a form, given on a command line or read from a file is
checked here, by kind, against a sane window and the person's employment:

    kind          earliest                        latest
    PAST          hire date − 1 year              today          corrections, imported punches, campaign misses
    EMPLOYMENT    hire date − 1 year              today + 2 years  overtime, leave, emergency leave
    FUTURE        today                           today + 2 years  task due dates
    VIEW          2000-01-01                      today + 2 years  a date or month to look at (reports, exports)

Without a person the earliest is 2000-01-01 (the calendar package starts in 2004;
nothing in the department is older). Months to export run from 2000-01 to this month.
Forms use `form_validator(kind)` (the window without the person); services call
`check_date(day, kind=..., employee=...)` (with the person), so a caller that skips
the form still cannot write a date outside the window.
"""

from collections.abc import Callable
from datetime import date
import enum
from pathlib import PureWindowsPath

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .notify import one_line

FLOOR = date(2000, 1, 1)
YEARS_AHEAD = 2
YEARS_BEFORE_HIRE = 1


class Kind(enum.Enum):
    PAST = "past"
    EMPLOYMENT = "employment"
    FUTURE = "future"
    VIEW = "view"


class DateOutOfBounds(DomainError):
    pass


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def window(kind: Kind, *, employee=None, today: date | None = None) -> tuple[date, date]:
    """The first and last date allowed for `kind` (and `employee`, when given)."""
    today = today or timezone.localdate()
    earliest = FLOOR
    hire = getattr(employee, "hire_date", None)
    if hire is not None and kind in (Kind.PAST, Kind.EMPLOYMENT):
        earliest = max(FLOOR, _years_from(hire, -YEARS_BEFORE_HIRE))
    if kind is Kind.FUTURE:
        earliest = today
    latest = today if kind is Kind.PAST else _years_from(today, YEARS_AHEAD)
    return earliest, latest


def reason(day: date, kind: Kind, *, employee=None, today: date | None = None) -> str | None:
    """Why `day` is refused for `kind` (a translated sentence), or None when it is allowed."""
    earliest, latest = window(kind, employee=employee, today=today)
    if earliest <= day <= latest:
        return None
    if day < earliest and employee is not None and kind in (Kind.PAST, Kind.EMPLOYMENT) and earliest > FLOOR:
        return _("%(date)s is more than a year before %(name)s was hired (%(hire)s); the earliest date is %(earliest)s.") % {
            "date": day.isoformat(), "name": employee.name, "hire": employee.hire_date.isoformat(),
            "earliest": earliest.isoformat()}
    if day > latest and kind is Kind.PAST:
        return _("%(date)s is in the future; only past dates up to today are allowed.") % {"date": day.isoformat()}
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.isoformat(), "latest": latest.isoformat()}


def check_date(day: date, *, kind: Kind, employee=None, field: str | None = "date", today: date | None = None) -> date:
    """Return `day`, or raise DateOutOfBounds with the reason in the user's language."""
    problem = reason(day, kind, employee=employee, today=today)
    if problem:
        raise DateOutOfBounds(problem, field=field)
    return day


def form_validator(kind: Kind) -> Callable[[date], None]:
    """A form-field validator: the window of `kind` without a person (the service adds the person)."""

    def validate(day: date) -> None:
        if isinstance(day, date):
            problem = reason(day, kind)
            if problem:
                raise ValidationError(problem, code="out_of_bounds")

    return validate


def typed_ascii(value) -> bool:
    """True unless `value` is text with a character outside ASCII.

    Python's int(), Decimal() and time parsing read full-width "１２" and Arabic-Indic "٣" as digits, so
    a number, time or id typed with them would be stored as something the person never saw on their
    keyboard. Every form field, filter and URL parameter that reads a number asks here first.
    """
    return not isinstance(value, str) or value.isascii()


def ascii_digits(value: str) -> bool:
    """True for a non-empty run of the digits 0–9 only (`str.isdigit()` is also true for '²' and '٣')."""
    return bool(value) and value.isascii() and value.isdigit()


def month_window(today: date | None = None) -> tuple[tuple[int, int], tuple[int, int]]:
    today = today or timezone.localdate()
    return (FLOOR.year, FLOOR.month), (today.year, today.month)


def check_month(year: int, month: int, *, today: date | None = None) -> tuple[int, int]:
    """Return (year, month) for an export, or raise DateOutOfBounds: from 2000-01 to this month."""
    first, last = month_window(today)
    if 1 <= month <= 12 and (year, month) > last:
        raise DateOutOfBounds(_("%(month)s has not started yet: there is nothing to export.") % {
            "month": f"{year:04d}-{month:02d}"}, field="month")
    if not 1 <= month <= 12 or not first <= (year, month) <= last:
        raise DateOutOfBounds(_("Enter a month between %(first)s and %(last)s.") % {
            "first": f"{first[0]:04d}-{first[1]:02d}", "last": f"{last[0]:04d}-{last[1]:02d}"}, field="month")
    return year, month


def parse_month(text: str, *, today: date | None = None) -> tuple[int, int]:
    """Parse YYYY-MM (ASCII digits only) within the export window, or raise DateOutOfBounds."""
    value = (text or "").strip()
    if len(value) != 7 or value[4] != "-" or not ascii_digits(value[:4] + value[5:]):
        raise DateOutOfBounds(_("Enter a month as YYYY-MM."), field="month")
    return check_month(int(value[:4]), int(value[5:]), today=today)


def upload_name(name: str | None) -> str:
    """An uploaded file's name as it may be shown and sent back as a download's file name (a header): one line,
    without the path old browsers send ("C:\\fakepath\\…"), at most 200 characters."""
    return one_line(PureWindowsPath(name or "").name)[:200] or "upload"
