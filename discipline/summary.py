"""The year-end summary (rule 5: 年底根据员工工作业绩积累，应给与奖金) the manager issues bonuses from.

Discipline sits below the chapters whose numbers it shows, so it reads them from
`opsdept.registries.year_summary_columns` (attendance, worklog, meetings, duty register
there); each section costs a constant number of queries for all rows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import localize

from opsdept import employment, registries
from opsdept.models import Employee
from opsdept.web import number_display

from . import selectors
from .models import Kind


@dataclass
class YearRow:
    employee: Employee
    rewards: Decimal = Decimal("0.00")
    penalties: Decimal = Decimal("0.00")
    counts: dict[str, int] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)  # registry key → {label: value}
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)  # registry key → chart spec (opsdept.charts)

    @property
    def praises(self) -> int:
        return self.counts.get(Kind.PUBLIC_PRAISE, 0)

    @property
    def bonuses(self) -> int:
        return self.counts.get(Kind.BONUS, 0)

    @property
    def penalty_count(self) -> int:
        return sum(number for kind, number in self.counts.items() if kind not in (Kind.PUBLIC_PRAISE, Kind.BONUS))

    @property
    def titled_sections(self) -> list[tuple[Any, dict[str, Any]]]:
        """(title, {label: value}) of the row's sections, in the order of the page's columns."""
        return [(columns.title, self.sections.get(key, {})) for key, columns in registries.year_summary_columns.items()]

    @property
    def section_texts(self) -> list[tuple[Any, str]]:
        """(title, "label value · label value …") per section: the page's cells, joined here rather than by
        the template engine (fifty rows of four sections of seven numbers were half the page's time, issue 16)."""
        show = number_display()  # the language's number formats looked up once for the row, not per value

        def text(value: Any) -> str:
            return show(value) if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else localize(value)

        return [(title, " · ".join(f"{label} {text(value)}" for label, value in section.items()))
                for title, section in self.titled_sections]

    @property
    def ordered_sections(self) -> list[dict[str, Any]]:
        """The row's sections in the order of the page's columns (`section_titles`)."""
        return [self.sections.get(key, {}) for key, _columns in registries.year_summary_columns.items()]


def section_titles() -> list[tuple[str, Any]]:
    """(key, title) of every registered year-summary section, in order: the page's columns."""
    return [(key, columns.title) for key, columns in registries.year_summary_columns.items()]


def year_people(employees: QuerySet[Employee], year: int) -> QuerySet[Employee]:
    """Everyone among `employees` employed at some point in `year`, in the summary's order."""
    return (employment.employees_between(date(year, 1, 1), date(year, 12, 31), employees)
            .select_related("department").order_by("department_id", "employee_no"))


def year_rows(employees: QuerySet[Employee] | list[Employee], year: int) -> list[YearRow]:
    """The year-end rows: of everyone among `employees` employed at some point in `year` (leavers and
    newcomers included), or of one page of them already chosen and ordered (`year_people`)."""
    people = list(year_people(employees, year)) if isinstance(employees, QuerySet) else list(employees)
    ids = [person.pk for person in people]
    start, end = date(year, 1, 1), date(year, 12, 31)
    money = selectors.money_totals(ids, start, end)
    counts = selectors.record_counts(ids, start, end)
    sections = {key: columns.values(ids, year) for key, columns in registries.year_summary_columns.items()}
    charts = {key: columns.chart(ids, year) for key, columns in registries.year_summary_columns.items() if columns.chart}
    rows = []
    for person in people:
        rewards, penalties = money.get(person.pk, (Decimal("0.00"), Decimal("0.00")))
        rows.append(YearRow(
            employee=person, rewards=rewards, penalties=penalties, counts=counts.get(person.pk, {}),
            sections={key: values.get(person.pk, {}) for key, values in sections.items()},
            charts={key: specs[person.pk] for key, specs in charts.items() if person.pk in specs},
        ))
    return rows
