"""The work calendar: which dates are workdays.

China's statutory holidays and make-up workdays (调休上班) come from the
chinese-calendar package; HR's overrides per date win over it. For a year the
package does not know yet, the calendar falls back to Monday–Friday plus HR's
overrides and says so (`DayInfo.source == FALLBACK`), so that pages can warn
HR instead of guessing silently.
"""

from dataclasses import dataclass
from datetime import date, timedelta
import calendar as pycalendar

import chinese_calendar
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride


class Kind:
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup"


KIND_LABELS = {
    Kind.WORKDAY: _("Workday"),
    Kind.WEEKEND: _("Weekend"),
    Kind.HOLIDAY: _("Holiday"),
    Kind.MAKEUP_WORKDAY: _("Make-up workday"),
}


class Source:
    PACKAGE = "package"
    OVERRIDE = "override"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_workday: bool
    kind: str
    name: str
    source: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}


def _from_package(day: date) -> DayInfo | None:
    try:
        workday = chinese_calendar.is_workday(day)
        _on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    weekend = day.weekday() >= 5
    # chinese-calendar gives the holiday as an enum in some versions and as its English name (a str) in others.
    key = getattr(holiday, "value", holiday) if holiday is not None else ""
    name = str(HOLIDAY_NAMES.get(key, key)) if key else ""
    if workday:
        kind = Kind.MAKEUP_WORKDAY if weekend else Kind.WORKDAY
    else:
        kind = Kind.HOLIDAY if (holiday is not None or not weekend) else Kind.WEEKEND
    return DayInfo(day, workday, kind, name, Source.PACKAGE)


def _from_override(override: CalendarOverride) -> DayInfo:
    weekend = override.date.weekday() >= 5
    if override.kind == CalendarOverride.Kind.WORKDAY:
        kind = Kind.MAKEUP_WORKDAY if weekend else Kind.WORKDAY
        return DayInfo(override.date, True, kind, override.note, Source.OVERRIDE)
    return DayInfo(override.date, False, Kind.HOLIDAY, override.note, Source.OVERRIDE)


def _fallback(day: date) -> DayInfo:
    weekend = day.weekday() >= 5
    return DayInfo(day, not weekend, Kind.WEEKEND if weekend else Kind.WORKDAY, "", Source.FALLBACK)


def days_between(start: date, end: date) -> list[DayInfo]:
    """Return a DayInfo for every date from `start` to `end` inclusive (one query)."""
    if end < start:
        return []
    overrides = {o.date: o for o in CalendarOverride.objects.filter(date__range=(start, end))}
    result = []
    day = start
    while day <= end:
        if day in overrides:
            result.append(_from_override(overrides[day]))
        else:
            result.append(_from_package(day) or _fallback(day))
        day += timedelta(days=1)
    return result


def day_info(day: date) -> DayInfo:
    return days_between(day, day)[0]


def is_workday(day: date) -> bool:
    return day_info(day).is_workday


def workdays_between(start: date, end: date) -> list[date]:
    return [info.date for info in days_between(start, end) if info.is_workday]


def month_days(year: int, month: int) -> list[DayInfo]:
    last = pycalendar.monthrange(year, month)[1]
    return days_between(date(year, month, 1), date(year, month, last))


def package_knows(day: date) -> bool:
    """Whether chinese-calendar has the official schedule for `day`'s year."""
    return _from_package(day) is not None


def unknown_range_warning(start: date, end: date) -> bool:
    """Whether any date in the range falls back to weekends only, with no HR override."""
    return any(info.source == Source.FALLBACK for info in days_between(start, end))


def add_workdays(day: date, count: int) -> date:
    """Return the date `count` workdays after `day` (count ≥ 0; 0 returns `day`)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def next_workday(day: date) -> date:
    """The first workday after `day`: where a form's "tomorrow" should land (never a Sunday or a holiday)."""
    return add_workdays(day, 1)


def workday_on_or_after(day: date) -> date:
    """`day` if it is a workday, else the next workday: a due date given on a weekend lands on Monday."""
    return day if is_workday(day) else next_workday(day)
