"""What only a browser sees of issue 13's remaining gaps, with the demo department in Chinese: the
handbook's contents jump to each (folded) chapter in one tap on a phone, the supervisor's punctuality
chart draws with its text fallback, and the lists moved onto the one filter panel fit a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_ux_lists import DESKTOP, PASSWORD, PHONE, no_sideways_scroll  # demo, console_errors: tests/e2e/conftest.py

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_handbook_contents_open_each_chapter_in_one_tap_on_a_phone(page, live_server, demo, browser_login,
                                                                       screenshot, console_errors):
    page.set_viewport_size(PHONE)
    browser_login(page, "zhangwei", PASSWORD)
    page.goto(f"{live_server.url}/discipline/policy/")
    toc = page.get_by_test_id("policy-toc-phone")
    expect(toc).to_be_visible()
    assert toc.bounding_box()["y"] < PHONE["height"]  # at the top, before the text
    assert no_sideways_scroll(page)
    screenshot(page, "uxb-policy-contents-phone")
    links = page.get_by_test_id("policy-toc-link")
    folds = page.get_by_test_id("policy-fold")
    assert links.count() == folds.count() >= 2
    for index in (folds.count() - 1, 0):
        expect(folds.nth(index)).not_to_have_attribute("open", "")
        links.nth(index).click()
        expect(folds.nth(index)).to_have_attribute("open", "")  # the chapter opened by the one tap
        expect(folds.nth(index).locator("summary")).to_be_in_viewport()  # its title on screen (smooth scroll)
        assert no_sideways_scroll(page)
    screenshot(page, "uxb-policy-chapter-opened-phone")
    folds.nth(0).locator("summary").click()  # folds again without any script of ours
    expect(folds.nth(0)).not_to_have_attribute("open", "")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/discipline/policy/")
    screenshot(page, "uxb-policy-contents-desktop")
    assert console_errors == []


def test_the_supervisor_sees_the_team_punctuality_chart_on_a_phone(page, live_server, demo, browser_login,
                                                                   screenshot, console_errors):
    page.set_viewport_size(PHONE)
    browser_login(page, "lijing", PASSWORD)
    page.goto(f"{live_server.url}/")
    card = page.get_by_test_id("punctuality-card")
    chart = page.get_by_test_id("punctuality-chart")
    expect(chart).to_have_attribute("data-chart-ready", "true")
    assert chart.locator("svg").count() == 1
    expect(page.get_by_test_id("punctuality-summary")).to_contain_text("%")   # the words a screen reader reads
    assert no_sideways_scroll(page)
    card.scroll_into_view_if_needed()
    screenshot(page, "uxb-dashboard-punctuality-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("punctuality-chart")).to_have_attribute("data-chart-ready", "true")
    screenshot(page, "uxb-dashboard-punctuality-desktop")
    assert console_errors == []


@pytest.mark.parametrize("login, url, name", [
    ("lijing", "/discipline/records/", "records"),
    ("zhangwei", "/duty/mine/", "duty-swaps"),
    ("mahong", "/audit/", "audit"),
])
def test_the_lists_moved_onto_the_filter_panel_fit_a_phone_with_an_error_shown(page, live_server, demo, browser_login,
                                                                              screenshot, console_errors, login, url, name):
    page.set_viewport_size(PHONE)
    browser_login(page, login, PASSWORD)
    page.goto(f"{live_server.url}{url}")
    panel = page.get_by_test_id("filters")
    expect(panel).to_be_visible()
    panel.locator("summary").click()
    panel.locator("input[name=start]").fill("1900-01-01")
    panel.locator("button[type=submit]").click()
    panel = page.get_by_test_id("filters")
    expect(panel).to_have_attribute("open", "")          # open while a filter is in play, the error beside it
    expect(panel.locator(".text-danger").first).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, f"uxb-{name}-filter-error-phone")
    page.set_viewport_size(DESKTOP)
    assert no_sideways_scroll(page)
    screenshot(page, f"uxb-{name}-filter-error-desktop")
    assert console_errors == []
