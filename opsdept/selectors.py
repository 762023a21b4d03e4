"""Reads that the department's pages share."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from . import workcalendar
from .models import AuditEvent, CalendarOverride


@dataclass(frozen=True)
class Queue:
    """What a dashboard card states about a queue: how many items wait, and since when the oldest."""

    count: int
    oldest: datetime | date | None


def queue(queryset: QuerySet, since_field: str) -> Queue:
    """Count a queue and find its oldest item's `since_field` (one query)."""
    numbers = queryset.order_by().aggregate(count=Count("pk"), oldest=Min(since_field))
    return Queue(numbers["count"], numbers["oldest"] if numbers["count"] else None)


def calendar_weeks(days: list[workcalendar.DayInfo]) -> list[list[workcalendar.DayInfo | None]]:
    """Lay a month's days out Monday-first in weeks, padding with None."""
    weeks: list[list[workcalendar.DayInfo | None]] = []
    week: list[workcalendar.DayInfo | None] = [None] * days[0].date.weekday()
    for info in days:
        week.append(info)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def overrides_for_month(year: int, month: int) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(date__year=year, date__month=month).select_related("created_by")


def calendar_warning(today: date) -> date | None:
    """The first date within the next 60 days that the calendar only guesses (no official data, no override)."""
    for info in workcalendar.days_between(today, today + timedelta(days=60)):
        if info.source == workcalendar.Source.FALLBACK:
            return info.date
    return None


def audit_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "target_type")
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("actor"):
        term = filters["actor"]
        events = events.filter(Q(actor__username__icontains=term) | Q(actor__employee__name__icontains=term))
    if filters.get("start"):
        events = events.filter(at__date__gte=filters["start"])
    if filters.get("end"):
        events = events.filter(at__date__lte=filters["end"])
    return events
