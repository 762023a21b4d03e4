"""leave: every state change of leave requests, types, balances and settings.

Each service is one transaction that locks what it changes, checks permission,
raises LeaveError (translated, on a form field where it names one) and audits.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from attendance import comptime
from attendance.services import reconcile_days
from opsdept import approvals, audit, bounds, permissions, workcalendar
from opsdept.models import Employee, RequestStatus
from opsdept.notify import Lines, Message, department_language, key_for, mark_read, notify

from . import balance, counting
from .errors import LeaveError
from .files import inspect_upload
from .models import COMP_TIME_CODE, AnnualLeaveAdjustment, BusinessTrip, Half, LeaveAttachment, LeaveRequest, LeaveSettings, LeaveType

REQUEST_FIELDS = ["status", "start_date", "start_half", "end_date", "end_half", "days", "decided_by", "decided_at"]
TYPE_FIELDS = ["code", "name", "name_en", "is_paid", "requires_attachment", "deducts_annual_balance", "is_active", "sort_order"]
SETTINGS_FIELDS = ["emergency_slip_workdays", "max_attachment_mb"]


def comp_time_hours(days: Decimal) -> Decimal:
    return (days * comptime.hours_per_workday()).quantize(Decimal("0.01"))


def _comp_time_key(leave: LeaveRequest) -> str:
    return f"leave.request:{leave.pk}"


def _actor_employee(actor: AbstractBaseUser) -> Employee:
    employee = permissions.employee_of(actor)
    if employee is None:
        raise LeaveError(_("Your login is not linked to an employee record. Ask HR."))
    return employee


def _span_text(leave: LeaveRequest) -> str:
    return "%s %s – %s %s" % (leave.start_date, Half(leave.start_half).label, leave.end_date, Half(leave.end_half).label)


def _check_span(
    employee: Employee, leave_type: LeaveType, start_date: date, start_half: str, end_date: date, end_half: str,
    *, exclude_request_id: int | None = None,
) -> Decimal:
    """Refuse a span that is backwards, covers no working half day, overlaps, or exceeds the annual balance."""
    bounds.check_date(start_date, kind=bounds.Kind.EMPLOYMENT, employee=employee, field="start_date")
    bounds.check_date(end_date, kind=bounds.Kind.EMPLOYMENT, employee=employee, field="end_date")
    if not leave_type.is_active:
        raise LeaveError(_("Choose a leave type from the list."), field="leave_type")
    if not counting.ends_after_start(start_date, start_half, end_date, end_half):
        raise LeaveError(_("The leave must end after it starts."), field="end_date")
    if (end_date - start_date).days > 366:
        raise LeaveError(_("One request covers at most a year; file the rest separately."), field="end_date")
    days = counting.count_days(start_date, start_half, end_date, end_half)
    if days <= 0:
        raise LeaveError(_("The leave must cover at least one working half day."), field="start_date")
    candidates = LeaveRequest.objects.filter(
        employee=employee, status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        start_date__lte=end_date, end_date__gte=start_date,
    ).exclude(pk=exclude_request_id)
    for other in candidates:
        if counting.overlaps((start_date, start_half, end_date, end_half),
                             (other.start_date, other.start_half, other.end_date, other.end_half)):
            raise LeaveError(
                _("This overlaps your leave of %(span)s.") % {"span": _span_text(other)}, field="start_date",
            )
    for trip in BusinessTrip.objects.filter(
        employee=employee, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED],
        start_date__lte=end_date, end_date__gte=start_date,
    ):
        if counting.overlaps((start_date, start_half, end_date, end_half),
                             (trip.start_date, trip.start_half, trip.end_date, trip.end_half)):
            raise LeaveError(_("This overlaps your business trip of %(span)s.") % {"span": _trip_span_text(trip)},
                             field="start_date")
    if leave_type.deducts_annual_balance:
        # 条例 第五条: annual leave is granted per calendar year, so one request stays within one year.
        if start_date.year != end_date.year:
            raise LeaveError(_("Annual leave is counted per calendar year: file one request for each year."),
                             field="end_date")
        available = balance.balance_for(employee, start_date.year, exclude_request_id=exclude_request_id).remaining
        if days > available:
            raise LeaveError(
                _("This takes %(days)s days but only %(left)s days of annual leave remain for %(year)s.")
                % {"days": days, "left": available, "year": start_date.year},
                field="leave_type",
            )
    if leave_type.code == COMP_TIME_CODE:
        needed, available = comp_time_hours(days), comptime.available_on(employee, start_date)
        if needed > available:
            raise LeaveError(
                _("This takes %(hours)s hours of comp time but your balance is %(balance)s hours.")
                % {"hours": needed, "balance": available},
                field="leave_type",
            )
    return days


def _check_uploads(uploads: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    max_bytes = LeaveSettings.current().max_attachment_bytes
    return [(upload, inspect_upload(upload, max_bytes=max_bytes)) for upload in uploads]


def _store_uploads(leave: LeaveRequest, checked: list[tuple[UploadedFile, str]], uploader: Employee) -> list[LeaveAttachment]:
    stored = []
    for upload, content_type in checked:
        attachment = LeaveAttachment(
            request=leave, original_name=bounds.upload_name(upload.name), content_type=content_type,
            size=upload.size, uploaded_by=uploader,
        )
        attachment.file.save(upload.name or "upload", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _lock_employee(employee_id: int) -> Employee:
    # Locking the employee row serialises the overlap and balance checks of two requests filed at once.
    return Employee.objects.select_for_update(of=("self",)).select_related("supervisor").get(pk=employee_id)


def _detail_url(leave: LeaveRequest) -> str:
    return reverse("leave:detail", kwargs={"pk": leave.pk})


def _reconcile_attendance(leave: LeaveRequest, start: date, end: date, *, actor: AbstractBaseUser | None,
                          note: Any) -> None:
    """Let attendance recompute the days this leave touches (请假) and the flags they show, in this transaction."""
    with department_language():  # the note is read later, by anyone
        text = str(note) % {"leave": leave}
    reconcile_days(leave.employee, start, end, actor=actor, note=text)






# ---------------------------------------------------------------- requests

@transaction.atomic
def file_leave_request(
    employee_id: int, *, actor: AbstractBaseUser, leave_type: LeaveType, start_date: date, start_half: str,
    end_date: date, end_half: str, reason: str, attachments: Sequence[UploadedFile] = (),
) -> LeaveRequest:
    """File a request for one's own leave; it waits for the supervisor's approval."""
    permissions.require(actor, "leave.file")
    me = _actor_employee(actor)
    if me.pk != employee_id:
        raise LeaveError(_("You can only ask for your own leave."))
    employee = _lock_employee(employee_id)
    # 请假需提前至少一天: a request is filed on a local date before the one it starts.
    today = timezone.localdate()
    if start_date <= today:
        raise LeaveError(
            _("Leave must be asked for at least one day before it starts: the earliest start is %(day)s. "
              "In an emergency, ask your supervisor by phone or SMS; they record it as emergency leave.")
            % {"day": workcalendar.next_workday(today)},
            field="start_date",
        )
    if not reason.strip():
        raise LeaveError(_("Give the reason for your leave."), field="reason")
    approver, away = permissions.routed_approver(employee, start_date)
    if approver is None:
        raise LeaveError(_("Nobody can approve your leave yet: ask HR to set your supervisor."))
    days = _check_span(employee, leave_type, start_date, start_half, end_date, end_half)
    if leave_type.requires_attachment and not attachments:
        raise LeaveError(
            _("%(type)s needs an attachment (for example a sick note).") % {"type": leave_type.display_name},
            field="attachment",
        )
    checked = _check_uploads(attachments)
    leave = LeaveRequest(
        employee=employee, leave_type=leave_type, start_date=start_date, start_half=start_half,
        end_date=end_date, end_half=end_half, days=days, reason=reason.strip(), created_by=me,
    )
    audit.update_audited(leave, actor=actor, action=audit.Action.LEAVE_REQUESTED, fields=REQUEST_FIELDS + ["leave_type"],
                         note=leave.reason, validate=False)
    _store_uploads(leave, checked, me)
    # composed for each reader: the leave type's name and the halves are in their language
    subject = Message(gettext_lazy("%(name)s asks for %(type)s, %(days)s days"),
                      name=employee.name, type=lambda: leave_type.display_name, days=days)
    deputy_line = Message(gettext_lazy("You decide this as deputy for %(name)s."), name=away.name) if away is not None else ""
    notify(approver, subject=subject, body=Lines(deputy_line, lambda: _span_text(leave), leave.reason),
           url=_detail_url(leave), key=key_for(leave))
    if away is not None:  # the one away is told too, but has nothing to do
        notify(away, subject=subject, body=Message(gettext_lazy("%(name)s decides it as your deputy."), name=approver.name),
               url=_detail_url(leave))
    return leave


def _decide(request_id: int, *, actor: AbstractBaseUser, status: str, note: str) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().select_related("employee", "leave_type").get(pk=request_id)
    permissions.require(actor, "leave.decide", leave)
    if leave.status != LeaveRequest.Status.PENDING:
        raise LeaveError(_("This request has already been decided."))
    decided_for = None if permissions.decides_leave_of(actor, leave.employee) else permissions.acting_for_leave(actor, leave)
    audit.update_audited(
        leave, actor=actor, fields=REQUEST_FIELDS + ["decided_for"], note=note.strip(), validate=False,
        action=audit.Action.LEAVE_APPROVED if status == LeaveRequest.Status.APPROVED else audit.Action.LEAVE_REJECTED,
        values={"status": status, "decided_by": _actor_employee(actor), "decided_for": decided_for,
                "decided_at": timezone.now(), "decision_note": note.strip()},
    )
    mark_read(key_for(leave))
    if decided_for is not None:
        notify(decided_for, subject=Message(gettext_lazy("%(deputy)s decided %(name)s's leave from %(day)s for you: %(outcome)s"),
                                            deputy=leave.decided_by.name, name=leave.employee.name, day=leave.start_date,
                                            outcome=leave.get_status_display), body=leave.decision_note, url=_detail_url(leave))
    if status == LeaveRequest.Status.APPROVED:
        subject = gettext_lazy("Your %(type)s from %(day)s was approved")
    else:
        subject = gettext_lazy("Your %(type)s from %(day)s was rejected")
    notify(
        leave.employee,
        subject=Message(subject, type=lambda: leave.leave_type.display_name, day=leave.start_date),
        body=leave.decision_note,
        url=_detail_url(leave),
    )
    return leave


def _refuse_overlap_with_approved(leave: LeaveRequest) -> None:
    others = LeaveRequest.objects.filter(
        employee_id=leave.employee_id, status=LeaveRequest.Status.APPROVED,
        start_date__lte=leave.end_date, end_date__gte=leave.start_date,
    ).exclude(pk=leave.pk)
    for other in others:
        if counting.overlaps((leave.start_date, leave.start_half, leave.end_date, leave.end_half),
                             (other.start_date, other.start_half, other.end_date, other.end_half)):
            raise LeaveError(_("This overlaps %(name)s's approved leave of %(span)s.")
                             % {"name": leave.employee.name, "span": _span_text(other)})


@transaction.atomic
def approve_leave_request(request_id: int, *, actor: AbstractBaseUser, note: str = "") -> LeaveRequest:
    """The supervisor approves (主管批准后，方可请假); the approval is the slip's signature."""
    leave = _decide(request_id, actor=actor, status=LeaveRequest.Status.APPROVED, note=note)
    # _decide locked the request and its employee (in that order, as every leave service does), so two
    # overlapping requests approved at the same moment see each other here; raising undoes the decision.
    _lock_employee(leave.employee_id)
    _refuse_overlap_with_approved(leave)
    if leave.leave_type.code == COMP_TIME_CODE:
        try:
            comptime.debit_comp_time(leave.employee, hours=comp_time_hours(leave.days), actor=actor, used_on=leave.start_date,
                                     source_key=_comp_time_key(leave), source=f"{leave.leave_type.display_name} {_span_text(leave)}")
        except comptime.CompTimeError as error:
            raise LeaveError(error.message) from error
    _reconcile_attendance(leave, leave.start_date, leave.end_date, actor=actor, note=gettext_lazy("Leave approved: %(leave)s"))
    return leave


@transaction.atomic
def reject_leave_request(request_id: int, *, actor: AbstractBaseUser, note: str) -> LeaveRequest:
    if not note.strip():
        raise LeaveError(_("Say why the request is rejected."), field="note")
    return _decide(request_id, actor=actor, status=LeaveRequest.Status.REJECTED, note=note)


@transaction.atomic
def cancel_leave_request(request_id: int, *, actor: AbstractBaseUser, note: str = "") -> LeaveRequest:
    """The employee withdraws a pending request, or an approved one before it starts."""
    leave = LeaveRequest.objects.select_for_update().select_related("employee", "leave_type").get(pk=request_id)
    permissions.require(actor, "leave.cancel", leave)
    was_approved = leave.status == LeaveRequest.Status.APPROVED
    if leave.status not in (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED):
        raise LeaveError(_("Only a pending or approved request can be cancelled."))
    if was_approved and leave.start_date <= timezone.localdate():
        raise LeaveError(_("This leave has started: only your supervisor can end it early."))
    audit.update_audited(
        leave, actor=actor, action=audit.Action.LEAVE_CANCELLED, fields=REQUEST_FIELDS, note=note, validate=False,
        values={"status": LeaveRequest.Status.CANCELLED, "cancelled_by": _actor_employee(actor), "cancelled_at": timezone.now()},
    )
    mark_read(key_for(leave))
    if was_approved:
        if leave.leave_type.code == COMP_TIME_CODE:
            comptime.reverse_comp_time(_comp_time_key(leave), actor=actor,
                                       source=_("Cancelled: %(type)s %(span)s") % {"type": leave.leave_type.display_name, "span": _span_text(leave)})
        _reconcile_attendance(leave, leave.start_date, leave.end_date, actor=actor, note=gettext_lazy("Leave cancelled: %(leave)s"))
        if leave.decided_by is not None:
            notify(
                leave.decided_by,
                subject=Message(gettext_lazy("%(name)s cancelled approved leave from %(day)s"),
                                name=leave.employee.name, day=leave.start_date),
                url=_detail_url(leave),
            )
    return leave


@transaction.atomic
def end_leave_early(
    request_id: int, *, actor: AbstractBaseUser, end_date: date, end_half: str, note: str,
) -> LeaveRequest:
    """The supervisor ends approved leave earlier than planned (the employee came back)."""
    leave = LeaveRequest.objects.select_for_update().select_related("employee", "leave_type").get(pk=request_id)
    permissions.require(actor, "leave.end_early", leave)
    if leave.status != LeaveRequest.Status.APPROVED:
        raise LeaveError(_("Only approved leave can be ended early."))
    if not note.strip():
        raise LeaveError(_("Say why the leave ends early."), field="note")
    old_end = counting.end_position(leave.end_date, leave.end_half)
    if counting.end_position(end_date, end_half) >= old_end:
        raise LeaveError(_("The new end must be before the current end."), field="end_date")
    if not counting.ends_after_start(leave.start_date, leave.start_half, end_date, end_half):
        raise LeaveError(_("The leave must end after it starts."), field="end_date")
    days = counting.count_days(leave.start_date, leave.start_half, end_date, end_half)
    if days <= 0:
        raise LeaveError(_("The leave must cover at least one working half day."), field="end_date")
    previous_end, previous_days = leave.end_date, leave.days
    audit.update_audited(
        leave, actor=actor, action=audit.Action.LEAVE_ENDED_EARLY, fields=REQUEST_FIELDS, note=note.strip(), validate=False,
        values={"end_date": end_date, "end_half": end_half, "days": days,
                "ended_early_by": _actor_employee(actor), "ended_early_at": timezone.now()},
    )
    if leave.leave_type.code == COMP_TIME_CODE and previous_days > days:
        # The unused comp time goes back to the ledger (once: a leave is ended early once, to a date before its end).
        with department_language():
            source = _("Ended early: %(type)s now %(span)s") % {"type": leave.leave_type.display_name, "span": _span_text(leave)}
        comptime.reverse_comp_time(_comp_time_key(leave), actor=actor, hours=comp_time_hours(previous_days - days),
                                   suffix=f"ended-early-{end_date:%Y%m%d}{end_half}", source=source)
    _reconcile_attendance(leave, end_date, previous_end, actor=actor, note=gettext_lazy("Leave ended early: %(leave)s"))
    notify(
        leave.employee,
        subject=Message(gettext_lazy("Your leave now ends on %(day)s"), day=end_date),
        body=note.strip(), url=_detail_url(leave),
    )
    return leave


# ---------------------------------------------------------------- emergency leave (特许情况)

@transaction.atomic
def record_emergency_leave(
    employee_id: int, *, actor: AbstractBaseUser, leave_type: LeaveType, start_date: date, start_half: str,
    end_date: date, end_half: str, granted_via: str, note: str,
) -> LeaveRequest:
    """Record leave the supervisor granted by phone or SMS: approved at once, the written request to follow.

    特许情况 … 通过电话或是短信跟上级请假，会后及时补交假条: it may start today or lie in the past
    (the one-day rule does not apply); the employee has HR's number of workdays to hand in the written request.
    """
    employee = _lock_employee(employee_id)
    permissions.require(actor, "leave.record_emergency", employee)
    if granted_via not in LeaveRequest.Channel.values:
        raise LeaveError(_("Say whether the leave was asked for by phone or SMS."), field="granted_via")
    days = _check_span(employee, leave_type, start_date, start_half, end_date, end_half)
    me = _actor_employee(actor)
    now = timezone.now()
    due = workcalendar.add_workdays(timezone.localdate(), LeaveSettings.current().emergency_slip_workdays)
    leave = LeaveRequest(
        employee=employee, leave_type=leave_type, start_date=start_date, start_half=start_half,
        end_date=end_date, end_half=end_half, days=days, reason="", created_by=me,
        status=LeaveRequest.Status.APPROVED, decided_by=me, decided_at=now, decision_note=note.strip(),
        is_emergency=True, granted_via=granted_via, slip_due=due,
    )
    audit.update_audited(leave, actor=actor, action=audit.Action.LEAVE_EMERGENCY_RECORDED, validate=False,
                         fields=REQUEST_FIELDS + ["granted_via", "slip_due"], note=leave.decision_note)
    _reconcile_attendance(leave, start_date, end_date, actor=actor, note=gettext_lazy("Leave approved: %(leave)s"))
    notify(
        employee,
        subject=Message(gettext_lazy("Emergency leave recorded: hand in your written request by %(day)s"), day=due),
        body=lambda: _span_text(leave), url=_detail_url(leave),
    )
    return leave


@transaction.atomic
def hand_in_written_slip(
    request_id: int, *, actor: AbstractBaseUser, reason: str, attachments: Sequence[UploadedFile] = (),
) -> LeaveRequest:
    """The employee's written request for emergency leave (补交假条), linked to the leave it covers."""
    leave = LeaveRequest.objects.select_for_update().select_related("employee", "leave_type").get(pk=request_id)
    permissions.require(actor, "leave.hand_in_slip", leave)
    if leave.status != LeaveRequest.Status.APPROVED:
        raise LeaveError(_("This leave is no longer approved."))
    if leave.slip_submitted_at is not None:
        raise LeaveError(_("The written request has already been handed in."))
    if not reason.strip():
        raise LeaveError(_("Give the reason for your leave."), field="reason")
    has_files = bool(attachments) or leave.attachments.exists()
    if leave.leave_type.requires_attachment and not has_files:
        raise LeaveError(
            _("%(type)s needs an attachment (for example a sick note).") % {"type": leave.leave_type.display_name},
            field="attachment",
        )
    checked = _check_uploads(attachments)
    leave.reason = reason.strip()
    leave.slip_submitted_at = timezone.now()
    leave.save(update_fields=["reason", "slip_submitted_at"])
    me = _actor_employee(actor)
    _store_uploads(leave, checked, me)
    late = timezone.localdate() > leave.slip_due
    mark_read(f"leave.written_slip:{leave.pk}")  # its reminder is done with
    audit.record(actor, audit.Action.LEAVE_SLIP_HANDED_IN, leave, changes={"slip_submitted_at": leave.slip_submitted_at, "late": late},
                 note=leave.reason)
    if leave.decided_by is not None:
        notify(
            leave.decided_by,
            subject=Message(gettext_lazy("%(name)s handed in the written request for emergency leave"), name=leave.employee.name),
            body=leave.reason, url=_detail_url(leave),
        )
    return leave


# ---------------------------------------------------------------- balances, types, settings (HR)

@transaction.atomic
def adjust_annual_leave(
    employee_id: int, *, actor: AbstractBaseUser, year: int, days: Decimal, reason: str,
) -> AnnualLeaveAdjustment:
    """HR adds or removes annual-leave days for a year, with a reason (carried over, agreed in the contract…)."""
    permissions.require(actor, "leave.manage")
    employee = _lock_employee(employee_id)
    if not reason.strip():
        raise LeaveError(_("Give a reason for the adjustment."), field="reason")
    if days == 0 or days % Decimal("0.5") != 0:
        raise LeaveError(_("Adjust by whole or half days, not zero."), field="days")
    current = balance.balance_for(employee, year)
    if current.total + days < current.taken + current.pending:
        raise LeaveError(
            _("The balance cannot drop below the %(used)s days already taken or requested.")
            % {"used": current.taken + current.pending},
            field="days",
        )
    adjustment = AnnualLeaveAdjustment.objects.create(
        employee=employee, year=year, days=days, reason=reason.strip(), created_by=_actor_employee(actor),
    )
    audit.record(actor, audit.Action.LEAVE_BALANCE_ADJUSTED, employee, changes={"year": year, "days": days}, note=adjustment.reason)
    return adjustment


@transaction.atomic
def save_leave_type(type_id: int | None, *, actor: AbstractBaseUser, **fields: Any) -> LeaveType:
    """Create (type_id None) or change a leave type. Types are deactivated, never deleted."""
    permissions.require(actor, "leave.manage")
    if type_id is None:
        if LeaveType.objects.filter(code=fields.get("code")).exists():
            raise LeaveError(_("A leave type with this code exists."), field="code")
        leave_type = LeaveType()
        audit.update_audited(leave_type, actor=actor, action=audit.Action.LEAVE_TYPE_CREATED, fields=TYPE_FIELDS, validate=False,
                             values={name: fields[name] for name in TYPE_FIELDS if name in fields})
        return leave_type
    leave_type = LeaveType.objects.select_for_update().get(pk=type_id)
    fields.pop("code", None)  # the code is what other data refers to: fixed once created
    audit.update_audited(leave_type, actor=actor, action=audit.Action.LEAVE_TYPE_CHANGED, fields=TYPE_FIELDS, validate=False,
                         values={name: fields[name] for name in TYPE_FIELDS if name in fields})
    return leave_type


@transaction.atomic
def update_leave_settings(*, actor: AbstractBaseUser, emergency_slip_workdays: int, max_attachment_mb: int) -> LeaveSettings:
    permissions.require(actor, "leave.manage")
    settings = LeaveSettings.current()
    settings = LeaveSettings.objects.select_for_update().get(pk=settings.pk)
    audit.update_audited(settings, actor=actor, action=audit.Action.LEAVE_SETTINGS_CHANGED, fields=SETTINGS_FIELDS, validate=False,
                         values={"emergency_slip_workdays": emergency_slip_workdays, "max_attachment_mb": max_attachment_mb})
    return settings


def recount_leave_for_calendar_change(day: date, actor: AbstractBaseUser | None) -> None:
    """opsdept's calendar hook: HR changed whether `day` is a workday, so the days of leave covering it change."""
    affected = LeaveRequest.objects.select_for_update().filter(
        status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED], start_date__lte=day, end_date__gte=day,
    )
    for leave in affected:
        days = counting.count_days(leave.start_date, leave.start_half, leave.end_date, leave.end_half)
        if days != leave.days and days > 0:
            with department_language():
                note = _("The work calendar changed on %(day)s.") % {"day": day}
            audit.record(actor, audit.Action.LEAVE_RECOUNTED, leave, changes={"days": [leave.days, days]},
                         note=note)
            leave.days = days
            leave.save(update_fields=["days"])


# ---------------------------------------------------------------- business trips (外出 / 出差)

TRIP_FIELDS = ["status", "kind", "start_date", "start_half", "end_date", "end_half", "days", "destination", "decided_by", "decided_at"]


def _trip_span_text(trip: BusinessTrip) -> str:
    return "%s %s – %s %s" % (trip.start_date, Half(trip.start_half).label, trip.end_date, Half(trip.end_half).label)


@transaction.atomic
def file_business_trip(
    employee_id: int, *, actor: AbstractBaseUser, kind: str, start_date: date, start_half: str, end_date: date,
    end_half: str, destination: str, reason: str,
) -> BusinessTrip:
    """Ask to work offsite (外出) or travel (出差); the supervisor approves it like leave.

    Refused: backwards, no working half day, longer than a year, overlapping the employee's leave
    or another trip (pending or approved).
    """
    me = _actor_employee(actor)
    permissions.require(actor, "leave.file")
    if me.pk != employee_id:
        raise LeaveError(_("You can only ask for your own business trips."))
    if kind not in BusinessTrip.Kind.values:
        raise LeaveError(_("Choose offsite work or a business trip."), field="kind")
    if not (2000 <= start_date.year <= 2100 and 2000 <= end_date.year <= 2100):
        raise LeaveError(_("Enter a date between 2000 and 2100."), field="start_date")
    if not counting.ends_after_start(start_date, start_half, end_date, end_half):
        raise LeaveError(_("The trip must end after it starts."), field="end_date")
    if (end_date - start_date).days > 366:
        raise LeaveError(_("One request covers at most a year; file the rest separately."), field="end_date")
    if not destination.strip():
        raise LeaveError(_("Say where you will be."), field="destination")
    if not reason.strip():
        raise LeaveError(_("Give a reason."), field="reason")
    days = counting.count_days(start_date, start_half, end_date, end_half)
    if days <= 0:
        raise LeaveError(_("The trip must cover at least one working half day."), field="start_date")
    employee = _lock_employee(employee_id)
    span = (start_date, start_half, end_date, end_half)
    for leave in LeaveRequest.objects.filter(
        employee=employee, status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        start_date__lte=end_date, end_date__gte=start_date,
    ):
        if counting.overlaps(span, (leave.start_date, leave.start_half, leave.end_date, leave.end_half)):
            raise LeaveError(_("This overlaps your leave of %(span)s.") % {"span": _span_text(leave)}, field="start_date")
    for other in BusinessTrip.objects.filter(
        employee=employee, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED],
        start_date__lte=end_date, end_date__gte=start_date,
    ):
        if counting.overlaps(span, (other.start_date, other.start_half, other.end_date, other.end_half)):
            raise LeaveError(_("This overlaps your business trip of %(span)s.") % {"span": _trip_span_text(other)},
                             field="start_date")
    trip = BusinessTrip(
        employee=employee, kind=kind, start_date=start_date, start_half=start_half, end_date=end_date,
        end_half=end_half, days=days, destination=destination.strip(), reason=reason.strip(),
    )
    audit.update_audited(trip, actor=actor, action=audit.Action.TRIP_REQUESTED, fields=TRIP_FIELDS, validate=False)
    approver, away = permissions.routed_approver(employee, start_date)
    if approver is not None:
        deputy_line = Message(gettext_lazy("You decide this as deputy for %(name)s."), name=away.name) if away is not None else ""
        notify(approver, subject=Message(gettext_lazy("%(name)s asks for a business trip from %(day)s"), name=employee.name, day=start_date),
               body=Lines(deputy_line, trip.reason), url=reverse("leave:trips"), key=key_for(trip))
    return trip


@transaction.atomic
def decide_business_trip(trip_id: int, *, actor: AbstractBaseUser, approve: bool, note: str = "") -> BusinessTrip:
    """The supervisor approves (the days become "on business" in attendance) or rejects, with a reason."""
    trip = BusinessTrip.objects.select_for_update().select_related("employee").get(pk=trip_id)
    permissions.require(actor, "leave.decide", trip)
    if trip.status != RequestStatus.PENDING:
        raise LeaveError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise LeaveError(_("Say why the request is rejected."), field="note")
    audit.update_audited(
        trip, actor=actor, fields=TRIP_FIELDS + ["decided_for"], note=note.strip(), validate=False,
        action=audit.Action.TRIP_APPROVED if approve else audit.Action.TRIP_REJECTED,
        values={"status": RequestStatus.APPROVED if approve else RequestStatus.REJECTED, "decided_by": _actor_employee(actor),
                "decided_for": approvals.decided_for(actor, trip), "decided_at": timezone.now(), "decision_note": note.strip()},
    )
    mark_read(key_for(trip))
    approvals.tell_principal(trip, url=reverse("leave:trips"), subject=Message(
        gettext_lazy("%(deputy)s decided %(what)s for you: %(outcome)s"),
        deputy=trip.decided_by.name, what=lambda: describe_trip(trip), outcome=trip.get_status_display))
    if approve:
        with department_language():
            text = _("Business trip approved: %(trip)s") % {"trip": trip}
        reconcile_days(trip.employee, trip.start_date, trip.end_date, actor=actor, note=text)
    subject = (gettext_lazy("Your business trip from %(day)s was approved") if approve
               else gettext_lazy("Your business trip from %(day)s was rejected"))
    notify(trip.employee, subject=Message(subject, day=trip.start_date), body=trip.decision_note, url=reverse("leave:trips"))
    return trip


@transaction.atomic
def cancel_business_trip(trip_id: int, *, actor: AbstractBaseUser) -> BusinessTrip:
    """The employee withdraws a pending trip, or an approved one before it starts (its days are reconciled)."""
    trip = BusinessTrip.objects.select_for_update().select_related("employee").get(pk=trip_id)
    permissions.require(actor, "leave.cancel", trip)
    was_approved = trip.status == RequestStatus.APPROVED
    if trip.status not in (RequestStatus.PENDING, RequestStatus.APPROVED):
        raise LeaveError(_("Only a pending or approved request can be cancelled."))
    if was_approved and trip.start_date <= timezone.localdate():
        raise LeaveError(_("This trip has started and can no longer be cancelled."))
    audit.update_audited(trip, actor=actor, action=audit.Action.TRIP_CANCELLED, fields=TRIP_FIELDS, validate=False,
                         values={"status": RequestStatus.CANCELLED})
    if was_approved:
        with department_language():
            text = _("Business trip cancelled: %(trip)s") % {"trip": trip}
        reconcile_days(trip.employee, trip.start_date, trip.end_date, actor=actor, note=text)
    return trip


# ---------------------------------------------------------------- escalation (approvals that never get stuck)

def describe_leave(leave: LeaveRequest) -> str:
    """The leave request in a sentence (registries.escalations)."""
    return _("%(name)s's %(type)s from %(day)s") % {
        "name": leave.employee.name, "type": leave.leave_type.display_name, "day": leave.start_date}


def describe_trip(trip: BusinessTrip) -> str:
    """The business trip in a sentence (registries.escalations)."""
    return _("%(name)s's business trip from %(day)s") % {"name": trip.employee.name, "day": trip.start_date}


def escalate_leave_request(request_id: int, *, today: date | None = None) -> Employee | None:
    """One stuck leave request a level up (opsdept.approvals' one path for every routed request)."""
    return approvals.escalate_request("leave.request", request_id, today=today)


def escalate_stuck_leave_requests(today: date | None = None) -> int:
    """Every stuck pending leave request, one transaction each. Returns how many moved."""
    return approvals.escalate_stuck_requests(today, kinds=["leave.request"])
