"""Holiday periods come from the work calendar: runs of non-workdays that contain a statutory holiday."""

from datetime import date

import pytest

from duty.selectors import holiday_periods
from opsdept.models import CalendarOverride

pytestmark = pytest.mark.django_db


def test_national_day_2026_is_one_period_without_its_make_up_workdays():
    periods = {p.start_date: p for p in holiday_periods(2026)}
    national = periods[date(2026, 10, 1)]
    assert national.end_date == date(2026, 10, 7)
    assert len(national.days) == 7
    # 09-20 (Sunday) and 10-10 (Saturday) are make-up workdays: outside the period, and no period starts there.
    assert date(2026, 9, 20) not in periods and date(2026, 10, 10) not in periods
    assert all(not (p.start_date <= date(2026, 10, 10) <= p.end_date) for p in periods.values())
    assert "国庆" in national.name or "National" in national.name


def test_mid_autumn_2026_is_its_own_period():
    periods = {p.start_date: p for p in holiday_periods(2026)}
    assert periods[date(2026, 9, 25)].end_date == date(2026, 9, 27)


def test_an_ordinary_weekend_is_not_a_period():
    assert all(p.start_date != date(2026, 11, 28) for p in holiday_periods(2026))


def test_a_year_the_package_does_not_know_uses_hr_overrides_and_does_not_crash():
    assert holiday_periods(2027) == []
    CalendarOverride.objects.create(date=date(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY, note="元旦")
    periods = holiday_periods(2027)
    assert [(p.start_date, p.end_date, p.name) for p in periods] == [(date(2027, 1, 1), date(2027, 1, 3), "元旦")]
