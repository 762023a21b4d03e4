"""The manager on a phone and on a desktop: the whole department a page at a time, searched by number."""

import pytest
from playwright.sync_api import expect

from opsdept.models import Employee
from tests.opsdept.test_department_pages import grow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_manager_pages_through_the_department_and_finds_one_person(browser, live_server, cast, browser_login, screenshot,
                                                                    device):
    grow(cast, 60)
    context = browser.new_context(**(PHONE if device == "phone" else DESKTOP))
    page = context.new_page()
    browser_login(page, "manager")
    page.goto(f"{live_server.url}/attendance/team/today/")
    expect(page.get_by_test_id("department-summary")).to_be_visible()
    expect(page.get_by_test_id("people-range")).to_contain_text("共 67 条")
    expect(page.locator("[data-testid=team-today] tbody tr")).to_have_count(50)
    screenshot(page, f"team-today-{device}")
    page.get_by_role("link", name="下一页").click()
    expect(page.locator("[data-testid=team-today] tbody tr")).to_have_count(17)

    wanted = Employee.objects.order_by("-employee_no").first()
    page.goto(f"{live_server.url}/attendance/team/month/?month=2026-10")
    page.fill("#people-q", wanted.employee_no)
    page.get_by_test_id("people-filter").locator("button[type=submit]").click()
    expect(page.locator("[data-testid=team-month] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=team-month]")).to_contain_text(wanted.name)
    screenshot(page, f"team-month-search-{device}")
    page.goto(f"{live_server.url}/worklog/team/reports/")
    screenshot(page, f"team-reports-{device}")
    context.close()
