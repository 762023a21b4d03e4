"""Holiday duty end to end, on a fixed clock (never today's date):

a supervisor opens National Day 2026, fills the roster evenly, sets the person in charge of
10-01 and publishes; the employee sees the duty day on the dashboard and asks the clerk to
swap; the clerk accepts and the supervisor approves; on 10-01 the clerk (now in charge)
clocks in and writes the duty log; after the night's run HR sees the comp-time credit.
"""

from datetime import date, datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsdept import nightly

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock(monkeypatch):
    current = {"now": datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)}
    monkeypatch.setattr(timezone, "now", lambda: current["now"].astimezone(ZoneInfo("UTC")))

    def set_to(moment: datetime) -> None:
        current["now"] = moment

    return set_to


def test_roster_swap_log_and_comp_time(page, live_server, cast, clock, browser_login, screenshot):
    url = live_server.url
    browser_login(page, "supervisor")
    page.goto(f"{url}/duty/?year=2026")
    row = page.get_by_test_id("duty-period").filter(has_text="10-01 – 10-07")
    expect(row).to_contain_text("国庆节")
    row.get_by_role("button", name="安排值班表").click()
    expect(page.get_by_test_id("roster-status")).to_have_text("草稿")

    page.get_by_role("link", name="均衡排班").click()
    expect(page.get_by_test_id("proposal-day")).to_have_count(7)
    expect(page.get_by_test_id("fairness")).to_contain_text("张员工")
    screenshot(page, "duty-fill-evenly")
    page.get_by_role("button", name="采用此建议").click()
    expect(page.locator(".alert-success")).to_contain_text("已安排 7 天")

    # 10-01: 张员工 alone, in charge.
    page.locator("[data-testid=roster-day][data-date='2026-10-01']").get_by_test_id("edit-day").click()
    shift = page.get_by_test_id("shift-row").first
    for box in shift.locator("input[type=checkbox]").all():
        box.uncheck()
    shift.get_by_label("张员工").check()
    page.select_option("select[name=responsible]", label="张员工")
    page.get_by_role("button", name="保存当天安排").click()
    expect(page.locator("[data-testid=roster-day][data-date='2026-10-01']").get_by_test_id("responsible")).to_have_text("张员工")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("roster-status")).to_have_text("已发布")
    screenshot(page, "duty-roster-published")
    # The roster prints on one A4 page.
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")

    # 张员工 sees the duty day on the dashboard and asks 林记录 to take it.
    page.context.clear_cookies()
    browser_login(page, "employee")
    card = page.get_by_test_id("duty-card")
    first = card.get_by_test_id("duty-next").first
    expect(first).to_contain_text("2026-10-01")
    expect(first).to_contain_text("负责人")
    first.get_by_role("link", name="申请换班").click()
    page.select_option("select[name=colleague]", label=str(cast.clerk))
    page.fill("textarea[name=reason]", "国庆第一天要送父母去机场")
    page.get_by_role("button", name="发送申请").click()
    expect(page.get_by_test_id("swap-status")).to_have_text("等待同事同意")
    swap_url = page.url

    # 林记录 accepts.
    page.context.clear_cookies()
    browser_login(page, "clerk")
    expect(page.get_by_test_id("duty-swaps-to-answer")).to_contain_text("1 位同事请你代班")
    page.goto(swap_url)
    page.get_by_role("button", name="同意").click()
    expect(page.get_by_test_id("swap-status")).to_have_text("等待主管审批")

    # 李主管 approves: the roster now shows 林记录, in charge of 10-01.
    page.context.clear_cookies()
    browser_login(page, "supervisor")
    page.get_by_test_id("duty-swaps-to-decide").click()
    page.get_by_test_id("swap-to-decide").get_by_role("link").click()
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("swap-status")).to_have_text("已批准")
    page.get_by_role("link", name="返回值班表").click()
    day = page.locator("[data-testid=roster-day][data-date='2026-10-01']")
    expect(day.get_by_test_id("on-duty")).to_have_text("林记录")
    expect(day.get_by_test_id("responsible")).to_have_text("林记录")

    # On 10-01 林记录 clocks in and writes the duty log.
    clock(datetime(2026, 10, 1, 9, 1, tzinfo=SHANGHAI))
    page.context.clear_cookies()
    browser_login(page, "clerk")
    page.goto(f"{url}/attendance/")
    page.get_by_test_id("punch-button").click()
    expect(page.get_by_test_id("today-punches")).to_be_visible()
    clock(datetime(2026, 10, 1, 18, 5, tzinfo=SHANGHAI))
    page.context.clear_cookies()  # a session does not outlive a working day
    browser_login(page, "clerk")
    page.goto(f"{url}/duty/mine/")
    screenshot(page, "duty-mine-phone")
    page.get_by_test_id("my-shift").first.get_by_role("link", name="值班日志").click()
    page.fill("textarea[name=checked]", "网站首页、下单流程、客服工单巡检正常")
    page.fill("textarea[name=incidents]", "14:00 支付回调延迟，联系技术部后 20 分钟恢复")
    page.fill("textarea[name=contacts]", "李主管、技术部值班工程师")
    page.get_by_role("button", name="保存日志").click()
    expect(page.locator("[data-testid=roster-day][data-date='2026-10-01']").get_by_test_id("duty-log")).to_contain_text("巡检正常")
    screenshot(page, "duty-roster-with-log")

    # The night after 10-01 credits the worked shift; HR sees it in 林记录's ledger.
    clock(datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI))  # the night runs only once the day is over
    nightly.run_for_date(date(2026, 10, 1))
    page.context.clear_cookies()
    browser_login(page, "hr")
    page.goto(f"{url}/attendance/comp-time/?employee={cast.clerk.pk}")
    expect(page.get_by_test_id("comp-time-balance")).to_contain_text("9.00")
    expect(page.get_by_test_id("comp-time-entry").first).to_contain_text("节假日值班")
    screenshot(page, "duty-comp-time-hr")
