"""opsdept's tasks: the nightly run and the alerts around it. Safe to run twice; explicit dates.

`acks_late` with `reject_on_worker_lost` (settings: CELERY_TASK_ACKS_LATE …) means a message is
acknowledged only when its task returns: a worker killed mid-night gives the night back to the
queue, and the next attempt resumes it check by check (opsdept.nightly).
"""

from datetime import date

from celery import shared_task

from . import nightly


@shared_task(name="opsdept.tasks.run_nightly_checks")
def run_nightly_checks() -> dict[str, str]:
    """Run every night that is due and not done (yesterday only from 01:30); return {date: outcome}."""
    return {day: outcome.state for day, outcome in nightly.catch_up(fan_out=nightly.fan_out_enabled()).items()}


@shared_task(name="opsdept.tasks.run_nightly_checks_for")
def run_nightly_checks_for(day_iso: str) -> str:
    """Run (or resume) the night of one finished date; refuses today and the future."""
    return nightly.run_night(date.fromisoformat(day_iso), trigger="task", fan_out=nightly.fan_out_enabled()).state


@shared_task(name="opsdept.tasks.run_nightly_chunk")
def run_nightly_chunk(run_id: int, key: str, employee_ids: list[int], resume: bool = True) -> str:
    """One chunk of a night sent to the workers (opsdept.nightly fan-out); the last one finishes the night."""
    return nightly.run_chunk(run_id, key, employee_ids, resume=resume)


@shared_task(name="opsdept.tasks.warn_overdue_night")
def warn_overdue_night() -> str | None:
    night = nightly.warn_overdue_night()
    return night.isoformat() if night else None


@shared_task(name="opsdept.tasks.warn_unknown_calendar")
def warn_unknown_calendar() -> str | None:
    first = nightly.warn_unknown_calendar()
    return first.isoformat() if first else None


@shared_task(name="opsdept.tasks.ping_database")
def ping_database(marker: str) -> int:
    """Write an audit event with `marker`: proves a worker reaches our database."""
    from . import audit

    return audit.record(None, audit.Action.CELERY_PING, note=marker).pk


@shared_task(name="opsdept.tasks.send_reminders")
def send_reminders(at: str, day_iso: str | None = None) -> int:
    """Send the reminders registered for `at` ("HH:MM") today (or on `day_iso`); never twice."""
    from . import reminders

    return reminders.send_reminders(at, date.fromisoformat(day_iso) if day_iso else None)


@shared_task(name="opsdept.tasks.deliver_outbox", bind=True)
def deliver_outbox(self, message_id: int) -> str | None:
    """Deliver one outbox message (a group-robot message, an e-mail, a task) unless someone already has."""
    from . import outbox

    queue = (self.request.delivery_info or {}).get("routing_key") or None   # a retry comes back to this queue
    return outbox.deliver(message_id, queue=queue)


@shared_task(name="opsdept.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Deliver every outbox message that is due: never reached a worker, waited out a retry, or lost its worker."""
    from . import outbox

    return outbox.sweep()


@shared_task(name="opsdept.tasks.escalate_stuck_requests")
def escalate_stuck_requests() -> int:
    """Every routed request (leave, trips, corrections, overtime, appeals) pending at its start, or for
    too long, goes one level up (beat: 08:30)."""
    from .approvals import escalate_stuck_requests as escalate

    return escalate()
