"""The employee picker in a browser (issue 16): the manager finds 孙员工 by typing, chooses her and issues a record."""

from datetime import timedelta

from django.utils import timezone
import pytest
from playwright.sync_api import expect

from discipline.models import Record, Rule
from meetings.models import Meeting
from opsdept import pickers, workcalendar
from tests.conftest import ARTIFACTS
from tests.e2e.htmx import settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def picture(page, name: str) -> None:
    """Like the `screenshot` fixture, but leaves the caret alone: hiding it injects a style the CSP refuses."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")


def fine_of_50(page) -> None:
    """Choose rule 1 (same-day task unfinished) and a ¥50 fine, letting each htmx swap of the rule fields settle."""
    settled(page)                              # the picker's last search answered and its swap is wired
    page.select_option("select[name=rule]", str(Rule.objects.get(code="same-day-unfinished").pk))
    expect(page.get_by_test_id("rule-summary")).to_contain_text("第 1 条")
    settled(page)                              # the swapped kind select listens for its change
    page.select_option("select[name=kind]", "fine")
    expect(page.get_by_test_id("amount-range")).to_have_text("¥10.00–¥100.00")
    page.fill("input[name=amount]", "50")


def open_form(page, live_server, browser_login, monkeypatch, *, who: str, path: str, small: int, viewport=PHONE) -> None:
    """`who` opens `path` with the search box from `small` + 1 people on (the cast is a handful)."""
    monkeypatch.setattr(pickers, "SMALL", small)
    page.set_viewport_size(viewport)
    browser_login(page, who)
    page.goto(f"{live_server.url}{path}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_manager_finds_someone_by_typing_and_issues_a_record(page, live_server, cast, browser_login, screenshot,
                                                                 console_errors, monkeypatch, size):
    # the manager's six people: the search box, as for a department of 10,000
    open_form(page, live_server, browser_login, monkeypatch, who="manager", path="/discipline/records/new/", small=3,
              viewport=PHONE if size == "phone" else DESKTOP)
    expect(page.locator("select[name=employee]")).to_have_count(0)
    box = page.get_by_test_id("picker-search")
    expect(box).to_have_attribute("placeholder", "姓名或工号")
    box.press_sequentially("员工", delay=50)
    results = page.get_by_test_id("picker-result")
    expect(results).to_have_count(2)                      # 张员工 and 孙员工, nobody else
    expect(results.nth(1)).to_contain_text("孙员工")
    assert console_errors == [], "typing"
    picture(page, f"picker-results-{size}")
    results.filter(has_text="孙员工").click()
    expect(page.get_by_test_id("picker-chosen")).to_have_text(f"已选：孙员工（{cast.outsider.employee_no}）")
    expect(page.get_by_test_id("picker-search")).to_have_value(cast.outsider.employee_no)
    assert console_errors == [], "choosing"
    fine_of_50(page)
    page.fill("textarea[name=evidence]", "当天任务未完成且未反馈")
    picture(page, f"picker-chosen-{size}")
    page.get_by_role("button", name="签发").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Record.objects.get().employee == cast.outsider
    assert console_errors == []


def test_a_number_typed_without_choosing_is_checked_by_the_server(page, live_server, cast, browser_login, screenshot,
                                                                  monkeypatch):
    open_form(page, live_server, browser_login, monkeypatch, who="supervisor", path="/discipline/records/new/", small=1)
    page.get_by_test_id("picker-search").fill(cast.outsider.employee_no)   # 孙员工 is another supervisor's
    fine_of_50(page)
    page.fill("textarea[name=evidence]", "未反馈")
    page.get_by_role("button", name="签发").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("不在此处可选的人员范围内")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    screenshot(page, "picker-error-phone")
    assert not Record.objects.exists()


def test_the_supervisor_calls_a_meeting_choosing_two_people_by_search(page, live_server, cast, browser_login, console_errors,
                                                                       monkeypatch):
    open_form(page, live_server, browser_login, monkeypatch, who="supervisor", path="/meetings/new/", small=3)
    box = page.get_by_test_id("picker-search")
    box.press_sequentially("张", delay=50)
    page.get_by_test_id("picker-result").filter(has_text="张员工").click()
    expect(page.locator("input.picker-chosen")).to_have_count(1)
    page.get_by_test_id("picker-search").press_sequentially("孙", delay=50)
    page.get_by_test_id("picker-result").filter(has_text="孙员工").click()
    expect(page.locator("input.picker-chosen")).to_have_count(2)     # the first one stays chosen
    expect(page.get_by_test_id("picker-search")).to_have_value("")
    assert console_errors == []
    picture(page, "picker-meeting-phone")
    day = workcalendar.workday_on_or_after(timezone.localdate() + timedelta(days=7))
    page.fill("input[name=title]", "项目复盘")
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=time]", "10:00")
    page.fill("textarea[name=reason]", "复盘双十一")
    page.locator("form:has(input[name=title]) button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert set(Meeting.objects.get(title="项目复盘").invitees.all()) == {cast.employee, cast.outsider}
