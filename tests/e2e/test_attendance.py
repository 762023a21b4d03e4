"""On a phone: staff clocks in and asks for a correction, the supervisor approves it, HR downloads the month."""

from datetime import date
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from opsdept import workcalendar
from tests.attendance.factories import punch_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def phone_page(browser):
    context = browser.new_context(**PHONE)
    return context, context.new_page()


def test_clock_in_correction_and_monthly_xlsx_on_a_phone(browser, live_server, cast, browser_login, screenshot):
    # 张员工's October 2026: on time every workday, except late on the 14th and no evening punch on the 12th.
    for day in workcalendar.workdays_between(date(2026, 10, 1), date(2026, 10, 31)):
        if day == date(2026, 10, 12):
            punch_day(cast.employee, day.isoformat(), "08:55")
        elif day == date(2026, 10, 14):
            punch_day(cast.employee, day.isoformat(), "09:25", "18:01")
        else:
            punch_day(cast.employee, day.isoformat(), "08:55", "18:02")

    # Staff clocks in from the dashboard's big button and sees the punch.
    context, page = phone_page(browser)
    browser_login(page, "employee")
    page.get_by_test_id("dashboard-punch").click()
    expect(page.get_by_test_id("no-punches")).to_be_visible()
    page.get_by_test_id("punch-button").click()
    expect(page.get_by_test_id("today-punches").locator("li")).to_have_count(1)
    # In or late depends on the wall clock: the feedback says which punch it was either way.
    expect(page.get_by_test_id("punch-feedback")).to_contain_text("上班打卡")
    screenshot(page, "attendance-phone-punch")

    # ...and asks for the forgotten evening punch of 12 October.
    page.goto(f"{live_server.url}/attendance/corrections/")
    page.fill("input[name=date]", "2026-10-12")
    page.fill("input[name=time]", "18:05")
    page.fill("textarea[name=reason]", "下班忘记打卡")
    page.get_by_test_id("correction-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("补卡申请已提交")
    context.close()

    # The supervisor approves it from the approval queue.
    context, page = phone_page(browser)
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/attendance/approvals/")
    row = page.get_by_test_id("pending-corrections").locator("tr", has_text="张员工")
    expect(row).to_contain_text("下班忘记打卡")
    screenshot(page, "attendance-phone-approvals")
    row.get_by_test_id("approve").click()
    expect(row.get_by_test_id("row-status")).to_have_text("已批准")   # the row answers in place (htmx)
    page.reload()   # the decided row leaves the queue
    expect(page.get_by_test_id("pending-corrections")).to_contain_text("没有待审批的申请")
    context.close()

    # The staff member's month shows the corrected day as normal, with the correction marked.
    context, page = phone_page(browser)
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/month/?month=2026-10")
    corrected = page.locator("td[data-date='2026-10-12']")
    expect(corrected).to_have_attribute("data-status", "normal")
    expect(corrected).to_contain_text("18:05*")
    expect(page.locator("td[data-date='2026-10-14']")).to_have_attribute("data-status", "late")
    expect(page.get_by_test_id("total-expected")).to_have_text("18")
    screenshot(page, "attendance-phone-month")
    context.close()

    # HR downloads October's XLSX; the known employee's numbers are right.
    context, page = phone_page(browser)
    browser_login(page, "hr")
    page.goto(f"{live_server.url}/attendance/export/")
    page.fill("input[name=month]", "2026-10")
    page.select_option("select[name=format]", "xlsx")
    screenshot(page, "attendance-phone-export")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    download = download_info.value
    assert download.suggested_filename == "attendance-2026-10.xlsx"
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    context.close()
    summary, grid, _anomalies = workbook.worksheets
    assert [cell.value for cell in summary[2]][:5] == ["工号", "姓名", "部门", "应出勤天数", "出勤天数"]
    row = next(r for r in summary.iter_rows(min_row=3, values_only=True) if r[0] == cast.employee.employee_no)
    #            name    expected present late latemin early earlymin missing absent leave overtime
    assert row[1:13] == ("张员工", "客服部", 18, 18, 1, 25, 0, 0, 0, 0, 0, 0)
    grid_row = next(r for r in grid.iter_rows(values_only=True) if r[0] == cast.employee.employee_no)
    assert grid_row[2 + 11] == "√" and grid_row[2 + 13] == "迟"     # the 12th corrected, the 14th late
