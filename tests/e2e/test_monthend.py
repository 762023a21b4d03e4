"""HR's month, right to the last yuan: rest-day overtime as comp time, a dispute resolved by a correction,
the month confirmed and locked, and the XLSX with the leaver, the newcomer and the overtime split."""

from datetime import date, time, timedelta
from decimal import Decimal
import io

from django.utils import timezone
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from attendance import comptime
from attendance.checks import comp_time_for_rest_day_overtime as night_after
from attendance.models import Overtime, OvertimeCompensation, RequestStatus
from leave.models import LeaveRequest, LeaveType
from opsdept import workcalendar
from tests.attendance.factories import OvertimeFactory, punch_day
from tests.factories import EmployeeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _next_rest_day() -> date:
    day = timezone.localdate() + timedelta(days=2)
    while workcalendar.overtime_kind(day) != workcalendar.OvertimeKind.REST_DAY:
        day += timedelta(days=1)
    return day


def test_month_end_from_overtime_to_the_locked_xlsx(browser, live_server, cast, browser_login, screenshot):
    # October 2026: 张员工 on time every workday but the 12th (no evening punch); a leaver and a newcomer.
    for day in workcalendar.workdays_between(date(2026, 10, 1), date(2026, 10, 31)):
        punch_day(cast.employee, day.isoformat(), *(["08:55"] if day == date(2026, 10, 12) else ["08:55", "18:02"]))
    leaver = EmployeeFactory(name="高离职", supervisor=cast.supervisor, department=cast.employee.department,
                             leave_date=date(2026, 10, 15), is_active=False)
    newcomer = EmployeeFactory(name="徐新人", supervisor=cast.supervisor, department=cast.employee.department,
                               hire_date=date(2026, 10, 26), work_start_date=date(2026, 10, 26))
    # October's approved overtime: a workday evening (×1.5) and a Saturday taken as comp time, both punched.
    punch_day(cast.employee, "2026-10-17", "09:00", "12:00")
    punch_day(cast.employee, "2026-10-09", "20:00")
    OvertimeFactory(employee=cast.employee, date=date(2026, 10, 9), start_time=time(18, 30), end_time=time(20, 0),
                    day_kind="workday", status=RequestStatus.APPROVED)
    OvertimeFactory(employee=cast.employee, date=date(2026, 10, 17), start_time=time(9), end_time=time(12), day_kind="rest",
                    compensation=OvertimeCompensation.COMP_TIME, status=RequestStatus.APPROVED)
    night_after(date(2026, 10, 17))   # the night credits the October Saturday's 3 hours of comp time

    # The staff member files rest-day overtime, taken as comp time, before it starts.
    rest_day = _next_rest_day()
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/overtime/")
    page.fill("input[name=date]", rest_day.isoformat())
    page.fill("input[name=start_time]", "09:00")
    page.fill("input[name=end_time]", "13:00")
    page.check("input[name=compensation][value=comp_time]")
    page.fill("textarea[name=reason]", "周末系统升级值守")
    page.get_by_test_id("overtime-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("overtime-row").first).to_contain_text("调休")
    context.close()

    # The supervisor approves it.
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/attendance/approvals/")
    row = page.get_by_test_id("pending-overtime").locator("tr", has_text="张员工")
    expect(row).to_contain_text("休息日")
    row.get_by_test_id("approve").click()
    expect(row.get_by_test_id("row-status")).to_have_text("已批准")   # the row answers in place (htmx)
    context.close()
    overtime = Overtime.objects.get(date=rest_day)
    assert overtime.status == RequestStatus.APPROVED and overtime.is_comp_time

    # After the punches (and the night), the hours counted show beside the hours asked, and the balance has them.
    punch_day(cast.employee, rest_day.isoformat(), "08:55", "13:10")
    night_after(rest_day)
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/overtime/")
    counted = page.get_by_test_id("overtime-row").filter(has_text=rest_day.isoformat()).get_by_test_id("counted")
    expect(counted).to_have_text("4.0")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("leave-comp-time")).to_contain_text("7.00")
    page.goto(f"{live_server.url}/attendance/comp-time/")
    expect(page.get_by_test_id("comp-time-balance")).to_contain_text("7.00")
    expect(page.get_by_test_id("comp-time-ledger")).to_contain_text(f"休息日加班 {rest_day.isoformat()} 09:00–13:00（调休）")
    screenshot(page, "monthend-comp-time-ledger")

    # The staff member files 调休 against it: a whole day (8 hours) is refused with the balance shown; half a day goes.
    leave_day = workcalendar.next_workday(rest_day)
    page.goto(f"{live_server.url}/leave/new/")
    expect(page.get_by_test_id("comp-time-balance")).to_contain_text("7.00")
    page.select_option("select[name=leave_type]", str(LeaveType.objects.get(code="compensatory").pk))
    page.fill("input[name=start_date]", leave_day.isoformat())
    page.fill("input[name=end_date]", leave_day.isoformat())
    page.fill("textarea[name=reason]", "周末加班换休")
    page.get_by_test_id("submit-leave").click()
    expect(page.locator("form[enctype]")).to_contain_text("本次需要 8.00 小时调休，但你的调休余额只有 7.00 小时")
    assert not LeaveRequest.objects.filter(employee=cast.employee).exists()
    page.select_option("select[name=end_half]", "am")
    page.get_by_test_id("submit-leave").click()
    expect(page.get_by_test_id("leave-status")).to_have_text("待审批")
    context.close()

    # The supervisor sees the requester's comp time on the approval page and approves.
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/leave/pending/")
    page.get_by_test_id("pending-row").filter(has_text="张员工").get_by_test_id("review").click()
    expect(page.get_by_test_id("comp-time-balance")).to_contain_text("7.00")
    expect(page.get_by_test_id("comp-time-balance")).to_contain_text("4.00")
    screenshot(page, "monthend-comp-time-approval")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("leave-status")).to_have_text("已批准")
    context.close()
    assert comptime.comp_time_balance(cast.employee) == Decimal("3.00")

    # HR opens October for confirmation.
    context.close()
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "hr")
    page.goto(f"{live_server.url}/attendance/confirmations/?month=2026-10")
    page.get_by_test_id("open-confirmation").click()
    expect(page.get_by_test_id("confirmation-counts")).to_be_visible()
    context.close()

    # The staff member disputes the 12th and asks for the missing punch.
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/confirm/?month=2026-10")
    page.fill("input[name=date]", "2026-10-12")
    page.fill("textarea[name=reason]", "18:05 下班打卡机没记上")
    page.get_by_test_id("dispute-day").click()
    expect(page.get_by_test_id("my-status")).to_have_text("有异议")
    page.goto(f"{live_server.url}/attendance/corrections/")
    page.fill("input[name=date]", "2026-10-12")
    page.fill("input[name=time]", "18:05")
    page.fill("textarea[name=reason]", "打卡机没记上")
    page.get_by_test_id("correction-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    context.close()

    # The supervisor approves the correction and resolves the dispute with it.
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "supervisor")
    page.goto(f"{live_server.url}/attendance/approvals/")
    row = page.get_by_test_id("pending-corrections").locator("tr", has_text="张员工")
    row.get_by_test_id("approve").click()
    expect(row.get_by_test_id("row-status")).to_have_text("已批准")
    page.goto(f"{live_server.url}/attendance/confirmations/?month=2026-10")
    dispute = page.get_by_test_id("confirmations").locator("tr", has_text="张员工")
    dispute.locator("select[name=resolution]").select_option("correction")
    dispute.locator("input[name=note]").fill("已批准补卡 18:05")
    dispute.get_by_test_id("resolve").click()
    expect(page.locator(".alert-success")).to_be_visible()
    context.close()

    # The staff member confirms the month.
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "employee")
    page.goto(f"{live_server.url}/attendance/confirm/?month=2026-10")
    page.get_by_test_id("confirm-month").click()
    expect(page.get_by_test_id("my-status")).to_have_text("已确认")
    screenshot(page, "monthend-confirmed")
    context.close()

    # HR reminds the rest, locks the month and downloads the XLSX.
    context = browser.new_context()
    page = context.new_page()
    browser_login(page, "hr")
    page.goto(f"{live_server.url}/attendance/confirmations/?month=2026-10")
    page.get_by_test_id("remind").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_test_id("lock-month").click()
    expect(page.get_by_test_id("locked")).to_be_visible()
    screenshot(page, "monthend-locked")
    page.goto(f"{live_server.url}/attendance/export/")
    page.fill("input[name=month]", "2026-10")
    page.select_option("select[name=format]", "xlsx")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    workbook = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))
    context.close()

    summary, _grid, anomalies = workbook.worksheets
    assert summary["A1"].value.startswith("2026-10 考勤 · 锁定于")
    headers = [cell.value for cell in summary[2]]
    rows = {row[1]: dict(zip(headers, row)) for row in summary.iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["张员工"]["应出勤天数"] == 18 and rows["张员工"]["缺卡次数"] == 0     # the 12th corrected
    assert rows["张员工"]["工作日加班小时"] == 1.5 and rows["张员工"]["休息日加班小时（调休）"] == 3
    assert rows["张员工"]["考勤确认"] == "已确认"
    assert rows["张员工"]["调休余额（小时）"] == 3                                    # October's Saturday, at the month's end
    assert rows["徐新人"]["调休余额（小时）"] == 0
    assert rows["高离职"]["应出勤天数"] == 7 and rows["高离职"]["旷工天数"] == 7       # up to the leave date only
    assert rows["徐新人"]["应出勤天数"] == 5                                        # the newcomer from the 26th
    assert rows["徐新人"]["考勤确认"] == "未确认"
    assert anomalies.title == "考勤异常明细"
