"""A settable clock and the Monday meeting of 2026-11-23 for the meetings tests."""

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)  # a workday Monday in China's 2026 calendar


def at(hour: int, minute: int = 0, second: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch) -> Callable[[datetime], None]:
    """Set the wall clock: clock(at(9, 57)). Starts on MONDAY 09:00 local time."""
    current = {"now": at(9, 0)}
    monkeypatch.setattr(timezone, "now", lambda: current["now"].astimezone(ZoneInfo("UTC")))

    def set_to(moment: datetime) -> None:
        current["now"] = moment

    return set_to


@pytest.fixture
def meeting(cast, clock) -> Meeting:
    """The weekly meeting of MONDAY at 10:00, planned the week before."""
    clock(at(9, 0, day=date(2026, 11, 16)))
    services.plan_weekly_meetings(MONDAY, weeks=1)
    clock(at(9, 0))
    return Meeting.objects.get(week_of=MONDAY)


@pytest.fixture(autouse=True)
def _long_sessions(settings):
    """The clock jumps by hours between steps; a 30-minute idle timeout would sign everyone out."""
    settings.SESSION_COOKIE_AGE = 24 * 3600
