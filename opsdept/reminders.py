"""Reminders before deadlines: the sender, the 9:00 digest and the per-person choices (services).

The chapters register what to remind of in `registries.reminders`; a beat entry per
time in opsdept/celery.py calls `send_reminders(at)`. Nothing goes on a non-workday,
to someone on leave that day, to someone who turned the kind off (HR sets the
default), after the thing is done (the chapter's `due` leaves it out) or twice (a
`SentReminder` row with the reminder's unique key).
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _, gettext_lazy

from . import audit, permissions, registries, workcalendar
from .errors import DomainError
from .models import ReminderDefault, ReminderPreference, SentReminder
from .notify import Lines, Message, notify

DIGEST = "opsdept.digest"


class ReminderError(DomainError):
    pass


# ---------------------------------------------------------------- who gets which kind

def default_for(kind: str) -> bool:
    found = ReminderDefault.objects.filter(kind=kind).first()
    if found is not None:
        return found.enabled
    reminder = registries.reminders.get(kind)
    return reminder.default_on if reminder is not None else False


def enabled_ids(kind: str, employee_ids: Iterable[int]) -> set[int]:
    """Of `employee_ids`, those who get `kind`: their own choice, else HR's default."""
    ids = set(employee_ids)
    chosen = dict(ReminderPreference.objects.filter(kind=kind, employee_id__in=ids).values_list("employee_id", "enabled"))
    default = default_for(kind)
    return {pk for pk in ids if chosen.get(pk, default)}


def on_leave_ids(employee_ids: Iterable[int], day: date) -> set[int]:
    """Of `employee_ids`, those a leave provider covers (any half) on `day`."""
    ids = list(employee_ids)
    away: set[int] = set()
    for provider in registries.day_providers:
        if provider.kind == "leave" and ids:
            away |= {pk for (pk, _day) in provider.covers(ids, day, day)}
    return away


def choices_for(employee) -> list[tuple[str, object, bool]]:
    """[(kind, label, on)] for the preferences page."""
    chosen = dict(ReminderPreference.objects.filter(employee=employee).values_list("kind", "enabled"))
    return [(kind, reminder.label, chosen.get(kind, default_for(kind))) for kind, reminder in registries.reminders.items()]


# ---------------------------------------------------------------- sending

def send_reminders(at: str, day: date | None = None) -> int:
    """Send every registered reminder due at `at` ("HH:MM") on `day` (today); return how many went."""
    day = day or timezone.localdate()
    if not workcalendar.is_workday(day):
        return 0
    sent = 0
    # Reminders are stored text: written in the department's language, whoever runs the task.
    with translation.override(settings.LANGUAGE_CODE):
        for kind, reminder in registries.reminders.items():
            if reminder.at != at:
                continue
            dues = [due for due in reminder.due(day) if due.employee.is_active]
            if not dues:
                continue
            ids = {due.employee.pk for due in dues}
            allowed = enabled_ids(kind, ids) - on_leave_ids(ids, day)
            already = set(SentReminder.objects.filter(key__in=[due.key for due in dues]).values_list("key", flat=True))
            for due in dues:
                if due.employee.pk in allowed and due.key not in already and _send_once(kind, due):
                    already.add(due.key)
                    sent += 1
    return sent


def _send_once(kind: str, due: registries.Due) -> bool:
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=due.key[:150], kind=kind, employee=due.employee)
            notify(due.employee, subject=due.subject, body=due.body, url=due.url, key=due.key)
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


# ---------------------------------------------------------------- the 9:00 digest (opsdept's own reminder)

def previous_workday(day: date) -> date:
    current = day - timedelta(days=1)
    for _step in range(60):
        if workcalendar.is_workday(current):
            return current
        current -= timedelta(days=1)
    return current


def digest_due(day: date) -> list[registries.Due]:
    """One message per decider listing the requests that have waited more than a workday (filed before yesterday's workday)."""
    filed_before = previous_workday(day)
    waiting: dict[int, list[registries.Waiting]] = {}
    deciders = {}
    for _key, source in registries.awaiting_decision.items():
        for item in source(filed_before):
            waiting.setdefault(item.decider.pk, []).append(item)
            deciders[item.decider.pk] = item.decider
    return [
        registries.Due(
            employee=deciders[pk], key=f"{DIGEST}:{pk}:{day.isoformat()}",
            subject=Message(gettext_lazy("%(count)s requests have waited more than a workday for your decision"), count=len(items)),
            body=Lines(*(format_lazy("· {}", item.text) for item in items)),  # each line in the reader's language
            url=items[0].url if len(items) == 1 else reverse("home"),
        )
        for pk, items in waiting.items()
    ]


def register() -> None:
    registries.reminders.register(DIGEST, registries.Reminder(
        label=gettext_lazy("09:00 · requests waiting more than a workday for your decision (one daily digest)"),
        at="09:00", due=digest_due), order=10)


# ---------------------------------------------------------------- choices (services)

def _kind_or_error(kind: str) -> str:
    if kind not in registries.reminders:
        raise ReminderError(_("Choose a reminder from the list."))
    return kind


@transaction.atomic
def set_reminder_preference(kind: str, *, actor: AbstractBaseUser, enabled: bool) -> ReminderPreference:
    """An employee turns one kind of reminder on or off for themself."""
    permissions.require(actor, "reminders.choose")
    me = permissions.employee_of(actor)
    _kind_or_error(kind)
    found, _created = ReminderPreference.objects.select_for_update().get_or_create(
        employee=me, kind=kind, defaults={"enabled": default_for(kind)})
    if found.enabled != enabled or _created:
        before = found.enabled
        found.enabled = enabled
        found.save(update_fields=["enabled"])
        audit.record(actor, audit.Action.REMINDER_PREFERENCE_SET, found, changes={"kind": kind, "enabled": [before, enabled]})
    return found


@transaction.atomic
def set_reminder_default(kind: str, *, actor: AbstractBaseUser, enabled: bool) -> ReminderDefault:
    """HR sets whether a kind of reminder is on for those who have not chosen."""
    permissions.require(actor, "reminders.defaults")
    _kind_or_error(kind)
    before = default_for(kind)
    found, _created = ReminderDefault.objects.select_for_update().get_or_create(kind=kind, defaults={"enabled": enabled})
    if found.enabled != enabled:
        found.enabled = enabled
        found.save(update_fields=["enabled"])
    if before != enabled:
        audit.record(actor, audit.Action.REMINDER_DEFAULT_SET, found, changes={"kind": kind, "enabled": [before, enabled]})
    return found
