"""The work calendar: which dates are workdays.

China's statutory holidays and make-up workdays (调休上班) come from the
chinese-calendar package; HR's overrides per date win over it. For a year the
package does not know yet, the calendar falls back to Monday–Friday plus HR's
overrides and says so (`DayInfo.source == FALLBACK`), so that pages can warn
HR instead of guessing silently; once HR confirms that year's schedule
(`CalendarYear`), its dates are `CONFIRMED` and the nightly checks run on them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
import calendar as pycalendar
import functools

import chinese_calendar
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import memo
from .models import CalendarOverride, CalendarYear


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
    # A year the package does not know whose schedule HR has entered and confirmed.
    CONFIRMED = "confirmed"


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


@functools.lru_cache(maxsize=8192)
def _package_day(day: date) -> tuple[bool, bool, str] | None:
    """(workday, holiday, the holiday's English name) from chinese-calendar, None for a year it does not know.

    Remembered per date (the package's data never changes while the process runs): asking it validates the
    date each time, a tenth of the year-end summary's time at 3,000 employees (issue 16)."""
    try:
        workday = chinese_calendar.is_workday(day)
        _on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    # chinese-calendar gives the holiday as an enum in some versions and as its English name (a str) in others.
    return workday, holiday is not None, getattr(holiday, "value", holiday) if holiday is not None else ""


def _from_package(day: date) -> DayInfo | None:
    known = _package_day(day)
    if known is None:
        return None
    workday, is_holiday, key = known
    weekend = day.weekday() >= 5
    name = str(HOLIDAY_NAMES.get(key, key)) if key else ""
    if workday:
        kind = Kind.MAKEUP_WORKDAY if weekend else Kind.WORKDAY
    else:
        kind = Kind.HOLIDAY if (is_holiday or not weekend) else Kind.WEEKEND
    return DayInfo(day, workday, kind, name, Source.PACKAGE)


def _from_override(override: CalendarOverride) -> DayInfo:
    weekend = override.date.weekday() >= 5
    if override.kind == CalendarOverride.Kind.WORKDAY:
        kind = Kind.MAKEUP_WORKDAY if weekend else Kind.WORKDAY
        return DayInfo(override.date, True, kind, override.note, Source.OVERRIDE)
    return DayInfo(override.date, False, Kind.HOLIDAY, override.note, Source.OVERRIDE)


def _fallback(day: date, confirmed: bool = False) -> DayInfo:
    weekend = day.weekday() >= 5
    return DayInfo(day, not weekend, Kind.WEEKEND if weekend else Kind.WORKDAY, "",
                   Source.CONFIRMED if confirmed else Source.FALLBACK)


def _overrides(start: date, end: date) -> dict[date, CalendarOverride]:
    """HR's overrides by date, at least from `start` to `end`: within a web request, whole years read once
    (opsdept.memo; a page asks for the month, the counted days and the twelve-month trend)."""
    def read() -> dict[date, CalendarOverride]:
        first, last = (date(start.year, 1, 1), date(end.year, 12, 31)) if remembering else (start, end)
        return {o.date: o for o in CalendarOverride.objects.filter(date__range=(first, last))}

    remembering = memo.active()
    return memo.remembered(("calendar-overrides", start.year, end.year), read)


def days_between(start: date, end: date) -> list[DayInfo]:
    """Return a DayInfo for every date from `start` to `end` inclusive (one query).

    Within a web request the same span is built once (opsdept.memo, in the language of the moment: the
    holiday names are translated): the year-end summary asked for the year four times, 1,460 days.
    """
    if end < start:
        return []
    return list(memo.remembered(("calendar-days", start, end, translation.get_language()), lambda: _days_between(start, end)))


def _days_between(start: date, end: date) -> list[DayInfo]:
    overrides = _overrides(start, end)
    confirmed: set[int] | None = None  # read only when a date falls outside the package's years
    result = []
    day = start
    while day <= end:
        if day in overrides:
            result.append(_from_override(overrides[day]))
        else:
            info = _from_package(day)
            if info is None:
                if confirmed is None:
                    confirmed = set(CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True))
                info = _fallback(day, day.year in confirmed)
            result.append(info)
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


def year_is_known(year: int) -> bool:
    """Whether the nightly checks may trust the calendar for `year`: the package knows it, or HR confirmed it."""
    return package_knows(date(year, 7, 1)) or CalendarYear.objects.filter(year=year).exists()


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


# ---------------------------------------------------------------- statutory holidays (劳动法 第四十四条)

class OvertimeKind:
    """How overtime on a date is paid (劳动法 第四十四条): workday ×1.5, rest day ×2 (or comp time), statutory holiday ×3."""

    WORKDAY = "workday"
    REST_DAY = "rest"
    HOLIDAY = "holiday"


OVERTIME_KIND_LABELS = {
    OvertimeKind.WORKDAY: _("Workday"),
    OvertimeKind.REST_DAY: _("Rest day"),
    OvertimeKind.HOLIDAY: _("Statutory holiday"),
}

# 《全国年节及纪念日放假办法》 (2025): the statutory days themselves — 元旦 1, 春节 4 (除夕 to 初三),
# 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3. The rest of a holiday period are rest days moved by
# make-up workdays (×2, not ×3). Fixed-date ones follow from the law; the lunar and solar-term
# ones are listed per year (chinese-calendar gives the periods, not which days are statutory).
FIXED_STATUTORY = [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)]
MOVABLE_STATUTORY = {
    2024: ["2024-02-10", "2024-02-11", "2024-02-12", "2024-04-04", "2024-06-10", "2024-09-17"],
    2025: ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-04", "2025-05-31", "2025-10-06"],
    2026: ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-04-05", "2026-06-19", "2026-09-25"],
    2027: ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-06-09", "2027-09-15"],
}


def is_statutory_holiday(day: date) -> bool:
    """Whether `day` is one of the law's paid public holidays (not a moved rest day of the holiday period)."""
    if (day.month, day.day) in FIXED_STATUTORY:
        return True
    return day.isoformat() in MOVABLE_STATUTORY.get(day.year, ())


def overtime_kind(day: date) -> str:
    """Class overtime on `day` from the calendar: a workday (make-up workdays included), a statutory holiday, or a rest day."""
    if day_info(day).is_workday:
        return OvertimeKind.WORKDAY
    if is_statutory_holiday(day):
        return OvertimeKind.HOLIDAY
    return OvertimeKind.REST_DAY
