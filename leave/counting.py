"""Counting leave in half days on workdays only, with the work calendar (holidays and make-up workdays)."""

from datetime import date
from decimal import Decimal

from opsdept import workcalendar

from .models import Half

# A half day is the unit: a position is (date, 0 for the morning, 1 for the afternoon).
Position = tuple[date, int]


def start_position(day: date, half: str) -> Position:
    return (day, 0 if half == Half.MORNING else 1)


def end_position(day: date, half: str) -> Position:
    return (day, 0 if half == Half.MORNING else 1)


def ends_after_start(start_date: date, start_half: str, end_date: date, end_half: str) -> bool:
    return start_position(start_date, start_half) <= end_position(end_date, end_half)


def overlaps(a: tuple[date, str, date, str], b: tuple[date, str, date, str]) -> bool:
    """Whether two spans (start date, start half, end date, end half), both inclusive, share a half day."""
    return start_position(a[0], a[1]) <= end_position(b[2], b[3]) and start_position(b[0], b[1]) <= end_position(a[2], a[3])


def fraction_of_day(day: date, start_date: date, start_half: str, end_date: date, end_half: str) -> Decimal:
    """How much of `day` (a workday) a span covers: 0, 0.5 or 1."""
    halves = 0
    for half in (0, 1):
        if start_position(start_date, start_half) <= (day, half) <= end_position(end_date, end_half):
            halves += 1
    return Decimal(halves) / 2


def fractions(start_date: date, start_half: str, end_date: date, end_half: str,
              calendar: list[workcalendar.DayInfo] | None = None) -> dict[date, Decimal]:
    """The fraction of each workday a span covers; weekends and holidays count nothing, make-up workdays count."""
    if not ends_after_start(start_date, start_half, end_date, end_half):
        return {}
    days = calendar if calendar is not None else workcalendar.days_between(start_date, end_date)
    result: dict[date, Decimal] = {}
    for info in days:
        if info.is_workday and start_date <= info.date <= end_date:
            fraction = fraction_of_day(info.date, start_date, start_half, end_date, end_half)
            if fraction:
                result[info.date] = fraction
    return result


def count_days(start_date: date, start_half: str, end_date: date, end_half: str) -> Decimal:
    """The leave days a span takes: working half days / 2 (one calendar query)."""
    return sum(fractions(start_date, start_half, end_date, end_half).values(), Decimal("0"))
