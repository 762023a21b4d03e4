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
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from discipline.models import Flag
from discipline.rules import RULE_TITLES
from opsdept import bounds, employment, registries, workcalendar
from opsdept.errors import DomainError

from . import comptime, confirmation

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


class Person(NamedTuple):
    """One row's person: what the sheets show of them (10,000 model instances with their departments were a
    fifth of the CSV's time)."""

    pk: int
    employee_no: str
    name: str
    department: str


@dataclass
class MonthExport:
    year: int
    month: int
    headers: list[str]
    rows: list[list[Any]]
    employees: list[Person]
    totals: dict[int, MonthTotals]
    day_infos: list[workcalendar.DayInfo]
    counted_until: date
    daily: bool = True  # built with each day's status (the XLSX's daily grid); the CSV needs only the totals
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


def build(year: int, month: int, *, today: date | None = None, daily: bool = True) -> MonthExport:
    """Gather the month: a constant number of queries whatever the number of employees.

    A month that has not started is refused (it would only be zeros), and so is one outside the business range.
    `daily=False` leaves out each day's status, which only the XLSX's daily grid shows (for the CSV).
    """
    if 1 <= month <= 12 and 1 <= year <= 9999 and date(year, month, 1) > (today or timezone.localdate()):
        raise ExportRefused(_("%(month)s has not started yet: there is nothing to export.") % {"month": f"{year:04d}-{month:02d}"},
                            field="month")
    bounds.check_month(year, month, today=today)
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    # Only what the rows show, as plain rows: model instances of 10,000 people and their departments took a fifth.
    employees = [Person(*row) for row in employment.employees_between(first, last).order_by("employee_no")
                 .values_list("pk", "employee_no", "name", "department__name")]
    # The days the nightly check stored and flagged, not judged again here (selectors.stored_totals).
    totals = month_totals(None, year, month, today=today, stored=True, daily=daily)
    headers = [str(title) for title in COLUMNS]
    extra: list[dict[int, list]] = []
    widths: list[int] = []
    for provider in registries.export_columns:
        provider_headers = [str(title) for title in provider.headers()]
        headers += provider_headers
        widths.append(len(provider_headers))
        extra.append(provider.values([employee.pk for employee in employees], first, last))
    ids = [employee.pk for employee in employees]
    # Our own reads take the same people as a subquery: Django spends ~20 µs preparing each value of an
    # `IN (…10,000 ids…)` list (a quarter of a second per list at 10,000 people).
    employed = employment.employees_between(first, last).values("pk")
    statuses = confirmation.month_status(employed, year, month)
    comp_time = comptime.balances_as_of(employed, min(last, today or timezone.localdate()))
    changes = confirmation.locked_changes(employed, first, last)
    rows = []
    not_open = _("Not open")
    for employee in employees:
        total = totals.get(employee.pk) or MonthTotals(employee.pk)
        changed = "；".join(f"{change.date:%m-%d} {change.reason}" for change in changes.get(employee.pk, []))
        row: list[Any] = [
            employee.employee_no, employee.name, employee.department,
            total.expected_days, total.present_days, total.late_count, total.late_minutes,
            total.early_count, total.early_minutes, total.missing_count, total.absent_days,
            total.leave_days, total.overtime_hours, total.overtime_workday, total.overtime_rest_pay,
            total.overtime_rest_comp, total.overtime_holiday, comp_time.get(employee.pk, Decimal("0.00")),
            total.unrequested_days,
            statuses.get(employee.pk, not_open), changed,
        ]
        for values, width in zip(extra, widths):
            row += list(values.get(employee.pk, [""] * width))
        rows.append([neutralise(cell) if isinstance(cell, str) else cell for cell in row])  # 380k cells: calls only for text
    _start, counted_until = counted_period(year, month, today or timezone.localdate())
    close = confirmation.close_for(year, month)
    return MonthExport(year, month, headers, rows, employees, totals, workcalendar.days_between(first, last), counted_until,
                       daily=daily, generated_at=timezone.now(), locked_at=close.locked_at if close else None,
                       anomalies=anomalies(employed, first, last))


def anomalies(employee_ids: Iterable[int] | QuerySet, start: date, end: date) -> list[AnomalyRow]:
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
        writer.writerow([_plain(cell) if isinstance(cell, Decimal) else cell for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(export: MonthExport) -> bytes:
    """The XLSX of `write_xlsx`, as bytes."""
    buffer = io.BytesIO()
    write_xlsx(export, buffer)
    return buffer.getvalue()


def write_xlsx(export: MonthExport, output: Any) -> None:
    """Three sheets: the month's totals (under a header row naming the month and its lock or generation
    time), the daily grid (employee × day) with colours and a legend, and the month's flags (考勤异常明细).

    Streamed row by row (`attendance.xlsx`), one style per colour defined once, a grid cell made of two
    prepared strings: openpyxl took about 60 µs per cell, 23 s for the 10,000-employee month (issue 16).
    Text stays text (no formula guessing); text cells are neutralised all the same. `output`: a path or a
    binary file object.
    """
    from .xlsx import Workbook

    if not export.daily:
        raise ValueError("write_xlsx needs the daily statuses: build(..., daily=True)")
    with Workbook(output) as book:
        bold = book.style(bold=True)
        plain = book.style(centre=True)
        coloured = {colour: book.style(fill=colour, centre=True)
                    for colour in {colour for _code, colour in [*GRID_CODES.values(), REST_CODE, DUTY_CODE]}}
        codes = {status: (str(code), coloured[colour]) for status, (code, colour) in GRID_CODES.items()}
        rest = (str(REST_CODE[0]), coloured[REST_CODE[1]])
        duty = (str(DUTY_CODE[0]), coloured[DUTY_CODE[1]])
        untracked = (str(UNTRACKED_CODE[0]), plain)

        summary = book.sheet(_("Summary"), freeze=(2, 3),
                             widths={index: 14 if index > 3 else 12 for index in range(1, len(export.headers) + 1)})
        summary.append([(neutralise(export.title), bold)])
        summary.append([(neutralise(header), bold) for header in export.headers])
        for row in export.rows:
            summary.append(row)

        grid = book.sheet(_("Daily grid"), freeze=(1, 2),
                          widths={1: 10, 2: 10, **{index + 3: 5 for index in range(len(export.day_infos))}})
        grid.append([(neutralise(_("Employee no.")), bold), (neutralise(_("Name")), bold)]
                    + [(f"{info.date.day}", bold) for info in export.day_infos])
        # Per day column, each cell it can hold, prepared once: the grid is 310k cells at 10,000 employees.
        columns = []
        for column, info in enumerate(export.day_infos, start=3):
            cells = {status: grid.template(column, *cell) for status, cell in codes.items()}
            cells.update(untracked=grid.template(column, *untracked), duty=grid.template(column, *duty),
                         rest=grid.template(column, *rest), blank=grid.template(column, None, plain))
            columns.append((info.date, info.is_workday, cells))
        for employee in export.employees:
            total = export.totals.get(employee.pk)
            statuses: dict[date, str] = total.statuses if total is not None else {}
            row = []
            for day, is_workday, cells in columns:
                status = statuses.get(day)
                if status is not None:
                    row.append(cells[status])
                elif total is not None and not total.tracks(day):
                    row.append(cells["untracked"])
                elif not is_workday:
                    row.append(cells["duty" if total is not None and day in total.duty_rest_days else "rest"])
                else:  # not counted (after yesterday, or before the hire date)
                    row.append(cells["blank"])
            grid.append([neutralise(employee.employee_no), neutralise(employee.name)], row)
        grid.append([])
        grid.append([(_("Legend"), bold)])
        legend = [(*codes[status], DayStatus(status).label) for status in GRID_CODES]
        legend += [(*rest, _("Not a workday")), (*duty, _("Holiday duty on a rest day")),
                   (*untracked, _("Not employed, or before the go-live date"))]
        for code, style, label in legend:
            grid.append([(code, style), str(label)])
        grid.append([_("Counted up to %(date)s.") % {"date": export.counted_until.isoformat()}])

        sheet = book.sheet(_("Attendance anomalies"))
        sheet.append([(neutralise(export.title), bold)])
        sheet.append([(neutralise(str(title)), bold) for title in (
            _("Date"), _("Employee no."), _("Name"), _("Rule"), _("State"), _("How it was resolved"))])
        for item in export.anomalies:
            sheet.append([item.date.isoformat(), neutralise(item.employee_no), neutralise(item.name), neutralise(item.rule),
                          item.state, neutralise(item.resolution)])


def filename(year: int, month: int, extension: str) -> str:
    return f"attendance-{year:04d}-{month:02d}.{extension}"
