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

    return audit.record(None, audit.Action.CELERY_PING, note=marker).pk


@shared_task(name="opsdept.tasks.send_reminders")
def send_reminders(at: str, day_iso: str | None = None) -> int:
    """Send the reminders registered for `at` ("HH:MM") today (or on `day_iso`); never twice."""
    from . import reminders

    return reminders.send_reminders(at, date.fromisoformat(day_iso) if day_iso else None)


@shared_task(name="opsdept.tasks.deliver_webhook", bind=True, max_retries=5)
def deliver_webhook(self, delivery_id: int) -> bool:
    """Send one group-robot message; on failure retry with exponential backoff, then mark it failed."""
    from django.conf import settings

    from . import chat

    final = self.request.retries >= self.max_retries
    if chat.attempt_delivery(delivery_id, final=final) or final:
        return not final or chat.WebhookDelivery.objects.get(pk=delivery_id).status == "sent"
    raise self.retry(countdown=settings.CHAT_WEBHOOK_RETRY_SECONDS * (2 ** self.request.retries))
