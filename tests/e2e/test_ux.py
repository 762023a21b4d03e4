"""What only a browser sees (issue 13): computed colours, htmx updates, tap targets, console errors, the favicon."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def console_errors(page):
    """Collect console errors and failed responses (a missing favicon is a 404 here)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    return errors


def test_calendar_colours_show_and_holidays_are_named(page, live_server, cast, browser_login, screenshot, console_errors):
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/calendar/?month=2026-10")
    holiday = page.locator('td[data-date="2026-10-01"]')
    makeup = page.locator('td[data-date="2026-10-10"]')
    weekday = page.locator('td[data-date="2026-10-09"]')
    expect(holiday).to_contain_text("国庆节")
    assert holiday.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(248, 215, 218)"
    assert makeup.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(255, 243, 205)"
    assert weekday.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(255, 255, 255)"
    screenshot(page, "ux-calendar-desktop")
    assert console_errors == []


def test_clocking_in_updates_the_panel_in_place(page, live_server, cast, browser_login, screenshot, console_errors):
    page.set_viewport_size(PHONE)
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/")
    button = page.get_by_test_id("punch-button")
    expect(button).to_have_attribute("data-action", "in")
    page.evaluate("window.__same_page = true")
    button.click()
    expect(page.get_by_test_id("punch-feedback")).to_contain_text("上班打卡")
    expect(page.get_by_test_id("punch-button")).to_have_attribute("data-action", "out")
    expect(page.get_by_test_id("punch-button")).to_contain_text("下班打卡")
    assert page.evaluate("window.__same_page === true")      # htmx swapped the panel, no page load
    screenshot(page, "ux-punch-phone-after-in")
    assert console_errors == []
