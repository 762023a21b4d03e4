"""Reads that the department's pages share."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, IntegerField, Min, Q, QuerySet, Value

from . import workcalendar
from .models import AuditEvent, CalendarOverride, CalendarYear, Employee, NightlyRun


@dataclass
class Night:
    """One date of the run log: its status (done if any attempt finished every check, else the latest
    attempt's, else pending) and its attempts, newest first."""

    date: date
    status: str
    runs: list[NightlyRun]

    @property
    def status_label(self) -> str:
        return str(NightlyRun.Status(self.status).label)


@dataclass(frozen=True)
class Queue:
    """What a dashboard card states about a queue: how many items wait, and since when the oldest."""

    count: int
    oldest: datetime | date | None


def queue(queryset: QuerySet, since_field: str) -> Queue:
    """Count a queue and find its oldest item's `since_field` (one query)."""
    numbers = queryset.order_by().aggregate(count=Count("pk"), oldest=Min(since_field))
    return Queue(numbers["count"], numbers["oldest"] if numbers["count"] else None)


def queue_of_all(*parts: tuple[QuerySet, str]) -> Queue:
    """Several queues as one (items summed, the oldest of all): one query, each part's count and oldest
    `since_field` side by side in a UNION ALL (the attendance card's corrections and overtime took two)."""
    counted = [queryset.order_by().annotate(_queue=Value(1, output_field=IntegerField())).values("_queue")
               .annotate(count=Count("pk"), oldest=Min(since_field)).values_list("count", "oldest")
               for queryset, since_field in parts]
    rows = list(counted[0].union(*counted[1:], all=True)) if len(counted) > 1 else list(counted[0])
    oldest = [first for count, first in rows if count and first is not None]
    return Queue(sum(count for count, _first in rows), min(oldest) if oldest else None)


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


def month_grid(cells: list[dict]) -> list[list[dict | None]]:
    """The shared month grid's weeks (templates/_month_grid.html): `cells` are one dict per date of a month,
    each with at least "date" and "css" (optional "status", "kind", "title"), laid out Monday-first."""
    weeks: list[list[dict | None]] = []
    week: list[dict | None] = [None] * cells[0]["date"].weekday()
    for cell in cells:
        week.append(cell)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def calendar_css(info: workcalendar.DayInfo) -> str:
    """The work calendar's colour of a date (the same classes on every month grid)."""
    return f"cal-{info.kind}" + (" cal-fallback" if info.source == workcalendar.Source.FALLBACK else "")


def overrides_for_month(year: int, month: int) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(date__year=year, date__month=month).select_related("created_by")


def calendar_warning(today: date) -> date | None:
    """The first date within the next 60 days that the calendar only guesses (no official data, no override)."""
    for info in workcalendar.days_between(today, today + timedelta(days=60)):
        if info.source == workcalendar.Source.FALLBACK:
            return info.date
    return None


def audit_events() -> QuerySet[AuditEvent]:
    """The audit trail, newest first, with who did it (their login and employee record)."""
    return AuditEvent.objects.select_related("actor", "actor__employee", "target_type")


def nights(start: date, end: date) -> list[Night]:
    """The nights from `end` back to `start` with their attempts (one query)."""
    runs: dict[date, list[NightlyRun]] = {}
    for run in NightlyRun.objects.filter(date__range=(start, end)).order_by("-date", "-id"):
        runs.setdefault(run.date, []).append(run)
    result = []
    day = end
    while day >= start:
        attempts = runs.get(day, [])
        if any(run.status == NightlyRun.Status.DONE for run in attempts):
            status = NightlyRun.Status.DONE
        else:
            status = attempts[0].status if attempts else NightlyRun.Status.PENDING
        result.append(Night(day, status, attempts))
        day -= timedelta(days=1)
    return result


def unconfirmed_years(today: date) -> list[int]:
    """Years from this one to the next that the calendar package does not know and HR has not confirmed."""
    return [year for year in (today.year, today.year + 1) if not workcalendar.year_is_known(year)]


# ---------------------------------------------------------------- beside a request to decide (issue 13 item 12)

@dataclass(frozen=True)
class ContextLine:
    """One line of an approval context card: what, its dates (if any), and its state."""

    text: str
    start: date | None = None
    end: date | None = None
    status: str = ""   # a RequestStatus value: colours `state`
    state: str = ""    # the state in words ("approved", "not yet approved")
    alert: bool = False  # stands out: the approver herself is away then


@dataclass(frozen=True)
class ApprovalContext:
    """What a decider sees beside any request (`templates/_approval_context.html`), built by each chapter's
    selector in this one shape: the requester's balances, their other requests in the request's month, and
    a third card — who else is away on those days (leave, trips) or the day's punches (corrections, overtime)."""

    employee: Employee
    month_start: date
    balances_title: str
    balances: list[ContextLine]
    this_month: list[ContextLine]
    side_title: str
    side: list[ContextLine]
    side_empty: str
    side_testid: str


def month_around(day: date) -> tuple[date, date]:
    """The first and last date of `day`'s month."""
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def request_line(text: str, item: Any, start: date, end: date | None = None) -> ContextLine:
    """A decided request (`DecidedRequest`) as a context line: `text`, its dates and its status."""
    return ContextLine(text, start, end, item.status, str(item.get_status_display()))
