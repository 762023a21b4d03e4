"""duty: every state change — periods, rosters, swaps, the duty log and the comp time it earns.

Each service is one transaction that locks what it changes, checks permission, raises
DutyError (translated, on a form field where it names one) and audits; notifications go
out after the commit (`opsdept.notify`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from attendance.comptime import credit_comp_time
from attendance.selectors import punches_by_day
from opsdept import audit, permissions, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Employee, WorkSchedule
from opsdept.chat import post_event
from opsdept.notify import Message, department_language, notify

from . import selectors
from .models import DutyAssignment, DutyDay, DutyLog, DutyPeriod, DutyRoster, DutyShift, DutySwap

ROSTER_EVENT = "duty.roster"  # registries.chat_events

# A roster covers at most this many days (the longest holiday, 春节, is 8–9 days; 双十一 a week).
MAX_PERIOD_DAYS = 31
FIRST_YEAR, LAST_YEAR = 2004, 2100


class DutyError(DomainError):
    pass


def _me(actor: AbstractBaseUser) -> Employee:
    employee = permissions.employee_of(actor)
    if employee is None:
        raise DutyError(_("Your login is not linked to an employee record. Ask HR."))
    return employee


def _check_dates(start: date, end: date) -> None:
    if not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
        raise DutyError(_("Choose dates between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, field="start_date")
    if end < start:
        raise DutyError(_("The last day cannot be before the first."), field="end_date")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise DutyError(_("A duty period covers at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}, field="end_date")


def _roster_url(roster: DutyRoster) -> str:
    return reverse("duty:roster_detail", args=[roster.pk])


# ---------------------------------------------------------------- periods (HR)

@transaction.atomic
def declare_duty_period(*, actor: AbstractBaseUser, name: str, start_date: date, end_date: date) -> DutyPeriod:
    """HR declares a duty period that is not a holiday (a promotion weekend, 双十一)."""
    permissions.require(actor, "duty.manage_periods")
    _check_dates(start_date, end_date)
    if not name.strip():
        raise DutyError(_("Give the period a name."), field="name")
    if DutyPeriod.objects.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
        raise DutyError(_("These dates overlap a duty period that already exists."), field="start_date")
    period = DutyPeriod.objects.create(name=name.strip()[:100], start_date=start_date, end_date=end_date,
                                       is_declared=True, created_by=_me(actor))
    audit.record(actor, audit.Action.DUTY_PERIOD_DECLARED, period, changes={"start": start_date, "end": end_date})
    return period


def _period_for(start_date: date, end_date: date, actor: AbstractBaseUser) -> DutyPeriod:
    """The stored period for these dates; a holiday run from the calendar is stored on first use."""
    existing = DutyPeriod.objects.select_for_update().filter(start_date=start_date, end_date=end_date).first()
    if existing is not None:
        return existing
    holiday = selectors.matching_holiday_period(start_date, end_date)
    if holiday is None:
        raise DutyError(_("These dates are not a holiday in the work calendar; HR can declare a duty period for them."),
                        field="start_date")
    return DutyPeriod.objects.create(name=holiday.name[:100], start_date=start_date, end_date=end_date, created_by=_me(actor))


@transaction.atomic
def set_duty_compensation(*, actor: AbstractBaseUser, start_date: date, end_date: date,
                          compensation: str, pay_rate: Decimal) -> DutyPeriod:
    """HR chooses whether a period's duty earns comp time (调休) or is paid, and the pay rate."""
    permissions.require(actor, "duty.manage_periods")
    _check_dates(start_date, end_date)
    period = _period_for(start_date, end_date, actor)
    if compensation not in DutyPeriod.Compensation.values:
        raise DutyError(_("Choose comp time or pay."), field="compensation")
    try:
        rate = Decimal(str(pay_rate))
    except InvalidOperation as error:
        raise DutyError(_("Enter a pay rate between 1 and 5."), field="pay_rate") from error
    if not Decimal("1") <= rate <= Decimal("5"):
        raise DutyError(_("Enter a pay rate between 1 and 5."), field="pay_rate")
    audit.update_audited(period, actor=actor, action=audit.Action.DUTY_COMPENSATION_SET,
                         fields=["compensation", "pay_rate"], values={"compensation": compensation, "pay_rate": rate})
    return period


# ---------------------------------------------------------------- rosters

@transaction.atomic
def start_duty_roster(*, actor: AbstractBaseUser, start_date: date, end_date: date) -> DutyRoster:
    """Start a draft roster for a period: one day per date, each with one all-day shift."""
    permissions.require(actor, "duty.arrange")
    me = _me(actor)
    _check_dates(start_date, end_date)
    period = _period_for(start_date, end_date, actor)
    if not period.is_declared:
        # 节假日值班: only rest days need holiday duty; HR declares anything else.
        workdays = workcalendar.workdays_between(start_date, end_date)
        if workdays:
            raise DutyError(_("%(day)s is a workday: a holiday roster covers rest days only, unless HR declares the period.")
                            % {"day": workdays[0]}, field="start_date")
    if DutyRoster.objects.filter(period=period, owner=me).exists():
        raise DutyError(_("You already have a roster for this period."))
    roster = DutyRoster.objects.create(period=period, owner=me)
    schedule = WorkSchedule.current()
    for day in period.days:
        duty_day = DutyDay.objects.create(roster=roster, date=day)
        DutyShift.objects.create(day=duty_day, start_time=schedule.start_time, end_time=schedule.end_time)
    audit.record(actor, audit.Action.DUTY_ROSTER_CREATED, roster, changes={"period": period.pk})
    return roster


@dataclass
class ShiftPlan:
    """One shift of a day as the supervisor sets it: its times and the people on it (id → phone)."""

    start_time: time
    end_time: time
    people: dict[int, str] = field(default_factory=dict)


def _lock_draft(roster_id: int, actor: AbstractBaseUser) -> DutyRoster:
    roster = DutyRoster.objects.select_for_update().select_related("period", "owner").get(pk=roster_id)
    permissions.require(actor, "duty.arrange", roster)
    if roster.is_published:
        raise DutyError(_("This roster is published: a shift now changes hands only through an approved swap."))
    return roster


def _check_people(roster: DutyRoster, day: date, people_ids: set[int]) -> dict[int, Employee]:
    team = {person.pk: person for person in selectors.roster_team(roster.owner)}
    found = {person.pk: person for person in Employee.objects.filter(pk__in=people_ids)}
    for pk in people_ids:
        person = found.get(pk)
        if person is None or not person.is_active:
            raise DutyError(_("%(name)s is not an active employee.") % {"name": person.name if person else pk}, field="people")
        if pk not in team:
            raise DutyError(_("%(name)s is not in this roster's team.") % {"name": person.name}, field="people")
    away = selectors.leave_on_days(people_ids, [day])
    for pk, _day in sorted(away):
        raise DutyError(_("%(name)s is on approved leave on %(day)s.") % {"name": found[pk].name, "day": day}, field="people")
    return found


@transaction.atomic
def set_duty_day(day_id: int, *, actor: AbstractBaseUser, responsible_id: int | None, shifts: Sequence[ShiftPlan]) -> DutyDay:
    """Set a draft day's shifts, the people on them with their phones, and its one responsible person."""
    duty_day = DutyDay.objects.select_related("roster").get(pk=day_id)
    roster = _lock_draft(duty_day.roster_id, actor)
    if not shifts:
        raise DutyError(_("A duty day needs at least one shift."), field="shifts")
    for plan in shifts:
        if plan.end_time <= plan.start_time:
            raise DutyError(_("A shift must end after it starts."), field="shifts")
        if not plan.people:
            raise DutyError(_("Put at least one person on each shift."), field="people")
    everyone = {pk for plan in shifts for pk in plan.people}
    found = _check_people(roster, duty_day.date, everyone)
    if responsible_id is None:
        raise DutyError(_("Choose the person in charge (值班负责人) for %(day)s.") % {"day": duty_day.date}, field="responsible")
    if responsible_id not in everyone:
        raise DutyError(_("The person in charge must be on one of the day's shifts."), field="responsible")
    before = {"responsible": duty_day.responsible_id, "shifts": _shift_summary(duty_day)}
    # Draft days are rewritten whole: a draft's shifts were never published, so there is no history to keep.
    DutyAssignment.objects.filter(shift__day=duty_day).delete()
    DutyShift.objects.filter(day=duty_day).delete()
    for plan in shifts:
        shift = DutyShift.objects.create(day=duty_day, start_time=plan.start_time, end_time=plan.end_time)
        for pk, phone in plan.people.items():
            DutyAssignment.objects.create(shift=shift, employee_id=pk, phone=(phone or found[pk].phone).strip()[:30])
    duty_day.responsible_id = responsible_id
    duty_day.save(update_fields=["responsible"])
    after = {"responsible": responsible_id, "shifts": _shift_summary(duty_day)}
    audit.record(actor, audit.Action.DUTY_DAY_SET, duty_day,
                 changes={key: [before[key], after[key]] for key in after if before[key] != after[key]})
    return duty_day


def _shift_summary(duty_day: DutyDay) -> list[str]:
    return [f"{a.shift.start_time:%H:%M}-{a.shift.end_time:%H:%M} {a.employee_id}"
            for a in DutyAssignment.objects.filter(shift__day=duty_day, is_active=True).select_related("shift").order_by("shift__start_time", "id")]


@transaction.atomic
def fill_roster_evenly(roster_id: int, *, actor: AbstractBaseUser, per_day: int = 1) -> int:
    """Put the proposed rotation on every day that has nobody yet; return how many days were filled.

    The first person proposed for a day becomes its person in charge; the supervisor adjusts after.
    """
    roster = _lock_draft(roster_id, actor)
    proposal = selectors.propose_rotation(roster, per_day=per_day)
    filled = 0
    for duty_day in roster.days.prefetch_related("shifts").order_by("date"):
        if DutyAssignment.objects.filter(shift__day=duty_day, is_active=True).exists():
            continue
        people = proposal.by_date.get(duty_day.date) or []
        if not people:
            continue
        shift = duty_day.shifts.order_by("start_time").first()
        for person in people:
            DutyAssignment.objects.create(shift=shift, employee=person, phone=person.phone)
        duty_day.responsible = people[0]
        duty_day.save(update_fields=["responsible"])
        filled += 1
    audit.record(actor, audit.Action.DUTY_ROSTER_FILLED, roster, changes={"days_filled": filled})
    return filled


@transaction.atomic
def publish_duty_roster(roster_id: int, *, actor: AbstractBaseUser) -> DutyRoster:
    """Publish a complete roster and tell everyone on it."""
    roster = _lock_draft(roster_id, actor)
    days = selectors.roster_days(roster)
    people: dict[int, Employee] = {}
    dates_of: dict[int, list[date]] = {}
    away = selectors.leave_on_days({a.employee_id for d in days for s in d.shifts.all() for a in s.current}, [d.date for d in days])
    for duty_day in days:
        assignments = [a for shift in duty_day.shifts.all() for a in shift.current]
        if not assignments:
            raise DutyError(_("Nobody is on duty on %(day)s.") % {"day": duty_day.date})
        if duty_day.responsible_id is None or duty_day.responsible_id not in {a.employee_id for a in assignments}:
            raise DutyError(_("Choose the person in charge (值班负责人) for %(day)s.") % {"day": duty_day.date})
        for assignment in assignments:
            if not assignment.employee.is_active:
                raise DutyError(_("%(name)s is not an active employee.") % {"name": assignment.employee.name})
            if (assignment.employee_id, duty_day.date) in away:
                raise DutyError(_("%(name)s is on approved leave on %(day)s.") % {"name": assignment.employee.name, "day": duty_day.date})
            people[assignment.employee_id] = assignment.employee
            dates_of.setdefault(assignment.employee_id, []).append(duty_day.date)
    me = _me(actor)
    roster.status = DutyRoster.Status.PUBLISHED
    roster.published_by = me
    roster.published_at = timezone.now()
    roster.save(update_fields=["status", "published_by", "published_at"])
    audit.record(actor, audit.Action.DUTY_ROSTER_PUBLISHED, roster, changes={"status": ["draft", "published"]})
    with department_language():
        for pk, person in people.items():
            notify(person, subject=Message(gettext_lazy("You are on duty for %(period)s: %(days)s"), **{
                "period": roster.period.name, "days": "、".join(day.strftime("%m-%d") for day in sorted(set(dates_of[pk])))}),
                url=_roster_url(roster))
        # To the group robots HR pointed this event at; the names of those in charge only where HR allows it.
        text = _("Duty roster published: %(period)s, %(start)s to %(end)s") % {
            "period": roster.period.name, "start": days[0].date.isoformat(), "end": days[-1].date.isoformat()}
        in_charge = "\n".join(_("%(day)s in charge: %(name)s") % {"day": duty_day.date.strftime("%m-%d"),
                                                                      "name": duty_day.responsible.name} for duty_day in days)
        post_event(ROSTER_EVENT, text=text, personal_text=f"{text}\n{in_charge}")
    return roster


# ---------------------------------------------------------------- swaps (不得擅自调休)

def _lock_swap(swap_id: int) -> DutySwap:
    return (DutySwap.objects.select_for_update()
            .select_related("assignment__shift__day__roster__owner", "assignment__shift__day__roster__period",
                            "requester", "colleague").get(pk=swap_id))


def _swap_url(swap: DutySwap) -> str:
    return reverse("duty:swap_detail", args=[swap.pk])


@transaction.atomic
def request_duty_swap(assignment_id: int, *, actor: AbstractBaseUser, colleague_id: int, reason: str,
                      today: date | None = None) -> DutySwap:
    """Ask a colleague to take one's shift; nothing changes until they accept and the supervisor approves."""
    assignment = (DutyAssignment.objects.select_for_update()
                  .select_related("shift__day__roster__owner", "employee").get(pk=assignment_id))
    permissions.require(actor, "duty.swap_request", assignment)
    today = today or timezone.localdate()
    duty_day = assignment.shift.day
    if duty_day.date < today:
        raise DutyError(_("This duty day is over."))
    if colleague_id == assignment.employee_id:
        raise DutyError(_("You cannot swap a shift with yourself."), field="colleague")
    colleague = Employee.objects.filter(pk=colleague_id).first()
    team_ids = set(selectors.roster_team(duty_day.roster.owner).values_list("pk", flat=True))
    if colleague is None or not colleague.is_active or colleague.pk not in team_ids:
        raise DutyError(_("Choose an active colleague from this roster's team."), field="colleague")
    if DutyAssignment.objects.filter(shift=assignment.shift, employee=colleague, is_active=True).exists():
        raise DutyError(_("%(name)s is already on this shift.") % {"name": colleague.name}, field="colleague")
    if selectors.leave_on_days([colleague.pk], [duty_day.date]):
        raise DutyError(_("%(name)s is on approved leave on %(day)s.") % {"name": colleague.name, "day": duty_day.date}, field="colleague")
    if DutySwap.objects.filter(assignment=assignment, status="pending").exists():
        raise DutyError(_("This shift already has a swap waiting."))
    if not reason.strip():
        raise DutyError(_("Say why you ask for the swap."), field="reason")
    swap = DutySwap.objects.create(assignment=assignment, requester=assignment.employee, colleague=colleague, reason=reason.strip())
    audit.record(actor, audit.Action.DUTY_SWAP_REQUESTED, swap, changes={"colleague": colleague.pk, "date": duty_day.date}, note=swap.reason)
    notify(colleague, subject=Message(gettext_lazy("%(name)s asks you to take their duty on %(day)s"), **{
        "name": assignment.employee.name, "day": duty_day.date}), body=swap.reason, url=_swap_url(swap))
    return swap


def _require_pending(swap: DutySwap) -> None:
    if not swap.is_pending:
        raise DutyError(_("This swap has already been decided."))


@transaction.atomic
def accept_duty_swap(swap_id: int, *, actor: AbstractBaseUser) -> DutySwap:
    """The colleague agrees to take the shift; the supervisor decides next."""
    swap = _lock_swap(swap_id)
    permissions.require(actor, "duty.swap_respond", swap)
    _require_pending(swap)
    if swap.is_accepted:
        raise DutyError(_("You have already accepted this swap."))
    swap.accepted_at = timezone.now()
    swap.save(update_fields=["accepted_at"])
    audit.record(actor, audit.Action.DUTY_SWAP_ACCEPTED, swap)
    roster = swap.assignment.shift.day.roster
    for approver in _arrangers(roster, exclude={swap.requester_id, swap.colleague_id}):
        notify(approver, subject=Message(gettext_lazy("Duty swap to approve: %(from)s → %(to)s on %(day)s"), **{
            "from": swap.requester.name, "to": swap.colleague.name, "day": swap.assignment.shift.day.date}), url=_swap_url(swap))
    notify(swap.requester, subject=Message(gettext_lazy("%(name)s accepted your duty swap; it waits for the supervisor"), **{"name": swap.colleague.name}),
           url=_swap_url(swap))
    return swap


def _arrangers(roster: DutyRoster, *, exclude: set[int]) -> list[Employee]:
    """Who is told about a swap to decide: the roster's owner, else the owner's supervisor."""
    people = [roster.owner] if roster.owner_id not in exclude else []
    if not people and roster.owner.supervisor_id and roster.owner.supervisor_id not in exclude:
        people = [roster.owner.supervisor]
    return people


@transaction.atomic
def decline_duty_swap(swap_id: int, *, actor: AbstractBaseUser, note: str = "") -> DutySwap:
    swap = _lock_swap(swap_id)
    permissions.require(actor, "duty.swap_respond", swap)
    _require_pending(swap)
    if swap.is_accepted:
        raise DutyError(_("You have accepted this swap: withdraw it instead."))
    _close(swap, actor, status="rejected", note=note, action=audit.Action.DUTY_SWAP_DECLINED)
    notify(swap.requester, subject=Message(gettext_lazy("%(name)s declined your duty swap"), **{"name": swap.colleague.name}), body=note, url=_swap_url(swap))
    return swap


@transaction.atomic
def withdraw_duty_swap(swap_id: int, *, actor: AbstractBaseUser) -> DutySwap:
    """Either side withdraws before the supervisor approves."""
    swap = _lock_swap(swap_id)
    permissions.require(actor, "duty.swap_withdraw", swap)
    _require_pending(swap)
    me = _me(actor)
    swap.status = "cancelled"
    swap.withdrawn_by = me
    swap.save(update_fields=["status", "withdrawn_by"])
    audit.record(actor, audit.Action.DUTY_SWAP_WITHDRAWN, swap, changes={"status": ["pending", "cancelled"]})
    other = swap.colleague if me.pk == swap.requester_id else swap.requester
    notify(other, subject=Message(gettext_lazy("%(name)s withdrew the duty swap for %(day)s"), **{"name": me.name, "day": swap.assignment.shift.day.date}),
           url=_swap_url(swap))
    return swap


def _close(swap: DutySwap, actor: AbstractBaseUser, *, status: str, note: str, action: audit.Action) -> None:
    swap.status = status
    swap.decided_by = _me(actor)
    swap.decided_at = timezone.now()
    swap.decision_note = note.strip()
    swap.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, action, swap, changes={"status": ["pending", status]}, note=swap.decision_note)


@transaction.atomic
def approve_duty_swap(swap_id: int, *, actor: AbstractBaseUser, note: str = "") -> DutySwap:
    """The supervisor approves an accepted swap: the shift passes to the colleague; the old holder stays in the history."""
    swap = _lock_swap(swap_id)
    permissions.require(actor, "duty.swap_decide", swap)
    _require_pending(swap)
    if not swap.is_accepted:
        raise DutyError(_("The colleague has not accepted this swap yet."))
    old = DutyAssignment.objects.select_for_update().get(pk=swap.assignment_id)
    if not old.is_active:
        raise DutyError(_("This shift has already changed hands."))
    if not swap.colleague.is_active:
        raise DutyError(_("%(name)s is not an active employee.") % {"name": swap.colleague.name})
    duty_day = old.shift.day
    if selectors.leave_on_days([swap.colleague_id], [duty_day.date]):
        raise DutyError(_("%(name)s is on approved leave on %(day)s.") % {"name": swap.colleague.name, "day": duty_day.date})
    _close(swap, actor, status="approved", note=note, action=audit.Action.DUTY_SWAP_APPROVED)
    old.is_active = False
    old.ended_at = timezone.now()
    old.save(update_fields=["is_active", "ended_at"])
    DutyAssignment.objects.create(shift=old.shift, employee=swap.colleague, phone=swap.colleague.phone, via_swap=swap)
    if duty_day.responsible_id == old.employee_id and not DutyAssignment.objects.filter(
            shift__day=duty_day, employee_id=old.employee_id, is_active=True).exists():
        # The person in charge handed over their whole day: the responsibility goes with it.
        duty_day.responsible = swap.colleague
        duty_day.save(update_fields=["responsible"])
    for person in (swap.requester, swap.colleague):
        notify(person, subject=Message(gettext_lazy("Duty swap approved: %(name)s is on duty on %(day)s"), **{
            "name": swap.colleague.name, "day": duty_day.date}), url=_swap_url(swap))
    return swap


@transaction.atomic
def reject_duty_swap(swap_id: int, *, actor: AbstractBaseUser, note: str) -> DutySwap:
    swap = _lock_swap(swap_id)
    permissions.require(actor, "duty.swap_decide", swap)
    _require_pending(swap)
    if not note.strip():
        raise DutyError(_("Say why the swap is rejected."), field="note")
    _close(swap, actor, status="rejected", note=note, action=audit.Action.DUTY_SWAP_REJECTED)
    for person in (swap.requester, swap.colleague):
        notify(person, subject=Message(gettext_lazy("Duty swap rejected for %(day)s"), **{"day": swap.assignment.shift.day.date}),
               body=swap.decision_note, url=_swap_url(swap))
    return swap


# ---------------------------------------------------------------- the duty log

@transaction.atomic
def write_duty_log(day_id: int, *, actor: AbstractBaseUser, checked: str, incidents: str = "", contacts: str = "",
                   today: date | None = None) -> DutyLog:
    """The day's responsible person writes (or completes) its log, on the day or after it."""
    duty_day = DutyDay.objects.select_for_update().select_related("roster").get(pk=day_id)
    permissions.require(actor, "duty.log_write", duty_day)
    today = today or timezone.localdate()
    if duty_day.date > today:
        raise DutyError(_("A duty log is written on or after the duty day, not before."))
    if not checked.strip():
        raise DutyError(_("Say what you checked."), field="checked")
    me = _me(actor)
    values = {"checked": checked.strip(), "incidents": incidents.strip(), "contacts": contacts.strip()}
    log = DutyLog.objects.filter(day=duty_day).first()
    if log is None:
        log = DutyLog.objects.create(day=duty_day, author=me, **values)
        audit.record(actor, audit.Action.DUTY_LOG_WRITTEN, log, changes=values)
    else:
        audit.update_audited(log, actor=actor, action=audit.Action.DUTY_LOG_WRITTEN, fields=list(values), values=values)
    return log


# ---------------------------------------------------------------- comp time earned

def credit_worked_duty(day: date) -> int:
    """Credit comp time for each shift on `day` whose holder punched that day (comp-time periods only).

    One ledger line per shift holder (`source_key`), so a rerun credits nothing twice. Returns the count.
    """
    assignments = list(DutyAssignment.objects.filter(
        is_active=True, shift__day__date=day, shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__roster__period__compensation=DutyPeriod.Compensation.COMP_TIME,
    ).select_related("shift__day__roster__period", "employee"))
    if not assignments:
        return 0
    punches = punches_by_day({a.employee_id for a in assignments}, day, day)
    credited = 0
    for assignment in assignments:
        if not punches.get((assignment.employee_id, day)):
            continue
        period = assignment.shift.day.roster.period
        _entry, created = credit_comp_time(
            assignment.employee, hours=assignment.shift.hours, actor=None, source_key=f"duty.assignment:{assignment.pk}",
            earned_on=day,
            source=_("Holiday duty %(period)s %(day)s %(start)s–%(end)s") % {
                "period": period.name, "day": day, "start": f"{assignment.shift.start_time:%H:%M}",
                "end": f"{assignment.shift.end_time:%H:%M}"},
        )
        credited += created
    return credited
