"""duty: the reads pages, checks and the other chapters' gatherers share."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from attendance.selectors import punches_by_day
from opsdept import permissions, workcalendar
from opsdept.models import Employee
from opsdept.registries import WHOLE_DAY, Cover

from .models import DutyAssignment, DutyDay, DutyPeriod, DutyRoster, DutySwap

# How far around a holiday run we look for the workdays that bound it.
BOUND_SEARCH_DAYS = 20


# ---------------------------------------------------------------- holiday periods

@dataclass(frozen=True)
class HolidayPeriod:
    """A run of consecutive non-workdays that contains a statutory holiday (or an HR-declared period)."""

    name: str
    start_date: date
    end_date: date
    is_declared: bool = False

    @property
    def days(self) -> list[date]:
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]


def holiday_periods(year: int) -> list[HolidayPeriod]:
    """The holiday runs starting in `year`, from the work calendar (package + HR overrides).

    A weekend alone is not a period: a run counts only when one of its days is a holiday
    (the package's statutory holidays, or an HR override for a year the package does not know).
    """
    infos = workcalendar.days_between(date(year, 1, 1) - timedelta(days=BOUND_SEARCH_DAYS),
                                      date(year, 12, 31) + timedelta(days=BOUND_SEARCH_DAYS))
    periods: list[HolidayPeriod] = []
    run: list = []
    for info in infos + [None]:
        if info is not None and not info.is_workday:
            run.append(info)
            continue
        if run and any(day.kind == workcalendar.Kind.HOLIDAY for day in run) and run[0].date.year == year:
            name = next((day.name for day in run if day.name), "") or str(workcalendar.KIND_LABELS[workcalendar.Kind.HOLIDAY])
            periods.append(HolidayPeriod(name, run[0].date, run[-1].date))
        run = []
    return periods


def periods_for_year(year: int) -> list[tuple[HolidayPeriod, DutyPeriod | None]]:
    """The calendar's holiday periods and HR's declared ones in `year`, each with its stored row if any."""
    stored = {(p.start_date, p.end_date): p for p in DutyPeriod.objects.filter(
        Q(start_date__year=year) | Q(end_date__year=year))}
    found = [(period, stored.pop((period.start_date, period.end_date), None)) for period in holiday_periods(year)]
    for period in stored.values():
        found.append((HolidayPeriod(period.name, period.start_date, period.end_date, period.is_declared), period))
    return sorted(found, key=lambda pair: pair[0].start_date)


def matching_holiday_period(start: date, end: date) -> HolidayPeriod | None:
    for period in holiday_periods(start.year):
        if period.start_date == start and period.end_date == end:
            return period
    return None


# ---------------------------------------------------------------- people

def roster_team(owner: Employee) -> QuerySet[Employee]:
    """Who a roster may put on duty: the owner's reporting tree and the owner (the manager's: everyone but HR)."""
    queryset = Employee.objects.filter(is_active=True).exclude(role=Employee.Role.HR)
    if owner.is_manager:
        return queryset.order_by("employee_no")
    return queryset.filter(Q(pk__in=permissions.subordinate_ids(owner)) | Q(pk=owner.pk)).order_by("employee_no")


def leave_on_days(employee_ids: Iterable[int], days: list[date]) -> set[tuple[int, date]]:
    """(employee id, date) pairs for the `days` on which the person is on approved leave.

    Leave covers workdays only, so a holiday is never covered directly. We take someone to be
    away on a non-workday when their leave covers both the last workday before its run of
    non-workdays and the first workday after it (the leave spans the holiday), which is what
    a supervisor would assume. Asks attendance (`day_covers`), never leave: duty cannot import it.
    """
    ids = list(employee_ids)
    if not ids or not days:
        return set()
    first, last = min(days) - timedelta(days=BOUND_SEARCH_DAYS), max(days) + timedelta(days=BOUND_SEARCH_DAYS)
    infos = workcalendar.days_between(first, last)
    covered = _leave_covered(ids, first, last)
    workdays = [info.date for info in infos if info.is_workday]
    result: set[tuple[int, date]] = set()
    for day in days:
        if (day in workdays):
            result.update((pk, day) for pk in ids if (pk, day) in covered)
            continue
        before = max((d for d in workdays if d < day), default=None)
        after = min((d for d in workdays if d > day), default=None)
        if before is None or after is None:
            continue
        result.update((pk, day) for pk in ids if (pk, before) in covered and (pk, after) in covered)
    return result


def _leave_covered(ids: list[int], first: date, last: date) -> set[tuple[int, date]]:
    from attendance.selectors import day_covers

    covers = day_covers(ids, first, last, kinds=("leave",))
    return {key for key, cover in covers.items() if cover.morning or cover.afternoon}


def duty_days_in_last_year(employee_ids: Iterable[int], before: date) -> dict[int, int]:
    """How many published duty days each person held in the 12 months before `before` (one query)."""
    rows = (DutyAssignment.objects.filter(
        is_active=True, employee_id__in=list(employee_ids), shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__gte=before - timedelta(days=365), shift__day__date__lt=before,
    ).values("employee_id").annotate(days=Count("shift__day", distinct=True)))
    return {row["employee_id"]: row["days"] for row in rows}


@dataclass
class Proposal:
    """A fair rotation: per date, the people proposed (the first in charge), and the counts behind it."""

    by_date: dict[date, list[Employee]] = field(default_factory=dict)
    past_counts: dict[int, int] = field(default_factory=dict)
    proposed_counts: Counter = field(default_factory=Counter)
    on_leave: set[tuple[int, date]] = field(default_factory=set)
    team: list[Employee] = field(default_factory=list)


def propose_rotation(roster: DutyRoster, *, per_day: int = 1, today: date | None = None) -> Proposal:
    """Spread the roster's days over the team: each day goes to whoever has the fewest duty days
    (the last 12 months plus this proposal), skipping people on approved leave; ties go to the
    one who was on duty longest ago, then by employee number. Deterministic."""
    team = list(roster_team(roster.owner))
    days = [day.date for day in roster.days.all()]
    ids = [person.pk for person in team]
    start = min(days) if days else (today or roster.period.start_date)
    past = duty_days_in_last_year(ids, start)
    last_duty = dict(DutyAssignment.objects.filter(
        is_active=True, employee_id__in=ids, shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__lt=start).values("employee_id").annotate(last=Max("shift__day__date")).values_list("employee_id", "last"))
    away = leave_on_days(ids, days)
    proposal = Proposal(past_counts=past, on_leave=away, team=team)
    for day in days:
        available = [person for person in team if (person.pk, day) not in away]
        available.sort(key=lambda person: (past.get(person.pk, 0) + proposal.proposed_counts[person.pk],
                                           last_duty.get(person.pk, date.min), person.employee_no))
        chosen = available[:per_day]
        for person in chosen:
            proposal.proposed_counts[person.pk] += 1
        proposal.by_date[day] = chosen
    return proposal


# ---------------------------------------------------------------- rosters

def visible_rosters(user) -> QuerySet[DutyRoster]:
    """Published rosters for everyone; drafts for those who may arrange them, HR and the manager."""
    queryset = DutyRoster.objects.select_related("period", "owner")
    me = permissions.employee_of(user)
    if me is None:
        return queryset.none()
    if permissions.sees_everyone(user):
        return queryset
    arrangeable = Q(owner=me) | Q(owner_id__in=permissions.subordinate_ids(me)) if me.is_supervisor else Q(pk__in=[])
    return queryset.filter(Q(status=DutyRoster.Status.PUBLISHED) | arrangeable)


def roster_days(roster: DutyRoster) -> list[DutyDay]:
    """The roster's days with shifts, current people and the log, in four queries."""
    active = DutyAssignment.objects.filter(is_active=True).select_related("employee").order_by("id")
    return list(roster.days.select_related("responsible", "log", "log__author").prefetch_related(
        Prefetch("shifts__assignments", queryset=active, to_attr="current")).order_by("date"))


def _upcoming(employee: Employee, today: date) -> QuerySet[DutyAssignment]:
    """`employee`'s published duty shifts from today on, in order."""
    return DutyAssignment.objects.filter(
        employee=employee, is_active=True, shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__gte=today,
    ).order_by("shift__day__date", "shift__start_time")


def upcoming_duties(employee: Employee, today: date, *, limit: int = 10) -> list[DutyAssignment]:
    """`employee`'s published duty shifts from today on."""
    return list(_upcoming(employee, today).select_related("shift__day__roster__period", "shift__day__responsible")[:limit])


def next_duties(employee: Employee, today: date, *, limit: int = 5) -> list[dict]:
    """The dashboard card's lines of `upcoming_duties`: per shift its assignment's `pk`, `date`, roster `period`
    name, `start` and `end` and whether `employee` is `in_charge` that day. Seven columns rather than five
    joined models (the card is on everyone's home page, issue 16)."""
    return [{"pk": pk, "date": day, "period": period, "start": start, "end": end, "in_charge": responsible == employee.pk}
            for pk, day, period, start, end, responsible in _upcoming(employee, today).values_list(
                "pk", "shift__day__date", "shift__day__roster__period__name", "shift__start_time", "shift__end_time",
                "shift__day__responsible_id")[:limit]]


def swaps_for(employee: Employee) -> QuerySet[DutySwap]:
    return (DutySwap.objects.filter(Q(requester=employee) | Q(colleague=employee))
            .select_related("assignment__shift__day__roster__period", "requester", "colleague", "decided_by"))


def swaps_to_decide(user) -> list[DutySwap]:
    """Accepted swaps waiting for this supervisor (they arrange the roster)."""
    me = permissions.employee_of(user)
    if me is None or not me.is_supervisor:
        return []
    swaps = (DutySwap.objects.filter(status="pending", accepted_at__isnull=False)
             .select_related("assignment__shift__day__roster__owner", "assignment__shift__day__roster__period",
                             "requester", "colleague"))
    if not me.is_manager:  # only the rosters they may arrange (permissions.arranges_roster_of), not the department's
        owners = {me.pk, *permissions.subordinate_ids(me)}
        swaps = swaps.filter(assignment__shift__day__roster__owner_id__any=owners)
    return [swap for swap in swaps if permissions.can(user, "duty.swap_decide", swap)]


def swap_counts(user) -> tuple[int, int]:
    """The dashboard card's two numbers in one query: the swaps a colleague asks `user` to take (pending, not
    accepted yet), and how many `swaps_to_decide(user)` lists (the rule duty.swap_decide written as a filter:
    not their own, on a roster they arrange). The card loaded every accepted swap with five joined tables for a
    count, and counted the other in a query of its own."""
    me = permissions.employee_of(user)
    if me is None:
        return 0, 0
    counts = {"answer": Count("pk", filter=Q(colleague=me, accepted_at__isnull=True))}
    if me.is_supervisor:  # permissions.arranges_roster_of
        decide = Q(accepted_at__isnull=False) & ~Q(requester=me) & ~Q(colleague=me)
        if not me.is_manager:
            decide &= Q(assignment__shift__day__roster__owner_id__any={me.pk, *permissions.subordinate_ids(me)})
        counts["decide"] = Count("pk", filter=decide)
    found = DutySwap.objects.filter(status="pending").aggregate(**counts)
    return found["answer"], found.get("decide", 0)


# ---------------------------------------------------------------- for the other chapters

def duty_covers(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], Cover]:
    """The day provider (kind "duty"): the dates someone holds a published duty shift (worked on a rest day)."""
    queryset = DutyAssignment.objects.filter(
        is_active=True, shift__day__roster__status=DutyRoster.Status.PUBLISHED, shift__day__date__range=(start, end))
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__any=set(employee_ids))
    return {(pk, day): WHOLE_DAY for pk, day in queryset.values_list("employee_id", "shift__day__date").distinct()}


def duty_totals(employee_ids: Iterable[int], start: date, end: date) -> dict[int, tuple[int, Decimal]]:
    """{employee id: (duty days, duty hours)} of published shifts in [start, end] (one query)."""
    days: dict[int, set[date]] = defaultdict(set)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    rows = DutyAssignment.objects.filter(
        is_active=True, employee_id__any=set(employee_ids), shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__range=(start, end),
    ).select_related("shift__day")
    for assignment in rows:
        days[assignment.employee_id].add(assignment.shift.day.date)
        hours[assignment.employee_id] += assignment.shift.hours
    return {pk: (len(days[pk]), hours[pk]) for pk in days}


def paid_duty_totals(employee_ids: Iterable[int], start: date, end: date) -> dict[int, tuple[Decimal, Decimal]]:
    """{employee id: (paid duty hours, those hours × the period's pay rate)} of worked shifts in [start, end].

    A shift is worked when its holder punched that day (as for comp time); only periods HR set to
    pay (not comp time) count. Two queries.
    """
    rows = list(DutyAssignment.objects.filter(
        is_active=True, employee_id__any=set(employee_ids), shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__range=(start, end), shift__day__roster__period__compensation=DutyPeriod.Compensation.PAY,
    ).select_related("shift__day__roster__period"))
    if not rows:
        return {}
    punched = punches_by_day({row.employee_id for row in rows}, start, end)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    weighted: dict[int, Decimal] = defaultdict(Decimal)
    for assignment in rows:
        if not punched.get((assignment.employee_id, assignment.shift.day.date)):
            continue
        hours[assignment.employee_id] += assignment.shift.hours
        weighted[assignment.employee_id] += assignment.shift.hours * assignment.shift.day.roster.period.pay_rate
    return {pk: (hours[pk], weighted[pk].quantize(Decimal("0.01"))) for pk in hours}


def feed_items(employee: Employee, start: date, end: date) -> list[tuple[str, "datetime", "datetime", str, str]]:
    """The person's published duty shifts for the iCalendar feed (opsdept.registries.calendar_feed_items)."""
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.utils.translation import gettext as _

    zone = ZoneInfo(settings.TIME_ZONE)
    items = []
    for assignment in DutyAssignment.objects.filter(
        employee=employee, is_active=True, shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__range=(start, end),
    ).select_related("shift__day__roster__period", "shift__day__responsible"):
        shift, day = assignment.shift, assignment.shift.day
        in_charge = day.responsible_id == employee.pk
        summary = (_("Holiday duty (in charge): %(period)s") if in_charge else _("Holiday duty: %(period)s")) % {
            "period": day.roster.period.name}
        description = _("Person in charge: %(name)s") % {"name": day.responsible.name if day.responsible else "—"}
        items.append((f"duty-assignment-{assignment.pk}@opsdept", dt.combine(day.date, shift.start_time, tzinfo=zone),
                      dt.combine(day.date, shift.end_time, tzinfo=zone), summary, description))
    return items
