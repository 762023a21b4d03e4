"""HR's monthly attendance export (CSV and XLSX), shared by the page and `manage.py export_attendance`.

One row per employee employed at some point in the month (leavers and newcomers included): the 13 columns below, then every column that later chapters
register in `opsdept.registries.export_columns` (one bulk call per provider). The XLSX has a
second sheet with the daily grid. Text cells are neutralised against formula injection.
"""

from calendar import monthrange
import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from discipline.models import Flag
from discipline.rules import RULE_TITLES
from opsdept import bounds, employment, registries, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Employee

from . import comptime, confirmation

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
    gettext_lazy("Overtime hours"),        # 加班小时 (approved, as asked)
    gettext_lazy("Workday overtime hours"),            # 工作日加班小时 (counted from punches, ×1.5)
    gettext_lazy("Rest-day overtime hours (pay)"),     # 休息日加班小时（计薪）(×2)
    gettext_lazy("Rest-day overtime hours (comp time)"),  # 休息日加班小时（调休）
    gettext_lazy("Statutory holiday overtime hours"),  # 法定节假日加班小时 (×3)
    gettext_lazy("Comp-time balance (hours)"),         # 调休余额（小时）at the month's end (today for the current month)
    gettext_lazy("Days of unrequested overtime"),      # 未申请加班天数
    gettext_lazy("Confirmation"),                      # 考勤确认 (the employee's answer)
    gettext_lazy("Changed after the lock"),            # 锁定后变更 (dates HR changed, with the reason)
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
    DayStatus.BUSINESS: (gettext_lazy("B"), "CFF4FC"),
}
DUTY_CODE = (gettext_lazy("D"), "E2D9F3")  # a rest day worked on holiday duty (值班)
REST_CODE = (gettext_lazy("-"), "E9ECEF")
UNTRACKED_CODE = (gettext_lazy("/"), "FFFFFF")  # not employed yet or any more, or before the go-live date
# Full-width ＝＋－＠ too: spreadsheet apps in a Chinese locale read them as formula starts.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """Make a text cell inert in spreadsheets: a leading = + - @ tab or CR gets a quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


class ExportRefused(DomainError):
    pass


@dataclass
class AnomalyRow:
    """One flag of the month on the 考勤异常明细 sheet: date, who, rule, state, how it was resolved."""

    date: date
    employee_no: str
    name: str
    rule: str
    state: str
    resolution: str


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
    generated_at: datetime | None = None
    locked_at: datetime | None = None
    anomalies: list[AnomalyRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The header row: the month, and when it was locked (or generated)."""
        month = f"{self.year:04d}-{self.month:02d}"
        if self.locked_at is not None:
            return _("Attendance %(month)s · locked %(at)s") % {"month": month, "at": timezone.localtime(self.locked_at).strftime("%Y-%m-%d %H:%M")}
        return _("Attendance %(month)s · generated %(at)s (not locked)") % {
            "month": month, "at": timezone.localtime(self.generated_at or timezone.now()).strftime("%Y-%m-%d %H:%M")}


def build(year: int, month: int, *, today: date | None = None) -> MonthExport:
    """Gather the month: a constant number of queries whatever the number of employees.

    A month that has not started is refused (it would only be zeros), and so is one outside the business range.
    """
    if 1 <= month <= 12 and 1 <= year <= 9999 and date(year, month, 1) > (today or timezone.localdate()):
        raise ExportRefused(_("%(month)s has not started yet: there is nothing to export.") % {"month": f"{year:04d}-{month:02d}"},
                            field="month")
    bounds.check_month(year, month, today=today)
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    employees = list(employment.employees_between(first, last).select_related("department").order_by("employee_no"))
    # The days the nightly check stored and flagged, not judged again here (selectors.stored_days).
    totals = month_totals(None, year, month, today=today, stored=True)
    headers = [str(title) for title in COLUMNS]
    extra: list[dict[int, list]] = []
    widths: list[int] = []
    for provider in registries.export_columns:
        provider_headers = [str(title) for title in provider.headers()]
        headers += provider_headers
        widths.append(len(provider_headers))
        extra.append(provider.values([employee.pk for employee in employees], first, last))
    ids = [employee.pk for employee in employees]
    statuses = confirmation.month_status(ids, year, month)
    comp_time = comptime.balances_as_of(ids, min(last, today or timezone.localdate()))
    changes = confirmation.locked_changes(ids, first, last)
    rows = []
    not_open = _("Not open")
    for employee in employees:
        total = totals.get(employee.pk) or MonthTotals(employee.pk)
        changed = "；".join(f"{change.date:%m-%d} {change.reason}" for change in changes.get(employee.pk, []))
        row: list[Any] = [
            employee.employee_no, employee.name, employee.department.name,
            total.expected_days, total.present_days, total.late_count, total.late_minutes,
            total.early_count, total.early_minutes, total.missing_count, total.absent_days,
            total.leave_days, total.overtime_hours, total.overtime_workday, total.overtime_rest_pay,
            total.overtime_rest_comp, total.overtime_holiday, comp_time.get(employee.pk, Decimal("0.00")),
            total.unrequested_days,
            statuses.get(employee.pk, not_open), changed,
        ]
        for values, width in zip(extra, widths):
            row += list(values.get(employee.pk, [""] * width))
        rows.append([neutralise(cell) for cell in row])
    _start, counted_until = counted_period(year, month, today or timezone.localdate())
    close = confirmation.close_for(year, month)
    return MonthExport(year, month, headers, rows, employees, totals, workcalendar.days_between(first, last), counted_until,
                       generated_at=timezone.now(), locked_at=close.locked_at if close else None,
                       anomalies=anomalies(ids, first, last))


def anomalies(employee_ids: list[int], start: date, end: date) -> list[AnomalyRow]:
    """Every flag of the month for the 考勤异常明细 sheet (one query)."""
    rows = []
    for flag in (Flag.objects.filter(employee_id__in=employee_ids, date__range=(start, end))
                 .select_related("employee", "rule", "decided_by").order_by("date", "employee__employee_no")):
        title = str(RULE_TITLES.get(flag.rule.code, flag.rule.title))
        resolution = flag.decision_note
        if flag.decided_by is not None:
            resolution = f"{flag.decided_by.name}: {resolution}" if resolution else flag.decided_by.name
        rows.append(AnomalyRow(flag.date, flag.employee.employee_no, flag.employee.name, title,
                               str(flag.get_status_display()), resolution))
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return value


def to_csv(export: MonthExport) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the Chinese; the first row names the month and when it was
    locked (or generated), like the XLSX summary sheet, then the column headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(export.title)])
    writer.writerow([neutralise(header) for header in export.headers])
    for row in export.rows:
        writer.writerow([_plain(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(export: MonthExport) -> bytes:
    """Three sheets: the month's totals (under a header row naming the month and its lock or generation
    time), the daily grid (employee × day) with colours and a legend, and the month's flags (考勤异常明细)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    summary = workbook.create_sheet(_("Summary"))
    summary.freeze_panes = "D3"
    for index, header in enumerate(export.headers, start=1):
        summary.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 12
    summary.append([_header_cell(summary, export.title, bold, WriteOnlyCell)])
    summary.append([_header_cell(summary, header, bold, WriteOnlyCell) for header in export.headers])
    for row in export.rows:
        summary.append(row)

    grid = workbook.create_sheet(_("Daily grid"))
    grid.freeze_panes = "C2"
    grid.column_dimensions["A"].width = 10
    grid.column_dimensions["B"].width = 10
    for index in range(len(export.day_infos)):
        grid.column_dimensions[get_column_letter(index + 3)].width = 5
    # One named style per grid code, registered once: a cell then carries only the style's name
    # (styling 310k cells one by one was three quarters of a 10,000-employee export).
    styles = {status: _grid_style(workbook, f"grid-{status}", colour) for status, (_code, colour) in GRID_CODES.items()}
    fills = {status: PatternFill("solid", fgColor=colour) for status, (_code, colour) in GRID_CODES.items()}
    codes = {status: str(code) for status, (code, _colour) in GRID_CODES.items()}
    rest_style = _grid_style(workbook, "grid-rest", REST_CODE[1])
    plain_style = _grid_style(workbook, "grid-plain", None)
    rest_fill = PatternFill("solid", fgColor=REST_CODE[1])
    rest_code = str(REST_CODE[0])
    duty_code, duty_style = str(DUTY_CODE[0]), _grid_style(workbook, "grid-duty", DUTY_CODE[1])
    duty_fill = PatternFill("solid", fgColor=DUTY_CODE[1])
    untracked_code = str(UNTRACKED_CODE[0])
    centre = Alignment(horizontal="center")
    header = [_header_cell(grid, _("Employee no."), bold, WriteOnlyCell), _header_cell(grid, _("Name"), bold, WriteOnlyCell)]
    header += [_header_cell(grid, f"{info.date.day}", bold, WriteOnlyCell) for info in export.day_infos]
    grid.append(header)
    for employee in export.employees:
        days: dict[date, DayResult] = export.totals[employee.pk].days if employee.pk in export.totals else {}
        cells: list[Any] = [neutralise(employee.employee_no), neutralise(employee.name)]
        for info in export.day_infos:
            result = days.get(info.date)
            if result is not None:
                value, style = codes[result.status], styles[result.status]
            elif employee.pk in export.totals and not export.totals[employee.pk].tracks(info.date):
                value, style = untracked_code, plain_style
            elif not info.is_workday and employee.pk in export.totals and info.date in export.totals[employee.pk].duty_rest_days:
                value, style = duty_code, duty_style
            elif not info.is_workday:
                value, style = rest_code, rest_style
            else:
                value, style = "", plain_style  # not counted (after yesterday, or before the hire date)
            cell = WriteOnlyCell(grid, value=value)
            cell.style = style
            cells.append(cell)
        grid.append(cells)
    grid.append([])
    grid.append([_header_cell(grid, _("Legend"), bold, WriteOnlyCell)])
    legend = [(codes[status], fills[status], DayStatus(status).label) for status in GRID_CODES]
    legend.append((rest_code, rest_fill, _("Not a workday")))
    legend.append((duty_code, duty_fill, _("Holiday duty on a rest day")))
    legend.append((untracked_code, PatternFill(fill_type=None), _("Not employed, or before the go-live date")))
    for code, fill, label in legend:
        cell = WriteOnlyCell(grid, value=code)
        cell.fill, cell.alignment = fill, centre
        grid.append([cell, str(label)])
    grid.append([_("Counted up to %(date)s.") % {"date": export.counted_until.isoformat()}])
    sheet = workbook.create_sheet(_("Attendance anomalies"))
    sheet.append([_header_cell(sheet, export.title, bold, WriteOnlyCell)])
    sheet.append([_header_cell(sheet, str(title), bold, WriteOnlyCell) for title in (
        gettext_lazy("Date"), gettext_lazy("Employee no."), gettext_lazy("Name"), gettext_lazy("Rule"),
        gettext_lazy("State"), gettext_lazy("How it was resolved"))])
    for item in export.anomalies:
        sheet.append([item.date.isoformat(), neutralise(item.employee_no), neutralise(item.name), neutralise(item.rule),
                      item.state, neutralise(item.resolution)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _grid_style(workbook, name: str, colour: str | None) -> str:
    """Register a centred named style with `colour` as its fill (None: no fill); return its name."""
    from openpyxl.styles import Alignment, NamedStyle, PatternFill

    style = NamedStyle(name=name, alignment=Alignment(horizontal="center"))
    if colour is not None:
        style.fill = PatternFill("solid", fgColor=colour)
    workbook.add_named_style(style)
    return name


def _header_cell(sheet, value: str, font, cell_class):
    cell = cell_class(sheet, value=neutralise(value))
    cell.font = font
    return cell


def filename(year: int, month: int, extension: str) -> str:
    return f"attendance-{year:04d}-{month:02d}.{extension}"
