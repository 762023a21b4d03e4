"""discipline: every state change of flags, records, appeals, rules and the policy handbook."""

from collections.abc import Iterable
from dataclasses import dataclass, field as dataclass_field
from datetime import date, datetime
from functools import cached_property
from decimal import Decimal, InvalidOperation
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import approvals, audit, bounds, permissions, workcalendar
from opsdept.bulk import insert_rows
from opsdept.facts import of_chunk
from opsdept.errors import DomainError
from opsdept.facts import once, rows
from opsdept.models import Employee
from opsdept.chat import post_event
from opsdept.notify import Message, department_language, key_for, mark_read, notify, notify_many

from . import policy, selectors
from .models import (
    MONEY_KINDS, PUBLIC_KINDS, FlagExplanation, Appeal, CampaignMiss, DisciplineSettings, Flag, Kind, PolicyAcknowledgement, PolicyVersion, Record, Rule,
)

NOTICE_EVENT = "discipline.notice"

# Rule 2 (二、部门奖惩条例 2): only when a campaign missed its effect more than three times.
CAMPAIGN_MISSED = "campaign-missed"
CAMPAIGN_MISSES_NEEDED = 4


class DisciplineError(DomainError):
    pass


@dataclass(frozen=True)
class Finding:
    """One thing a nightly check found: `employee` broke `rule_code` on `day`.

    `employee` may be the employee's id: a check that reads ids (thousands of people, most already
    flagged on a rerun) leaves `raise_flags` to load only the people it flags now, in one query.
    """

    employee: Employee | int
    day: date
    rule_code: str
    details: str = ""
    source: str = ""

    @property
    def employee_id(self) -> int:
        return self.employee if isinstance(self.employee, int) else self.employee.pk

    @property
    def key(self) -> tuple[int, date, str]:
        return (self.employee_id, self.day, self.rule_code)


@dataclass
class Raised:
    """What `raise_flags` did: the flags it created now, and how many findings it was given (distinct).

    `created` builds the Flag instances when asked (`raise_flag` does); a nightly check counts them
    with `len(raised)` and the worst night builds none.
    """

    inserted: list[tuple[int, Finding]]
    findings: int
    rules: dict[str, Rule] = dataclass_field(default_factory=dict)
    raised_at: datetime | None = None

    def __len__(self) -> int:
        return len(self.inserted)

    @cached_property
    def created(self) -> list[Flag]:
        flags = []
        for pk, finding in self.inserted:
            flag = Flag(pk=pk, employee_id=finding.employee_id, date=finding.day, rule=self.rules[finding.rule_code],
                        details=finding.details, source=finding.source[:60], status=Flag.Status.OPEN,
                        raised_at=self.raised_at)
            if isinstance(finding.employee, Employee):
                flag.employee = finding.employee
            flag._state.adding, flag._state.db = False, connection.alias
            flags.append(flag)
        return flags


# The flag columns `raise_flags` writes: every column (no model instance, no default applies).
_FLAG_INSERT_FIELDS = ("employee_id", "date", "rule_id", "details", "source", "status", "raised_at",
                       "decided_by_id", "decided_at", "decision_note", "escalated_to_id", "escalated_at")
# Up to this many employees the existing flags are looked up by the whole unique key; beyond, by date and rule.
_BY_EMPLOYEE_UP_TO = 500


@dataclass(frozen=True)
class _Person:
    """What telling a flagged employee needs (a recipient for `notify_many`, a name for the audit trail)."""

    pk: int
    name: str
    email: str
    user_id: int | None


def _people(findings: list[Finding]) -> dict[int, _Person]:
    """The flagged people: those the findings carry, the others read in one query (four columns)."""
    people = {finding.employee.pk: _Person(finding.employee.pk, finding.employee.name, finding.employee.email,
                                           finding.employee.user_id)
              for finding in findings if isinstance(finding.employee, Employee)}
    wanted = {finding.employee for finding in findings if isinstance(finding.employee, int)} - set(people)
    if wanted:
        people.update((pk, _Person(pk, name, email, user_id)) for pk, name, email, user_id
                      in Employee.objects.filter(pk__any=wanted).values_list("pk", "name", "email", "user_id"))
    return people


def flag_facts() -> list[object]:
    """What `raise_flags` reads besides the flags it writes, for a nightly check's facts (opsdept.facts): the rules."""
    return once("discipline.rules", lambda: [rows(Rule.objects.all())])


def raise_flags(findings: Iterable[Finding]) -> Raised:
    """Raise a flag for each finding that has none yet; return the flags created now. Safe to call twice.

    A constant number of queries whatever the number of findings (per thousand new flags, four
    INSERTs): the rules by code once, the existing flags of the findings' dates and rules once by
    the unique key, the people flagged now once, then the new flags, their audit events and the
    employees' notifications (and mails) in bulk, written as plain rows (`opsdept.bulk`).
    The unique constraint (employee, date, rule) stays the guard against a concurrent run: the
    INSERT skips a row another run wrote since we looked (ON CONFLICT DO NOTHING) and returns only
    the rows really inserted, so only those get an audit event and a notification.
    """
    unique: dict[tuple[int, date, str], Finding] = {}
    for finding in findings:
        unique.setdefault(finding.key, finding)
    if not unique:
        return Raised([], 0)
    codes = {code for _pk, _day, code in unique}
    rules = {rule.code: rule for rule in Rule.objects.filter(code__in=codes)}
    for code in codes - set(rules):
        raise Rule.DoesNotExist(f"No rule with the code {code!r}.")
    rule_codes = {rule.pk: code for code, rule in rules.items()}
    # Served by discipline_flag_date_rule (see its migration): the night's date is rarely in the
    # planner's statistics yet, and this reads every flag of those dates and rules in one go.
    looked_up = Flag.objects.order_by().filter(date__in={day for _pk, day, _code in unique}, rule_id__any=rule_codes)
    employee_ids = {pk for pk, _day, _code in unique}
    if len(employee_ids) <= _BY_EMPLOYEE_UP_TO:  # a few people (one reconciled day): by the unique key itself
        looked_up = looked_up.filter(employee_id__any=employee_ids)
    else:
        # Many (a chunk of the worst night): the chunk's id range, not every flag of the date and rules, or each
        # chunk of a night would read again the flags the chunks before it raised.
        looked_up = looked_up.filter(of_chunk("employee_id", list(employee_ids)))
    existing = {(employee_id, day, rule_codes[rule_id])
                for employee_id, day, rule_id in looked_up.values_list("employee_id", "date", "rule_id")}
    missing = [finding for key, finding in unique.items() if key not in existing]
    if not missing:
        return Raised([], len(unique), rules)
    people = _people(missing)
    now = timezone.now()
    with transaction.atomic():
        inserted = _insert_flags(missing, rules, now)
        titles = {code: rule.display_title for code, rule in rules.items()}
        audit.record_system_batch(audit.Action.FLAG_RAISED, Flag, (
            (pk, Flag.describe(people[finding.employee_id].name, finding.day, titles[finding.rule_code]),
             {"rule": finding.rule_code, "date": finding.day}, finding.details)
            for pk, finding in inserted))
        _tell_flagged_employees(inserted, rules, people, now)
    return Raised(inserted, len(unique), rules, now)


def _insert_flags(findings: list[Finding], rules: dict[str, Rule], now: datetime) -> list[tuple[int, Finding]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the flags this call really inserted, with their ids.

    Django's `bulk_create(ignore_conflicts=True)` cannot say which rows were inserted, and
    `update_conflicts` would rewrite a concurrent run's rows. PostgreSQL and SQLite (3.35+) both
    speak this statement; the returned key, not the position, matches a row to its finding.
    `raised_at` is auto_now_add: one moment for the batch.
    """
    pending = {(finding.employee_id, finding.day, rules[finding.rule_code].pk): finding for finding in findings}
    rows = [(employee_id, day, rule_id, finding.details, finding.source[:60], Flag.Status.OPEN.value, now,
             None, None, "", None, None) for (employee_id, day, rule_id), finding in pending.items()]
    returned = insert_rows(Flag, _FLAG_INSERT_FIELDS, rows, returning=("id", "employee_id", "date", "rule_id"),
                           skip_conflicts=True)
    return [(pk, pending[(employee_id, day if isinstance(day, date) else date.fromisoformat(day), rule_id)])
            for pk, employee_id, day, rule_id in returned]


def raise_flag(employee: Employee, *, day: date, rule_code: str, details: str = "", source: str = "") -> tuple[Flag, bool]:
    """Raise a flag for `employee` on `day` under a rule; return (flag, created). Safe to call twice."""
    raised = raise_flags([Finding(employee, day, rule_code, details, source)])
    if raised.created:
        return raised.created[0], True
    # Flagged before (or by a concurrent run between our look and our write).
    return Flag.objects.order_by().get(employee=employee, date=day, rule__code=rule_code), False


@transaction.atomic
def dismiss_flag(flag_id: int, *, actor: AbstractBaseUser, reason: str) -> Flag:
    """Dismiss an open flag with a reason (a business trip, a system fault…)."""
    flag = Flag.objects.select_for_update().select_related("employee").get(pk=flag_id)
    permissions.require(actor, "flag.review", flag)
    if flag.status != Flag.Status.OPEN:
        raise DisciplineError(_("This flag has already been reviewed."))
    if not reason.strip():
        raise DisciplineError(_("Give a reason for dismissing the flag."), field="reason")
    flag.status = Flag.Status.DISMISSED
    flag.decided_by = permissions.employee_of(actor)
    flag.decided_at = timezone.now()
    flag.decision_note = reason.strip()
    flag.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, audit.Action.FLAG_DISMISSED, flag, changes={"status": ["open", "dismissed"]}, note=flag.decision_note)
    mark_read(key_for(flag))
    return flag


@transaction.atomic
def resolve_flag(flag_id: int, *, actor: AbstractBaseUser | None, note: str) -> Flag:
    """Close an open flag because its cause went away (leave approved afterwards, a correction…)."""
    flag = Flag.objects.select_for_update().get(pk=flag_id)
    if flag.status != Flag.Status.OPEN:
        return flag
    flag.status = Flag.Status.RESOLVED
    flag.decided_by = permissions.employee_of(actor)
    flag.decided_at = timezone.now()
    flag.decision_note = note
    flag.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, audit.Action.FLAG_RESOLVED, flag, changes={"status": ["open", "resolved"]}, note=note)
    return flag


def reconcile_flags(employee: Employee, *, day: date, shown: dict[str, str], codes: Iterable[str],
                    raise_new: bool, actor: AbstractBaseUser | None, note: str, source: str) -> tuple[int, int]:
    """Bring `employee`'s flags on `day` under the rules `codes` in line with what the day now shows.

    `shown` is {rule code: details} of the findings that stand. An open flag whose code is no longer
    shown is resolved (its cause went away); when `raise_new`, a shown finding gets its flag, and one
    the system resolved before (leave that was later ended early) opens again. Flags a person
    reviewed (dismissed, penalised) are never touched. Returns (raised or reopened, resolved).
    """
    codes = set(codes)
    flags = {flag.rule.code: flag for flag in Flag.objects.select_for_update()
             .filter(employee=employee, date=day, rule__code__in=codes).select_related("rule")}
    raised = resolved = 0
    for code in codes:
        flag = flags.get(code)
        if code not in shown:
            if flag is not None and flag.status == Flag.Status.OPEN:
                resolve_flag(flag.pk, actor=actor, note=note)
                resolved += 1
        elif raise_new:
            if flag is None:
                raised += int(raise_flag(employee, day=day, rule_code=code, details=shown[code], source=source)[1])
            elif flag.status == Flag.Status.RESOLVED:  # resolved because its cause went away, which is back
                _reopen_flag(flag, details=shown[code], note=note)
                raised += 1
    return raised, resolved


def _reopen_flag(flag: Flag, *, details: str, note: str) -> None:
    before = flag.status
    flag.status, flag.details, flag.decided_by, flag.decided_at, flag.decision_note = Flag.Status.OPEN, details, None, None, ""
    flag.save(update_fields=["status", "details", "decided_by", "decided_at", "decision_note"])
    audit.record(None, audit.Action.FLAG_RAISED, flag, changes={"status": [before, Flag.Status.OPEN]}, note=note)


# ---------------------------------------------------------------- records

def check_amount(rule: Rule, kind: str, amount: object) -> Decimal | None:
    """Return the amount as Decimal yuan if `kind` under `rule` allows it, else raise on the amount field.

    Money kinds (奖金, 扣除奖金, 罚款) need an amount within the rule's range, inclusive;
    the other kinds take none.
    """
    if kind not in MONEY_KINDS:
        if amount not in (None, ""):
            raise DisciplineError(_("This kind of record takes no amount."), field="amount")
        return None
    if amount in (None, ""):
        raise DisciplineError(_("Give an amount in yuan for this kind of record."), field="amount")
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except InvalidOperation:
        raise DisciplineError(_("Enter the amount as a number of yuan."), field="amount") from None
    if not value.is_finite():
        raise DisciplineError(_("Enter the amount as a number of yuan."), field="amount")
    if value <= 0:
        raise DisciplineError(_("The amount must be more than zero."), field="amount")
    if value.as_tuple().exponent < -2:
        raise DisciplineError(_("The amount can have at most two decimals (fen)."), field="amount")
    value = value.quantize(Decimal("0.01"))
    if rule.min_amount is None or rule.max_amount is None:
        raise DisciplineError(_("This rule has no amount range; HR sets one before money can be given under it."), field="amount")
    if not rule.min_amount <= value <= rule.max_amount:
        raise DisciplineError(
            _("The amount must be between ¥%(low)s and ¥%(high)s under this rule.") % {"low": rule.min_amount, "high": rule.max_amount},
            field="amount",
        )
    return value


def issue_record(
    employee_id: int, *, actor: AbstractBaseUser, rule_id: int, kind: str, amount: object = None, evidence: str,
    token: uuid.UUID | str, flag_id: int | None = None,
) -> tuple[Record, bool]:
    """Issue a reward or a penalty; return (record, created). The same `token` twice gives the first record."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise DisciplineError(_("The form expired; open it again.")) from None
    existing = Record.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _issue_record(employee_id, actor=actor, rule_id=rule_id, kind=kind, amount=amount,
                                 evidence=evidence, token=token, flag_id=flag_id), True
    except IntegrityError:
        # A double submit raced us to the unique token: the first one won.
        existing = Record.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False


def _issue_record(
    employee_id: int, *, actor: AbstractBaseUser, rule_id: int, kind: str, amount: object, evidence: str,
    token: uuid.UUID, flag_id: int | None,
) -> Record:
    employee = Employee.objects.select_for_update().get(pk=employee_id)
    permissions.require(actor, "record.issue", employee)
    if not employee.is_active:
        raise DisciplineError(_("%(name)s is no longer active.") % {"name": employee.name})
    rule = Rule.objects.filter(pk=rule_id).first()
    if rule is None or not rule.is_active:
        raise DisciplineError(_("Choose an active rule."), field="rule")
    if kind not in Kind.values or kind not in rule.allowed_kinds:
        raise DisciplineError(_("This rule does not allow that kind of record."), field="kind")
    value = check_amount(rule, kind, amount)
    if not evidence.strip():
        raise DisciplineError(_("Give the evidence the record rests on."), field="evidence")
    flag = None
    if flag_id is not None:
        flag = Flag.objects.select_for_update().get(pk=flag_id)
        if flag.employee_id != employee.pk:
            raise DisciplineError(_("The flag is about someone else."))
        if flag.status != Flag.Status.OPEN:
            raise DisciplineError(_("This flag has already been reviewed."))
    misses = []
    if rule.code == CAMPAIGN_MISSED:
        misses = list(CampaignMiss.objects.select_for_update().filter(employee=employee, penalised_by__isnull=True))
        if len(misses) < CAMPAIGN_MISSES_NEEDED:
            raise DisciplineError(
                _("Rule 2 needs more than three recorded campaign misses for this project lead; %(count)s are on the register.")
                % {"count": len(misses)},
                field="rule",
            )
    record = Record.objects.create(
        employee=employee, rule=rule, kind=kind, amount=value, evidence=evidence.strip(), issued_by=permissions.employee_of(actor),
        effective_on=timezone.localdate(), source_flag=flag, token=token,
    )
    if misses:
        CampaignMiss.objects.filter(pk__in=[miss.pk for miss in misses]).update(penalised_by=record)
    if flag is not None:
        flag.status = Flag.Status.PENALISED
        flag.decided_by = permissions.employee_of(actor)
        flag.decided_at = timezone.now()
        with department_language():
            flag.decision_note = _("Turned into a record.")
        flag.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(actor, audit.Action.FLAG_PENALISED, flag, changes={"status": ["open", "penalised"], "record": record.pk})
        mark_read(key_for(flag))
    audit.record(actor, audit.Action.RECORD_ISSUED, record, changes={
        "employee": employee.pk, "rule": rule.code, "kind": kind, "amount": value, "flag": flag_id,
    }, note=record.evidence)
    url = reverse("discipline:record_detail", kwargs={"pk": record.pk})
    with department_language():
        subject = Message(gettext_lazy("New record: %(kind)s under “%(rule)s”"), **{"kind": record.get_kind_display, "rule": lambda: rule.display_title})
        notify(employee, subject=subject, body=record.evidence, url=url)
    if kind in PUBLIC_KINDS:  # 通报: also to the group robots HR pointed this event at
        with department_language():
            post_event(NOTICE_EVENT,
                       text=_("New notice on the board: %(kind)s under “%(rule)s”") % {
                           "kind": record.get_kind_display(), "rule": rule.display_title},
                       personal_text=_("New notice on the board: %(kind)s for %(name)s under “%(rule)s”") % {
                           "kind": record.get_kind_display(), "name": employee.name, "rule": rule.display_title})
    return record


def _reverse(original: Record, *, actor: AbstractBaseUser, evidence: str) -> Record:
    """Write the reversing record of `original` (the caller holds the lock)."""
    if original.reverses_id is not None:
        raise DisciplineError(_("A reversal cannot itself be reversed."))
    if Record.objects.filter(reverses=original).exists():
        raise DisciplineError(_("This record has already been reversed."))
    return Record.objects.create(
        employee=original.employee, rule=original.rule, kind=original.kind,
        amount=-original.amount if original.amount is not None else None,
        evidence=evidence, issued_by=permissions.employee_of(actor), effective_on=original.effective_on, reverses=original, token=uuid.uuid4(),
    )


@transaction.atomic
def reverse_record(record_id: int, *, actor: AbstractBaseUser, reason: str) -> Record:
    """Correct a record by a new reversing record (records are never edited or deleted)."""
    original = Record.objects.select_for_update().select_related("employee", "rule").get(pk=record_id)
    permissions.require(actor, "record.reverse", original)
    if not reason.strip():
        raise DisciplineError(_("Give a reason for the correction."), field="reason")
    if Appeal.objects.filter(record=original, status=Appeal.Status.PENDING).exists():
        raise DisciplineError(_("An appeal against this record is pending; the manager decides it."))
    reversal = _reverse(original, actor=actor, evidence=reason.strip())
    audit.record(actor, audit.Action.RECORD_REVERSED, original, changes={"reversal": reversal.pk}, note=reason.strip())
    notify(original.employee, subject=gettext_lazy("A record about you was withdrawn"), body=reason.strip(),
           url=reverse("discipline:record_detail", kwargs={"pk": original.pk}))
    return reversal


@transaction.atomic
def record_campaign_miss(employee_id: int, *, actor: AbstractBaseUser, campaign: str, day: date, note: str = "") -> CampaignMiss:
    """Note that a campaign led by `employee` missed its expected effect (for rule 2)."""
    employee = Employee.objects.get(pk=employee_id)
    permissions.require(actor, "campaign_miss.record", employee)
    if not campaign.strip():
        raise DisciplineError(_("Name the campaign."), field="campaign")
    if day > timezone.localdate():
        raise DisciplineError(_("The date cannot be in the future."), field="date")
    bounds.check_date(day, kind=bounds.Kind.PAST, employee=employee)
    miss = CampaignMiss.objects.create(employee=employee, campaign=campaign.strip(), date=day, note=note.strip(), recorded_by=permissions.employee_of(actor))
    audit.record(actor, audit.Action.CAMPAIGN_MISS_RECORDED, miss, changes={"employee": employee.pk, "campaign": miss.campaign, "date": day})
    return miss


# ---------------------------------------------------------------- appeals (申诉)

@transaction.atomic
def file_appeal(record_id: int, *, actor: AbstractBaseUser, reason: str) -> Appeal:
    """The employee appeals a record once, within the window HR sets (七、违纪处理与申诉机制 2)."""
    record = Record.objects.select_for_update().select_related("employee", "rule").get(pk=record_id)
    permissions.require(actor, "record.appeal", record)
    if record.reverses_id is not None or record.replaces_id is not None:
        raise DisciplineError(_("This record already results from a correction or an appeal."))
    if Appeal.objects.filter(record=record).exists():
        raise DisciplineError(_("You have already appealed this record."))
    if Record.objects.filter(reverses=record).exists():
        raise DisciplineError(_("This record has been withdrawn; there is nothing to appeal."))
    if timezone.localdate() > selectors.appeal_deadline(record):
        raise DisciplineError(_("The appeal window closed on %(day)s.") % {"day": selectors.appeal_deadline(record).isoformat()})
    if not reason.strip():
        raise DisciplineError(_("Give the reason for your appeal."), field="reason")
    appeal = Appeal.objects.create(record=record, employee=record.employee, reason=reason.strip())
    audit.record(actor, audit.Action.APPEAL_FILED, appeal, changes={"record": record.pk}, note=appeal.reason)
    url = reverse("discipline:appeal_detail", kwargs={"pk": appeal.pk})
    with department_language():
        subject = Message(gettext_lazy("%(name)s appealed a record"), **{"name": record.employee.name})
    for decider in appeal_deciders(record.employee):
        notify(decider, subject=subject, body=appeal.reason, url=url, key=key_for(appeal))
    return appeal


def appeal_deciders(employee: Employee) -> list[Employee]:
    """Who decides `employee`'s appeal: the manager (their deputy while away); the manager's own, HR
    (or whom HR names) — never nobody."""
    decider, _away = permissions.routed(permissions.appeal_approver(employee), employee)
    return [decider] if decider is not None else []


def describe_appeal(appeal: Appeal) -> str:
    """The appeal in a sentence (registries.escalations)."""
    return _("%(name)s's appeal against %(record)s") % {"name": appeal.employee.name, "record": appeal.record}


def _yuan(amount: Decimal) -> str:
    text = f"{amount:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def appeal_outcome_text(appeal: Appeal, record: Record) -> Message:
    """The decision notice's subject, stating the outcome (申诉已裁决：罚款由 ¥50 减为 ¥20)."""
    kind = record.get_kind_display  # in the reader's language
    if appeal.status == Appeal.Status.REDUCED:
        return Message(gettext_lazy("Your appeal was decided: %(kind)s reduced from ¥%(old)s to ¥%(new)s"), **{
            "kind": kind, "old": _yuan(record.amount), "new": _yuan(appeal.new_amount)})
    if appeal.status == Appeal.Status.REVOKED:
        return Message(gettext_lazy("Your appeal was decided: %(kind)s revoked"), **{"kind": kind})
    if record.amount is not None:
        return Message(gettext_lazy("Your appeal was decided: %(kind)s of ¥%(amount)s upheld"), **{"kind": kind, "amount": _yuan(record.amount)})
    return Message(gettext_lazy("Your appeal was decided: %(kind)s upheld"), **{"kind": kind})


@transaction.atomic
def decide_appeal(
    appeal_id: int, *, actor: AbstractBaseUser, outcome: str, reason: str, new_amount: object = None,
) -> Appeal:
    """The manager upholds, reduces or revokes; the original record is never edited.

    Reduce = a reversing record of the original plus a new record with the lower amount
    that `replaces` it; revoke = a reversing record.
    """
    appeal = Appeal.objects.select_for_update().select_related("employee").get(pk=appeal_id)
    permissions.require(actor, "appeal.decide", appeal)
    if appeal.status != Appeal.Status.PENDING:
        raise DisciplineError(_("This appeal has already been decided."))
    if outcome not in {Appeal.Status.UPHELD, Appeal.Status.REDUCED, Appeal.Status.REVOKED}:
        raise DisciplineError(_("Choose uphold, reduce or revoke."), field="outcome")
    if not reason.strip():
        raise DisciplineError(_("Give the reason for the decision."), field="reason")
    record = Record.objects.select_for_update().select_related("rule", "employee").get(pk=appeal.record_id)
    if Record.objects.filter(reverses=record).exists():
        raise DisciplineError(_("This record has already been reversed."))
    reason = reason.strip()
    value = None
    if outcome == Appeal.Status.REDUCED:
        if record.kind not in MONEY_KINDS:
            raise DisciplineError(_("Only an amount can be reduced; uphold or revoke this record."), field="outcome")
        value = check_amount(record.rule, record.kind, new_amount)
        if value >= record.amount:
            raise DisciplineError(_("The new amount must be lower than ¥%(amount)s.") % {"amount": record.amount}, field="new_amount")
    if outcome in {Appeal.Status.REDUCED, Appeal.Status.REVOKED}:
        with department_language():
            evidence = _("Appeal decided: %(reason)s") % {"reason": reason}
        reversal = _reverse(record, actor=actor, evidence=evidence)
        audit.record(actor, audit.Action.RECORD_REVERSED, record, changes={"reversal": reversal.pk, "appeal": appeal.pk}, note=reason)
    if outcome == Appeal.Status.REDUCED:
        with department_language():
            evidence = _("Reduced on appeal from ¥%(old)s: %(reason)s") % {"old": record.amount, "reason": reason}
        replacement = Record.objects.create(
            employee=record.employee, rule=record.rule, kind=record.kind, amount=value, evidence=evidence,
            issued_by=permissions.employee_of(actor), effective_on=record.effective_on, replaces=record, token=uuid.uuid4(),
        )
        audit.record(actor, audit.Action.RECORD_ISSUED, replacement, changes={
            "employee": record.employee_id, "rule": record.rule.code, "kind": record.kind, "amount": value,
            "replaces": record.pk,
        }, note=replacement.evidence)
    appeal.status = outcome
    appeal.decided_by = permissions.employee_of(actor)
    appeal.decided_for = approvals.decided_for(actor, appeal)  # 代理审批: "X 代 Y 审批"
    appeal.decided_at = timezone.now()
    appeal.decision_note = reason
    appeal.new_amount = value
    appeal.save(update_fields=["status", "decided_by", "decided_for", "decided_at", "decision_note", "new_amount"])
    changes = {"status": ["pending", outcome], "new_amount": value}
    if appeal.decided_for is not None:
        changes["decided_for"] = [None, appeal.decided_for.pk]
    audit.record(actor, audit.Action.APPEAL_DECIDED, appeal, changes=changes, note=reason)
    mark_read(key_for(appeal))
    with department_language():
        approvals.tell_principal(appeal, url=reverse("discipline:appeal_detail", kwargs={"pk": appeal.pk}), subject=Message(gettext_lazy(
            "%(deputy)s decided %(what)s for you: %(outcome)s"), **{
            "deputy": appeal.decided_by.name, "what": lambda: describe_appeal(appeal), "outcome": appeal.get_status_display}))
    notify(appeal.employee, subject=appeal_outcome_text(appeal, record),
           body=reason, url=reverse("discipline:appeal_detail", kwargs={"pk": appeal.pk}))
    return appeal


# ---------------------------------------------------------------- configuration (HR)

@transaction.atomic
def configure_rule(
    rule_id: int, *, actor: AbstractBaseUser, allowed_kinds: list[str], min_amount: Decimal | None,
    max_amount: Decimal | None, is_active: bool,
) -> Rule:
    """HR sets an attendance, meeting, report or duty rule.

    The five rules of 二、部门奖惩条例 are the policy's own: their kinds and ¥ ranges
    are the source of truth and are changed only by changing the policy.
    """
    rule = Rule.objects.select_for_update().get(pk=rule_id)
    permissions.require(actor, "discipline.configure", rule)
    if rule.number is not None:
        raise DisciplineError(_("The policy sets this rule's kinds and range; change the policy to change them."))
    kinds = [kind for kind in Kind.values if kind in allowed_kinds]
    if not kinds:
        raise DisciplineError(_("Allow at least one kind."), field="allowed_kinds")
    if set(kinds) & MONEY_KINDS:
        if min_amount is None or max_amount is None:
            raise DisciplineError(_("Money kinds need a minimum and a maximum."), field="min_amount")
    elif min_amount is not None or max_amount is not None:
        raise DisciplineError(_("A range only makes sense with a money kind."), field="min_amount")
    for value, field in ((min_amount, "min_amount"), (max_amount, "max_amount")):
        if value is not None and value <= 0:
            raise DisciplineError(_("The amount must be more than zero."), field=field)
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        raise DisciplineError(_("The maximum cannot be below the minimum."), field="max_amount")
    values = {"allowed_kinds": kinds, "min_amount": min_amount, "max_amount": max_amount, "is_active": is_active}
    audit.update_audited(rule, actor=actor, action=audit.Action.RULE_CONFIGURED, fields=list(values), values=values, validate=False)
    return rule


@transaction.atomic
def update_discipline_settings(*, actor: AbstractBaseUser, appeal_window_days: int,
                               flag_review_workdays: int | None = None) -> DisciplineSettings:
    permissions.require(actor, "discipline.configure")
    if appeal_window_days < 1 or appeal_window_days > 90:
        raise DisciplineError(_("The appeal window is between 1 and 90 days."), field="appeal_window_days")
    if flag_review_workdays is not None and not 1 <= flag_review_workdays <= 20:
        raise DisciplineError(_("Enter a number of workdays from 1 to 20."), field="flag_review_workdays")
    current = DisciplineSettings.current()
    found = DisciplineSettings.objects.select_for_update().get(pk=current.pk)
    values = {"appeal_window_days": appeal_window_days}
    if flag_review_workdays is not None:
        values["flag_review_workdays"] = flag_review_workdays
    audit.update_audited(found, actor=actor, action=audit.Action.DISCIPLINE_SETTINGS_CHANGED,
                         fields=["appeal_window_days", "flag_review_workdays"], values=values, validate=False)
    return found


# ---------------------------------------------------------------- the policy handbook

@transaction.atomic
def publish_policy_version(*, actor: AbstractBaseUser, label: str, note: str = "") -> PolicyVersion:
    """HR publishes the shipped handbook text as a version everyone acknowledges."""
    permissions.require(actor, "policy.publish")
    label = label.strip()
    if not label:
        raise DisciplineError(_("Name the version."), field="label")
    if PolicyVersion.objects.filter(label=label).exists():
        raise DisciplineError(_("A version with this name already exists."), field="label")
    sha = policy.text_sha256()
    version = PolicyVersion.objects.create(label=label, note=note.strip(), text_sha256=sha, published_by=permissions.employee_of(actor))
    audit.record(actor, audit.Action.POLICY_PUBLISHED, version, changes={"label": label, "sha256": sha}, note=version.note)
    return version


@transaction.atomic
def acknowledge_policy(version_id: int, *, actor: AbstractBaseUser,
                       chapters_read: Iterable[str]) -> tuple[PolicyAcknowledgement, bool]:
    """The signed-in employee acknowledges (签收) a version once, at the end of the handbook, having ticked
    every chapter as read; return (acknowledgement, created)."""
    me = permissions.employee_of(actor)
    if me is None:
        raise DisciplineError(_("Your login is not linked to an employee record. Ask HR."))
    unread = [key for key in policy.chapter_keys() if key not in set(chapters_read)]
    if unread:
        raise DisciplineError(_("Tick each chapter as read, then sign at the end of the handbook."), field="read")
    version = PolicyVersion.objects.get(pk=version_id)
    found, created = PolicyAcknowledgement.objects.get_or_create(version=version, employee=me)
    if created:
        audit.record(actor, audit.Action.POLICY_ACKNOWLEDGED, found, changes={"version": version.label})
    return found, created


# ---------------------------------------------------------------- anomaly notices and explanations (情况说明)

EXPLANATION_WORKDAYS = 2
EXPLANATION_MAX_BYTES = 5 * 1024 * 1024
EXPLANATION_TYPES = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def explanation_deadline(flag: Flag) -> date:
    """The last day the employee may explain a flag: two workdays after it was raised."""
    return _deadline_after(timezone.localtime(flag.raised_at).date())


def _deadline_after(raised_on: date) -> date:
    return workcalendar.add_workdays(raised_on, EXPLANATION_WORKDAYS)


def _flag_url(flag: Flag) -> str:
    return reverse("discipline:flag_detail", kwargs={"pk": flag.pk})


# A pk no URL has, replaced by each flag's own: one `reverse` per batch, not per flag.
_URL_PK = 987654321


NOTICE_SUBJECT = gettext_lazy("Attendance notice for %(day)s: %(rule)s")
NOTICE_BODY = gettext_lazy("%(details)s\nYou may write an explanation by %(due)s.")


def _tell_flagged_employees(inserted: list[tuple[int, Finding]], rules: dict[str, Rule],
                            people: dict[int, "_Person"], raised_at: datetime) -> None:
    """The nightly check found something: tell each employee, who may explain before the supervisor decides.

    Per batch, not per flag (the worst night tells thousands): one calendar look, one `reverse`, one
    title per rule; `notify_many` renders each distinct text once per language.
    """
    due = _deadline_after(timezone.localtime(raised_at).date()).isoformat()
    # rendered in each reader's language by notify_many: one title callable per rule, shared by its flags
    titles = {code: (lambda rule=rule: rule.display_title) for code, rule in rules.items()}
    url = reverse("discipline:flag_detail", kwargs={"pk": _URL_PK})
    notify_many([(people[finding.employee_id], Message(NOTICE_SUBJECT, day=finding.day.isoformat(),
                                                       rule=titles[finding.rule_code]),
                  Message(NOTICE_BODY, details=finding.details, due=due), url.replace(str(_URL_PK), str(pk)))
                 for pk, finding in inserted])


def _inspect_explanation_upload(upload) -> str:
    if upload.size > EXPLANATION_MAX_BYTES:
        raise DisciplineError(_("The attachment is larger than 5 MB."), field="attachment")
    head = upload.read(8)
    upload.seek(0)
    for magic, content_type in EXPLANATION_TYPES.items():
        if head.startswith(magic):
            return content_type
    raise DisciplineError(_("Attach a PDF, PNG or JPEG file."), field="attachment")


@transaction.atomic
def write_flag_explanation(flag_id: int, *, actor: AbstractBaseUser, text: str, attachment=None) -> FlagExplanation:
    """The flagged employee explains (情况说明) within two workdays, once, before the review."""
    flag = Flag.objects.select_for_update().select_related("employee", "rule").get(pk=flag_id)
    permissions.require(actor, "flag.explain", flag)
    if flag.status != Flag.Status.OPEN:
        raise DisciplineError(_("This flag has already been reviewed."))
    if FlagExplanation.objects.filter(flag=flag).exists():
        raise DisciplineError(_("You have already explained this flag."))
    if timezone.localdate() > explanation_deadline(flag):
        raise DisciplineError(_("The time to explain closed on %(day)s.") % {"day": explanation_deadline(flag).isoformat()})
    if not text.strip():
        raise DisciplineError(_("Say what happened."), field="text")
    content_type = _inspect_explanation_upload(attachment) if attachment else ""
    explanation = FlagExplanation(flag=flag, text=text.strip(), written_by=flag.employee, content_type=content_type,
                                  original_name=bounds.upload_name(attachment.name) if attachment else "")
    if attachment:
        explanation.file.save(attachment.name or "upload", attachment, save=False)
    explanation.save()
    audit.record(actor, audit.Action.FLAG_EXPLAINED, flag, changes={"explanation": explanation.pk}, note=explanation.text)
    reviewers = {person.pk: person for person in (permissions.approver_for(flag.employee), flag.escalated_to) if person}
    with department_language():
        for reviewer in reviewers.values():
            notify(reviewer, subject=Message(gettext_lazy("%(name)s explained the flag of %(day)s"), **{
                "name": flag.employee.name, "day": flag.date.isoformat()}),
                body=explanation.text, url=_flag_url(flag), key=key_for(flag))
    return explanation


@transaction.atomic
def accept_flag_explanation(flag_id: int, *, actor: AbstractBaseUser) -> Flag:
    """Dismiss the flag with the employee's explanation accepted: one click."""
    explanation = FlagExplanation.objects.select_related("flag").filter(flag_id=flag_id).first()
    if explanation is None:
        raise DisciplineError(_("There is no explanation to accept."))
    with department_language():
        reason = _("Explanation accepted: %(text)s") % {"text": explanation.text}
    flag = dismiss_flag(flag_id, actor=actor, reason=reason)
    notify(flag.employee, subject=Message(gettext_lazy("Your explanation for %(day)s was accepted; the flag is dismissed"), **{
        "day": flag.date.isoformat()}), url=_flag_url(flag))
    return flag


@transaction.atomic
def escalate_flag(flag_id: int, *, today: date | None = None) -> Employee | None:
    """A flag left unreviewed for HR's number of workdays goes to the supervisor's supervisor (system action)."""
    today = today or timezone.localdate()
    flag = Flag.objects.select_for_update().select_related("employee", "rule").get(pk=flag_id)
    if flag.status != Flag.Status.OPEN or flag.escalated_to_id is not None:
        return None
    limit = DisciplineSettings.current().flag_review_workdays
    if workcalendar.add_workdays(timezone.localtime(flag.raised_at).date(), limit) >= today:
        return None
    reviewer = permissions.approver_for(flag.employee)
    target = permissions.next_up(reviewer, flag.employee) if reviewer is not None else None
    if target is None:
        return None
    flag.escalated_to, flag.escalated_at = target, timezone.now()
    flag.save(update_fields=["escalated_to", "escalated_at"])
    audit.record(None, audit.Action.FLAG_ESCALATED, flag, changes={"escalated_to": [None, target.pk]})
    params = {"name": flag.employee.name, "day": flag.date.isoformat(), "rule": lambda: flag.rule.display_title,
              "from": reviewer.name, "to": target.name}
    notify(target, subject=Message(gettext_lazy("Unreviewed flag escalated to you: %(name)s, %(day)s, %(rule)s (with %(from)s)"), **params),
           url=_flag_url(flag), key=key_for(flag))
    notify(reviewer, subject=Message(gettext_lazy("The flag of %(name)s for %(day)s went to %(to)s unreviewed"), **params),
           url=_flag_url(flag), key=key_for(flag))
    return target


def escalate_unreviewed_flags(today: date | None = None) -> int:
    """The beat task's body: every open flag left too long, one transaction each."""
    moved = 0
    for pk in Flag.objects.filter(status=Flag.Status.OPEN, escalated_to__isnull=True).values_list("pk", flat=True):
        moved += escalate_flag(pk, today=today) is not None
    return moved
