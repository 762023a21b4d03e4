"""On a phone, the Monday meeting: one member checks in at 9:57 (present), another at 10:03 (late) and
explains; the clerk acknowledges, marks a third absent, records minutes with an action item and
publishes them; the action item's owner finds the task on the dashboard."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import AttendanceStatus, Meeting, MeetingAttendance
from tests.meetings.conftest import MONDAY, at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def clock(monkeypatch, settings):
    """Server time decides: the live server runs in this process, so it reads this clock too."""
    settings.SESSION_COOKIE_AGE = 24 * 3600
    current = {"now": at(9, 0, day=date(2026, 11, 16))}
    monkeypatch.setattr(timezone, "now", lambda: current["now"].astimezone(ZoneInfo("UTC")))
    return lambda moment: current.update(now=moment)


def test_monday_meeting_on_a_phone(browser, live_server, cast, browser_login, clock, screenshot):
    services.plan_weekly_meetings(MONDAY, weeks=1)
    meeting = Meeting.objects.get(week_of=MONDAY)
    context = browser.new_context(**PHONE)
    page = context.new_page()

    # 9:57 — 张员工 opens the dashboard: the card offers the check-in.
    clock(at(9, 57))
    browser_login(page, "employee")
    card = page.get_by_test_id("meetings-card")
    expect(card.get_by_test_id("next-meeting")).to_contain_text("2026-11-23")
    card.get_by_test_id("dashboard-meeting-checkin").click()
    expect(page.locator(".alert-success")).to_contain_text("签到成功")
    expect(page.get_by_test_id("dashboard-meeting-status")).to_have_text("出席")
    screenshot(page, "meetings-phone-dashboard")

    # 10:03 — 孙员工 checks in on the meeting page: late; she explains.
    page.context.clear_cookies()
    clock(at(10, 3))
    browser_login(page, "outsider")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_test_id("checkin-button").click()
    expect(page.get_by_test_id("my-status")).to_have_text("迟到")
    page.get_by_test_id("explain-form").locator("textarea").fill("地铁故障，晚到三分钟")
    page.get_by_role("button", name="提交说明").click()
    expect(page.get_by_test_id("explanation-state")).to_contain_text("等待会议考勤员确认")
    screenshot(page, "meetings-phone-late")

    # 10:30 — the clerk acknowledges, marks 赵主管 absent, writes and publishes the minutes.
    page.context.clear_cookies()
    clock(at(10, 30))
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_test_id("show-qr").click()
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    screenshot(page, "meetings-phone-qr")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    row = page.get_by_test_id("roll-row").filter(has_text="孙员工")
    row.get_by_test_id("acknowledge").click()
    expect(page.get_by_test_id("roll-row").filter(has_text="孙员工")).to_contain_text("已确认")
    absent = page.get_by_test_id("roll-row").filter(has_text="赵主管")
    absent.locator("select[name=status]").select_option("absent")
    absent.locator("input[name=note]").fill("未请假")
    absent.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("roll-row").filter(has_text="赵主管").get_by_test_id("roll-status")).to_contain_text("缺席")
    screenshot(page, "meetings-phone-roll")

    page.get_by_test_id("write-minutes").click()
    page.fill("textarea[name=topics]", "1. 各组汇报上周工作\n2. 双十二活动准备")
    page.fill("textarea[name=decisions]", "1. 客服组当天清零工单")
    page.get_by_test_id("save-minutes").click()
    expect(page.locator(".alert-success")).to_contain_text("会议记录已保存")
    form = page.get_by_test_id("action-item-form")
    form.locator("select[name=owner]").select_option(cast.employee.employee_no)
    form.locator("input[name=title]").fill("整理本周客户投诉汇总")
    form.locator("input[name=due_date]").fill("2026-11-23")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("action-item")).to_contain_text("整理本周客户投诉汇总")
    page.get_by_test_id("publish-minutes").click()
    expect(page.get_by_test_id("minutes-state")).to_contain_text("发布")
    expect(page.get_by_test_id("action-item")).to_contain_text("未完成")
    screenshot(page, "meetings-phone-minutes")

    # The owner sees the action item as today's task on the dashboard.
    page.context.clear_cookies()
    clock(at(11, 0))
    browser_login(page, "employee")
    expect(page.get_by_test_id("today-task")).to_contain_text("整理本周客户投诉汇总")
    context.close()

    statuses = dict(MeetingAttendance.objects.values_list("employee__name", "status"))
    assert statuses == {"张员工": AttendanceStatus.PRESENT, "孙员工": AttendanceStatus.LATE, "赵主管": AttendanceStatus.ABSENT}
