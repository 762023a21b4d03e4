"""HR's monthly export: columns, numbers that add up, formula injection, the daily grid, query counts."""

import csv
from datetime import date, time
from decimal import Decimal
import io

from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook
import pytest

from attendance import export
from opsdept import registries
from attendance.models import Overtime, RequestStatus
from tests.attendance.factories import OvertimeFactory, punch_day
from tests.factories import EmployeeFactory

HEADERS = ["工号", "姓名", "部门", "应出勤天数", "出勤天数", "迟到次数", "迟到分钟", "早退次数", "早退分钟",
           "缺卡次数", "旷工天数", "请假天数", "加班小时"]


@pytest.fixture
def october(cast, fake_leave):
    """张员工's October 2026: one late day, one early leave, one missing punch, a day and a half of leave, overtime."""
    employee = cast.employee
    for day in ("2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13", "2026-10-16", "2026-10-19",
                "2026-10-20", "2026-10-21", "2026-10-22", "2026-10-23", "2026-10-26", "2026-10-27", "2026-10-28"):
        punch_day(employee, day, "08:55", "18:02")
    punch_day(employee, "2026-10-14", "09:25", "18:00")        # late 25
    punch_day(employee, "2026-10-15", "08:50", "17:45")        # early 15
    punch_day(employee, "2026-10-29", "08:50")                 # missing punch
    fake_leave.days[(employee.pk, date(2026, 10, 30))] = "1"
    fake_leave.days[(employee.pk, date(2026, 10, 28))] = "0.5"
    OvertimeFactory(employee=employee, date=date(2026, 10, 17), start_time=time(9, 0), end_time=time(12, 30),
                    status=RequestStatus.APPROVED)
    OvertimeFactory(employee=employee, date=date(2026, 10, 18), status=RequestStatus.PENDING)
    return employee


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_the_columns_in_order_and_the_known_numbers(october):
    with translation.override("zh-hans"):
        rows = csv_rows(export.to_csv(export.build(2026, 10)))
    assert rows[0][0].startswith("2026-10 考勤 · 生成于 ") and rows[0][0].endswith("（未锁定）")
    assert rows[1][:13] == HEADERS
    row = next(row for row in rows if row[0] == october.employee_no)
    assert row[1:3] == ["张员工", "客服部"]
    #        expected present late latemin early earlymin missing absent leave overtime
    assert row[3:13] == ["18", "16.5", "1", "25", "1", "15", "1", "0", "1.5", "3.5"]   # then other chapters' columns


def test_every_workday_is_counted_once_for_everyone(october):
    data = export.build(2026, 10)
    for totals in data.totals.values():
        assert totals.expected_days == totals.present_days + totals.leave_days + totals.absent_days
    outsider_row = next(row for row in data.rows if row[1] == "孙员工")
    assert outsider_row[3] == outsider_row[10] == 18   # never punched: absent every workday


def test_text_cells_are_neutralised_against_formula_injection(cast):
    EmployeeFactory(name="=HYPERLINK(\"http://x\")", employee_no="+E1")
    EmployeeFactory(name="@SUM(A1)", employee_no="-E2")
    EmployeeFactory(name="\tcmd", employee_no="E3")
    data = export.build(2026, 10)
    content = export.to_csv(data).decode("utf-8-sig")
    assert "'=HYPERLINK" in content and "'@SUM" in content and "'+E1" in content and "'-E2" in content and "'\tcmd" in content
    workbook = load_workbook(io.BytesIO(export.to_xlsx(data)))
    values = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    values += [cell.value for row in workbook.worksheets[1].iter_rows() for cell in row]
    texts = [value for value in values if isinstance(value, str)]
    assert not any(text.startswith(("=", "+", "-", "@", "\t")) for text in texts if text != "-")
    assert "'=HYPERLINK(\"http://x\")" in texts


def test_xlsx_summary_and_daily_grid_with_colours_and_legend(october):
    with translation.override("zh-hans"):
        workbook = load_workbook(io.BytesIO(export.to_xlsx(export.build(2026, 10))))
    summary, grid, anomalies = workbook.worksheets
    assert summary["A1"].value.startswith("2026-10 考勤") and "生成于" in summary["A1"].value
    assert anomalies.title == "考勤异常明细"
    header = [cell.value for cell in summary[2]]
    assert header[:13] == HEADERS
    row = next(r for r in summary.iter_rows(min_row=3, values_only=True) if r[0] == october.employee_no)
    assert (row[3], row[4], row[5], row[6], row[11], row[12]) == (18, 16.5, 1, 25, 1.5, 3.5)
    grid_rows = list(grid.iter_rows())
    assert [cell.value for cell in grid_rows[0][:3]] == ["工号", "姓名", "1"]
    employee_row = next(r for r in grid_rows if r[0].value == october.employee_no)
    day14 = employee_row[2 + 13]
    assert day14.value == "迟" and day14.fill.fgColor.rgb.endswith("FFF3CD")
    assert employee_row[2 + 0].value == "休"          # 10-01 National Day
    assert employee_row[2 + 29].value == "假"         # 10-30 on leave
    legend = [r[1].value for r in grid_rows if r and len(r) > 1 and r[0].value and r[1].value]
    assert "旷工" in legend and "缺卡" in legend


class ExtraColumns:
    """A later chapter's columns (leave's balance, discipline's penalties...)."""

    def __init__(self) -> None:
        self.calls = 0

    def headers(self) -> list[str]:
        return ["罚款", "备注"]

    def values(self, employee_ids, start, end) -> dict[int, list]:
        self.calls += 1
        return {pk: [Decimal("50.00"), "=1+1"] for pk in employee_ids}


def test_provider_columns_follow_ours_with_one_call(october, only_registered):
    provider = ExtraColumns()
    only_registered(registries.export_columns, extra=provider)  # only this provider, not the chapters' real ones
    data = export.build(2026, 10)
    assert provider.calls == 1
    ours = len(export.COLUMNS)
    assert data.headers[ours:] == ["罚款", "备注"]
    row = next(row for row in data.rows if row[0] == october.employee_no)
    assert row[ours:] == [Decimal("50.00"), "'=1+1"]


def _more_people(count: int) -> None:
    for _n in range(count):
        employee = EmployeeFactory()
        punch_day(employee, "2026-10-12", "09:10", "18:00")
        OvertimeFactory(employee=employee, status=RequestStatus.APPROVED)


def test_export_query_count_does_not_grow_with_employees(cast, client):
    client.force_login(cast.hr.user)
    url = "/attendance/export/?month=2026-10&format=xlsx"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _more_people(1)  # the same shape of data, few rows (an approved overtime adds its punch check)
    client.get(url)  # the first export creates the schedule row
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_people(25)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    assert response["Content-Disposition"] == 'attachment; filename="attendance-2026-10.xlsx"'


def test_export_command_writes_csv_and_xlsx(october, tmp_path):
    call_command("export_attendance", "--month", "2026-10", "--format", "csv", "--output", str(tmp_path / "a.csv"), stdout=io.StringIO())
    assert csv_rows((tmp_path / "a.csv").read_bytes())[1][:13] == HEADERS
    call_command("export_attendance", "--month", "2026-10", "--format", "xlsx", "--output", str(tmp_path / "a.xlsx"), stdout=io.StringIO())
    assert load_workbook(tmp_path / "a.xlsx").worksheets[1].title == "每日明细"


def test_export_command_refuses_a_bad_month(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_attendance", "--month", "2026-13", "--format", "csv", "--output", str(tmp_path / "a.csv"))


def test_a_bad_month_on_the_page_is_a_form_error(client, cast):
    client.force_login(cast.hr.user)
    response = client.get("/attendance/export/?month=oops&format=csv")
    assert response.status_code == 200 and response.context["form"].errors["month"]


def test_full_width_formula_prefixes_are_neutralised_too():
    from attendance.export import neutralise

    for text in ("＝1+1", "＋CMD", "－2", "＠SUM(A1)"):
        assert neutralise(text) == "'" + text
    assert neutralise("王伟") == "王伟"


def test_a_locked_month_names_its_lock_time_in_both_files(october, cast):
    """Issue 13 item 13: the export's header names the month and the locked time once locked."""
    from datetime import datetime

    from django.utils import timezone

    from attendance.models import MonthClose

    locked_at = timezone.make_aware(datetime(2026, 11, 5, 17, 30))
    MonthClose.objects.create(month=date(2026, 10, 1), opened_by=cast.hr, locked_at=locked_at, locked_by=cast.hr)
    with translation.override("zh-hans"):
        data = export.build(2026, 10)
        rows = csv_rows(export.to_csv(data))
        summary = load_workbook(io.BytesIO(export.to_xlsx(data))).worksheets[0]
    assert rows[0] == ["2026-10 考勤 · 锁定于 2026-11-05 17:30"]
    assert summary["A1"].value == "2026-10 考勤 · 锁定于 2026-11-05 17:30"
