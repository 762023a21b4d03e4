"""The export page's download (issue 16: the XLSX now streamed by attendance/xlsx.py): name, type, content, bad input."""

import io

from openpyxl import load_workbook
import pytest

from tests.attendance.factories import punch_day

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def hr_client(client, cast):
    punch_day(cast.employee, "2026-10-14", "09:25", "18:00")
    client.force_login(cast.hr.user)
    return client


def test_the_xlsx_download_is_named_typed_and_opens(hr_client, cast):
    response = hr_client.get("/attendance/export/?month=2026-10&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="attendance-2026-10.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert [sheet.title for sheet in book.worksheets] == ["月度汇总", "每日明细", "考勤异常明细"]
    summary, grid, _flags = book.worksheets
    assert (summary.freeze_panes, grid.freeze_panes) == ("D3", "C2")
    assert summary["A2"].value == "工号" and summary["A2"].font.b
    row = next(row for row in grid.iter_rows() if row[0].value == cast.employee.employee_no)
    late = row[2 + 13]  # 10-14
    assert late.value == "迟" and late.fill.fgColor.rgb.endswith("FFF3CD") and late.alignment.horizontal == "center"


def test_the_csv_download_is_named_typed_and_has_a_bom(hr_client):
    response = hr_client.get("/attendance/export/?month=2026-10&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="attendance-2026-10.csv"'
    assert response.content.startswith("\ufeff".encode()) and "工号".encode() in response.content


@pytest.mark.parametrize("query", [
    "month=2026-13&format=csv", "month=oops&format=xlsx", "month=１９９９-１０&format=csv", "month=٢٠٢٦-١٠&format=xlsx",
    "month=1899-12&format=xlsx", "month=9999-12&format=csv", "month=2026-10&format=pdf", "month=&format=csv",
])
def test_bad_input_is_a_form_error_not_a_file_nor_a_500(hr_client, query):
    response = hr_client.get(f"/attendance/export/?{query}")
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response.context["form"].errors
    messages = [message for errors in response.context["form"].errors.values() for message in errors]
    assert all(any("\u4e00" <= char <= "\u9fff" for char in message) for message in messages), messages
