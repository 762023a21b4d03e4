"""A settable clock for the worklog tests: the rules turn on the local (Asia/Shanghai) day."""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")

# A Thursday that is a workday in China's 2026 calendar; the next day is a workday too.
THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch) -> Callable[[datetime], None]:
    """Set the wall clock: clock(datetime(..., tzinfo=SHANGHAI)). Starts on THURSDAY 10:00 local time."""
    current = {"now": THURSDAY}
    monkeypatch.setattr(timezone, "now", lambda: current["now"].astimezone(ZoneInfo("UTC")))

    def set_to(moment: datetime) -> None:
        current["now"] = moment

    return set_to
