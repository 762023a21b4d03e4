"""Monthly confirmation (考勤确认): HR opens a finished month, each employee confirms it or disputes a day,
the supervisor resolves disputes, HR reminds the rest and locks the month.

After the lock, a change to the month's days (the one reconcile path, `services.reconcile_many`)
needs HR with a reason: `guard_locked_days` refuses anyone else and records HR's change
(LockedMonthChange), which the export marks. The services here follow the house shape; they
live beside attendance/services.py because that module already fills more than a screen.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import audit, employment, permissions, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Employee
from opsdept.notify import Message, department_language, notify

from .models import DayDispute, LockedMonthChange, MonthClose, MonthConfirmation


class ConfirmationError(DomainError):
    pass


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def opens_on(year: int, month: int) -> date:
    """The first workday of the next month: confirmation opens then at the earliest."""
    last = month_bounds(year, month)[1]
    return workcalendar.add_workdays(last, 1)


def close_for(year: int, month: int) -> MonthClose | None:
    return MonthClose.objects.filter(month=date(year, month, 1)).select_related("locked_by", "opened_by").first()


def _me(actor: AbstractBaseUser) -> Employee:
    me = permissions.employee_of(actor)
    if me is None:
        raise ConfirmationError(_("Your login is not linked to an employee record. Ask HR."))
    return me


def _open_close(year: int, month: int) -> MonthClose:
    close = MonthClose.objects.select_for_update().filter(month=date(year, month, 1)).first()
    if close is None:
        raise ConfirmationError(_("The confirmation of %(month)s is not open.") % {"month": f"{year:04d}-{month:02d}"})
    if close.is_locked:
        raise ConfirmationError(_("%(month)s is locked.") % {"month": f"{year:04d}-{month:02d}"})
    return close


@transaction.atomic
def open_confirmation(year: int, month: int, *, actor: AbstractBaseUser, today: date | None = None) -> MonthClose:
    """HR opens the month for confirmation, from the first workday of the next month; everyone employed in it is asked."""
    permissions.require(actor, "attendance.close_month")
    today = today or timezone.localdate()
    if today < opens_on(year, month):
        raise ConfirmationError(_("%(month)s can be opened for confirmation from %(day)s.") % {
            "month": f"{year:04d}-{month:02d}", "day": opens_on(year, month).isoformat()})
    if MonthClose.objects.filter(month=date(year, month, 1)).exists():
        raise ConfirmationError(_("The confirmation of %(month)s is already open.") % {"month": f"{year:04d}-{month:02d}"})
    close = MonthClose(month=date(year, month, 1), opened_by=_me(actor))
    audit.update_audited(close, actor=actor, action=audit.Action.CONFIRMATION_OPENED, fields=["month"], validate=False)
    first, last = month_bounds(year, month)
    people = list(employment.employees_between(first, last).order_by("pk"))
    MonthConfirmation.objects.bulk_create([MonthConfirmation(close=close, employee=person) for person in people])
    url = reverse("attendance:confirm") + f"?month={year:04d}-{month:02d}"
    with department_language():
        for person in people:
            if person.is_active:
                notify(person, subject=Message(gettext_lazy("Please confirm your attendance for %(month)s"), **{"month": f"{year:04d}-{month:02d}"}), url=url)
    return close


def _confirmation_of(close: MonthClose, employee: Employee) -> MonthConfirmation:
    found = MonthConfirmation.objects.select_for_update().filter(close=close, employee=employee).first()
    if found is None:
        raise ConfirmationError(_("You were not employed in this month."))
    return found


@transaction.atomic
def confirm_month(year: int, month: int, *, actor: AbstractBaseUser) -> MonthConfirmation:
    """The employee confirms their month; not while one of their disputes is still open."""
    permissions.require(actor, "attendance.confirm")
    close = _open_close(year, month)
    confirmation = _confirmation_of(close, _me(actor))
    if confirmation.disputes.filter(resolved_at__isnull=True).exists():
        raise ConfirmationError(_("Your supervisor has not resolved your dispute yet."))
    if confirmation.status == MonthConfirmation.Status.CONFIRMED:
        raise ConfirmationError(_("You have already confirmed this month."))
    audit.update_audited(confirmation, actor=actor, action=audit.Action.MONTH_CONFIRMED, fields=["status"], validate=False,
                         values={"status": MonthConfirmation.Status.CONFIRMED, "confirmed_at": timezone.now()})
    return confirmation


@transaction.atomic
def dispute_day(year: int, month: int, day: date, *, actor: AbstractBaseUser, reason: str) -> DayDispute:
    """The employee disputes one day of the month with a reason; their supervisor is told."""
    permissions.require(actor, "attendance.confirm")
    first, last = month_bounds(year, month)
    if not first <= day <= last:
        raise ConfirmationError(_("Choose a day in %(month)s.") % {"month": f"{year:04d}-{month:02d}"}, field="date")
    if not reason.strip():
        raise ConfirmationError(_("Give a reason."), field="reason")
    close = _open_close(year, month)
    me = _me(actor)
    confirmation = _confirmation_of(close, me)
    dispute = DayDispute(confirmation=confirmation, employee=me, date=day, reason=reason.strip())
    audit.update_audited(dispute, actor=actor, action=audit.Action.DAY_DISPUTED, fields=["date", "reason"], validate=False)
    confirmation.status = MonthConfirmation.Status.DISPUTED
    confirmation.confirmed_at = None
    confirmation.save(update_fields=["status", "confirmed_at"])
    approver = permissions.approver_for(me)
    if approver is not None:
        notify(approver, subject=Message(gettext_lazy("%(name)s disputes their attendance on %(day)s"), **{"name": me.name, "day": day.isoformat()}),
               body=dispute.reason, url=reverse("attendance:confirmations") + f"?month={year:04d}-{month:02d}")
    return dispute


@transaction.atomic
def resolve_dispute(dispute_id: int, *, actor: AbstractBaseUser, resolution: str, note: str) -> DayDispute:
    """The supervisor resolves a dispute: by a correction, a leave, or a note; the employee is asked to confirm again."""
    dispute = DayDispute.objects.select_for_update().select_related("employee", "confirmation__close").get(pk=dispute_id)
    permissions.require(actor, "attendance.resolve_dispute", dispute)
    if not dispute.is_open:
        raise ConfirmationError(_("This dispute has already been resolved."))
    if dispute.confirmation.close.is_locked:
        raise ConfirmationError(_("%(month)s is locked.") % {"month": f"{dispute.confirmation.close.month:%Y-%m}"})
    if resolution not in DayDispute.Resolution.values:
        raise ConfirmationError(_("Choose how the dispute is resolved."), field="resolution")
    if not note.strip():
        raise ConfirmationError(_("Say how it was resolved."), field="note")
    audit.update_audited(dispute, actor=actor, action=audit.Action.DISPUTE_RESOLVED, fields=["resolution", "resolution_note"],
                         validate=False, values={"resolution": resolution, "resolution_note": note.strip(),
                                                 "resolved_by": _me(actor), "resolved_at": timezone.now()})
    confirmation = dispute.confirmation
    if not confirmation.disputes.filter(resolved_at__isnull=True).exists():
        confirmation.status = MonthConfirmation.Status.PENDING
        confirmation.save(update_fields=["status"])
    month = dispute.confirmation.close.month
    notify(dispute.employee, subject=Message(gettext_lazy("Your dispute of %(day)s was resolved; please confirm your month"), **{"day": dispute.date.isoformat()}),
           body=dispute.resolution_note, url=reverse("attendance:confirm") + f"?month={month:%Y-%m}")
    return dispute


@transaction.atomic
def remind_unconfirmed(year: int, month: int, *, actor: AbstractBaseUser) -> int:
    """HR reminds, in one click, everyone who has not confirmed yet; returns how many."""
    permissions.require(actor, "attendance.close_month")
    close = _open_close(year, month)
    waiting = list(close.confirmations.exclude(status=MonthConfirmation.Status.CONFIRMED)
                   .filter(employee__is_active=True).select_related("employee"))
    url = reverse("attendance:confirm") + f"?month={year:04d}-{month:02d}"
    with department_language():
        for item in waiting:
            notify(item.employee, subject=Message(gettext_lazy("Reminder: please confirm your attendance for %(month)s"), **{"month": f"{year:04d}-{month:02d}"}),
                   url=url)
    audit.update_audited(close, actor=actor, action=audit.Action.CONFIRMATION_REMINDED, fields=["reminded_at"], validate=False,
                         values={"reminded_at": timezone.now()}, note=str(len(waiting)))
    return len(waiting)


@transaction.atomic
def lock_month(year: int, month: int, *, actor: AbstractBaseUser) -> MonthClose:
    """HR locks the month: from now on its days change only by HR with a reason, and the export says so."""
    permissions.require(actor, "attendance.close_month")
    close = _open_close(year, month)
    if DayDispute.objects.filter(confirmation__close=close, resolved_at__isnull=True).exists():
        raise ConfirmationError(_("Some disputes are still open: resolve them before locking."))
    audit.update_audited(close, actor=actor, action=audit.Action.MONTH_LOCKED, fields=["locked_at"], validate=False,
                         values={"locked_at": timezone.now(), "locked_by": _me(actor)})
    return close


def locked_months_between(start: date, end: date) -> list[date]:
    return list(MonthClose.objects.filter(month__range=(start.replace(day=1), end), locked_at__isnull=False)
                .values_list("month", flat=True))


def guard_locked_days(employee_ids: list[int] | None, start: date, end: date, *, actor: AbstractBaseUser | None,
                      reason: str) -> None:
    """Refuse a change to days of a locked month unless HR makes it with a reason; record HR's change.

    Called by the one reconcile path inside the changing transaction, so a refusal writes nothing.
    `actor` None is the system (the nightly run, the command line): it never changes a locked month.
    """
    locked = locked_months_between(start, end)
    if not locked:
        return
    if actor is None or not permissions.can(actor, "attendance.close_month") or not reason.strip():
        raise ConfirmationError(_("%(month)s is locked: only HR can change it, with a reason.") % {
            "month": ", ".join(f"{month:%Y-%m}" for month in locked)})
    me = permissions.employee_of(actor)
    ids = employee_ids if employee_ids is not None else list(Employee.objects.values_list("pk", flat=True))
    rows = []
    for month in locked:
        first, last = month_bounds(month.year, month.month)
        day_from, day_to = max(first, start), min(last, end)
        if day_from > day_to:
            continue
        for employee_id in ids:
            rows.append(LockedMonthChange(employee_id=employee_id, date=day_from, reason=reason.strip()[:2000], changed_by=me))
    LockedMonthChange.objects.bulk_create(rows)
    audit.record(actor, audit.Action.LOCKED_MONTH_CHANGED, None,
                 changes={"from": start, "to": end, "employees": ids[:50]}, note=reason)


# ---------------------------------------------------------------- reads

@dataclass
class ConfirmationRow:
    employee: Employee
    confirmation: MonthConfirmation | None
    open_disputes: list[DayDispute]


def month_status(employee_ids: list[int] | QuerySet | None, year: int, month: int) -> dict[int, str]:
    """{employee id: confirmation status label} for the export (two queries)."""
    close = close_for(year, month)
    if close is None:
        return {}
    queryset = close.confirmations.order_by()
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__in=employee_ids)
    # Two columns, not 10,000 model instances (a tenth of the export's time), each label translated once.
    labels = {status: str(status.label) for status in MonthConfirmation.Status}
    return {pk: labels[status] for pk, status in queryset.values_list("employee_id", "status")}


def locked_changes(employee_ids: list[int] | QuerySet | None, start: date, end: date) -> dict[int, list[LockedMonthChange]]:
    queryset = LockedMonthChange.objects.filter(date__range=(start, end)).order_by("date", "id")
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__in=employee_ids)
    found: dict[int, list[LockedMonthChange]] = {}
    for change in queryset:
        found.setdefault(change.employee_id, []).append(change)
    return found


def confirmations_for(user: AbstractBaseUser, year: int, month: int) -> QuerySet[MonthConfirmation]:
    """The month's confirmations `user` may see (HR and the manager: everyone; a supervisor: the team),
    as a queryset for `opsdept.web.people_page` (the page shows 50 at a time)."""
    close = close_for(year, month)
    if close is None:
        return MonthConfirmation.objects.none()
    queryset = close.confirmations.select_related("employee", "employee__department").prefetch_related("disputes")
    ids = permissions.visible_employee_ids(user)
    if ids is not None:
        queryset = queryset.filter(employee_id__in=ids)
    return queryset.order_by("employee__department_id", "employee__employee_no")


def status_counts(confirmations: QuerySet[MonthConfirmation]) -> dict[str, int]:
    """{status: how many} over every row of `confirmations`, not one page of them (one grouped query)."""
    counts = dict.fromkeys(MonthConfirmation.Status.values, 0)
    for row in confirmations.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def my_confirmation(employee: Employee, year: int, month: int) -> MonthConfirmation | None:
    close = close_for(year, month)
    if close is None:
        return None
    return close.confirmations.filter(employee=employee).prefetch_related("disputes").first()

