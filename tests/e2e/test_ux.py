"""What only a browser sees (issue 13): computed colours, htmx updates, tap targets, console errors, the favicon."""

import pytest
from playwright.sync_api import expect

from tests.e2e.htmx import settled

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


def test_choosing_a_rule_narrows_the_kinds_and_shows_its_range(page, live_server, cast, browser_login, screenshot,
                                                               console_errors):
    from discipline.models import Rule
    from tests.discipline.factories import FlagFactory

    flag = FlagFactory(employee=cast.employee, rule=Rule.objects.get(code="late"))
    page.set_viewport_size(PHONE)
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/discipline/flags/{flag.pk}/record/")
    kind = page.locator("select[name=kind]")
    assert kind.input_value() == "verbal"                       # a 迟到 flag opens on a verbal warning
    assert "praise" not in kind.locator("option").evaluate_all("options => options.map(o => o.value)")
    page.select_option("select[name=rule]", str(Rule.objects.get(code="same-day-unfinished").pk))
    expect(page.get_by_test_id("rule-summary")).to_contain_text("部门奖惩条例第 1 条")
    expect(page.locator("select[name=kind] option")).to_have_count(3)
    settled(page)                              # the swapped kind select listens for its change
    page.select_option("select[name=kind]", "fine")
    expect(page.get_by_test_id("amount-range")).to_have_text("¥10.00–¥100.00")
    # On a phone the range sits beside the amount, above the submit button.
    amount_box = page.get_by_test_id("amount-range").bounding_box()
    submit_box = page.get_by_role("button", name="签发").bounding_box()
    assert amount_box["y"] < submit_box["y"]
    screenshot(page, "ux-record-form-phone")
    assert console_errors == []


def test_leave_slip_has_a_print_button_and_pages_have_a_favicon(page, live_server, cast, browser_login, screenshot,
                                                                console_errors):
    from leave import services as leave_services
    from tests.leave.factories import LeaveRequestFactory

    leave = LeaveRequestFactory(employee=cast.employee)
    leave_services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/leave/{leave.pk}/slip/")
    expect(page.get_by_test_id("print-button")).to_have_text("打印")
    page.emulate_media(media="print")
    assert page.get_by_test_id("print-button").is_hidden()
    page.emulate_media(media="screen")
    favicon = page.locator("link[rel=icon]").first.get_attribute("href")
    assert page.request.get(f"{live_server.url}{favicon}").status == 200
    screenshot(page, "ux-leave-slip")
    assert console_errors == []


@pytest.mark.parametrize("path", ["/", "/attendance/", "/attendance/month/", "/calendar/", "/worklog/tasks/",
                                  "/discipline/flags/"])
def test_tap_targets_are_44px_on_a_phone(page, live_server, cast, browser_login, path, console_errors):
    from tests.discipline.factories import FlagFactory
    from tests.worklog.factories import TaskFactory

    FlagFactory(employee=cast.employee)
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    page.set_viewport_size(PHONE)
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}{path}")
    small = page.evaluate("""() => {
        const targets = document.querySelectorAll(
            'main a, main button, main select, footer button, footer a');
        return [...targets].filter(el => el.offsetParent !== null).map(el => {
            const box = el.getBoundingClientRect();
            return {text: el.textContent.trim().slice(0, 30), h: Math.round(box.height), w: Math.round(box.width)};
        }).filter(t => t.h < 44 || t.w < 44);
    }""")
    assert small == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert console_errors == []
