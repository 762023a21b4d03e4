"""The punch screen states the day so far, the next action and what a tap just did (issue 13 #3)."""

from datetime import datetime

import pytest
from django.utils import timezone

from attendance import selectors
from attendance.days import LOCAL_ZONE

MONDAY = (2026, 11, 30)      # a workday in the official calendar
SATURDAY = (2026, 11, 28)


@pytest.fixture
def clock(monkeypatch, client, cast):
    """Set the server's clock to a local wall time and sign the employee in then (sessions idle out after 30 min):
    `clock(9, 13)`, `clock(18, 5, day=SATURDAY)`."""
    def set_to(hour: int, minute: int, second: int = 0, day: tuple[int, int, int] = MONDAY) -> None:
        moment = datetime(*day, hour, minute, second, tzinfo=LOCAL_ZONE)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        client.force_login(cast.employee.user)
    return set_to


def test_a_late_clock_in_is_a_warning_that_states_the_minutes(client, cast, clock):
    clock(9, 13)
    page = client.post("/attendance/", follow=True).content.decode()
    assert "alert-warning" in page and "迟到 13 分钟" in page
    assert "alert-success" not in page
    assert 'data-action="out"' in page and "下班打卡" in page


def test_an_on_time_clock_in_is_a_success_and_says_in_not_out(client, cast, clock):
    clock(8, 55)
    page = client.post("/attendance/", follow=True).content.decode()
    assert "alert-success" in page and "上班打卡成功：08:55" in page
    assert "迟到" not in page


def test_clocking_out_says_out_and_the_button_no_longer_offers_clock_in(client, cast, clock):
    clock(8, 59)
    client.post("/attendance/")
    clock(18, 2)
    page = client.post("/attendance/", follow=True).content.decode()
    assert "下班打卡成功：18:02" in page
    assert 'data-action="out_again"' in page
    assert "上班打卡</button>" not in page.replace("\n", "").replace("  ", "")
    # What a further tap does is said before it happens.
    assert "再次打卡会把下班时间改为打卡时刻" in page


def test_a_tap_after_clocking_out_moves_the_clock_out(client, cast, clock):
    client.force_login(cast.employee.user)
    for hour, minute in ((8, 59), (17, 30), (18, 10)):
        clock(hour, minute)
        response = client.post("/attendance/", follow=True)
    day = selectors.punch_day(cast.employee, datetime(*MONDAY).date())
    assert timezone.localtime(day.clock_in).strftime("%H:%M") == "08:59"
    assert timezone.localtime(day.clock_out).strftime("%H:%M") == "18:10"
    assert "下班时间已改为 18:10" in response.content.decode()


def test_an_early_clock_out_is_a_warning(client, cast, clock):
    clock(9, 0)
    client.post("/attendance/")
    clock(17, 30)
    page = client.post("/attendance/", follow=True).content.decode()
    assert "alert-warning" in page and "早退 30 分钟" in page


def test_a_double_tap_says_it_counted_once(client, cast, clock):
    clock(9, 0, 0)
    client.post("/attendance/")
    clock(9, 0, 4)
    page = client.post("/attendance/", follow=True).content.decode()
    assert "只算一次" in page


def test_htmx_gets_the_panel_with_the_feedback_not_a_redirect(client, cast, clock):
    clock(9, 20)
    response = client.post("/attendance/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="punch-panel"') and "<html" not in page
    assert 'data-testid="punch-feedback" data-level="warning"' in page and "迟到 20 分钟" in page


def test_nothing_is_late_on_a_non_workday(client, cast, clock):
    clock(11, 0, day=SATURDAY)
    page = client.post("/attendance/", follow=True).content.decode()
    assert 'data-testid="late-note"' not in page and "alert-success" in page
    assert "今天不是工作日：打卡会保留，但不计迟到或早退" in page


def test_the_dashboard_shows_todays_punches(client, cast, clock):
    clock(9, 13)
    client.post("/attendance/")
    page = client.get("/").content.decode()
    assert 'data-testid="dashboard-today"' in page
    assert "09:13" in page and "迟到 13 分钟" in page
    assert 'data-testid="dashboard-punch"' in page and "下班打卡" in page
