"""attendance: every state change — punches, imports, corrections, overtime, settings — and the day refresh."""

from collections.abc import Iterable
import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
import io
import ipaddress

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import approvals, audit, bounds, employment, permissions, workcalendar
from opsdept.bulk import insert_rows
from opsdept.errors import DomainError
from opsdept.models import Employee
from opsdept.notify import Message, department_language, key_for, mark_read, notify

from .days import LOCAL_ZONE, local_date_of, local_moment
from .models import (FLAG_CODES, AttendanceDay, AttendanceSettings, Correction, DayChange, MonthClose, Overtime,
                     OvertimeCompensation, Punch, RequestStatus)
from . import comptime, selectors
from .confirmation import ConfirmationError, guard_locked_days

# Two taps on the button within this many seconds are one punch (a double tap, a retried request).
DOUBLE_TAP_SECONDS = 10
DAY_FIELDS = ["status", "first_in", "last_out", "punch_count", "late_minutes", "early_minutes", "leave_fraction"]


class AttendanceError(DomainError):
    pass


class ImportRejected(AttendanceError):
    """A punch file was refused whole; `problems` lists (line number, reason)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(_("The file was not imported: %(count)d problem(s).") % {"count": len(problems)}, field="file")
        self.problems = problems


# ---------------------------------------------------------------- the attendance day

def refresh_attendance_days(*, employee_ids: Iterable[int] | None, start: date, end: date) -> int:
    """Recompute the AttendanceDay rows of those employees (None: all active) from `start` to `end`.

    Only days that are over count (up to yesterday): today is still being worked. Non-workdays
    lose their row. Idempotent; a constant number of queries plus the bulk writes. Returns the
    number of rows created or changed.

    The only writer of `AttendanceDay`: one transaction that ends with a `DayChange` row per date
    whose rows it created, changed or deleted, so the whole-department tallies
    (`selectors.day_tallies`) see that date's count grow together with its days.
    """
    end = min(end, timezone.localdate() - timedelta(days=1))
    if end < start:
        return 0
    ids = None if employee_ids is None else list(employee_ids)
    results = selectors.computed_days(ids, start, end)
    existing_rows = AttendanceDay.objects.filter(date__range=(start, end))
    if ids is not None:
        existing_rows = existing_rows.filter(employee_id__any=set(ids))
    # Plain tuples, not model instances: a night at group scale reads tens of thousands of rows and
    # changes few; only a row that changed becomes an instance (for bulk_update).
    existing = {(employee_id, day): (pk, tuple(values)) for pk, employee_id, day, *values
                in existing_rows.order_by().values_list("pk", "employee_id", "date", *DAY_FIELDS)}
    to_create, to_update, keep = [], [], set()
    now = timezone.now()
    for result in results:
        key = (result.employee_id, result.date)
        keep.add(key)
        values = tuple(getattr(result, name) for name in DAY_FIELDS)
        row = existing.get(key)
        if row is None:
            to_create.append((key, values))
        elif row[1] != values:
            to_update.append(AttendanceDay(pk=row[0], employee_id=result.employee_id, date=result.date,
                                           computed_at=now, **dict(zip(DAY_FIELDS, values))))
    # Rows that no longer stand: a date that stopped being a workday (HR's calendar), or a day
    # outside an employee's tracked span (before go-live or hire, after the leave date). The
    # history of an employee deactivated without a leave date stays as it was.
    workdays = set(workcalendar.workdays_between(start, end))
    tracked = set(employment.spans(ids, start, end))
    stale = {pk: day for (employee_id, day), (pk, _values) in existing.items()
             if (employee_id, day) not in keep and (day not in workdays or employee_id in tracked)}
    changed = {key[1] for key, _values in to_create} | {row.date for row in to_update} | set(stale.values())
    with transaction.atomic():
        if stale:
            AttendanceDay.objects.filter(pk__in=list(stale)).delete()
        # A concurrent refresh (two nights, an import, a leave approval) may have created some of these
        # rows since we read: the upsert writes our values instead of failing on the unique constraint.
        # Plain rows (opsdept.bulk): a first night creates a row per employee.
        insert_rows(AttendanceDay, ["employee_id", "date", *DAY_FIELDS, "computed_at"],
                    [(*key, *values, now) for key, values in to_create],
                    update_conflicts=(["employee_id", "date"], DAY_FIELDS + ["computed_at"]))
        if to_update:
            AttendanceDay.objects.bulk_update(to_update, DAY_FIELDS + ["computed_at"], batch_size=1000)
        # Last, so a reader that counts this row also sees the days above (selectors.day_tallies).
        DayChange.objects.bulk_create([DayChange(date=day) for day in sorted(changed)])
    return len(to_create) + len(to_update)


def reconcile_days(employee: Employee, start: date, end: date, *, actor: AbstractBaseUser | None, note: str) -> tuple[int, int]:
    """Recompute `employee`'s days from `start` to `end` and bring their flags in line.

    The one path for everything that changes what a past day looks like: leave approved,
    cancelled or ended early, a correction, an import, a calendar override. Returns
    (flags raised or reopened, flags resolved).
    """
    return reconcile_many([employee.pk], start, end, actor=actor, note=note)


def reconcile_many(employee_ids: Iterable[int] | None, start: date, end: date, *,
                   actor: AbstractBaseUser | None, note: str) -> tuple[int, int]:
    """`reconcile_days` for several employees (None: everyone) in a constant number of reads plus the flags touched.

    A finding that the recomputed day no longer shows resolves its open flag. A finding it newly
    shows is flagged only on a date the nightly checks have already finished (the night flags the
    others itself), so ending leave early flags the day it uncovered.
    """
    from discipline.models import Flag
    from discipline.services import reconcile_flags
    from opsdept import nightly

    ids = None if employee_ids is None else list(employee_ids)
    if end >= start:  # a punch added (a correction, an import) may support more of a rest-day overtime taken as comp time
        comptime.sync_overtime_between(ids, start, end, actor=actor)
    end = min(end, timezone.localdate() - timedelta(days=1))
    if end < start:
        return 0, 0
    # 考勤确认: a locked month changes only by HR with a reason (refused here, inside the change's transaction).
    guard_locked_days(ids, start, end, actor=actor, reason=note)

    def findings() -> dict[tuple[int, date], dict[str, str]]:
        rows = AttendanceDay.objects.filter(date__range=(start, end)).select_related("employee")
        if ids is not None:
            rows = rows.filter(employee_id__in=ids)
        return {(row.employee_id, row.date): row.findings() for row in rows}

    before = findings()
    refresh_attendance_days(employee_ids=ids, start=start, end=end)
    after = findings()
    checked = nightly.done_dates(start, end)
    flags = Flag.objects.filter(date__range=(start, end), rule__code__in=FLAG_CODES,
                                status__in=[Flag.Status.OPEN, Flag.Status.RESOLVED])
    if ids is not None:
        flags = flags.filter(employee_id__in=ids)
    standing: dict[tuple[int, date], dict[str, str]] = {}
    for employee_id, day, code, status in flags.values_list("employee_id", "date", "rule__code", "status"):
        standing.setdefault((employee_id, day), {})[code] = status
    touched = []
    for key in set(standing) | set(after):
        shown, had = after.get(key, {}), before.get(key, {})
        flagged = standing.get(key, {})
        stale = any(status == Flag.Status.OPEN and code not in shown for code, status in flagged.items())
        new = key[1] in checked and any(code not in had for code in shown)
        if stale or new:
            touched.append(key)
    employees = Employee.objects.in_bulk({employee_id for employee_id, _day in touched})
    raised = resolved = 0
    for employee_id, day in sorted(touched):
        counts = reconcile_flags(employees[employee_id], day=day, shown=after.get((employee_id, day), {}),
                                 codes=FLAG_CODES, raise_new=day in checked, actor=actor, note=note,
                                 source="attendance.reconcile")
        raised, resolved = raised + counts[0], resolved + counts[1]
    return raised, resolved


def recompute_for_calendar_change(day: date, actor: AbstractBaseUser | None) -> None:
    """opsdept's calendar hook: an override on `day` changes who had to work that day, and which flags stand."""
    reconcile_many(None, day, day, actor=actor,
                   note=_department_text(gettext_lazy("The work calendar changed for %(date)s."), date=day.isoformat()))


def _department_text(message: Any, **values: object) -> str:
    """A note stored for later readers: in the department's language, whatever the request's."""
    with department_language():
        return str(message) % values if values else str(message)


# ---------------------------------------------------------------- punches

def _allowed_from(ip_address: str, attendance_settings: AttendanceSettings) -> bool:
    networks = attendance_settings.networks()
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return False
    return any(address in network for network in networks)


@transaction.atomic
def record_punch(*, actor: AbstractBaseUser, ip_address: str) -> tuple[Punch, bool]:
    """Clock the actor in or out now (the server's time). Return (punch, created); a double tap is one punch."""
    me = permissions.employee_of(actor)
    permissions.require(actor, "attendance.punch")
    if not _allowed_from(ip_address, AttendanceSettings.current()):
        raise AttendanceError(_("Punching is only allowed from the office network. Your address %(ip)s is not on it.") % {"ip": ip_address or "?"})
    # Lock the employee so that two simultaneous taps see each other.
    Employee.objects.select_for_update().get(pk=me.pk)
    now = timezone.now()
    recent = Punch.objects.filter(
        employee=me, source=Punch.Source.WEB, at__gte=now - timedelta(seconds=DOUBLE_TAP_SECONDS),
    ).order_by("-at").first()
    if recent is not None:
        return recent, False
    punch = Punch.objects.create(
        employee=me, at=now, local_date=local_date_of(now), source=Punch.Source.WEB,
        ip_address=ip_address or None, created_by=permissions.employee_of(actor),
    )
    audit.record(actor, audit.Action.PUNCHED, punch, changes={"at": now, "ip": ip_address})
    refresh_attendance_days(employee_ids=[me.pk], start=punch.local_date, end=punch.local_date)
    # Clocking out after rest-day overtime taken as comp time earns the hours at once.
    comptime.sync_overtime_between([me.pk], punch.local_date, punch.local_date, actor=actor)
    return punch, True


@dataclass
class ImportResult:
    added: int
    skipped: int
    employees: int


def _parse_timestamp(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        # Policy: the machines keep local time; no offset means Asia/Shanghai.
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment


@transaction.atomic
def import_punches(content: bytes, *, actor: AbstractBaseUser | None, filename: str = "") -> ImportResult:
    """Import an attendance machine's CSV (`employee_no,timestamp`). All or nothing; a second run adds nothing.

    `actor` None is the command line (run by the operator on the server).
    """
    if actor is not None:
        permissions.require(actor, "attendance.import")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([(text_line_of(content, error.start), _("The file is not UTF-8 text."))]) from error
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [cell.strip().lower() for cell in rows[0]] != ["employee_no", "timestamp"]:
        raise ImportRejected([(1, _("The first line must be the header: employee_no,timestamp"))])
    numbers = {row[0].strip() for row in rows[1:] if row}
    people = {person.employee_no: person for person in Employee.objects.filter(employee_no__in=numbers)}
    employees = {number: person.pk for number, person in people.items()}
    now = timezone.now()
    problems: list[tuple[int, str]] = []
    parsed: list[tuple[int, datetime]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append((line, _("Expected 2 columns, found %(count)d.") % {"count": len(row)}))
            continue
        number, stamp = row[0].strip(), row[1].strip()
        employee_id = employees.get(number)
        if employee_id is None:
            problems.append((line, _("Unknown employee number %(number)s.") % {"number": number}))
            continue
        try:
            moment = _parse_timestamp(stamp)
            day = local_date_of(moment)
        except (ValueError, OverflowError):
            problems.append((line, _("%(value)s is not a time in ISO 8601 form.") % {"value": stamp}))
            continue
        problem = bounds.reason(day, bounds.Kind.PAST, employee=people[number])
        if problem:
            problems.append((line, problem))
            continue
        if moment > now + timedelta(minutes=5):
            problems.append((line, _("%(value)s is in the future.") % {"value": stamp}))
            continue
        parsed.append((employee_id, moment))
    if problems:
        raise ImportRejected(problems)
    if not parsed:
        raise ImportRejected([(1, _("The file has no punches."))])
    ids = sorted({employee_id for employee_id, _moment in parsed})
    first = min(local_date_of(moment) for _pk, moment in parsed)
    last = max(local_date_of(moment) for _pk, moment in parsed)
    known = set(Punch.objects.filter(employee_id__in=ids, local_date__range=(first, last)).values_list("employee_id", "at"))
    new: list[Punch] = []
    recorder = permissions.employee_of(actor)
    for employee_id, moment in parsed:
        if (employee_id, moment) in known:
            continue
        known.add((employee_id, moment))
        new.append(Punch(employee_id=employee_id, at=moment, local_date=local_date_of(moment),
                         source=Punch.Source.IMPORT, created_by=recorder))
    Punch.objects.bulk_create(new, batch_size=1000)
    audit.record(actor, audit.Action.PUNCHES_IMPORTED, None,
                 changes={"file": filename, "added": len(new), "skipped": len(parsed) - len(new)})
    if new:
        # Punches the machine recorded disprove the absences and missing punches flagged without them.
        reconcile_many(ids, first, last, actor=actor, note=_department_text(gettext_lazy("Punches imported from %(file)s."), file=filename))
    return ImportResult(added=len(new), skipped=len(parsed) - len(new), employees=len(ids))


def text_line_of(content: bytes, offset: int) -> int:
    return content[:offset].count(b"\n") + 1


# ---------------------------------------------------------------- corrections (补卡)

@transaction.atomic
def request_correction(*, actor: AbstractBaseUser, day: date, clock: time, reason: str) -> Correction:
    """Ask for a missed punch on a past date; HR's monthly limit applies."""
    me = permissions.employee_of(actor)
    permissions.require(actor, "attendance.request")
    today = timezone.localdate()
    bounds.check_date(day, kind=bounds.Kind.PAST, employee=me)
    if day >= today:
        raise AttendanceError(_("A correction is for a past date; punch today with the button."), field="date")
    if not workcalendar.is_workday(day):
        raise AttendanceError(_("%(date)s is not a workday.") % {"date": day.isoformat()}, field="date")
    if not reason.strip():
        raise AttendanceError(_("Give a reason."), field="reason")
    Employee.objects.select_for_update().get(pk=me.pk)
    limit = AttendanceSettings.current().correction_monthly_limit
    if selectors.corrections_counted_in_month(me.pk, day) >= limit:
        raise AttendanceError(
            _("You have reached the limit of %(limit)d corrections for %(month)s.") % {"limit": limit, "month": f"{day:%Y-%m}"},
            field="date",
        )
    correction = Correction.objects.create(employee=me, date=day, time=clock, reason=reason.strip())
    audit.record(actor, audit.Action.CORRECTION_REQUESTED, correction, changes={"date": day, "time": clock})
    approver, _away = permissions.routed_approver(me)
    if approver is not None:
        notify(approver, subject=Message(gettext_lazy("%(name)s asks for a punch correction on %(date)s"), **{"name": me.name, "date": day.isoformat()}),
               body=correction.reason, url=reverse("attendance:approvals"), key=key_for(correction))
    return correction


def _describe(request: Correction | Overtime) -> str:
    from .reminders import describe_correction, describe_overtime

    return describe_correction(request) if isinstance(request, Correction) else describe_overtime(request)


def _decide(model, pk: int, *, actor: AbstractBaseUser, approve: bool, comment: str,
            approved: audit.Action, rejected: audit.Action):
    request = model.objects.select_for_update().select_related("employee", "employee__user").get(pk=pk)
    permissions.require(actor, "attendance.decide", request)
    if request.status != RequestStatus.PENDING:
        raise AttendanceError(_("This request has already been decided."))
    if not approve and not comment.strip():
        raise AttendanceError(_("Say why you reject it."), field="comment")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by = permissions.employee_of(actor)
    request.decided_for = approvals.decided_for(actor, request)  # 代理审批: "X 代 Y 审批"
    request.decided_at = timezone.now()
    request.decision_note = comment.strip()
    request.save(update_fields=["status", "decided_by", "decided_for", "decided_at", "decision_note"])
    changes = {"status": [RequestStatus.PENDING, request.status]}
    if request.decided_for is not None:
        changes["decided_for"] = [None, request.decided_for.pk]
    audit.record(actor, approved if approve else rejected, request, changes=changes, note=request.decision_note)
    mark_read(key_for(request))
    with department_language():
        approvals.tell_principal(request, url=reverse("attendance:approvals"), subject=Message(gettext_lazy(
            "%(deputy)s decided %(what)s for you: %(outcome)s"), **{
            "deputy": request.decided_by.name, "what": lambda: _describe(request), "outcome": request.get_status_display}))
    return request


@transaction.atomic
def decide_correction(correction_id: int, *, actor: AbstractBaseUser, approve: bool, comment: str = "") -> Correction:
    """Approve (adds a punch marked as a correction and recomputes the day) or reject a correction."""
    correction = _decide(Correction, correction_id, actor=actor, approve=approve, comment=comment,
                         approved=audit.Action.CORRECTION_APPROVED, rejected=audit.Action.CORRECTION_REJECTED)
    if approve:
        moment = local_moment(correction.date, correction.time)
        Punch.objects.create(employee=correction.employee, at=moment, local_date=correction.date,
                             source=Punch.Source.CORRECTION, correction=correction, created_by=permissions.employee_of(actor))
        reconcile_days(correction.employee, correction.date, correction.date, actor=actor,
                       note=_department_text(gettext_lazy("Cleared by an approved punch correction.")))
    with department_language():
        verdict = gettext_lazy("approved") if approve else gettext_lazy("rejected")
        notify(correction.employee, subject=Message(gettext_lazy("Your punch correction for %(date)s was %(verdict)s"), **{"date": correction.date.isoformat(), "verdict": verdict}),
               body=correction.decision_note, url=reverse("attendance:corrections"))
    return correction


@transaction.atomic
def cancel_correction(correction_id: int, *, actor: AbstractBaseUser) -> Correction:
    return _cancel(Correction, correction_id, actor=actor, action=audit.Action.CORRECTION_CANCELLED)


# ---------------------------------------------------------------- overtime

MAX_OVERTIME = timedelta(hours=24)


def overtime_interval(day: date, start: time, end: time, overnight: bool) -> tuple[datetime, datetime]:
    """The aware start and end of an overtime (the end on the next day when overnight)."""
    return local_moment(day, start), local_moment(day + timedelta(days=1) if overnight else day, end)


@transaction.atomic
def request_overtime(*, actor: AbstractBaseUser, day: date, start: time, end: time, reason: str,
                     end_day: date | None = None, compensation: str = OvertimeCompensation.PAY,
                     late_reason: str = "", now: datetime | None = None) -> Overtime:
    """Ask to work overtime (第五条: 不得私自加班，加班需经上级主管批准).

    Filed before it starts, unless HR allows filing up to N days afterwards (with a reason the
    approver sees). It may cross midnight (an end at or before the start, or `end_day` the next
    day), lasts at most 24 hours and may not overlap another pending or approved overtime. It is
    classed workday / rest day / statutory holiday from the work calendar (劳动法 第四十四条); only
    rest-day overtime may be taken as comp time (调休) instead of pay.
    """
    me = permissions.employee_of(actor)
    permissions.require(actor, "attendance.request")
    bounds.check_date(day, kind=bounds.Kind.EMPLOYMENT, employee=me)
    if end_day is None:
        end_day = day + timedelta(days=1) if end <= start else day
    if end_day not in (day, day + timedelta(days=1)):
        raise AttendanceError(_("Overtime cannot last longer than 24 hours."), field="end_time")
    overnight = end_day != day
    begins, finishes = overtime_interval(day, start, end, overnight)
    if finishes <= begins:
        raise AttendanceError(_("Overtime must end after it starts."), field="end_time")
    if finishes - begins > MAX_OVERTIME:
        raise AttendanceError(_("Overtime cannot last longer than 24 hours."), field="end_time")
    if not reason.strip():
        raise AttendanceError(_("Give a reason."), field="reason")
    if not 2000 <= day.year <= 2100:
        raise AttendanceError(_("Enter a date between 2000 and 2100."), field="date")
    now = now or timezone.now()
    late_reason = late_reason.strip()
    if begins <= now:
        allowed = AttendanceSettings.current().overtime_late_days
        if allowed == 0:
            raise AttendanceError(_("Overtime must be requested before it starts (不得私自加班)."), field="date")
        if (local_date_of(now) - day).days > allowed:
            raise AttendanceError(
                _("Overtime may be filed at most %(days)d day(s) afterwards.") % {"days": allowed}, field="date")
        if not late_reason:
            raise AttendanceError(_("Say why this overtime is filed afterwards."), field="late_reason")
    else:
        late_reason = ""
    kind = workcalendar.overtime_kind(day)
    if compensation not in OvertimeCompensation.values:
        raise AttendanceError(_("Choose pay or comp time."), field="compensation")
    if compensation == OvertimeCompensation.COMP_TIME and kind != workcalendar.OvertimeKind.REST_DAY:
        raise AttendanceError(_("Only rest-day overtime can be taken as comp time; workday and holiday overtime are paid."),
                              field="compensation")
    Employee.objects.select_for_update().get(pk=me.pk)
    for other in Overtime.objects.filter(employee=me, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED],
                                         date__range=(day - timedelta(days=1), end_day)):
        other_begins, other_finishes = overtime_interval(other.date, other.start_time, other.end_time, other.overnight)
        if other_begins < finishes and begins < other_finishes:
            raise AttendanceError(
                _("This overlaps your overtime of %(date)s %(start)s–%(end)s.") % {
                    "date": other.date.isoformat(), "start": f"{other.start_time:%H:%M}", "end": f"{other.end_time:%H:%M}"},
                field="start_time")
    overtime = Overtime.objects.create(employee=me, date=day, start_time=start, end_time=end, overnight=overnight,
                                       day_kind=kind, compensation=compensation, late_reason=late_reason,
                                       reason=reason.strip())
    audit.record(actor, audit.Action.OVERTIME_REQUESTED, overtime,
                 changes={"date": day, "start": start, "end": end, "overnight": overnight, "day_kind": kind,
                          "compensation": compensation}, note=late_reason)
    approver, _away = permissions.routed_approver(me)
    if approver is not None:
        notify(approver, subject=Message(gettext_lazy("%(name)s asks to work overtime on %(date)s"), **{"name": me.name, "date": day.isoformat()}),
               body=overtime.reason, url=reverse("attendance:approvals"), key=key_for(overtime))
    return overtime


@transaction.atomic
def decide_overtime(overtime_id: int, *, actor: AbstractBaseUser, approve: bool, comment: str = "") -> Overtime:
    overtime = _decide(Overtime, overtime_id, actor=actor, approve=approve, comment=comment,
                       approved=audit.Action.OVERTIME_APPROVED, rejected=audit.Action.OVERTIME_REJECTED)
    if overtime.is_comp_time:  # filed afterwards: the punches may already be there
        comptime.sync_overtime_credits([overtime], actor=actor)
    with department_language():
        verdict = gettext_lazy("approved") if approve else gettext_lazy("rejected")
        notify(overtime.employee, subject=Message(gettext_lazy("Your overtime on %(date)s was %(verdict)s"), **{"date": overtime.date.isoformat(), "verdict": verdict}),
               body=overtime.decision_note, url=reverse("attendance:overtime"))
    return overtime


@transaction.atomic
def cancel_overtime(overtime_id: int, *, actor: AbstractBaseUser) -> Overtime:
    return _cancel(Overtime, overtime_id, actor=actor, action=audit.Action.OVERTIME_CANCELLED)


def _cancel(model, pk: int, *, actor: AbstractBaseUser, action: audit.Action):
    request = model.objects.select_for_update().select_related("employee").get(pk=pk)
    permissions.require(actor, "attendance.cancel", request)
    if request.status != RequestStatus.PENDING:
        raise AttendanceError(_("Only a pending request can be withdrawn."))
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    audit.record(actor, action, request, changes={"status": [RequestStatus.PENDING, RequestStatus.CANCELLED]})
    mark_read(key_for(request))
    return request


# ---------------------------------------------------------------- HR settings

@transaction.atomic
def update_attendance_settings(*, actor: AbstractBaseUser, office_networks: str, correction_monthly_limit: int,
                               overtime_late_days: int | None = None,
                               comp_time_expiry_months: int | None = None) -> AttendanceSettings:
    permissions.require(actor, "attendance.settings")
    current = AttendanceSettings.objects.select_for_update().get(pk=AttendanceSettings.current().pk)
    values = {
        "office_networks": "\n".join(line.strip() for line in office_networks.splitlines() if line.strip()),
        "correction_monthly_limit": correction_monthly_limit,
    }
    if overtime_late_days is not None:
        values["overtime_late_days"] = overtime_late_days
    if comp_time_expiry_months is not None:
        values["comp_time_expiry_months"] = comp_time_expiry_months
    audit.update_audited(current, actor=actor, action=audit.Action.ATTENDANCE_SETTINGS_UPDATED, fields=list(values), values=values)
    return current


# ---------------------------------------------------------------- a locked month (考勤确认)

@transaction.atomic
def add_punch_to_locked_month(employee_id: int, day: date, clock: time, *, actor: AbstractBaseUser, reason: str) -> Punch:
    """HR adds a missed punch to a day of a locked month, with a reason; the day is recomputed and the change marked."""
    permissions.require(actor, "attendance.close_month")
    if not reason.strip():
        raise ConfirmationError(_("Give a reason."), field="reason")
    close = MonthClose.objects.filter(month=day.replace(day=1)).first()
    if close is None or not close.is_locked:
        raise ConfirmationError(_("%(month)s is not locked: the employee asks for a correction as usual.") % {"month": f"{day:%Y-%m}"},
                                field="date")
    employee = Employee.objects.select_for_update().filter(pk=employee_id).first()
    if employee is None:
        raise ConfirmationError(_("Choose an employee."), field="employee")
    punch = Punch.objects.create(employee=employee, at=local_moment(day, clock), local_date=day,
                                 source=Punch.Source.CORRECTION, created_by=permissions.employee_of(actor))
    audit.record(actor, audit.Action.PUNCHED, punch, changes={"at": punch.at}, note=reason.strip())
    reconcile_days(employee, day, day, actor=actor, note=reason.strip())
    return punch
