"""The year-end summary (rule 5: 年底根据员工工作业绩积累，应给与奖金) the manager issues bonuses from.

Attendance and worklog sit below discipline, so their selectors are read here when
those chapters provide them; each source costs one or two queries for all rows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

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
    """{employee id: {label: value}} from the attendance chapter, when it offers a year selector."""
    try:
        from attendance import selectors as attendance_selectors
    except ImportError:
        return {}
    function = getattr(attendance_selectors, "year_totals", None)
    if function is None:
        return {}
    return function(employee_ids, year)


def worklog_totals(employee_ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    """{employee id: {label: value}} from the worklog chapter, when it offers `year_summary`."""
    try:
        from worklog import selectors as worklog_selectors
    except ImportError:
        return {}
    function = getattr(worklog_selectors, "year_summary", None)
    if function is None:
        return {}
    return function(employee_ids, year)


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
