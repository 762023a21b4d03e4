"""The year-end summary (rule 5: 年底根据员工工作业绩积累，应给与奖金) the manager issues bonuses from.

Attendance and worklog sit below discipline (apps depend downward only), so their
selectors are read here; each source costs a constant number of queries for all rows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from opsdept.models import Employee

from . import selectors
from .models import Kind


@dataclass
class YearRow:
    employee: Employee
    rewards: Decimal = Decimal("0.00")
    penalties: Decimal = Decimal("0.00")
    counts: dict[str, int] = field(default_factory=dict)
    attendance: dict[str, Any] = field(default_factory=dict)
    worklog: dict[str, Any] = field(default_factory=dict)

    @property
    def praises(self) -> int:
        return self.counts.get(Kind.PUBLIC_PRAISE, 0)

    @property
    def bonuses(self) -> int:
        return self.counts.get(Kind.BONUS, 0)

    @property
    def penalty_count(self) -> int:
        return sum(number for kind, number in self.counts.items() if kind not in (Kind.PUBLIC_PRAISE, Kind.BONUS))


def attendance_totals(employee_ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    """{employee id: {label: value}}: the year's attendance in the monthly export's terms (constant queries)."""
    from attendance import selectors as attendance_selectors

    start, end = attendance_selectors.counted_period(year, 12)
    start = date(year, 1, 1)
    if end < start:
        return {}
    totals = {pk: attendance_selectors.MonthTotals(pk) for pk in employee_ids}
    for day in attendance_selectors.computed_days(employee_ids, start, end):
        if day.employee_id in totals:
            totals[day.employee_id].add(day)
    overtime = attendance_selectors.approved_overtime_hours(employee_ids, start, date(year, 12, 31))
    return {
        pk: {
            _("present days"): f"{item.present_days.normalize():f}/{item.expected_days.normalize():f}",
            _("late"): item.late_count,
            _("early leave"): item.early_count,
            _("missing punches"): item.missing_count,
            _("absent days"): f"{item.absent_days.normalize():f}",
            _("leave days"): f"{item.leave_days.normalize():f}",
            _("overtime hours"): f"{overtime.get(pk, Decimal('0')).normalize():f}",
        }
        for pk, item in totals.items()
    }


def worklog_totals(employee_ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    """{employee id: {label: value}}: the year's daily reports and tasks (worklog.selectors.year_summary)."""
    from worklog.selectors import year_summary

    return {
        pk: {
            _("reports written"): item["reports_written"],
            _("reports missing"): item["reports_missing"],
            _("tasks"): item["tasks_assigned"],
            _("done on time"): item["tasks_done"],
            _("late or open"): item["tasks_late"],
        }
        for pk, item in year_summary(employee_ids, year).items()
    }


def year_rows(employees: QuerySet[Employee], year: int) -> list[YearRow]:
    people = list(employees.order_by("department_id", "employee_no"))
    ids = [person.pk for person in people]
    start, end = date(year, 1, 1), date(year, 12, 31)
    money = selectors.money_totals(ids, start, end)
    counts = selectors.record_counts(ids, start, end)
    attendance = attendance_totals(ids, year)
    worklog = worklog_totals(ids, year)
    rows = []
    for person in people:
        rewards, penalties = money.get(person.pk, (Decimal("0.00"), Decimal("0.00")))
        rows.append(YearRow(
            employee=person, rewards=rewards, penalties=penalties, counts=counts.get(person.pk, {}),
            attendance=attendance.get(person.pk, {}), worklog=worklog.get(person.pk, {}),
        ))
    return rows
