"""Who was employed when, and from which day opsdept tracks them.

A person counts from their first tracked day, max(go-live date, hire date), up to their
leave date (inclusive). Days outside that span are "not employed" or "not tracked": never
absent, never a missing report. Every count (month pages, the export, the year-end summary,
the nightly checks and their catch-up) reads the span from here.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from .models import Employee, WorkSchedule


def go_live_date() -> date | None:
    """HR's go-live date (WorkSchedule), or None when every day since hire counts."""
    return WorkSchedule.current().go_live_date


def first_tracked_day(hire_date: date, go_live: date | None) -> date:
    return max(hire_date, go_live) if go_live else hire_date


def tracked_span(hire_date: date, leave_date: date | None, go_live: date | None) -> tuple[date, date | None]:
    """(first tracked day, last employed day or None) of one person."""
    return first_tracked_day(hire_date, go_live), leave_date


def is_tracked(day: date, span: tuple[date, date | None]) -> bool:
    first, last = span
    return day >= first and (last is None or day <= last)


def employed_between(start: date, end: date) -> Q:
    """Employees on the payroll at some point from `start` to `end`.

    The active ones hired by `end` whose leave date (if any) is not before `start`, and those
    deactivated with a leave date inside or after the period. Someone deactivated without a
    leave date is left out (no record of when they left).
    """
    not_left = Q(leave_date__isnull=True) | Q(leave_date__gte=start)
    return Q(hire_date__lte=end) & not_left & (Q(is_active=True) | Q(leave_date__isnull=False))


def employees_between(start: date, end: date, queryset: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
    return (queryset if queryset is not None else Employee.objects.all()).filter(employed_between(start, end))


def spans(employee_ids: list[int] | None, start: date, end: date) -> dict[int, tuple[date, date | None]]:
    """{employee id: tracked span} of the employees employed from `start` to `end` (two queries)."""
    go_live = go_live_date()
    queryset = employees_between(start, end)
    if employee_ids is not None:
        queryset = queryset.filter(pk__any=set(employee_ids))
    return {pk: tracked_span(hired, left, go_live)
            for pk, hired, left in queryset.order_by("pk").values_list("pk", "hire_date", "leave_date")}


def spans_of(employees: Iterable[Employee], start: date, end: date) -> dict[int, tuple[date, date | None]]:
    """`spans` of employees already read (a page of them), without a query: those of them employed from `start`
    to `end` (the test of `employed_between`), with their tracked span."""
    go_live = go_live_date()
    return {person.pk: tracked_span(person.hire_date, person.leave_date, go_live) for person in employees
            if person.hire_date <= end and (person.leave_date is None or person.leave_date >= start)
            and (person.is_active or person.leave_date is not None)}
