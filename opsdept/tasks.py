from datetime import date

from celery import shared_task

from . import nightly


@shared_task(name="opsdept.tasks.run_nightly_checks")
def run_nightly_checks() -> dict[str, dict[str, int]]:
    """Run the checks for every date not yet checked up to yesterday (safe to run twice)."""
    return {day.isoformat(): nightly.run_for_date(day) for day in nightly.dates_to_catch_up()}


@shared_task(name="opsdept.tasks.run_nightly_checks_for")
def run_nightly_checks_for(day_iso: str) -> dict[str, int]:
    return nightly.run_for_date(date.fromisoformat(day_iso))


@shared_task(name="opsdept.tasks.ping_database")
def ping_database(marker: str) -> int:
    """Write an audit event with `marker`: proves a worker reaches our database."""
    from . import audit

    return audit.record(None, "celery.ping", note=marker).pk


@shared_task(name="opsdept.tasks.send_reminders")
def send_reminders(at: str, day_iso: str | None = None) -> int:
    """Send the reminders registered for `at` ("HH:MM") today (or on `day_iso`); never twice."""
    from . import reminders

    return reminders.send_reminders(at, date.fromisoformat(day_iso) if day_iso else None)
