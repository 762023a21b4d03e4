"""Dates default to the next workday, never a weekend or holiday (issue 13 #7)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from attendance.days import LOCAL_ZONE
from leave import services as leave_services
from leave.errors import LeaveError
from opsdept import workcalendar
from tests.leave.factories import leave_type

FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)
MONDAY = date(2026, 11, 30)
# 2026-09-30 is the Wednesday before the National Day holiday (10-01…10-07); 10-08 is the next workday.
BEFORE_NATIONAL_DAY = date(2026, 9, 30)


@pytest.fixture
def today_is(monkeypatch):
    def set_to(day: date, hour: int = 10) -> None:
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_ZONE)
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return set_to


def test_next_workday_skips_weekends_and_holidays(db):
    assert workcalendar.next_workday(FRIDAY) == MONDAY
    assert workcalendar.next_workday(SATURDAY) == MONDAY
    assert workcalendar.next_workday(BEFORE_NATIONAL_DAY) == date(2026, 10, 8)
    assert workcalendar.workday_on_or_after(SATURDAY) == MONDAY
    assert workcalendar.workday_on_or_after(MONDAY) == MONDAY


def test_leave_form_opens_on_the_next_workday_on_a_friday(client, cast, today_is):
    today_is(FRIDAY)
    client.force_login(cast.employee.user)
    form = client.get("/leave/new/").context["form"]
    assert form.initial["start_date"] == MONDAY and form.initial["end_date"] == MONDAY


def test_too_soon_error_suggests_a_workday(cast, today_is):
    today_is(FRIDAY)
    with pytest.raises(LeaveError) as error:
        leave_services.file_leave_request(
            cast.employee.pk, actor=cast.employee.user, leave_type=leave_type(),
            start_date=FRIDAY, start_half="am", end_date=FRIDAY, end_half="pm", reason="家里有事")
    assert "2026-11-30" in str(error.value.message) and "2026-11-28" not in str(error.value.message)


def test_task_due_date_defaults_to_monday_on_a_weekend(client, cast, today_is):
    today_is(SATURDAY)
    client.force_login(cast.supervisor.user)
    assert client.get("/worklog/tasks/new/").context["form"].initial["due_date"] == MONDAY


def test_task_due_date_defaults_to_today_on_a_workday(client, cast, today_is):
    today_is(MONDAY)
    client.force_login(cast.supervisor.user)
    assert client.get("/worklog/tasks/new/").context["form"].initial["due_date"] == MONDAY
