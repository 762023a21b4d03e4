"""leave: the reads that pages, exports and attendance share, with their joins chosen once."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import comptime
from opsdept import permissions, registries, workcalendar
from opsdept.selectors import ApprovalContext, ContextLine, Queue, month_around, queue, request_line
from opsdept.models import Employee, RequestStatus

from . import balance, counting
from .models import COMP_TIME_CODE, BusinessTrip, LeaveRequest, LeaveType

ACTIVE_STATUSES = [LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED]


def _requests() -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.select_related("employee", "employee__department", "leave_type", "decided_by",
                                               "decided_for", "escalated_to")


def requests_of(employee: Employee) -> QuerySet[LeaveRequest]:
    return _requests().filter(employee=employee).order_by("-start_date", "-id")


def visible_requests(user: AbstractBaseUser) -> QuerySet[LeaveRequest]:
    return permissions.scope(user, _requests())


def pending_requests_for(approver: Employee) -> QuerySet[LeaveRequest]:
    """Pending requests `approver` decides: their direct reports' (and, for the manager, anyone without a supervisor)."""
    decides = permissions.whose_leave_decided_by(approver, "employee")
    # as a deputy (代理审批人): the requests to the one away while away, or starting in those dates;
    # and what escalated to them
    decides |= permissions.routed_to(approver)
    return (_requests().filter(decides, status=LeaveRequest.Status.PENDING)
            .exclude(employee=approver).order_by("start_date", "id"))


def dashboard_summary(employee: Employee) -> dict[str, Any]:
    """The dashboard card's numbers for `employee`: balance, own pending requests, requests to decide, slips due.

    The own pending requests and the emergency leave whose written request is due are one query (a person's
    own few rows), not two.
    """
    slip_due = Q(is_emergency=True, status=LeaveRequest.Status.APPROVED, slip_submitted_at__isnull=True)
    mine = list(LeaveRequest.objects.filter(slip_due | Q(status=LeaveRequest.Status.PENDING), employee=employee))
    pending = [request.created_at for request in mine if request.status == LeaveRequest.Status.PENDING]
    return {
        "balance": balance.balance_for(employee, timezone.localdate().year),
        "comp_time": comptime.comp_time_balance(employee),
        "pending_mine": Queue(len(pending), min(pending) if pending else None),
        "to_decide": queue(pending_requests_for(employee), "created_at") if employee.is_supervisor else None,
        "slips_due": [request for request in mine if request.is_emergency and request.status == LeaveRequest.Status.APPROVED
                      and request.slip_submitted_at is None],
    }


def employees_whose_leave_decided_by(approver: Employee) -> QuerySet[Employee]:
    """The active people `approver` may record emergency leave for (see `permissions.decides_leave_of`)."""
    return Employee.objects.filter(permissions.whose_leave_decided_by(approver), is_active=True).order_by("employee_no")


def approved_between(employee_ids: Iterable[int] | None, start: date, end: date) -> QuerySet[LeaveRequest]:
    queryset = LeaveRequest.objects.filter(
        status=LeaveRequest.Status.APPROVED, start_date__lte=end, end_date__gte=start,
    ).select_related("leave_type")
    return queryset if employee_ids is None else queryset.filter(employee_id__any=set(employee_ids))


def leave_covers(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], registries.Cover]:
    """Approved leave per (employee id, workday) in [start, end]: which halves it covers (one query, two if any leave).

    Registered as the "leave" day provider (opsdept.registries.day_providers), so its days become 请假.
    """
    # Five columns, not the requests with their type (every page that states a day asks: the home page twice).
    approved = list(approved_between(employee_ids, start, end).values_list(
        "employee_id", "start_date", "start_half", "end_date", "end_half"))
    if not approved:
        return {}  # no leave: spare the calendar query
    calendar = workcalendar.days_between(start, end)
    result: dict[tuple[int, date], registries.Cover] = {}
    for employee_id, start_date, start_half, end_date, end_half in approved:
        first = counting.start_position(start_date, start_half)
        last = counting.end_position(end_date, end_half)
        for info in calendar:
            if not (info.is_workday and start_date <= info.date <= end_date):
                continue
            cover = registries.Cover(first <= (info.date, 0) <= last, first <= (info.date, 1) <= last)
            if cover.morning or cover.afternoon:
                key = (employee_id, info.date)
                result[key] = result[key] | cover if key in result else cover
    return result


def leave_days_by_type(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[int, dict[int, Decimal]]:
    """{employee id: {leave type id: approved days within [start, end]}} (two queries)."""
    calendar = workcalendar.days_between(start, end)
    result: dict[int, dict[int, Decimal]] = {}
    for leave in approved_between(employee_ids, start, end):
        days = sum(counting.fractions(leave.start_date, leave.start_half, leave.end_date, leave.end_half,
                                      calendar).values(), Decimal("0"))
        per_type = result.setdefault(leave.employee_id, {})
        per_type[leave.leave_type_id] = per_type.get(leave.leave_type_id, Decimal("0")) + days
    return result


class LeaveTypeColumns:
    """The monthly attendance export's extra columns: approved days of each leave type (opsdept.registries.export_columns)."""

    def types(self) -> list[LeaveType]:
        return list(LeaveType.objects.order_by("sort_order", "id"))

    def headers(self) -> list[str]:
        return [_("%(type)s (days)") % {"type": leave_type.display_name} for leave_type in self.types()]

    def values(self, employee_ids: Iterable[int] | None, start: date, end: date) -> dict[int, list]:
        """Days per type up to yesterday, like the export's own 请假天数 (today is still being worked)."""
        types = self.types()
        end = min(end, timezone.localdate() - timedelta(days=1))
        by_employee = leave_days_by_type(employee_ids, start, end) if end >= start else {}
        ids = list(employee_ids) if employee_ids is not None else list(by_employee)
        zero = Decimal("0")  # most people took no leave: one Decimal, not one per cell
        return {
            employee_id: [by_employee.get(employee_id, {}).get(leave_type.pk, zero) for leave_type in types]
            for employee_id in ids
        }


def team_away_queryset(user: AbstractBaseUser, year: int, month: int) -> QuerySet[Employee]:
    """The active people `user` sees (themself first for a supervisor) with approved leave in the month, in page order."""
    days = workcalendar.month_days(year, month)
    away = approved_between(None, days[0].date, days[-1].date).order_by().values("employee_id")
    me = permissions.employee_of(user)
    order: list[Any] = ["department_id", "employee_no"]
    if permissions.sees_everyone(user):
        people = Employee.objects.all()
    elif me is not None:
        people = Employee.objects.filter(Q(pk__in=permissions.team_employees(user).values("pk")) | Q(pk=me.pk))
        order.insert(0, Case(When(pk=me.pk, then=0), default=1))  # their own row first
    else:
        people = Employee.objects.none()
    return people.filter(is_active=True, pk__in=away).select_related("department").order_by(*order)


def team_month(user: AbstractBaseUser, year: int, month: int, people: Iterable[Employee] | None = None,
               ) -> tuple[list[workcalendar.DayInfo], list[tuple[Employee, list]]]:
    """Who is away in a month: the days, and per person (`people`: one page; default all) a cell per day (fraction or None, the request)."""
    days = workcalendar.month_days(year, month)
    start, end = days[0].date, days[-1].date
    people = list(team_away_queryset(user, year, month) if people is None else people)
    ids = [person.pk for person in people]
    cells: dict[tuple[int, date], tuple[Decimal, LeaveRequest]] = {}
    for leave in approved_between(ids, start, end):
        for day, fraction in counting.fractions(leave.start_date, leave.start_half, leave.end_date, leave.end_half,
                                                days).items():
            cells[(leave.employee_id, day)] = (fraction, leave)
    rows = []
    for person in people:
        row = [cells.get((person.pk, info.date)) for info in days]
        if any(row):
            rows.append((person, row))
    return days, rows


def overdue_slips(day: date) -> QuerySet[LeaveRequest]:
    """Emergency leave whose written request was due by `day` and was not handed in by then."""
    late = Q(slip_submitted_at__isnull=True) | Q(slip_submitted_at__date__gt=day)
    return (LeaveRequest.objects.filter(is_emergency=True, status=LeaveRequest.Status.APPROVED, slip_due__lte=day)
            .filter(late).select_related("employee"))


# ---------------------------------------------------------------- business trips (外出 / 出差)

def _trips() -> QuerySet[BusinessTrip]:
    return BusinessTrip.objects.select_related("employee", "employee__department", "decided_by", "decided_for",
                                               "escalated_to")


def trips_of(employee: Employee) -> QuerySet[BusinessTrip]:
    return _trips().filter(employee=employee).order_by("-start_date", "-id")


def visible_trips(user: AbstractBaseUser) -> QuerySet[BusinessTrip]:
    """The trips along `user`'s line, and those routed to them to decide (deputy, escalation)."""
    return permissions.scope_with_routed(user, _trips())


def pending_trips_for(approver: Employee) -> QuerySet[BusinessTrip]:
    """Pending trips `approver` decides: the same people whose leave they decide."""
    decides = permissions.whose_leave_decided_by(approver, "employee") | permissions.routed_to(approver)
    return (_trips().filter(decides, status=RequestStatus.PENDING)
            .order_by("start_date", "id"))


def approved_trips_between(employee_ids: Iterable[int] | None, start: date, end: date) -> list[BusinessTrip]:
    queryset = BusinessTrip.objects.filter(status=RequestStatus.APPROVED, start_date__lte=end, end_date__gte=start)
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__any=set(employee_ids))
    return list(queryset)


def trip_covers(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], registries.Cover]:
    """Approved trips per (employee id, workday): the halves they cover (one query, two if any trip).

    Registered as the "business" day provider: attendance counts those halves as attended, no punch needed.
    """
    trips = approved_trips_between(employee_ids, start, end)
    if not trips:
        return {}
    calendar = workcalendar.days_between(start, end)
    result: dict[tuple[int, date], registries.Cover] = {}
    for trip in trips:
        first = counting.start_position(trip.start_date, trip.start_half)
        last = counting.end_position(trip.end_date, trip.end_half)
        for info in calendar:
            if not (info.is_workday and trip.start_date <= info.date <= trip.end_date):
                continue
            cover = registries.Cover(first <= (info.date, 0) <= last, first <= (info.date, 1) <= last)
            if cover.morning or cover.afternoon:
                key = (trip.employee_id, info.date)
                result[key] = result[key] | cover if key in result else cover
    return result


class TripColumns:
    """The monthly export's 出差天数: approved business-trip and offsite days in the month (opsdept.registries.export_columns)."""

    def headers(self) -> list[str]:
        return [_("Days on business")]

    def values(self, employee_ids: Iterable[int] | None, start: date, end: date) -> dict[int, list]:
        days: dict[int, Decimal] = {}
        for (employee_id, _day), cover in trip_covers(employee_ids, start, end).items():
            days[employee_id] = days.get(employee_id, Decimal("0")) + cover.fraction
        return {employee_id: [value] for employee_id, value in days.items()}


# ---------------------------------------------------------------- the approval page's context (issue 13 item 12)

def _absence(item: LeaveRequest | BusinessTrip, what: str, approver: Employee | None) -> ContextLine:
    is_approver = approver is not None and item.employee_id == approver.pk
    name = _("%(name)s (you)") % {"name": item.employee.name} if is_approver else item.employee.name
    pending = item.status == RequestStatus.PENDING
    return ContextLine(f"{name} · {what}", item.start_date, item.end_date, item.status,
                       _("not yet approved") if pending else "", alert=is_approver)


def approval_context(leave: LeaveRequest | BusinessTrip, approver: Employee | None) -> ApprovalContext:
    """What a supervisor needs beside a leave request or a business trip to decide it: the requester's
    balances, their other requests in the month the request starts, and who else in the team (the
    requester's colleagues, their supervisor and the approver herself) is away or asking to be on any of
    those days. Six queries whatever the numbers (the comp-time ledger, the year's balance, two of the
    month, two of the team away) and one for the team."""
    employee = leave.employee
    first, last = month_around(leave.start_date)
    active = [RequestStatus.PENDING, RequestStatus.APPROVED]
    overlapping = Q(start_date__lte=last, end_date__gte=first)
    others: list[LeaveRequest | BusinessTrip] = [
        *LeaveRequest.objects.select_related("leave_type").filter(overlapping, employee=employee)
        .exclude(status=RequestStatus.CANCELLED).exclude(pk=leave.pk if isinstance(leave, LeaveRequest) else None),
        *BusinessTrip.objects.filter(overlapping, employee=employee)
        .exclude(status=RequestStatus.CANCELLED).exclude(pk=leave.pk if isinstance(leave, BusinessTrip) else None),
    ]
    others.sort(key=lambda item: (item.start_date, item.pk))
    team = Q(supervisor_id=employee.supervisor_id, is_active=True) if employee.supervisor_id else Q(pk__in=[])
    if employee.supervisor_id:
        team |= Q(pk=employee.supervisor_id)
    if approver is not None:
        team |= Q(pk=approver.pk)
    team_ids = list(Employee.objects.filter(team).exclude(pk=employee.pk).values_list("pk", flat=True))
    during = Q(start_date__lte=leave.end_date, end_date__gte=leave.start_date, employee_id__in=team_ids, status__in=active)
    away = [
        _absence(item, item.leave_type.display_name, approver)
        for item in LeaveRequest.objects.select_related("employee", "leave_type").filter(during)
    ] + [_absence(item, item.get_kind_display(), approver) for item in BusinessTrip.objects.select_related("employee").filter(during)]
    away.sort(key=lambda line: (not line.alert, line.start, line.text))
    year = balance.balance_for(employee, leave.start_date.year)
    balances = [ContextLine(
        _("Annual leave %(year)s: %(left)s of %(total)s days left") % {"year": year.year, "left": year.remaining, "total": year.total}
        + (_(" (%(days)s days waiting for approval, this one included)") % {"days": year.pending} if year.pending else ""))]
    # A 调休 request's page states the comp time beside what the leave takes: the balance is not said twice.
    if not (isinstance(leave, LeaveRequest) and leave.leave_type.code == COMP_TIME_CODE):
        balances.append(ContextLine(_("Comp time (调休): %(hours)s hours") % {"hours": comptime.comp_time_balance(employee)}))
    return ApprovalContext(
        employee=employee, month_start=first, balances=balances,
        balances_title=_("%(name)s's balances") % {"name": employee.name},
        this_month=[request_line(_("%(what)s · %(days)s days") % {
            "what": item.leave_type.display_name if isinstance(item, LeaveRequest) else item.get_kind_display(), "days": item.days},
            item, item.start_date, item.end_date) for item in others],
        side_title=_("Also away on those days"), side=away, side_empty=_("Nobody else in the team is away then."),
        side_testid="context-away",
    )


def emergency_leave_people(user: Any) -> QuerySet[Employee]:
    """Whom `user` may record emergency leave for (the picker "leave-emergency")."""
    me = permissions.employee_of(user)
    return employees_whose_leave_decided_by(me) if me is not None else Employee.objects.none()
