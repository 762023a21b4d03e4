"""attendance/xlsx.py, the streaming writer behind the monthly export (issue 16): what it writes reads back."""

from datetime import date, datetime
from decimal import Decimal
import io
import zipfile

from openpyxl import load_workbook
import pytest

from attendance.xlsx import Workbook, get_column_letter


def written(build) -> bytes:
    buffer = io.BytesIO()
    with Workbook(buffer) as book:
        build(book)
    return buffer.getvalue()


def test_values_keep_their_types_and_text_stays_text():
    def build(book):
        sheet = book.sheet("数据")
        sheet.append([1, Decimal("16.50"), 2.25, True, date(2026, 10, 1), "=1+1", "  空格 ", "a<b & \"c\"", None, ""])
        sheet.append(["控制\x01字符\x1f", "http://example.com", "0012"])

    book = load_workbook(io.BytesIO(written(build)))
    first, second = list(book.worksheets[0].iter_rows(values_only=True))
    assert first[:8] == (1, 16.5, 2.25, True, datetime(2026, 10, 1), "=1+1", "  空格 ", "a<b & \"c\"")
    assert len(first) == 8                                  # None and "" write no cell
    assert book.worksheets[0]["F1"].data_type != "f"     # never a formula
    assert second[:3] == ("控制\ufffd字符\ufffd", "http://example.com", "0012")


def test_styles_widths_and_frozen_panes_read_back():
    def build(book):
        bold = book.style(bold=True)
        late = book.style(fill="FFF3CD", centre=True)
        sheet = book.sheet("汇总", widths={1: 12, 4: 14}, freeze=(2, 3))
        sheet.append([("标题", bold)])
        sheet.append([("迟", late), ("", late)])
        book.sheet("明细", freeze=(1, 0)).append(["x"])
        book.sheet("第三", freeze=(0, 2)).append(["y"])

    book = load_workbook(io.BytesIO(written(build)))
    summary, detail, third = book.worksheets
    assert [sheet.title for sheet in book.worksheets] == ["汇总", "明细", "第三"]
    assert (summary.freeze_panes, detail.freeze_panes, third.freeze_panes) == ("D3", "A2", "C1")
    assert summary["A1"].font.b and not summary["A2"].font.b
    assert summary["A2"].fill.fgColor.rgb == "FFFFF3CD" and summary["A2"].alignment.horizontal == "center"
    assert summary["B2"].value is None and summary["B2"].fill.fgColor.rgb == "FFFFF3CD"  # a styled empty cell
    assert summary.column_dimensions["A"].width == 12 and summary.column_dimensions["D"].width == 14


def test_templated_cells_land_in_their_row_and_column_past_z():
    def build(book):
        sheet = book.sheet("宽表")
        cells = [sheet.template(column, f"c{column}") for column in range(3, 31)]
        sheet.append(["a", "b"], cells)
        sheet.append(["c"], cells[:1] + [sheet.template(4, None)])

    rows = list(load_workbook(io.BytesIO(written(build))).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("a", "b", *[f"c{column}" for column in range(3, 31)])
    assert rows[1][:4] == ("c", None, "c3", None)
    assert [get_column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_a_long_sheet_title_is_cut_and_styles_come_first():
    buffer = io.BytesIO()
    with Workbook(buffer) as book:
        book.sheet("x" * 40).append([1])
        with pytest.raises(RuntimeError):
            book.style(bold=True)
    assert load_workbook(buffer).worksheets[0].title == "x" * 31
    names = zipfile.ZipFile(buffer).namelist()
    assert "xl/worksheets/sheet1.xml" in names and "xl/styles.xml" in names and "[Content_Types].xml" in names
