"""What only a browser sees of the pictures (issue 13): the month grids' heat map, the ECharts charts under the
strict CSP, the team month on a phone, and the service worker that makes the app installable."""

from datetime import date
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# November 2026: the 23rd is a Monday; the test clock is the machine's, so the month is a past one or today's.
MONTH = "2026-11"


@pytest.fixture
def a_month_of_work(cast):
    """张员工 late on Mon 11-23, on time 11-24, absent 11-25; 林记录 on time; the days stored as the night would."""
    from attendance.services import refresh_attendance_days
    from tests.attendance.factories import punch_day

    punch_day(cast.employee, "2026-11-23", "09:25", "18:05")
    punch_day(cast.employee, "2026-11-24", "08:50", "18:05")
    punch_day(cast.clerk, "2026-11-23", "08:50", "18:05")
    cast.employee.name = "欧阳长名字员工"   # a long name must stay on one line on a phone
    cast.employee.save(update_fields=["name"])
    refresh_attendance_days(employee_ids=[cast.employee.pk, cast.clerk.pk], start=date(2026, 11, 23), end=date(2026, 11, 25))


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_team_month_on_a_phone_keeps_names_on_one_line_and_scrolls_only_inside_the_table(
        page, live_server, cast, a_month_of_work, browser_login, screenshot, console_errors):
    page.set_viewport_size(PHONE)
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/attendance/team/month/?month={MONTH}")
    name = page.get_by_test_id("team-name").filter(has_text="欧阳长名字员工")
    line_height = name.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight) || 24")
    assert name.bounding_box()["height"] < 2 * line_height + 20     # one line (plus the 44 px tap target's padding)
    assert name.evaluate("cell => getComputedStyle(cell).position") == "sticky"
    assert _no_horizontal_scroll(page)
    expect(page.get_by_test_id("person-card")).to_have_count(2)      # 张员工 and 林记录, the supervisor's team
    screenshot(page, "ux-team-month-phone")
    assert console_errors == []


def test_the_heat_map_colours_are_the_same_on_my_month_and_the_team_month(
        page, live_server, cast, a_month_of_work, browser_login, console_errors):
    colours = {}
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/month/?month={MONTH}")
    for day in ("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-28"):
        colours[("mine", day)] = page.locator(f'[data-testid=month-grid] td[data-date="{day}"]').evaluate(
            "cell => getComputedStyle(cell).backgroundColor")
    page.context.clear_cookies()
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/attendance/team/month/?month={MONTH}")
    card = page.get_by_test_id("person-card").filter(has_text="欧阳长名字员工")
    for day in ("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-28"):
        # The small grids carry day numbers only (no per-cell dates: issue 16's lighter page).
        cell = card.locator("td").filter(has_text=re.compile(rf"^{int(day[-2:])}$"))
        colours[("team", day)] = cell.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert colours[("mine", "2026-11-23")] == colours[("team", "2026-11-23")] == "rgb(255, 243, 205)"   # late
    assert colours[("mine", "2026-11-24")] == colours[("team", "2026-11-24")] == "rgb(209, 231, 221)"   # normal
    assert colours[("mine", "2026-11-25")] == colours[("team", "2026-11-25")] == "rgb(248, 215, 218)"   # absent
    assert colours[("mine", "2026-11-28")] == colours[("team", "2026-11-28")] == "rgb(233, 236, 239)"   # a Saturday
    assert console_errors == []


@pytest.mark.parametrize("role", ["hr", "manager", "supervisor"])
def test_the_team_month_charts_draw_under_the_strict_csp(page, live_server, cast, a_month_of_work, browser_login,
                                                         screenshot, console_errors, role):
    page.set_viewport_size(DESKTOP)
    browser_login(page, role)
    page.goto(f"{live_server.url}/attendance/team/month/?month={MONTH}")
    for chart in ("daily-chart", "trend-chart"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-chart-ready", "true")
        assert page.get_by_test_id(chart).locator("svg").count() == 1
    # The numbers are on the page as text as well (it reads without JavaScript).
    page.get_by_test_id("daily-counts").locator("xpath=..").locator("summary").click()
    expect(page.get_by_test_id("daily-counts")).to_contain_text("11-23")
    screenshot(page, f"ux-team-month-charts-{role}")
    assert console_errors == []


def test_the_year_end_page_draws_each_person_s_year(page, live_server, cast, a_month_of_work, browser_login, screenshot,
                                                    console_errors):
    page.set_viewport_size(DESKTOP)
    browser_login(page, "manager")
    page.goto(f"{live_server.url}/discipline/year-end/?year=2026")
    row = page.get_by_test_id("year-end-row").filter(has_text="欧阳长名字员工")
    chart = row.locator("[data-chart]")
    expect(chart).to_have_attribute("data-chart-ready", "true")
    assert chart.locator("svg").count() == 1
    expect(row).to_contain_text("旷工天数")   # the numbers stay beside the chart
    screenshot(page, "ux-year-end-desktop")
    # On a phone each person is a card: the chart and the numbers get the whole width, nothing is squeezed.
    page.set_viewport_size(PHONE)
    assert chart.bounding_box()["width"] > 300
    assert row.locator("td[data-label]").nth(1).bounding_box()["width"] > 300
    assert _no_horizontal_scroll(page)
    screenshot(page, "ux-year-end-phone")
    assert console_errors == []


def test_the_service_worker_registers_and_shows_the_offline_page(page, live_server, cast, browser_login, screenshot,
                                                                 console_errors):
    page.set_viewport_size(PHONE)
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/")
    scope = page.evaluate("navigator.serviceWorker.ready.then(registration => registration.scope)")
    assert scope == f"{live_server.url}/"
    page.wait_for_function("navigator.serviceWorker.controller !== null || caches.keys().then(k => k.length > 0)")
    page.wait_for_function("caches.keys().then(keys => keys.some(key => key.startsWith('opsdept-shell-')))")
    page.reload()  # now controlled by the worker
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/attendance/")
    expect(page.get_by_test_id("offline-page")).to_be_visible()
    expect(page.get_by_test_id("offline-punch")).to_contain_text("打卡需要联网")
    assert _no_horizontal_scroll(page)
    screenshot(page, "ux-offline-phone")
    page.context.set_offline(False)
    # Offline, the navigation itself failed before the worker answered: that one network error is expected.
    assert [error for error in console_errors if "ERR_INTERNET_DISCONNECTED" not in error] == []
