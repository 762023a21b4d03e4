"""discipline: reads shared by pages and exports."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from opsdept import permissions
from opsdept.selectors import Queue, queue
from opsdept.models import Employee

from .models import (
    MONEY_KINDS, PUBLIC_KINDS, Appeal, CampaignMiss, DisciplineSettings, Flag, Kind, PolicyAcknowledgement, PolicyVersion,
    Record, Rule,
)

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
REWARD_MONEY = [Kind.BONUS]
PENALTY_MONEY = [Kind.BONUS_DEDUCTION, Kind.FINE]


def rules_in_policy_order(active_only: bool = False) -> QuerySet[Rule]:
    """The policy's numbered rules 1–5 first, then HR's rules by code."""
    queryset = Rule.objects.order_by(F("number").asc(nulls_last=True), "code")
    return queryset.filter(is_active=True) if active_only else queryset


def flags_visible_to(user: AbstractBaseUser) -> QuerySet[Flag]:
    return permissions.scope(user, Flag.objects.select_related("employee", "rule", "decided_by"))


def open_flags_for_review(user: AbstractBaseUser) -> QuerySet[Flag]:
    """The open flags of the people `user` leads."""
    return Flag.objects.select_related("employee", "rule").filter(permissions.team_filter(user, "employee"), status=Flag.Status.OPEN)


def team_flags_for_review(user: AbstractBaseUser) -> QuerySet[Flag]:
    """Every flag (any status) of the people `user` leads: the review list, open ones first by its filter."""
    return Flag.objects.select_related("employee", "rule", "decided_by").filter(permissions.team_filter(user, "employee"))


def _with_state(queryset: QuerySet[Record]) -> QuerySet[Record]:
    """Annotate whether each record was reversed and whether it has an appeal (no per-row queries)."""
    return queryset.annotate(
        is_reversed=Exists(Record.objects.filter(reverses=OuterRef("pk"))),
        has_appeal=Exists(Appeal.objects.filter(record=OuterRef("pk"))),
    )


def records_visible_to(user: AbstractBaseUser) -> QuerySet[Record]:
    """The register as `user` may see it: their own, their team's; everything for HR and the manager."""
    queryset = Record.objects.select_related("employee", "rule", "issued_by", "reverses", "replaces")
    return _with_state(permissions.scope(user, queryset))


def appeal_deadline(record: Record) -> date:
    """The last day `record` may be appealed (七、违纪处理与申诉机制 2: within the window HR sets)."""
    return timezone.localtime(record.issued_at).date() + timedelta(days=DisciplineSettings.current().appeal_window_days)


@dataclass(frozen=True)
class RecordStanding:
    """What became of a record (its appeal, its reversal) and what a user may still do about it."""

    appeal: Appeal | None
    reversal: Record | None
    deadline: date
    own: bool
    can_appeal: bool
    appeal_closed: bool
    can_reverse: bool


def record_standing(user: AbstractBaseUser, record: Record) -> RecordStanding:
    """The record page's state: who may appeal (once, in time, an original record) or reverse it (not while appealed)."""
    appeal = Appeal.objects.filter(record=record).select_related("decided_by").first()
    reversal = Record.objects.filter(reverses=record).select_related("issued_by").first()
    deadline = appeal_deadline(record)
    own = permissions.can(user, "record.appeal", record)
    appealable = (own and appeal is None and reversal is None
                  and record.reverses_id is None and record.replaces_id is None)
    in_time = timezone.localdate() <= deadline
    return RecordStanding(
        appeal=appeal, reversal=reversal, deadline=deadline, own=own,
        can_appeal=appealable and in_time,
        appeal_closed=appealable and not in_time,
        can_reverse=(permissions.can(user, "record.reverse", record) and reversal is None and record.reverses_id is None
                     and (appeal is None or appeal.status != Appeal.Status.PENDING)),
    )


def notice_board() -> QuerySet[Record]:
    """The public records (通报表扬, 通报批评) in force, newest first, for the whole department (奖惩原则: 公开).

    A notice withdrawn by a correction or an appeal comes off the board.
    """
    queryset = Record.objects.select_related("employee", "employee__department", "rule").filter(
        kind__in=PUBLIC_KINDS, reverses__isnull=True,
    ).exclude(Exists(Record.objects.filter(reverses=OuterRef("pk"))))
    return _with_state(queryset).order_by("-issued_at", "-id")


def _appeals_routed_to(user: AbstractBaseUser, me: Employee) -> Q:
    """The appeals `me` decides: the manager's (never their own), HR's named decider the manager's own,
    the manager's deputy while the manager is away (代理审批人), and those escalated to `me`."""
    decides = Q(escalated_to=me)
    not_managers = ~Q(employee__role=Employee.Role.MANAGER)
    if me.is_manager:
        decides |= not_managers
    if permissions.is_top_approver(me):
        decides |= Q(employee__role=Employee.Role.MANAGER)
    away = permissions.deputy_principal_ids(user)  # cached for the request; a query only when deputising
    if away and Employee.objects.filter(pk__in=away, role=Employee.Role.MANAGER).exists():
        decides |= not_managers
    return decides & ~Q(employee=me)


def appeals_visible_to(user: AbstractBaseUser) -> QuerySet[Appeal]:
    """The appeals along `user`'s reporting tree, and those routed to them to decide."""
    queryset = Appeal.objects.select_related("employee", "record", "record__rule", "decided_by", "decided_for", "escalated_to")
    visible = permissions.scope(user, queryset)
    me = permissions.employee_of(user)
    if me is None or permissions.sees_everyone(user):
        return visible
    return queryset.filter(Q(pk__in=visible.values("pk")) | (_appeals_routed_to(user, me) & Q(status=Appeal.Status.PENDING)))


def appeals_to_decide(user: AbstractBaseUser) -> QuerySet[Appeal]:
    """Pending appeals `user` decides (never an appeal about their own record)."""
    me = permissions.employee_of(user)
    if me is None or not permissions.can(user, "appeal.decide"):
        return Appeal.objects.none()
    return Appeal.objects.filter(_appeals_routed_to(user, me), status=Appeal.Status.PENDING)


def dashboard_queues(user: AbstractBaseUser) -> dict[str, Queue | None]:
    """The discipline card's queues: open flags of the team, appeals waiting (None: not this user's queue)."""
    return {
        "flags": queue(open_flags_for_review(user), "raised_at") if permissions.can(user, "flag.review") else None,
        "appeals": queue(appeals_to_decide(user), "filed_at") if permissions.can(user, "appeal.decide") else None,
    }


def campaign_misses_visible_to(user: AbstractBaseUser) -> QuerySet[CampaignMiss]:
    return permissions.scope(user, CampaignMiss.objects.select_related("employee", "recorded_by", "penalised_by"))


def money_totals(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[int, tuple[Decimal, Decimal]]:
    """{employee id: (rewards ¥, penalties ¥)} for records effective between start and end (one query).

    Reversals carry negated amounts and the original's date, so revoked money drops out.
    """
    queryset = Record.objects.filter(effective_on__range=(start, end), kind__in=MONEY_KINDS)
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__any=set(employee_ids))  # opsdept.bulk: one array, not 10,000 parameters
    rows = queryset.values("employee_id").annotate(
        rewards=Coalesce(Sum("amount", filter=Q(kind__in=REWARD_MONEY)), ZERO),
        penalties=Coalesce(Sum("amount", filter=Q(kind__in=PENALTY_MONEY)), ZERO),
    )
    return {row["employee_id"]: (row["rewards"], row["penalties"]) for row in rows}


def record_counts(employee_ids: Iterable[int], start: date, end: date) -> dict[int, dict[str, int]]:
    """{employee id: {kind: number of standing records}} (originals not reversed), one query."""
    rows = (
        Record.objects.filter(employee_id__in=list(employee_ids), effective_on__range=(start, end), reverses__isnull=True)
        .exclude(Exists(Record.objects.filter(reverses=OuterRef("pk"))))
        .values("employee_id", "kind").annotate(number=Count("pk"))
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row["employee_id"], {})[row["kind"]] = row["number"]
    return found


def unacknowledged_employees(version: PolicyVersion) -> QuerySet[Employee]:
    return (
        Employee.objects.filter(is_active=True)
        .exclude(Exists(PolicyAcknowledgement.objects.filter(version=version, employee=OuterRef("pk"))))
        .select_related("department", "supervisor")
        .order_by("department_id", "employee_no")
    )


def pending_policy_version(employee: Employee | None) -> PolicyVersion | None:
    """The current policy version if `employee` has not acknowledged it yet (one query)."""
    if employee is None:
        return None
    current = (
        PolicyVersion.objects.order_by("-published_at", "-id")
        .annotate(done=Exists(PolicyAcknowledgement.objects.filter(version=OuterRef("pk"), employee=employee)))
        .first()
    )
    if current is None or current.done:
        return None
    return current
