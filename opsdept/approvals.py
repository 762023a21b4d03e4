"""Approvals that never get stuck: deputies (代理审批人), escalation and who decides at the top (services).

The rules of who may decide what live in `opsdept.permissions` (section "approvals"). Every
routed request (`opsdept.models.RoutedRequest`: leave, business trips, corrections, overtime,
appeals) registers its kind in `registries.escalations`; one path here escalates them all and
tells the 9:00 digest who each waits on.
"""

from datetime import date

from django.db.models import Model

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _, gettext_lazy

from . import audit, permissions, registries, workcalendar
from .errors import DomainError
from .models import ApprovalSettings, Deputy, Employee
from .notify import Message, department_language, key_for, notify
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
    notify(deputy, subject=Message(gettext_lazy("You decide %(name)s's requests from %(start)s to %(end)s"), **{
        "name": principal.name, "start": start_date, "end": end_date}), body=found.note, url=reverse("deputy_list"))
    return found


@transaction.atomic
def cancel_deputy(deputy_id: int, *, actor: AbstractBaseUser) -> Deputy:
    found = Deputy.objects.select_for_update().select_related("principal", "deputy").get(pk=deputy_id)
    permissions.require(actor, "deputy.cancel", found)
    if found.cancelled_at is not None:
        raise ApprovalError(_("This deputy was already cancelled."))
    audit.update_audited(found, actor=actor, action=audit.Action.DEPUTY_CANCELLED, fields=DEPUTY_FIELDS, validate=False,
                         values={"cancelled_at": timezone.now(), "cancelled_by": permissions.employee_of(actor)})
    notify(found.deputy, subject=Message(gettext_lazy("You no longer decide %(name)s's requests from %(start)s"), **{
        "name": found.principal.name, "start": found.start_date}), url=reverse("deputy_list"))
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


# ---------------------------------------------------------------- escalation (every routed request)

def decided_for(actor: AbstractBaseUser, request: Model) -> Employee | None:
    """Whom `actor` stands in for in deciding `request` (as deputy, or after escalation): the
    decision records "X 代 Y 审批". None when they decide it as its usual approver."""
    return permissions.acting_for_request(actor, request)


def tell_principal(request: Model, *, subject: Message, url: str) -> None:
    """After a deputy or an escalation target decided: the one they stood in for is told."""
    if request.decided_for_id is not None:
        notify(request.decided_for, subject=subject, body=request.decision_note, url=url)


def _filed_on(request: Model) -> date:
    return timezone.localtime(getattr(request, "created_at", None) or getattr(request, "filed_at")).date()


def is_stuck(request: Model, today: date, after_workdays: int, starts: str | None = "start_date") -> bool:
    """Pending when its start (`starts`, a date field) arrives — if it was filed by then — or pending
    more than `after_workdays` workdays since it last reached someone."""
    if request.status != "pending":
        return False
    start = getattr(request, starts) if starts else None
    if request.escalated_to_id is None and start is not None and _filed_on(request) <= start <= today:
        return True
    since = timezone.localtime(request.escalated_at).date() if request.escalated_at else _filed_on(request)
    return workcalendar.add_workdays(since, after_workdays) < today


@transaction.atomic
def escalate_request(kind: str, request_id: int, *, today: date | None = None) -> Employee | None:
    """Send one stuck request of `kind` (a key of `registries.escalations`) a level up — the manager
    at the top, HR (or whom HR names) above the manager — and tell both.

    Run by the escalation task (no actor: the system). Returns whom it went to, or None.
    """
    entry = registries.escalations.get(kind)
    if entry is None:
        raise ApprovalError(_("Unknown kind of request."))
    today = today or timezone.localdate()
    request = (entry.model.objects.select_for_update(of=("self",)).select_related(*entry.related, "escalated_to")
               .get(pk=request_id))
    if not is_stuck(request, today, ApprovalSettings.current().escalate_after_workdays, entry.starts):
        return None
    current = routed_decider_now(request)
    if current is None:
        return None
    target = permissions.next_up(current, request.employee)
    if target is None or target.pk == request.escalated_to_id:
        return None
    with department_language():
        note = _("Still pending on %(day)s with %(name)s.") % {"day": today, "name": current.name}
        audit.update_audited(request, actor=None, action=entry.action or audit.Action.REQUEST_ESCALATED,
                             fields=["escalated_to"], note=note, validate=False,
                             values={"escalated_to": target, "escalated_at": timezone.now()})
        params = {"what": lambda: entry.describe(request), "from": current.name, "to": target.name}  # in each reader's language
        url = entry.url(request)
        notify(target, subject=Message(gettext_lazy("Escalated to you: %(what)s, still pending with %(from)s"), **params),
               body=getattr(request, "reason", ""), url=url, key=key_for(request))
        notify(current, subject=Message(gettext_lazy("Escalated to %(to)s: %(what)s"), **params),
               body=gettext_lazy("You can still decide it."), url=url, key=key_for(request))
    return target


def routed_decider_now(request: Model) -> Employee | None:
    return permissions.routed_decider(request)[0]


def escalate_stuck_requests(today: date | None = None, kinds: list[str] | None = None) -> int:
    """The escalation task's body: every stuck pending request of every kind, one transaction each."""
    today = today or timezone.localdate()
    moved = 0
    for kind, entry in registries.escalations.items():
        if kinds is not None and kind not in kinds:
            continue
        for pk in entry.model.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True):
            if escalate_request(kind, pk, today=today) is not None:
                moved += 1
    return moved


def waiting(filed_before: date) -> list[registries.Waiting]:
    """Every routed request pending since before `filed_before`, with who decides it now (the 9:00 digest)."""
    found = []
    for _kind, entry in registries.escalations.items():
        filed = "filed_at" if any(f.name == "filed_at" for f in entry.model._meta.fields) else "created_at"
        pending = (entry.model.objects.select_related(*entry.related, "employee__supervisor", "escalated_to")
                   .filter(status="pending", **{f"{filed}__date__lt": filed_before}).order_by(filed, "pk"))
        for request in pending:
            decider = routed_decider_now(request)
            if decider is not None:
                found.append(registries.Waiting(decider=decider, text=lazy(entry.describe, str)(request),  # the reader's language
                                                url=entry.url(request)))
    return found


def register() -> None:
    registries.awaiting_decision.register("requests", waiting)
