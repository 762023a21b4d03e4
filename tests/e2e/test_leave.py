"""Staff asks for leave tomorrow; the supervisor approves; the staff member opens the slip; a colleague gets 404."""

from datetime import timedelta

from django.utils import timezone
import pytest
from playwright.sync_api import expect

from leave.models import LeaveRequest, LeaveType
from opsdept import workcalendar
from opsdept.models import CalendarOverride

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser, browser_login, username: str):
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, username)
    return context, page


def test_leave_for_tomorrow_approved_and_printed_as_a_slip(browser, live_server, cast, browser_login, screenshot):
    tomorrow = timezone.localdate() + timedelta(days=1)
    if not workcalendar.is_workday(tomorrow):
        # The journey needs tomorrow to be a workday, whatever day the suite runs on.
        CalendarOverride.objects.create(date=tomorrow, kind=CalendarOverride.Kind.WORKDAY, note="补班")

    # 张员工 asks for a day of personal leave tomorrow.
    staff_context, staff = signed_in(browser, browser_login, "employee")
    staff.goto(f"{live_server.url}/leave/new/")
    staff.select_option("select[name=leave_type]", str(LeaveType.objects.get(code="personal").pk))
    expect(staff.locator("input[name=start_date]")).to_have_value(tomorrow.isoformat())
    staff.fill("textarea[name=reason]", "去医院陪家人复查")
    screenshot(staff, "leave-request-form")
    staff.get_by_test_id("submit-leave").click()
    expect(staff.locator(".alert-success")).to_contain_text("你的申请已提交给主管")
    expect(staff.get_by_test_id("leave-status")).to_have_text("待审批")
    detail_url = staff.url

    # 李主管 sees it waiting and approves it with a comment.
    boss_context, boss = signed_in(browser, browser_login, "supervisor")
    expect(boss.get_by_test_id("leave-to-decide")).to_contain_text("1")
    boss.goto(f"{live_server.url}/leave/pending/")
    expect(boss.get_by_test_id("pending-row")).to_contain_text("张员工")
    boss.get_by_test_id("review").click()
    boss.fill("textarea[name=note]", "同意，注意交接")
    boss.get_by_test_id("approve").click()
    expect(boss.locator(".alert-success")).to_contain_text("已批准请假")
    expect(boss.get_by_test_id("leave-status")).to_have_text("已批准")
    screenshot(boss, "leave-approved-detail")
    boss.goto(f"{live_server.url}/leave/calendar/?month={tomorrow:%Y-%m}")
    expect(boss.get_by_test_id("away-row")).to_contain_text("张员工")
    screenshot(boss, "leave-team-calendar")
    boss_context.close()

    # 张员工 opens the slip: it names the approver and when.
    staff.goto(detail_url)
    staff.get_by_test_id("open-slip").click()
    expect(staff.get_by_test_id("leave-slip")).to_be_visible()
    expect(staff.get_by_test_id("slip-approver")).to_contain_text("李主管")
    expect(staff.get_by_test_id("slip-employee")).to_contain_text("张员工")
    expect(staff.get_by_test_id("slip-approved-at")).to_contain_text(timezone.localdate().isoformat())
    expect(staff.locator("nav.navbar")).to_have_count(0)
    screenshot(staff, "leave-slip")
    slip_url = staff.url
    staff_context.close()

    # A colleague in the same team (another staff member) cannot open that slip.
    colleague_context, colleague = signed_in(browser, browser_login, "clerk")
    response = colleague.goto(slip_url)
    assert response is not None and response.status == 404
    colleague_context.close()
    assert LeaveRequest.objects.get().decided_by == cast.supervisor
