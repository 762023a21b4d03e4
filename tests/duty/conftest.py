"""The duty tests' clock and helpers: rosters for 2026 National Day, built through the services."""

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from attendance.days import local_moment
from attendance.models import Punch
from duty import services
from duty.models import DutyAssignment, DutyRoster

SHANGHAI = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY = (date(2026, 10, 1), date(2026, 10, 7))
# A Monday workday before National Day 2026 (and after Mid-Autumn).
BEFORE = datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch) -> Callable[[datetime], None]:
    """Set the wall clock; starts on 2026-09-28 10:00 local time, before National Day."""
    current = {"now": BEFORE}
    monkeypatch.setattr(timezone, "now", lambda: current["now"].astimezone(ZoneInfo("UTC")))

    def set_to(moment: datetime) -> None:
        current["now"] = moment

    return set_to


def national_day_roster(cast, *, owner=None, publish: bool = True) -> DutyRoster:
    """The supervisor's National Day roster filled evenly (and published)."""
    owner = owner or cast.supervisor
    roster = services.start_duty_roster(actor=owner.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    services.fill_roster_evenly(roster.pk, actor=owner.user)
    if publish:
        services.publish_duty_roster(roster.pk, actor=owner.user)
    return roster


def assignment_on(roster: DutyRoster, day: date, employee=None) -> DutyAssignment:
    queryset = DutyAssignment.objects.filter(shift__day__roster=roster, shift__day__date=day, is_active=True)
    if employee is not None:
        queryset = queryset.filter(employee=employee)
    return queryset.select_related("employee", "shift__day").first()


def punch(employee, day: date, clock: time = time(9, 0)) -> Punch:
    return Punch.objects.create(employee=employee, at=local_moment(day, clock), local_date=day, source=Punch.Source.IMPORT)
