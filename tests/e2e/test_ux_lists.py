"""What only a browser sees of issue 13 items 5, 8, 10 and 12, with the demo department in Chinese:
lists that never scroll sideways at 390 px (the audit trail in words, the filtered lists), approving
in a list with htmx, the handbook signed at its end, and the approval page's context."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "demo1234"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


HR_LISTS = [("audit", "/audit/"), ("people", "/people/?inactive=on")]
SUPERVISOR_LISTS = [("flags", "/discipline/flags/?status="), ("appeals", "/discipline/appeals/"),
                    ("leave-pending", "/leave/pending/"), ("my-leave", "/leave/"),
                    ("attendance-approvals", "/attendance/approvals/")]


def test_the_audit_trail_and_the_filtered_lists_fit_a_phone(page, live_server, demo, browser_login, screenshot,
                                                            console_errors):
    for username, lists in (("mahong", HR_LISTS), ("lijing", SUPERVISOR_LISTS)):
        page.context.clear_cookies()
        browser_login(page, username, PASSWORD)
        for name, url in lists:
            page.set_viewport_size(PHONE)
            page.goto(f"{live_server.url}{url}")
            panel = page.get_by_test_id("filters")
            expect(panel).to_be_visible()
            assert no_sideways_scroll(page), f"{url} scrolls sideways at 390 px"
            screenshot(page, f"ux-list-{name}-phone")
            if panel.get_attribute("open") is None:  # closed until filtering: the filters open on a tap and still fit
                page.locator(".filter-panel summary").click()
            expect(panel.locator("button[type=submit]")).to_be_visible()
            assert no_sideways_scroll(page), f"{url} with its filters open scrolls sideways at 390 px"
            page.set_viewport_size(DESKTOP)
            screenshot(page, f"ux-list-{name}-desktop")
    assert console_errors == []


def test_the_audit_trail_reads_in_words(page, live_server, demo, browser_login, screenshot):
    from opsdept import audit
    from opsdept.models import Employee

    hr = Employee.objects.get(user__username="mahong")
    zhangwei = Employee.objects.get(user__username="zhangwei")
    audit.record(hr.user, audit.Action.EMPLOYEE_UPDATED, zhangwei, changes={
        "is_meeting_clerk": [False, True], "leave_date": [None, "2026-12-31"],
        "supervisor": [zhangwei.supervisor_id, hr.pk]})
    page.set_viewport_size(PHONE)
    browser_login(page, "mahong", PASSWORD)
    page.goto(f"{live_server.url}/audit/?actor=马红")
    entry = page.get_by_test_id("audit-entry").first
    expect(entry).to_contain_text("马红")
    expect(entry).to_contain_text("修改了员工信息")
    expect(entry).to_contain_text("否")
    expect(entry).to_contain_text("2026-12-31")
    expect(entry).to_contain_text("李静")
    for raw in ("None", "True", "employee.updated", "is_meeting_clerk", "mahong"):
        expect(entry).not_to_contain_text(raw)
    # a card on a phone: the row is as wide as the screen, its cells stacked
    assert entry.evaluate("row => getComputedStyle(row).display") == "block"
    assert no_sideways_scroll(page)
    screenshot(page, "ux-audit-words-phone")


def test_a_supervisor_approves_and_rejects_in_the_list_in_place(page, live_server, demo, browser_login, screenshot,
                                                                console_errors):
    from leave.models import LeaveRequest

    page.set_viewport_size(PHONE)
    browser_login(page, "lijing", PASSWORD)
    page.goto(f"{live_server.url}/leave/pending/")
    page.evaluate("window.__same_page = true")
    row = page.get_by_test_id("pending-row").filter(has_text="张伟").first
    row.get_by_test_id("reject").click()  # no reason: the row says why and stays pending
    expect(page.get_by_test_id("pending-row").filter(has_text="张伟").first.get_by_test_id("row-error")).to_contain_text("驳回理由")
    row = page.get_by_test_id("pending-row").filter(has_text="张伟").first
    row.get_by_test_id("approve").click()
    done = page.get_by_test_id("pending-row").filter(has_text="张伟").first
    expect(done.get_by_test_id("row-done")).to_have_text("已批准请假。")
    expect(done.get_by_test_id("leave-status")).to_have_text("已批准")
    assert page.evaluate("window.__same_page === true")  # htmx swapped the row; no page load
    assert no_sideways_scroll(page)
    screenshot(page, "ux-leave-approved-in-list-phone")
    assert LeaveRequest.objects.filter(employee__user__username="zhangwei", status="approved").exists()
    assert console_errors == []


def test_the_approval_page_shows_balance_month_and_who_else_is_away(page, live_server, demo, browser_login, screenshot):
    from leave.models import LeaveRequest

    leave = LeaveRequest.objects.filter(employee__user__username="zhangwei", status="pending").first()
    page.set_viewport_size(PHONE)
    browser_login(page, "lijing", PASSWORD)
    page.goto(f"{live_server.url}/leave/{leave.pk}/")
    expect(page.get_by_test_id("context-balance")).to_contain_text("年假")
    expect(page.get_by_test_id("context-this-month")).to_be_visible()
    expect(page.get_by_test_id("context-away")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "ux-approval-context-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "ux-approval-context-desktop")


def test_the_handbook_is_signed_at_its_end_and_the_reminder_never_moves_the_punch_button(
        page, live_server, demo, browser_login, screenshot, console_errors):
    page.set_viewport_size(PHONE)
    browser_login(page, "zhangwei", PASSWORD)
    page.goto(f"{live_server.url}/attendance/")
    expect(page.get_by_test_id("policy-banner")).to_be_visible()
    with_reminder = page.get_by_test_id("punch-button").bounding_box()["y"]
    banner = page.get_by_test_id("policy-banner").bounding_box()
    assert banner["height"] <= 56  # one line: a 44 px tap target and its padding
    screenshot(page, "ux-punch-with-policy-reminder-phone")
    page.get_by_test_id("policy-banner-read").click()
    expect(page.get_by_test_id("policy-toc-phone")).to_be_visible()
    screenshot(page, "ux-policy-handbook-phone")
    # the sign button refuses until every chapter is ticked (the browser's own required check)
    page.get_by_test_id("policy-acknowledge").click()
    expect(page.get_by_test_id("policy-signed")).to_have_count(0)
    for box in page.get_by_test_id("policy-read").all():
        box.check()
    page.get_by_test_id("policy-acknowledge").click()
    expect(page.get_by_test_id("policy-signed")).to_be_visible()
    expect(page.get_by_test_id("policy-banner")).to_have_count(0)
    page.goto(f"{live_server.url}/attendance/")
    assert page.get_by_test_id("punch-button").bounding_box()["y"] == with_reminder
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/discipline/policy/")
    expect(page.get_by_test_id("policy-toc")).to_be_visible()
    screenshot(page, "ux-policy-handbook-desktop")
    assert console_errors == []
