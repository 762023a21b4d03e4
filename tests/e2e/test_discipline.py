"""The issue's "Done when": the nightly check flags a demo staff member's missing daily report; the
supervisor turns the flag into a ¥50 fine; the staff member sees it and appeals; the manager reduces
it to ¥20; the notice board shows only what is public."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from discipline import demo as discipline_demo, services
from discipline.models import Appeal, Flag, Record, Rule
from opsdept import demo as people_demo, workcalendar
from opsdept.models import Employee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = people_demo.DEMO_PASSWORD


class Quiet:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def last_workday_before_today():
    day = timezone.localdate() - timedelta(days=1)
    while not workcalendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def signed_in(browser, browser_login, username: str):
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, username, PASSWORD)
    return context, page


def test_missing_report_to_fine_appeal_reduction_and_notice_board(browser, live_server, browser_login, screenshot):
    people_demo.seed(Quiet())
    discipline_demo.seed(Quiet())  # public praise and criticism on the notice board, a published policy version
    hr = Employee.objects.get(user__username="mahong")
    # The policy names no amount for a missing report; HR allows a fine of ¥10–100 for it.
    services.configure_rule(Rule.objects.get(code="missing-report").pk, actor=hr.user,
                            allowed_kinds=["verbal", "written", "criticism", "fine"],
                            min_amount=Decimal("10"), max_amount=Decimal("100"), is_active=True)
    day = last_workday_before_today()
    zhangwei = Employee.objects.get(user__username="zhangwei")
    call_command("run_nightly_checks", "--date", day.isoformat(), stdout=Quiet())
    flag = Flag.objects.get(employee=zhangwei, date=day, rule__code="missing-report")
    assert flag.source == "worklog.missing_report"

    # The supervisor reviews the flag and issues a ¥50 fine.
    context, page = signed_in(browser, browser_login, "lijing")
    page.goto(f"{live_server.url}/discipline/flags/")
    row = page.get_by_test_id("flag-row").filter(has_text="张伟").filter(has_text="未提交每日工作报告")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="打开").click()
    page.get_by_test_id("flag-to-record").click()
    expect(page.get_by_test_id("record-from-flag")).to_contain_text("张伟")
    page.select_option("select[name=kind]", "fine")
    page.fill("input[name=amount]", "500")
    page.get_by_role("button", name="签发").click()
    expect(page.locator("#id_amount ~ .invalid-feedback, .invalid-feedback").first).to_contain_text("¥10.00")
    assert not Record.objects.filter(employee=zhangwei).exists()
    page.fill("input[name=amount]", "50")
    page.get_by_role("button", name="签发").click()
    expect(page.get_by_test_id("record-amount")).to_have_text("¥50.00")
    screenshot(page, "discipline-fine-issued")
    context.close()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.PENALISED

    # The staff member follows the slim reminder to the handbook, ticks each chapter as read and signs
    # at its end, then sees the fine and appeals.
    context, page = signed_in(browser, browser_login, "zhangwei")
    expect(page.get_by_test_id("policy-banner")).to_be_visible()
    page.get_by_test_id("policy-banner-read").click()
    for box in page.get_by_test_id("policy-read").all():
        box.check()
    page.get_by_test_id("policy-acknowledge").click()
    expect(page.get_by_test_id("policy-banner")).to_have_count(0)
    expect(page.get_by_test_id("policy-signed")).to_be_visible()
    page.goto(f"{live_server.url}/discipline/records/")
    page.get_by_test_id("record-row").filter(has_text="罚款").get_by_role("link", name="打开").click()
    page.fill("textarea[name=reason]", "那天在客户现场处理投诉到很晚，第二天一早补交了日报。")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.get_by_test_id("appeal-status")).to_have_text("待裁决")
    context.close()

    # The manager reduces the fine to ¥20.
    context, page = signed_in(browser, browser_login, "wangjianguo")
    page.goto(f"{live_server.url}/discipline/appeals/")
    page.get_by_test_id("appeal-row").filter(has_text="张伟").get_by_test_id("review").click()  # 减轻金额…: reducing needs the appeal's page
    page.get_by_label("减轻金额").check()
    page.fill("input[name=new_amount]", "20")
    page.fill("textarea[name=reason]", "情有可原，且次日已补交。")
    page.get_by_role("button", name="提交裁决").click()
    expect(page.get_by_test_id("appeal-status")).to_have_text("已减轻")
    expect(page.get_by_test_id("appeal-new-amount")).to_contain_text("¥20.00")
    screenshot(page, "discipline-appeal-reduced")
    context.close()
    appeal = Appeal.objects.get(employee=zhangwei)
    assert appeal.record.amount == Decimal("50.00") and appeal.record.reversal.amount == Decimal("-50.00")

    # The staff member is notified; the notice board shows the public records, not the private fine.
    context, page = signed_in(browser, browser_login, "zhangwei")
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    page.goto(f"{live_server.url}/discipline/notices/")
    notices = page.get_by_test_id("notice")
    expect(notices.filter(has_text="孙悦")).to_contain_text("通报表扬")
    expect(notices.filter(has_text="刘洋")).to_contain_text("通报批评")
    expect(notices.filter(has_text="张伟")).to_have_count(0)
    screenshot(page, "discipline-notice-board")
    page.goto(f"{live_server.url}/discipline/policy/#jiangcheng-1")
    expect(page.locator("#jiangcheng-1")).to_contain_text("当天工作事宜必须当天完成")
    screenshot(page, "discipline-policy")
    context.close()
