"""Approvals that never get stuck: deputies (代理审批人) and who decides at the top (services).

The rules of who may decide what live in `opsdept.permissions` (section "approvals");
the escalation of a stuck request is its chapter's (`leave.services.escalate_leave_request`).
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, permissions, registries
from .errors import DomainError
from .models import ApprovalSettings, Deputy, Employee
from .notify import department_language, notify
from .web import FIRST_YEAR, LAST_YEAR

DEPUTY_FIELDS = ["principal", "deputy", "start_date", "end_date", "note", "cancelled_at"]
LONGEST_ABSENCE_DAYS = 366


class ApprovalError(DomainError):
    pass


def _root(department) -> int:
    seen = set()
    while department.parent_id is not None and department.pk not in seen:
        seen.add(department.pk)
        department = department.parent
    return department.pk


def _on_leave(employee: Employee, start: date, end: date) -> bool:
    """Whether a registered leave provider covers `employee` on any day in [start, end]."""
    for provider in registries.day_providers:
        if provider.kind == "leave" and provider.covers([employee.pk], start, end):
            return True
    return False


def can_deputise(principal: Employee, deputy: Employee) -> bool:
    """A peer supervisor or the manager, active, in the same department, not the one away."""
    return (deputy.pk != principal.pk and deputy.is_active and deputy.is_supervisor
            and _root(deputy.department) == _root(principal.department))


@transaction.atomic
def name_deputy(principal_id: int, *, actor: AbstractBaseUser, deputy_id: int, start_date: date, end_date: date,
                note: str = "") -> Deputy:
    """Name who decides `principal`'s requests while they are away from `start_date` to `end_date`."""
    principal = Employee.objects.select_for_update(of=("self",)).select_related("department").get(pk=principal_id)
    permissions.require(actor, "deputy.name", principal)
    me = permissions.employee_of(actor)
    if not principal.is_supervisor:
        raise ApprovalError(_("Only a supervisor or the manager decides requests, so only they name a deputy."))
    deputy = Employee.objects.select_related("department").filter(pk=deputy_id).first()
    if deputy is None:
        raise ApprovalError(_("Choose the deputy from the list."), field="deputy")
    if deputy.pk == principal.pk:
        raise ApprovalError(_("You cannot be your own deputy: choose a peer supervisor or the manager."), field="deputy")
    if not can_deputise(principal, deputy):
        raise ApprovalError(_("The deputy must be an active supervisor or the manager of the department."), field="deputy")
    if not (FIRST_YEAR <= start_date.year <= LAST_YEAR and FIRST_YEAR <= end_date.year <= LAST_YEAR):
        raise ApprovalError(_("Enter dates between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                            field="start_date")
    if start_date < timezone.localdate():
        raise ApprovalError(_("The absence cannot start in the past."), field="start_date")
    if end_date < start_date:
        raise ApprovalError(_("The absence must end on or after its first day."), field="end_date")
    if (end_date - start_date).days > LONGEST_ABSENCE_DAYS:
        raise ApprovalError(_("Name a deputy for at most a year at a time."), field="end_date")
    overlapping = Q(start_date__lte=end_date, end_date__gte=start_date, cancelled_at__isnull=True)
    if Deputy.objects.filter(overlapping, principal=principal).exists():
        raise ApprovalError(_("A deputy is already named for some of these dates; cancel it first."), field="start_date")
    if Deputy.objects.filter(overlapping, principal=deputy).exists() or _on_leave(deputy, start_date, end_date):
        raise ApprovalError(_("%(name)s is away on some of these dates: choose someone else.") % {"name": deputy.name},
                            field="deputy")
    if Deputy.objects.filter(overlapping, deputy=principal, principal=deputy).exists():
        raise ApprovalError(_("%(name)s has named you as their deputy for these dates.") % {"name": deputy.name},
                            field="deputy")
    found = Deputy(principal=principal, deputy=deputy, start_date=start_date, end_date=end_date,
                   note=note.strip()[:200], created_by=me)
    audit.update_audited(found, actor=actor, action=audit.Action.DEPUTY_NAMED, fields=DEPUTY_FIELDS, note=found.note,
                         validate=False)
    with department_language():
        notify(deputy, subject=_("You decide %(name)s's requests from %(start)s to %(end)s") % {
            "name": principal.name, "start": start_date, "end": end_date}, body=found.note, url=reverse("deputy_list"))
    return found


@transaction.atomic
def cancel_deputy(deputy_id: int, *, actor: AbstractBaseUser) -> Deputy:
    found = Deputy.objects.select_for_update().select_related("principal", "deputy").get(pk=deputy_id)
    permissions.require(actor, "deputy.cancel", found)
    if found.cancelled_at is not None:
        raise ApprovalError(_("This deputy was already cancelled."))
    audit.update_audited(found, actor=actor, action=audit.Action.DEPUTY_CANCELLED, fields=DEPUTY_FIELDS, validate=False,
                         values={"cancelled_at": timezone.now(), "cancelled_by": permissions.employee_of(actor)})
    with department_language():
        notify(found.deputy, subject=_("You no longer decide %(name)s's requests from %(start)s") % {
            "name": found.principal.name, "start": found.start_date}, url=reverse("deputy_list"))
    return found


@transaction.atomic
def update_approval_settings(*, actor: AbstractBaseUser, top_approver: Employee | None,
                             escalate_after_workdays: int) -> ApprovalSettings:
    """HR names who decides the manager's own requests and appeals, and when a pending request escalates."""
    permissions.require(actor, "approval.configure")
    if top_approver is not None and (not top_approver.is_active or top_approver.is_manager):
        raise ApprovalError(_("Choose an active employee other than the manager."), field="top_approver")
    if not 1 <= escalate_after_workdays <= 20:
        raise ApprovalError(_("Enter a number of workdays from 1 to 20."), field="escalate_after_workdays")
    current = ApprovalSettings.objects.select_for_update().get(pk=ApprovalSettings.current().pk)
    audit.update_audited(current, actor=actor, action=audit.Action.APPROVAL_SETTINGS_CHANGED,
                         fields=["top_approver", "escalate_after_workdays"],
                         values={"top_approver": top_approver, "escalate_after_workdays": escalate_after_workdays})
    return current
