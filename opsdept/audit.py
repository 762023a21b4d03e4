"""The one audit trail: call `record` inside the transaction that makes the change.

Every action is a member of `Action` (like zulip's AuditLogEventType): the stored
code stays stable, the label reads as a sentence on the audit page in either
language. `update_audited` is the one "snapshot → set → full_clean → save → diff →
record" sequence.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
import json

from .models import AuditEvent


class Action(models.TextChoices):
    """Everything the audit trail records, grouped by chapter."""

    # the department
    EMPLOYEE_CREATED = "employee.created", _("created an employee")
    EMPLOYEE_UPDATED = "employee.updated", _("changed an employee")
    EMPLOYEE_DEACTIVATED = "employee.deactivated", _("deactivated an employee")
    EMPLOYEE_REACTIVATED = "employee.reactivated", _("reactivated an employee")
    SCHEDULE_UPDATED = "schedule.updated", _("changed the working hours")
    CALENDAR_OVERRIDE_SET = "calendar.override_set", _("set a work-calendar date")
    CALENDAR_OVERRIDE_REMOVED = "calendar.override_removed", _("removed a work-calendar override")
    CALENDAR_YEAR_CONFIRMED = "calendar.year_confirmed", _("confirmed a year's holidays")
    CELERY_PING = "celery.ping", _("checked the background worker")
    DEPUTY_NAMED = "deputy.named", _("named a deputy approver")
    DEPUTY_CANCELLED = "deputy.cancelled", _("cancelled a deputy approver")
    APPROVAL_SETTINGS_CHANGED = "approval.settings_changed", _("changed the approval settings")
    REMINDER_PREFERENCE_SET = "reminder.preference_set", _("chose whether to get a reminder")
    REMINDER_DEFAULT_SET = "reminder.default_set", _("set a reminder's default")
    MAIL_PREFERENCE_SET = "mail.preference_set", _("changed which e-mails to get")
    CHAT_WEBHOOK_ADDED = "chat.webhook_added", _("added a group robot")
    CHAT_WEBHOOK_CHANGED = "chat.webhook_changed", _("changed a group robot")
    CHAT_WEBHOOK_TESTED = "chat.webhook_tested", _("sent a test message to a group robot")
    OUTBOX_RETRIED = "outbox.retried", _("sent a failed message again")
    # discipline
    FLAG_RAISED = "flag.raised", _("raised a flag")
    FLAG_DISMISSED = "flag.dismissed", _("dismissed a flag")
    FLAG_PENALISED = "flag.penalised", _("turned a flag into a penalty")
    FLAG_RESOLVED = "flag.resolved", _("resolved a flag")
    FLAG_EXPLAINED = "flag.explained", _("explained a flag")
    FLAG_ESCALATED = "flag.escalated", _("escalated an unreviewed flag")
    RECORD_ISSUED = "record.issued", _("issued a reward or penalty")
    RECORD_REVERSED = "record.reversed", _("reversed a reward or penalty")
    APPEAL_FILED = "appeal.filed", _("filed an appeal")
    APPEAL_DECIDED = "appeal.decided", _("decided an appeal")
    CAMPAIGN_MISS_RECORDED = "campaign_miss.recorded", _("recorded a campaign that missed its effect")
    RULE_CONFIGURED = "rule.configured", _("configured a rule")
    DISCIPLINE_SETTINGS_CHANGED = "discipline.settings_changed", _("changed the discipline settings")
    POLICY_PUBLISHED = "policy.published", _("published a policy version")
    POLICY_ACKNOWLEDGED = "policy.acknowledged", _("acknowledged the policy")
    # attendance
    PUNCHED = "attendance.punched", _("clocked in or out")
    PUNCHES_IMPORTED = "attendance.punches_imported", _("imported punches")
    ATTENDANCE_SETTINGS_UPDATED = "attendance.settings_updated", _("changed the attendance settings")
    CORRECTION_REQUESTED = "attendance.correction_requested", _("asked for a missed-punch correction")
    CORRECTION_APPROVED = "attendance.correction_approved", _("approved a missed-punch correction")
    CORRECTION_REJECTED = "attendance.correction_rejected", _("rejected a missed-punch correction")
    CORRECTION_CANCELLED = "attendance.correction_cancelled", _("withdrew a missed-punch correction")
    OVERTIME_REQUESTED = "attendance.overtime_requested", _("asked for overtime")
    OVERTIME_APPROVED = "attendance.overtime_approved", _("approved overtime")
    OVERTIME_REJECTED = "attendance.overtime_rejected", _("rejected overtime")
    OVERTIME_CANCELLED = "attendance.overtime_cancelled", _("withdrew an overtime request")
    DAYS_RECONCILED = "attendance.days_reconciled", _("recomputed attendance days")
    # leave
    LEAVE_REQUESTED = "leave.requested", _("asked for leave")
    LEAVE_APPROVED = "leave.approved", _("approved leave")
    LEAVE_REJECTED = "leave.rejected", _("rejected leave")
    LEAVE_CANCELLED = "leave.cancelled", _("cancelled leave")
    LEAVE_ENDED_EARLY = "leave.ended_early", _("ended leave early")
    LEAVE_EMERGENCY_RECORDED = "leave.emergency_recorded", _("recorded an emergency leave")
    LEAVE_SLIP_HANDED_IN = "leave.slip_handed_in", _("handed in a written leave slip")
    LEAVE_ESCALATED = "leave.escalated", _("escalated a pending leave request")
    REQUEST_ESCALATED = "request.escalated", _("escalated a pending request")
    LEAVE_RECOUNTED = "leave.recounted", _("recounted leave after a calendar change")
    LEAVE_BALANCE_ADJUSTED = "leave.balance_adjusted", _("adjusted an annual-leave balance")
    LEAVE_TYPE_CREATED = "leave.type_created", _("created a leave type")
    LEAVE_TYPE_CHANGED = "leave.type_changed", _("changed a leave type")
    LEAVE_SETTINGS_CHANGED = "leave.settings_changed", _("changed the leave settings")
    # work log
    REPORT_WRITTEN = "worklog.report_written", _("wrote a daily report")
    REPORT_EDITED = "worklog.report_edited", _("edited a daily report")
    REPORT_REVIEWED = "worklog.report_reviewed", _("reviewed a daily report")
    TASK_ASSIGNED = "worklog.task_assigned", _("assigned a task")
    TASK_DONE = "worklog.task_done", _("marked a task done")
    TASK_FEEDBACK = "worklog.task_feedback", _("gave feedback on a task")
    # meetings (issue 9) and duty (issue 10) add their groups below
    # duty
    DUTY_PERIOD_DECLARED = "duty.period_declared", _("declared a duty period")
    DUTY_COMPENSATION_SET = "duty.compensation_set", _("set how a duty period is compensated")
    DUTY_ROSTER_CREATED = "duty.roster_created", _("started a duty roster")
    DUTY_DAY_SET = "duty.day_set", _("arranged a duty day")
    DUTY_ROSTER_FILLED = "duty.roster_filled", _("filled a duty roster evenly")
    DUTY_ROSTER_PUBLISHED = "duty.roster_published", _("published a duty roster")
    DUTY_SWAP_REQUESTED = "duty.swap_requested", _("asked a colleague to take a duty shift")
    DUTY_SWAP_ACCEPTED = "duty.swap_accepted", _("accepted a duty swap")
    DUTY_SWAP_DECLINED = "duty.swap_declined", _("declined a duty swap")
    DUTY_SWAP_WITHDRAWN = "duty.swap_withdrawn", _("withdrew a duty swap")
    DUTY_SWAP_APPROVED = "duty.swap_approved", _("approved a duty swap")
    DUTY_SWAP_REJECTED = "duty.swap_rejected", _("rejected a duty swap")
    DUTY_LOG_WRITTEN = "duty.log_written", _("wrote a duty log")
    COMP_TIME_CREDITED = "comptime.credited", _("credited comp time")
    COMP_TIME_DEBITED = "comptime.debited", _("used comp time")
    COMP_TIME_ADJUSTED = "comptime.adjusted", _("adjusted comp time")
    # meetings
    MEETING_PLANNED = "meeting.planned", _("planned a meeting")
    MEETING_CALLED = "meeting.called", _("called an extra meeting")
    MEETING_MOVED = "meeting.moved", _("moved a meeting")
    MEETING_CANCELLED = "meeting.cancelled", _("cancelled a meeting")
    MEETING_CHECKED_IN = "meeting.checked_in", _("checked in to a meeting")
    MEETING_ATTENDANCE_MARKED = "meeting.attendance_marked", _("marked meeting attendance")
    MEETING_LATENESS_EXPLAINED = "meeting.lateness_explained", _("explained being late to a meeting")
    MEETING_EXPLANATION_ACKNOWLEDGED = "meeting.explanation_acknowledged", _("acknowledged a late explanation")
    MEETING_ROLL_CLOSED = "meeting.roll_closed", _("closed a meeting's attendance")
    MINUTES_SAVED = "meeting.minutes_saved", _("saved meeting minutes")
    MINUTES_PUBLISHED = "meeting.minutes_published", _("published meeting minutes")
    ACTION_ITEM_ADDED = "meeting.action_item_added", _("added an action item")
    MEETING_SETTINGS_CHANGED = "meeting.settings_changed", _("changed the meeting settings")
    CALENDAR_FEED_RESET = "meeting.feed_reset", _("reset a calendar feed link")
    # the month end (issue 11): business trips, monthly confirmation
    TRIP_REQUESTED = "leave.trip_requested", _("asked for a business trip")
    TRIP_APPROVED = "leave.trip_approved", _("approved a business trip")
    TRIP_REJECTED = "leave.trip_rejected", _("rejected a business trip")
    TRIP_CANCELLED = "leave.trip_cancelled", _("cancelled a business trip")
    CONFIRMATION_OPENED = "attendance.confirmation_opened", _("opened the monthly attendance confirmation")
    MONTH_CONFIRMED = "attendance.month_confirmed", _("confirmed their month's attendance")
    DAY_DISPUTED = "attendance.day_disputed", _("disputed a day of attendance")
    DISPUTE_RESOLVED = "attendance.dispute_resolved", _("resolved an attendance dispute")
    CONFIRMATION_REMINDED = "attendance.confirmation_reminded", _("reminded those who have not confirmed their month")
    MONTH_LOCKED = "attendance.month_locked", _("locked a month's attendance")
    LOCKED_MONTH_CHANGED = "attendance.locked_month_changed", _("changed a locked month")


def label_for(code: str) -> str:
    """The human label of a stored action code (the code itself for one no longer in the enum)."""
    try:
        return str(Action(code).label)
    except ValueError:
        return code


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-safe values (a relation as its id)."""
    return _jsonable({name: getattr(obj, name if not obj._meta.get_field(name).is_relation else f"{name}_id") for name in fields})


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def record(
    actor: AbstractBaseUser | None,
    action: Action,
    target: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event: `actor` did `action` to `target`."""
    event = unsaved_event(actor, action, target, changes=changes, note=note)
    event.save()
    return event


def unsaved_event(
    actor: AbstractBaseUser | None,
    action: Action,
    target: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """The event `record` would write, not yet saved: a batch service writes many with `record_many`."""
    if not isinstance(action, Action):
        raise TypeError(f"audit.record wants an audit.Action member, not {action!r}")
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        changes=_jsonable(changes or {}),
        note=note,
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    return event


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write events built by `unsaved_event` in one INSERT per thousand (the nightly checks' batches)."""
    return AuditEvent.objects.bulk_create(events, batch_size=1000)


def record_system_batch(action: Action, model: type[models.Model],
                        targets: Iterable[tuple[object, str, dict[str, Any], str]]) -> int:
    """The system (no actor) did `action` to many `model` rows: one event per (pk, repr, changes, note),
    written as plain rows (`opsdept.bulk.insert_rows`), one INSERT per thousand: what `record_many` of
    `unsaved_event`s writes, without an instance per event (the worst night writes 20,000). Returns how many."""
    from .bulk import insert_rows

    if not isinstance(action, Action):
        raise TypeError(f"audit.record wants an audit.Action member, not {action!r}")
    content_type = ContentType.objects.get_for_model(model).pk
    now = timezone.now()
    rows = [(now, None, action.value, content_type, str(pk), text[:200], _jsonable(changes or {}), note)
            for pk, text, changes, note in targets]
    insert_rows(AuditEvent, ("at", "actor_id", "action", "target_type_id", "target_id", "target_repr", "changes", "note"),
                rows)
    return len(rows)


def update_audited(
    obj: models.Model,
    *,
    actor: AbstractBaseUser | None,
    action: Action,
    fields: Iterable[str],
    values: dict[str, Any] | None = None,
    note: str = "",
    validate: bool = True,
    exclude_from_clean: list[str] | None = None,
) -> dict[str, Any]:
    """Set `values` on `obj`, validate, save it and record what became of the audited `fields`.

    An existing row is saved and recorded only when an audited field changed; the
    return value (and the event's changes) is then {field: [old, new]}, empty when
    nothing changed. A new, unsaved object is always saved and recorded, with its
    audited fields as they are ({field: value}). `validate=False` skips `full_clean`
    for a service that has checked its input itself.
    """
    fields = list(fields)
    creating = obj._state.adding
    before = {} if creating else _snapshot(obj, fields)
    for name, value in (values or {}).items():
        setattr(obj, name, value)
    if validate:
        obj.full_clean(exclude=exclude_from_clean)
    after = _snapshot(obj, fields)
    changes = after if creating else _diff(before, after)
    if creating or changes:
        obj.save()
        record(actor, action, obj, changes=changes, note=note)
    return changes
