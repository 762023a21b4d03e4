"""What only a browser sees of deciding in a list and deciding with context (issue 13 items 5 and 12), with the
demo department in Chinese: a business trip approved in its row without a page load, a duty swap and an appeal
decided in theirs, and the decision pages of a trip, a correction and overtime showing their context — every
page touched here screenshotted at 390×844 and on a desktop, never scrolling sideways, with ≥ 44 px buttons."""

from datetime import time, timedelta

from django.utils import timezone
import pytest
from playwright.sync_api import expect

from opsdept import workcalendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "demo1234"


def fits_a_phone(page) -> None:
    """No sideways scroll at 390 px, and every visible button and text box in the page's main part ≥ 44 px tall."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} scrolls sideways"
    small = page.evaluate("""() => [...document.querySelectorAll('main .btn, main input.form-control')]
        .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
        .map(el => el.outerHTML.slice(0, 80))""")
    assert small == [], f"{page.url}: tap targets under 44 px: {small}"


def both_sizes(page, screenshot, name: str) -> None:
    page.set_viewport_size(PHONE)
    fits_a_phone(page)
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)


def test_a_business_trip_approved_in_the_list_answers_in_its_row(page, live_server, demo, browser_login, screenshot,
                                                                 console_errors):
    from leave import services
    from leave.models import BusinessTrip
    from opsdept.models import Employee

    zhangwei = Employee.objects.get(user__username="zhangwei")
    first = workcalendar.next_workday(timezone.localdate() + timedelta(days=7))
    trip = services.file_business_trip(zhangwei.pk, actor=zhangwei.user, kind=BusinessTrip.Kind.OUTING, start_date=first,
                                       start_half="am", end_date=first, end_half="pm", destination="上海客户公司",
                                       reason="现场培训客服系统")
    page.set_viewport_size(PHONE)
    browser_login(page, "lijing", PASSWORD)
    page.goto(f"{live_server.url}/leave/trips/")
    row = page.get_by_test_id("trip-to-decide").filter(has_text="张伟")
    expect(row.get_by_test_id("approve")).to_be_visible()
    fits_a_phone(page)
    both_sizes(page, screenshot, "ux-trips-to-decide")

    # The decision page first: who else is away, the month, then back to decide in the list.
    row.get_by_test_id("review").click()
    expect(page.get_by_test_id("approval-context")).to_be_visible()
    expect(page.get_by_test_id("context-balance")).to_contain_text("年假")
    expect(page.get_by_test_id("context-away")).to_be_visible()
    both_sizes(page, screenshot, "ux-trip-decision-page")

    page.goto(f"{live_server.url}/leave/trips/")
    page.evaluate("window.__same_page = true")
    row = page.get_by_test_id("trip-to-decide").filter(has_text="张伟")
    row.get_by_test_id("reject").click()  # no reason: the row says why and stays pending
    expect(page.get_by_test_id("trip-to-decide").filter(has_text="张伟").get_by_test_id("row-error")).to_be_visible()
    page.get_by_test_id("trip-to-decide").filter(has_text="张伟").get_by_test_id("approve").click()
    done = page.get_by_test_id("trip-to-decide").filter(has_text="张伟")
    expect(done.get_by_test_id("row-done")).to_contain_text("已批准")
    expect(done.get_by_test_id("leave-status")).to_have_text("已批准")
    assert page.evaluate("window.__same_page === true")  # htmx swapped the row; the page never reloaded
    fits_a_phone(page)
    screenshot(page, "ux-trip-approved-in-list-phone")
    trip.refresh_from_db()
    assert trip.status == "approved" and trip.decided_by.user.username == "lijing"
    assert console_errors == []


def test_a_duty_swap_and_an_appeal_are_decided_in_their_rows(page, live_server, demo, browser_login, screenshot,
                                                             console_errors):
    from discipline.models import Appeal
    from duty.models import DutySwap

    swap = DutySwap.objects.select_related("assignment__shift__day__roster__owner__user").get(
        status="pending", accepted_at__isnull=False)
    page.set_viewport_size(PHONE)
    browser_login(page, swap.assignment.shift.day.roster.owner.user.get_username(), PASSWORD)
    page.goto(f"{live_server.url}/duty/")
    both_sizes(page, screenshot, "ux-duty-swaps-to-decide")
    page.evaluate("window.__same_page = true")
    page.get_by_test_id("swap-to-decide").get_by_test_id("approve").click()
    expect(page.get_by_test_id("swap-to-decide").get_by_test_id("row-status")).to_have_text("已批准")
    assert page.evaluate("window.__same_page === true")
    swap.refresh_from_db()
    assert swap.status == "approved"

    appeal = Appeal.objects.get(status="pending")
    page.context.clear_cookies()
    browser_login(page, "wangjianguo", PASSWORD)
    page.goto(f"{live_server.url}/discipline/appeals/")
    row = page.get_by_test_id("appeal-row").filter(has_text="陈晨")
    expect(row.get_by_test_id("review")).to_have_text("减轻金额…")  # a fine: reducing it needs the appeal's page
    both_sizes(page, screenshot, "ux-appeals-to-decide")
    page.evaluate("window.__same_page = true")
    row.locator("input[name=reason]").fill("核实当天礼包后台故障，撤销罚款")
    row.get_by_test_id("approve").click()
    expect(page.get_by_test_id("appeal-row").filter(has_text="陈晨").get_by_test_id("row-done")).to_be_visible()
    assert page.evaluate("window.__same_page === true")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVOKED
    assert console_errors == []


def test_the_correction_and_overtime_decision_pages_show_their_context(page, live_server, demo, browser_login, screenshot,
                                                                       console_errors):
    from attendance import services
    from opsdept.models import Employee

    zhangwei = Employee.objects.get(user__username="zhangwei")
    today = timezone.localdate()
    past = today - timedelta(days=1)
    while not workcalendar.is_workday(past):
        past -= timedelta(days=1)
    correction = services.request_correction(actor=zhangwei.user, day=past, clock=time(18, 5), reason="下班忘记打卡")
    ahead = workcalendar.next_workday(today + timedelta(days=1))
    overtime = services.request_overtime(actor=zhangwei.user, day=ahead, start=time(18, 30), end=time(21, 0),
                                         reason="新品上线客服值守")
    page.set_viewport_size(PHONE)
    browser_login(page, "lijing", PASSWORD)
    page.goto(f"{live_server.url}/attendance/approvals/")
    both_sizes(page, screenshot, "ux-attendance-approvals")
    page.get_by_test_id("correction-row").filter(has_text="张伟").get_by_test_id("review").click()
    expect(page.get_by_test_id("context-balance")).to_contain_text("已补卡")
    expect(page.get_by_test_id("context-punches")).to_be_visible()
    both_sizes(page, screenshot, "ux-correction-decision-page")
    page.get_by_test_id("approve").click()  # a plain form here: the same page answers with the new status
    expect(page).to_have_url(f"{live_server.url}/attendance/corrections/{correction.pk}/")
    expect(page.get_by_test_id("request-status")).to_contain_text("已批准")
    correction.refresh_from_db()
    assert correction.status == "approved"
    page.goto(f"{live_server.url}/attendance/overtime/{overtime.pk}/")
    expect(page.get_by_test_id("context-balance")).to_contain_text("已批准加班")
    expect(page.get_by_test_id("context-balance")).to_contain_text("调休余额")
    both_sizes(page, screenshot, "ux-overtime-decision-page")
    # The dashboard states the comp-time balance once (the leave card), however many cards there are.
    page.goto(f"{live_server.url}/")
    assert page.get_by_text("调休余额").count() == 1
    both_sizes(page, screenshot, "ux-dashboard-supervisor")
    assert console_errors == []
