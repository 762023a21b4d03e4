"""HR's monthly attendance export (CSV and XLSX), shared by the page and `manage.py export_attendance`.

One row per active employee: the 13 columns below, then every column that later chapters
register in `opsdept.registries.export_columns` (one bulk call per provider). The XLSX has a
second sheet with the daily grid. Text cells are neutralised against formula injection.
"""

from calendar import monthrange
import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import bounds, registries, workcalendar
from opsdept.models import Employee

from .days import DayResult
from .models import DayStatus
from .selectors import MonthTotals, counted_period, month_totals

COLUMNS = [
    gettext_lazy("Employee no."),          # 工号
    gettext_lazy("Name"),                  # 姓名
    gettext_lazy("Department"),            # 部门
    gettext_lazy("Expected workdays"),     # 应出勤天数
    gettext_lazy("Days present"),          # 出勤天数
    gettext_lazy("Times late"),            # 迟到次数
    gettext_lazy("Minutes late"),          # 迟到分钟
    gettext_lazy("Times left early"),      # 早退次数
    gettext_lazy("Minutes left early"),    # 早退分钟
    gettext_lazy("Missing punches"),       # 缺卡次数
    gettext_lazy("Days absent"),           # 旷工天数
    gettext_lazy("Days on leave"),         # 请假天数
    gettext_lazy("Overtime hours"),        # 加班小时
]

# Status code per cell of the daily grid, and its fill colour (the same hues as the pages).
GRID_CODES = {
    DayStatus.NORMAL: (gettext_lazy("OK"), "D1E7DD"),
    DayStatus.LATE: (gettext_lazy("L"), "FFF3CD"),
    DayStatus.EARLY: (gettext_lazy("E"), "FFF3CD"),
    DayStatus.LATE_EARLY: (gettext_lazy("LE"), "FFE69C"),
    DayStatus.MISSING: (gettext_lazy("M"), "FFE5D0"),
    DayStatus.ABSENT: (gettext_lazy("A"), "F8D7DA"),
    DayStatus.ON_LEAVE: (gettext_lazy("V"), "CFE2FF"),
}
REST_CODE = (gettext_lazy("-"), "E9ECEF")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell inert in spreadsheets: a leading = + - @ tab or CR gets a quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


@dataclass
class MonthExport:
    year: int
    month: int
    headers: list[str]
    rows: list[list[Any]]
    employees: list[Employee]
    totals: dict[int, MonthTotals]
    day_infos: list[workcalendar.DayInfo]
    counted_until: date


def build(year: int, month: int, *, today: date | None = None) -> MonthExport:
    """Gather the month: a constant number of queries whatever the number of employees."""
    bounds.check_month(year, month, today=today)
    employees = list(Employee.objects.filter(is_active=True).select_related("department").order_by("employee_no"))
    totals = month_totals(None, year, month, today=today)
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    headers = [str(title) for title in COLUMNS]
    extra: list[dict[int, list]] = []
    widths: list[int] = []
    for provider in registries.export_columns:
        provider_headers = [str(title) for title in provider.headers()]
        headers += provider_headers
        widths.append(len(provider_headers))
        extra.append(provider.values([employee.pk for employee in employees], first, last))
    rows = []
    for employee in employees:
        total = totals.get(employee.pk) or MonthTotals(employee.pk)
        row: list[Any] = [
            employee.employee_no, employee.name, employee.department.name,
            total.expected_days, total.present_days, total.late_count, total.late_minutes,
            total.early_count, total.early_minutes, total.missing_count, total.absent_days,
            total.leave_days, total.overtime_hours,
        ]
        for values, width in zip(extra, widths):
            row += list(values.get(employee.pk, [""] * width))
        rows.append([neutralise(cell) for cell in row])
    _start, counted_until = counted_period(year, month, today or timezone.localdate())
    return MonthExport(year, month, headers, rows, employees, totals, workcalendar.days_between(first, last), counted_until)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return value


def to_csv(export: MonthExport) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(header) for header in export.headers])
    for row in export.rows:
        writer.writerow([_plain(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(export: MonthExport) -> bytes:
    """Two sheets: the month's totals, and the daily grid (employee × day) with colours and a legend."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    summary = workbook.create_sheet(_("Summary"))
    summary.freeze_panes = "D2"
    for index, header in enumerate(export.headers, start=1):
        summary.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 12
    summary.append([_header_cell(summary, header, bold, WriteOnlyCell) for header in export.headers])
    for row in export.rows:
        summary.append(row)

    grid = workbook.create_sheet(_("Daily grid"))
    grid.freeze_panes = "C2"
    grid.column_dimensions["A"].width = 10
    grid.column_dimensions["B"].width = 10
    for index in range(len(export.day_infos)):
        grid.column_dimensions[get_column_letter(index + 3)].width = 5
    fills = {status: PatternFill("solid", fgColor=colour) for status, (_code, colour) in GRID_CODES.items()}
    codes = {status: str(code) for status, (code, _colour) in GRID_CODES.items()}
    rest_fill = PatternFill("solid", fgColor=REST_CODE[1])
    rest_code = str(REST_CODE[0])
    centre = Alignment(horizontal="center")
    header = [_header_cell(grid, _("Employee no."), bold, WriteOnlyCell), _header_cell(grid, _("Name"), bold, WriteOnlyCell)]
    header += [_header_cell(grid, f"{info.date.day}", bold, WriteOnlyCell) for info in export.day_infos]
    grid.append(header)
    for employee in export.employees:
        days: dict[date, DayResult] = export.totals[employee.pk].days if employee.pk in export.totals else {}
        cells: list[Any] = [neutralise(employee.employee_no), neutralise(employee.name)]
        for info in export.day_infos:
            cell = WriteOnlyCell(grid)
            cell.alignment = centre
            result = days.get(info.date)
            if result is not None:
                cell.value, cell.fill = codes[result.status], fills[result.status]
            elif not info.is_workday:
                cell.value, cell.fill = rest_code, rest_fill
            else:
                cell.value = ""  # not counted (after yesterday, or before the hire date)
            cells.append(cell)
        grid.append(cells)
    grid.append([])
    grid.append([_header_cell(grid, _("Legend"), bold, WriteOnlyCell)])
    legend = [(codes[status], fills[status], DayStatus(status).label) for status in GRID_CODES]
    legend.append((rest_code, rest_fill, _("Not a workday")))
    for code, fill, label in legend:
        cell = WriteOnlyCell(grid, value=code)
        cell.fill, cell.alignment = fill, centre
        grid.append([cell, str(label)])
    grid.append([_("Counted up to %(date)s.") % {"date": export.counted_until.isoformat()}])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, value: str, font, cell_class):
    cell = cell_class(sheet, value=neutralise(value))
    cell.font = font
    return cell


def filename(year: int, month: int, extension: str) -> str:
    return f"attendance-{year:04d}-{month:02d}.{extension}"
