"""Issue 12's journey: a supervisor names a deputy for next week and goes on leave; a staff member's leave
for that week goes to the deputy, who approves it; the slip shows "赵主管 代 李主管 审批"."""

from datetime import timedelta

from django.utils import timezone
import pytest
from playwright.sync_api import expect

from leave.models import LeaveRequest, LeaveType
from opsdept import workcalendar
from opsdept.models import CalendarOverride, Deputy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser, browser_login, username: str):
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, username)
    return context, page


def file_leave(page, live_server, start, end, reason: str) -> None:
    page.goto(f"{live_server.url}/leave/new/")
    page.select_option("select[name=leave_type]", str(LeaveType.objects.get(code="personal").pk))
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", end.isoformat())
    page.fill("textarea[name=reason]", reason)
    page.get_by_test_id("submit-leave").click()
    expect(page.get_by_test_id("leave-status")).to_have_text("待审批")


def test_the_deputy_approves_while_the_supervisor_is_away_and_the_slip_says_so(browser, live_server, cast, browser_login,
                                                                                screenshot):
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    week = [monday + timedelta(days=n) for n in range(5)]
    for day in week:  # the journey needs next week to be worked, whatever week the suite runs in
        if not workcalendar.is_workday(day):
            CalendarOverride.objects.create(date=day, kind=CalendarOverride.Kind.WORKDAY, note="补班")

    # 李主管 names 赵主管 as deputy for next week, then asks for that week off.
    boss_context, boss = signed_in(browser, browser_login, "supervisor")
    boss.goto(f"{live_server.url}/deputies/")
    boss.select_option("select[name=deputy]", cast.other_supervisor.employee_no)
    boss.fill("input[name=start_date]", week[0].isoformat())
    boss.fill("input[name=end_date]", week[-1].isoformat())
    boss.fill("input[name=note]", "外出培训")
    boss.get_by_test_id("name-deputy").click()
    expect(boss.locator(".alert-success")).to_contain_text("已指定代理审批人")
    expect(boss.get_by_test_id("deputy-row")).to_contain_text("赵主管")
    screenshot(boss, "deputy-named")
    file_leave(boss, live_server, week[0], week[-1], "外出培训")
    boss_context.close()
    assert Deputy.objects.get().deputy == cast.other_supervisor

    # 张员工 asks for Wednesday of that week.
    staff_context, staff = signed_in(browser, browser_login, "employee")
    file_leave(staff, live_server, week[2], week[2], "孩子开家长会")
    detail_url = staff.url

    # It waits for 赵主管, who approves it for 李主管.
    deputy_context, deputy = signed_in(browser, browser_login, "other_supervisor")
    expect(deputy.get_by_test_id("unread-count")).to_have_text("2")   # named as deputy; a request to decide
    deputy.goto(f"{live_server.url}/leave/pending/")
    expect(deputy.get_by_test_id("pending-row")).to_contain_text("张员工")
    deputy.get_by_test_id("review").click()
    deputy.fill("textarea[name=note]", "代李主管批准")
    deputy.get_by_test_id("approve").click()
    expect(deputy.get_by_test_id("leave-status")).to_have_text("已批准")
    expect(deputy.get_by_test_id("decided-by")).to_contain_text("赵主管 代 李主管 审批")
    expect(deputy.get_by_test_id("unread-count")).to_have_text("1")   # the request no longer counts
    deputy_context.close()

    # 张员工's slip shows who signed for whom.
    staff.goto(detail_url)
    staff.get_by_test_id("open-slip").click()
    expect(staff.get_by_test_id("slip-approver")).to_have_text("赵主管 代 李主管 审批")
    screenshot(staff, "deputy-leave-slip")
    staff_context.close()
    leave = LeaveRequest.objects.get(employee=cast.employee)
    assert (leave.decided_by, leave.decided_for) == (cast.other_supervisor, cast.supervisor)


def test_a_flagged_staff_member_explains_and_the_supervisor_dismisses_with_it(browser, live_server, cast, browser_login,
                                                                              screenshot):
    from discipline import services as discipline_services
    from discipline.models import Flag

    flag, _created = discipline_services.raise_flag(cast.employee, day=timezone.localdate() - timedelta(days=1),
                                                    rule_code="late", details="迟到 12 分钟")

    # 张员工 is told, opens the notice and explains.
    staff_context, staff = signed_in(browser, browser_login, "employee")
    staff.goto(f"{live_server.url}/notifications/")
    expect(staff.get_by_test_id("notification").first).to_contain_text("异常通知")
    staff.goto(f"{live_server.url}/discipline/flags/{flag.pk}/")
    staff.fill("textarea[name=text]", "地铁二号线故障停运，已附延误证明")
    staff.get_by_test_id("send-explanation").click()
    expect(staff.locator(".alert-success")).to_contain_text("情况说明已提交给主管")
    expect(staff.get_by_test_id("flag-explanation")).to_contain_text("地铁二号线故障停运")
    staff_context.close()

    # 李主管 sees the explanation beside the flag and dismisses it in one click.
    boss_context, boss = signed_in(browser, browser_login, "supervisor")
    boss.goto(f"{live_server.url}/discipline/flags/{flag.pk}/")
    expect(boss.get_by_test_id("flag-explanation")).to_contain_text("地铁二号线故障停运")
    screenshot(boss, "flag-with-explanation")
    boss.get_by_test_id("accept-explanation").click()
    expect(boss.get_by_test_id("flag-status")).to_have_text("不予处理")
    boss_context.close()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.DISMISSED and "地铁二号线" in flag.decision_note


def test_the_deputy_decides_a_correction_from_the_attendance_approvals_on_a_phone_and_a_desktop(
        browser, live_server, cast, browser_login, screenshot):
    """Corrections and overtime go to the deputy too: listed in their attendance approvals, decided "X 代 Y 审批"."""
    from datetime import time

    from attendance.models import Correction
    from opsdept import approvals

    today = timezone.localdate()
    approvals.name_deputy(cast.supervisor.pk, actor=cast.supervisor.user, deputy_id=cast.other_supervisor.pk,
                          start_date=today, end_date=today + timedelta(days=7), note="外出培训")
    fix = Correction.objects.create(employee=cast.employee, date=workcalendar.add_workdays(today, -1), time=time(9, 0),
                                    reason="打卡机故障")
    for name, size in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 800})):
        context = browser.new_context(viewport=size, locale="zh-CN")
        page = context.new_page()
        browser_login(page, "other_supervisor")
        page.goto(f"{live_server.url}/attendance/approvals/")
        expect(page.get_by_test_id("pending-corrections")).to_contain_text("张员工")
        screenshot(page, f"deputy-attendance-approvals-{name}")
        context.close()
    context, page = signed_in(browser, browser_login, "other_supervisor")
    page.goto(f"{live_server.url}/attendance/approvals/")
    page.get_by_test_id("pending-corrections").get_by_test_id("approve").first.click()
    expect(page.get_by_test_id("row-status").first).to_have_text("已批准")
    context.close()
    fix.refresh_from_db()
    assert (fix.decided_by, fix.decided_for) == (cast.other_supervisor, cast.supervisor)
    for name, size in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 800})):
        context = browser.new_context(viewport=size, locale="zh-CN")
        page = context.new_page()
        browser_login(page, "employee")
        page.goto(f"{live_server.url}/attendance/corrections/")
        expect(page.get_by_test_id("decided-by").first).to_have_text("赵主管 代 李主管 审批")
        screenshot(page, f"deputy-correction-decided-{name}")
        context.close()
