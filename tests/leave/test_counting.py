"""Leave is counted in half days on workdays only: holidays and weekends count nothing, make-up workdays count."""

from datetime import date
from decimal import Decimal

from leave.counting import count_days, fractions, overlaps
from opsdept.models import CalendarOverride

AM, PM = "am", "pm"


def test_a_week_of_leave_counts_five_workdays(db):
    # Mon 2026-11-23 to Sun 2026-11-29: the weekend counts nothing.
    assert count_days(date(2026, 11, 23), AM, date(2026, 11, 29), PM) == Decimal("5")


def test_spring_festival_holiday_counts_nothing_but_its_make_up_saturday_counts(db):
    # 2026: Sat 02-14 is a make-up workday, 02-15…02-23 the Spring Festival holiday, Tue 02-24 work again.
    assert count_days(date(2026, 2, 13), AM, date(2026, 2, 24), PM) == Decimal("3")   # Fri 13, Sat 14, Tue 24
    assert set(fractions(date(2026, 2, 13), AM, date(2026, 2, 24), PM)) == {
        date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 24)}


def test_half_days_at_both_ends(db):
    # Thu afternoon to Fri morning: two half days.
    assert count_days(date(2026, 11, 26), PM, date(2026, 11, 27), AM) == Decimal("1")
    assert fractions(date(2026, 11, 26), PM, date(2026, 11, 27), AM) == {
        date(2026, 11, 26): Decimal("0.5"), date(2026, 11, 27): Decimal("0.5")}
    assert count_days(date(2026, 11, 26), AM, date(2026, 11, 26), AM) == Decimal("0.5")


def test_a_span_over_a_weekend_only_counts_nothing(db):
    assert count_days(date(2026, 11, 28), AM, date(2026, 11, 29), PM) == Decimal("0")


def test_hr_override_wins_over_the_package(db):
    CalendarOverride.objects.create(date=date(2026, 11, 27), kind=CalendarOverride.Kind.HOLIDAY, note="公司假日")
    CalendarOverride.objects.create(date=date(2026, 11, 28), kind=CalendarOverride.Kind.WORKDAY, note="补班")
    assert count_days(date(2026, 11, 27), AM, date(2026, 11, 28), PM) == Decimal("1")


def test_backwards_span_counts_nothing():
    assert count_days(date(2026, 11, 27), PM, date(2026, 11, 27), AM) == Decimal("0")


def test_overlap_is_by_half_day():
    morning = (date(2026, 12, 1), AM, date(2026, 12, 1), AM)
    afternoon = (date(2026, 12, 1), PM, date(2026, 12, 1), PM)
    whole = (date(2026, 12, 1), AM, date(2026, 12, 1), PM)
    assert not overlaps(morning, afternoon)
    assert overlaps(morning, whole) and overlaps(afternoon, whole)
