"""The comp-time (调休) ledger: hours earned by working rest days, used by 调休 leave.

It lives in attendance, the layer both leave and duty sit on (DESIGN.md, layers):
duty credits it for a worked duty shift, leave debits it when a 调休 request is
approved and reverses the debit when that request is cancelled, HR adjusts it.
The balance never goes below zero (节假日值班制度 第五条: 不得擅自调休 — comp time is
taken only from what was earned).

A line is never edited: a reversal is a new line. `source_key` makes a credit or a
debit idempotent, so a nightly rerun or a retried request never counts twice.
Expired credits (`expires_on` before the day asked about) no longer count in the
balance; debits never expire.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opsdept import audit, permissions
from opsdept.errors import DomainError
from opsdept.models import Employee, WorkSchedule

from .models import CompTimeEntry

ZERO = Decimal("0")
# The largest single line: a week of round-the-clock duty; anything bigger is a typo.
MAX_HOURS = Decimal("168")


class CompTimeError(DomainError):
    pass


def hours_per_workday() -> Decimal:
    """A working day in hours from the work schedule (9:00–18:00 less lunch: 8)."""
    schedule = WorkSchedule.current()
    today = date(2000, 1, 3)
    span = datetime.combine(today, schedule.end_time) - datetime.combine(today, schedule.start_time)
    lunch = datetime.combine(today, schedule.lunch_end) - datetime.combine(today, schedule.lunch_start)
    return Decimal((span - lunch) // timedelta(minutes=1)) / 60


def _counting(on: date) -> Q:
    return Q(expires_on__isnull=True) | Q(expires_on__gte=on) | Q(hours__lt=0)


def comp_time_balance(employee: Employee, *, on: date | None = None) -> Decimal:
    """The hours of comp time `employee` has on `on` (today), expired credits left out."""
    on = on or timezone.localdate()
    total = CompTimeEntry.objects.filter(_counting(on), employee=employee).aggregate(total=Sum("hours"))["total"]
    return (total or ZERO).quantize(Decimal("0.01"))


def comp_time_balances(employee_ids: list[int], *, on: date | None = None) -> dict[int, Decimal]:
    """{employee id: balance} in one query."""
    on = on or timezone.localdate()
    rows = (CompTimeEntry.objects.filter(_counting(on), employee_id__in=employee_ids)
            .values("employee_id").annotate(total=Sum("hours")))
    return {row["employee_id"]: row["total"] for row in rows}


def ledger_for(employee: Employee) -> QuerySet[CompTimeEntry]:
    return CompTimeEntry.objects.filter(employee=employee).select_related("created_by").order_by("-created_at", "-id")


def _lock(employee_id: int) -> Employee:
    return Employee.objects.select_for_update().get(pk=employee_id)


def _check_hours(hours: Decimal) -> Decimal:
    if not isinstance(hours, Decimal):
        hours = Decimal(str(hours))
    if hours == 0 or abs(hours) > MAX_HOURS:
        raise CompTimeError(_("Enter a number of hours between 0 and 168."), field="hours")
    return hours.quantize(Decimal("0.01"))


@transaction.atomic
def credit_comp_time(
    employee: Employee, *, hours: Decimal, source: str, actor: AbstractBaseUser | None,
    source_key: str | None = None, expires_on: date | None = None,
) -> tuple[CompTimeEntry, bool]:
    """Add earned hours (a worked duty shift); return (entry, created). The same `source_key` credits once."""
    hours = _check_hours(hours)
    if hours < 0:
        raise CompTimeError(_("A credit adds hours."), field="hours")
    _lock(employee.pk)
    if source_key:
        existing = CompTimeEntry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing, False
    entry = CompTimeEntry.objects.create(
        employee=employee, hours=hours, kind=CompTimeEntry.Kind.CREDIT, source=source[:200], source_key=source_key,
        expires_on=expires_on, created_by=permissions.employee_of(actor) if actor else None,
    )
    audit.record(actor, audit.Action.COMP_TIME_CREDITED, entry, changes={"hours": hours, "employee": employee.pk}, note=source)
    return entry, True


@transaction.atomic
def debit_comp_time(
    employee: Employee, *, hours: Decimal, source: str, actor: AbstractBaseUser | None, source_key: str | None = None,
) -> CompTimeEntry:
    """Use `hours` of comp time (approved 调休 leave); refused when the balance would go below zero."""
    hours = _check_hours(hours)
    _lock(employee.pk)
    if source_key:
        existing = CompTimeEntry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    balance = comp_time_balance(employee)
    if balance - abs(hours) < 0:
        raise CompTimeError(
            _("Not enough comp time: %(name)s has %(balance)s hours, this needs %(hours)s.")
            % {"name": employee.name, "balance": balance, "hours": abs(hours)},
        )
    entry = CompTimeEntry.objects.create(
        employee=employee, hours=-abs(hours), kind=CompTimeEntry.Kind.DEBIT, source=source[:200], source_key=source_key,
        created_by=permissions.employee_of(actor) if actor else None,
    )
    audit.record(actor, audit.Action.COMP_TIME_DEBITED, entry, changes={"hours": -abs(hours), "employee": employee.pk}, note=source)
    return entry


@transaction.atomic
def reverse_comp_time(source_key: str, *, source: str, actor: AbstractBaseUser | None) -> CompTimeEntry | None:
    """Undo the line written under `source_key` with an opposite adjustment (once); None if there is none."""
    original = CompTimeEntry.objects.filter(source_key=source_key).first()
    if original is None:
        return None
    _lock(original.employee_id)
    reversal_key = f"{source_key}:reversed"[:80]
    existing = CompTimeEntry.objects.filter(source_key=reversal_key).first()
    if existing is not None:
        return existing
    entry = CompTimeEntry.objects.create(
        employee_id=original.employee_id, hours=-original.hours, kind=CompTimeEntry.Kind.ADJUSTMENT, source=source[:200],
        source_key=reversal_key, created_by=permissions.employee_of(actor) if actor else None,
    )
    audit.record(actor, audit.Action.COMP_TIME_ADJUSTED, entry, changes={"hours": entry.hours, "employee": entry.employee_id}, note=source)
    return entry


@transaction.atomic
def adjust_comp_time(employee_id: int, *, hours: Decimal, reason: str, actor: AbstractBaseUser) -> CompTimeEntry:
    """HR corrects a balance by a positive or negative number of hours, never below zero."""
    employee = _lock(employee_id)
    permissions.require(actor, "comptime.adjust", employee)
    hours = _check_hours(hours)
    if not reason.strip():
        raise CompTimeError(_("Give the reason for the adjustment."), field="reason")
    if hours < 0 and comp_time_balance(employee) + hours < 0:
        raise CompTimeError(_("The balance cannot go below zero: %(name)s has %(balance)s hours.")
                            % {"name": employee.name, "balance": comp_time_balance(employee)}, field="hours")
    entry = CompTimeEntry.objects.create(
        employee=employee, hours=hours, kind=CompTimeEntry.Kind.ADJUSTMENT, source=reason.strip()[:200],
        created_by=permissions.employee_of(actor),
    )
    audit.record(actor, audit.Action.COMP_TIME_ADJUSTED, entry, changes={"hours": hours, "employee": employee.pk}, note=reason)
    return entry
