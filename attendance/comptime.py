"""The comp-time (调休) ledger: hours earned by working rest days, used by 调休 leave.

It lives in attendance, the layer both leave and duty sit on (DESIGN.md, layers):
attendance credits it for approved rest-day overtime taken as comp time (the hours the
punches support), duty for a worked duty shift; leave debits it when a 调休 request is
approved and gives the hours back when that request is cancelled or ended early; HR adjusts it.
The balance never goes below zero (节假日值班制度 第五条: 不得擅自调休 — comp time is
taken only from what was earned).

A line is never edited: a reversal is a new line. `source_key` makes a credit or a
debit idempotent, so a nightly rerun or a retried request never counts twice.
Each line is dated (the day worked, the 调休's first day). HR may set an expiry (credits expire
N months after the day worked); a use takes the hours that expire first, and hours unused on
their expiry day leave the balance (`work_out`).
"""

from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opsdept import audit, permissions
from opsdept.errors import DomainError
from opsdept.models import Employee, WorkSchedule
from opsdept.notify import department_language

from . import overtime as overtime_rules
from .models import CompTimeEntry, Overtime, OvertimeCompensation, RequestStatus

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


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def expiry_for(earned_on: date) -> date | None:
    """When hours earned on `earned_on` expire under HR's setting (None: never): the day before N months later."""
    from .models import AttendanceSettings

    months = AttendanceSettings.current().comp_time_expiry_months
    return add_months(earned_on, months) - timedelta(days=1) if months else None


def _dated(entry: CompTimeEntry) -> date:
    return entry.dated or timezone.localtime(entry.created_at).date()


@dataclass
class _Lot:
    remaining: Decimal
    expires_on: date | None
    dated: date

    def valid_on(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day


@dataclass
class Ledger:
    """An employee's comp time worked out line by line.

    A use (a debit, a negative adjustment) takes the hours that expire first; a line that gives a
    use back (its key starts with the use's key and a colon: a cancelled or shortened 调休) returns
    the hours to where they came from, the last taken first. Hours still unused on their expiry day
    expire. `debt` is what a use could not be covered by (only a reversed credit can cause it).
    """

    lots: list[_Lot] = field(default_factory=list)
    expired: dict[date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    debt: Decimal = ZERO

    def balance(self, on: date) -> Decimal:
        hours = sum((lot.remaining for lot in self.lots if lot.valid_on(on)), ZERO) - self.debt
        return max(ZERO, hours).quantize(Decimal("0.01"))

    def available_on(self, day: date) -> Decimal:
        """What a new use on `day` could take: unused hours earned by then and still valid then."""
        hours = sum((lot.remaining for lot in self.lots if lot.dated <= day and lot.valid_on(day)), ZERO) - self.debt
        return max(ZERO, hours).quantize(Decimal("0.01"))

    def expiring(self, on: date) -> list[tuple[date, Decimal]]:
        """(expiry day, unused hours) still counting on `on`, soonest first."""
        found: dict[date, Decimal] = defaultdict(Decimal)
        for lot in self.lots:
            if lot.expires_on is not None and lot.expires_on >= on and lot.remaining > 0:
                found[lot.expires_on] += lot.remaining
        return sorted(found.items())

    def expired_before(self, on: date) -> list[tuple[date, Decimal]]:
        return sorted((day, hours) for day, hours in self.expired.items() if day < on and hours > 0)


def work_out(entries: Iterable[CompTimeEntry], *, until: date | None = None, extra_use: tuple[date, Decimal] | None = None) -> Ledger:
    """Replay the lines (dated up to `until`, all when None) in date order; `extra_use` tries a use not yet written."""
    lines = [(_dated(entry), entry.created_at, entry.pk or 0, entry.hours, entry.source_key or "", entry.expires_on)
             for entry in entries if until is None or _dated(entry) <= until]
    if extra_use is not None:
        lines.append((extra_use[0], timezone.now(), 10**12, -extra_use[1], "", None))
    lines.sort(key=lambda line: (line[0], line[1], line[2]))
    ledger = Ledger()
    taken: dict[str, list[tuple[_Lot, Decimal]]] = {}

    def expire(day: date) -> None:
        for lot in ledger.lots:
            if lot.remaining > 0 and not lot.valid_on(day):
                ledger.expired[lot.expires_on] += lot.remaining
                lot.remaining = ZERO

    for day, _created, _pk, hours, key, expires_on in lines:
        expire(day)
        parent = key.rsplit(":", 1)[0] if ":" in key else ""
        if hours > 0 and parent in taken:
            left = hours
            while left > 0 and taken[parent]:
                lot, amount = taken[parent].pop()
                back = min(left, amount)
                if back < amount:
                    taken[parent].append((lot, amount - back))
                if lot.valid_on(day):
                    lot.remaining += back
                else:
                    ledger.expired[lot.expires_on] += back
                left -= back
            if left > 0:
                ledger.lots.append(_Lot(left, None, day))
        elif hours > 0:
            paid = min(ledger.debt, hours)
            ledger.debt -= paid
            ledger.lots.append(_Lot(hours - paid, expires_on, day))
        else:
            need = -hours
            uses = taken.setdefault(key, []) if key else []
            for lot in sorted((lot for lot in ledger.lots if lot.remaining > 0),
                              key=lambda lot: (lot.expires_on is None, lot.expires_on or day)):
                if need <= 0:
                    break
                amount = min(need, lot.remaining)
                lot.remaining -= amount
                uses.append((lot, amount))
                need -= amount
            ledger.debt += need
    if until is not None:
        expire(until)
    return ledger


def _entries(employee_ids: list[int] | QuerySet) -> dict[int, list[CompTimeEntry]]:
    """Every line of those employees (ids, or a subquery of employees' "pk")."""
    found: dict[int, list[CompTimeEntry]] = defaultdict(list)
    for entry in CompTimeEntry.objects.filter(employee_id__in=employee_ids).order_by("id"):
        found[entry.employee_id].append(entry)
    return found


def ledger_of(employee: Employee) -> Ledger:
    return work_out(_entries([employee.pk]).get(employee.pk, []))


def comp_time_balance(employee: Employee, *, on: date | None = None) -> Decimal:
    """The hours of comp time `employee` has: every line written, less what has expired by `on` (today).

    Never below zero. `balances_as_of` gives the balance at a past date (the export's month end).
    """
    return ledger_of(employee).balance(on or timezone.localdate())


def comp_time_balances(employee_ids: list[int], *, on: date | None = None) -> dict[int, Decimal]:
    """{employee id: balance} in one query."""
    on = on or timezone.localdate()
    return {pk: work_out(entries).balance(on) for pk, entries in _entries(list(employee_ids)).items()}


def balances_as_of(employee_ids: Iterable[int] | QuerySet, day: date) -> dict[int, Decimal]:
    """{employee id: balance} counting only the lines dated up to `day` (one query): a month's closing balance.
    `employee_ids`: ids, or a subquery of employees' "pk" (the export's 10,000 people)."""
    ids = employee_ids if isinstance(employee_ids, QuerySet) else list(employee_ids)
    return {pk: work_out(entries, until=day).balance(day) for pk, entries in _entries(ids).items()}


def available_on(employee: Employee, day: date) -> Decimal:
    """The hours a 调休 starting on `day` may use: earned by then, not expired then, not already used."""
    return ledger_of(employee).available_on(day)


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


def _write(employee: Employee | int, *, hours: Decimal, kind: str, source: str, source_key: str | None, dated: date,
           expires_on: date | None, actor: AbstractBaseUser | None, action: audit.Action) -> CompTimeEntry:
    employee_id = employee if isinstance(employee, int) else employee.pk
    entry = CompTimeEntry.objects.create(
        employee_id=employee_id, hours=hours, kind=kind, source=source[:200], source_key=source_key, dated=dated,
        expires_on=expires_on, created_by=permissions.employee_of(actor) if actor else None,
    )
    audit.record(actor, action, entry, changes={"hours": hours, "employee": employee_id, "date": dated,
                                                "expires_on": expires_on}, note=source)
    return entry


@transaction.atomic
def credit_comp_time(
    employee: Employee, *, hours: Decimal, source: str, actor: AbstractBaseUser | None,
    source_key: str | None = None, expires_on: date | None = None, earned_on: date | None = None,
) -> tuple[CompTimeEntry, bool]:
    """Add hours earned on `earned_on` (today); return (entry, created). The same `source_key` credits once.

    Without an explicit `expires_on`, HR's expiry setting dates it from `earned_on`.
    """
    hours = _check_hours(hours)
    if hours < 0:
        raise CompTimeError(_("A credit adds hours."), field="hours")
    _lock(employee.pk)
    if source_key:
        existing = CompTimeEntry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing, False
    earned_on = earned_on or timezone.localdate()
    entry = _write(employee, hours=hours, kind=CompTimeEntry.Kind.CREDIT, source=source, source_key=source_key,
                   dated=earned_on, expires_on=expires_on or expiry_for(earned_on), actor=actor,
                   action=audit.Action.COMP_TIME_CREDITED)
    return entry, True


@transaction.atomic
def debit_comp_time(
    employee: Employee, *, hours: Decimal, source: str, actor: AbstractBaseUser | None, source_key: str | None = None,
    used_on: date | None = None,
) -> CompTimeEntry:
    """Use `hours` of comp time on `used_on` (the 调休's first day; today); refused beyond what is available then."""
    hours = _check_hours(hours)
    _lock(employee.pk)
    if source_key:
        existing = CompTimeEntry.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    used_on = used_on or timezone.localdate()
    entries = _entries([employee.pk]).get(employee.pk, [])
    available = work_out(entries).available_on(used_on)
    if work_out(entries, extra_use=(used_on, abs(hours))).debt > work_out(entries).debt:
        raise CompTimeError(
            _("Not enough comp time: %(name)s has %(balance)s hours, this needs %(hours)s.")
            % {"name": employee.name, "balance": available, "hours": abs(hours)},
        )
    return _write(employee, hours=-abs(hours), kind=CompTimeEntry.Kind.DEBIT, source=source, source_key=source_key,
                  dated=used_on, expires_on=None, actor=actor, action=audit.Action.COMP_TIME_DEBITED)


@transaction.atomic
def reverse_comp_time(source_key: str, *, source: str, actor: AbstractBaseUser | None,
                      hours: Decimal | None = None, suffix: str = "reversed") -> CompTimeEntry | None:
    """Give back the line written under `source_key` (all of it, or `hours` of it) with an opposite adjustment, once
    per `suffix`; None if there is no such line."""
    original = CompTimeEntry.objects.filter(source_key=source_key).first()
    if original is None:
        return None
    _lock(original.employee_id)
    reversal_key = f"{source_key}:{suffix}"[:80]
    existing = CompTimeEntry.objects.filter(source_key=reversal_key).first()
    if existing is not None:
        return existing
    given_back = sum((line.hours for line in CompTimeEntry.objects.filter(source_key__startswith=f"{source_key}:")), ZERO)
    left = -(original.hours + given_back)  # what undoing the rest of it takes
    amount = left if hours is None else (abs(hours) if original.hours < 0 else -abs(hours))
    if amount == 0 or abs(amount) > abs(left):
        return None
    return _write(original.employee_id, hours=amount, kind=CompTimeEntry.Kind.ADJUSTMENT, source=source,
                  source_key=reversal_key, dated=_dated(original), expires_on=None, actor=actor,
                  action=audit.Action.COMP_TIME_ADJUSTED)


# ---------------------------------------------------------------- rest-day overtime taken as comp time

def _overtime_prefix(overtime_id: int) -> str:
    return f"attendance.overtime:{overtime_id}:"


@transaction.atomic
def sync_overtime_credits(overtimes: Iterable[Overtime], *, actor: AbstractBaseUser | None) -> int:
    """Bring the ledger in line with approved rest-day overtime taken as comp time (劳动法 第四十四条 二: 补休).

    Each overtime earns the hours the punches support (the overlap with the punched span), credited
    on the day worked; when the counted hours change (a later punch, a correction) the difference is
    written, and an overtime no longer approved or no longer comp time gives its hours back. A rerun
    writes nothing. Returns the number of lines written.
    """
    items = [item for item in overtimes]
    if not items:
        return 0
    ids = [item.pk for item in items]
    written_by_overtime: dict[int, list[CompTimeEntry]] = defaultdict(list)
    for entry in CompTimeEntry.objects.filter(source_key__startswith="attendance.overtime:",
                                              employee_id__in={item.employee_id for item in items}):
        overtime_id = int(entry.source_key.split(":")[1])
        if overtime_id in ids:
            written_by_overtime[overtime_id].append(entry)
    wanted = {check.overtime.pk: check.counted for check in overtime_rules.checked(
        [item for item in items if item.status == RequestStatus.APPROVED and item.is_comp_time])}
    written = 0
    for item in sorted(items, key=lambda item: item.pk):
        lines = written_by_overtime.get(item.pk, [])
        have = sum((line.hours for line in lines), ZERO)
        want = Decimal(wanted.get(item.pk, ZERO)).quantize(Decimal("0.01"))
        if want == have:
            continue
        _lock(item.employee_id)
        key = f"{_overtime_prefix(item.pk)}{len(lines) + 1}"
        with department_language():
            source = _("Rest-day overtime %(date)s %(start)s–%(end)s (comp time)") % {
                "date": item.date.isoformat(), "start": f"{item.start_time:%H:%M}", "end": f"{item.end_time:%H:%M}"}
        if want > have:
            _write(item.employee_id, hours=want - have, kind=CompTimeEntry.Kind.CREDIT, source=source, source_key=key,
                   dated=item.date, expires_on=expiry_for(item.date), actor=actor, action=audit.Action.COMP_TIME_CREDITED)
        else:
            _write(item.employee_id, hours=want - have, kind=CompTimeEntry.Kind.ADJUSTMENT, source=source, source_key=key,
                   dated=item.date, expires_on=None, actor=actor, action=audit.Action.COMP_TIME_ADJUSTED)
        written += 1
    return written


def sync_overtime_between(employee_ids: Iterable[int] | None, start: date, end: date, *, actor: AbstractBaseUser | None) -> int:
    """`sync_overtime_credits` for the rest-day comp-time overtime dated from `start` to `end` (and the night before)."""
    queryset = Overtime.objects.filter(day_kind="rest", compensation=OvertimeCompensation.COMP_TIME,
                                       date__range=(start - timedelta(days=1), end))
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__any=set(employee_ids))
    return sync_overtime_credits(list(queryset), actor=actor)


@transaction.atomic
def adjust_comp_time(employee_id: int, *, hours: Decimal, reason: str, actor: AbstractBaseUser) -> CompTimeEntry:
    """HR corrects a balance by a positive or negative number of hours, never below zero."""
    employee = _lock(employee_id)
    permissions.require(actor, "comptime.adjust", employee)
    hours = _check_hours(hours)
    if not reason.strip():
        raise CompTimeError(_("Give the reason for the adjustment."), field="reason")
    today = timezone.localdate()
    if hours < 0 and comp_time_balance(employee) + hours < 0:
        raise CompTimeError(_("The balance cannot go below zero: %(name)s has %(balance)s hours.")
                            % {"name": employee.name, "balance": comp_time_balance(employee)}, field="hours")
    return _write(employee, hours=hours, kind=CompTimeEntry.Kind.ADJUSTMENT, source=reason.strip(), source_key=None,
                  dated=today, expires_on=expiry_for(today) if hours > 0 else None, actor=actor,
                  action=audit.Action.COMP_TIME_ADJUSTED)
