"""The outbox: what a request must send later is written to the database first (issue 15).

A group-robot message, a notification e-mail or a task a request wants run is an
`OutboxMessage` row written in the request's own transaction (`add`, `add_task`), so it
exists exactly when the change that caused it commits. After the commit a worker is nudged
(`opsdept.tasks.deliver_outbox`, sent once, without retries: a dead or frozen broker costs
the request at most the connect timeout and loses nothing); beat's sweep
(`opsdept.tasks.sweep_outbox`, every minute) delivers whatever is still waiting — a row the
nudge never reached, a retry whose backoff is over, a row whose worker died mid-send.

Delivery happens once per claim: a worker first claims the row with a conditional UPDATE
(pending → sending, with a lease), which only one claimant can win, on PostgreSQL and SQLite
alike; the sweep picks its batch with `select_for_update(skip_locked=True)` so rival sweeps
split the rows instead of waiting on each other. A worker killed between sending and
recording leaves the row "sending" until its lease ends; then it is sent again (at least
once — the vendors and mail servers cannot tell us whether the lost attempt got through).
"""

from collections.abc import Callable
from datetime import timedelta
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import OutboxMessage

log = logging.getLogger(__name__)

Kind = OutboxMessage.Kind
Status = OutboxMessage.Status
# One try and five retries with exponential backoff (settings.OUTBOX_RETRY_SECONDS, doubled each time).
MAX_ATTEMPTS = 6
BACKOFF_CAP = timedelta(hours=1)
# A claimant owns a row this long: longer than any one send (HTTP and SMTP time out well before).
LEASE = timedelta(minutes=10)
SWEEP_BATCH = 200
# After the broker refused a nudge, this process leaves its messages to the sweep for this long.
BROKER_PAUSE_SECONDS = 30
_broker_down_until = 0.0


class Undeliverable(Exception):
    """This message can never be delivered (a bad header, its subject gone): fail it, do not retry."""


# ---------------------------------------------------------------- writing (inside a service's transaction)

def add(kind: str, payload: dict) -> OutboxMessage:
    """Write a message to deliver after the current transaction commits; nudge a worker then."""
    message = OutboxMessage.objects.create(kind=kind, payload=payload)
    transaction.on_commit(lambda: nudge(message.pk))
    return message


def add_many(kind: str, payloads: list[dict]) -> list[int]:
    """`add` for a batch (the night's flag mails): one INSERT per thousand rows, and after the commit one
    sweep is asked for instead of one message per row (beat's sweep takes the rest, SWEEP_BATCH a minute).
    Returns the messages' ids (written as plain rows, `opsdept.bulk.insert_rows`: no instance per mail)."""
    from .bulk import insert_rows

    now = timezone.now()
    ids = [pk for (pk,) in insert_rows(
        OutboxMessage, ("kind", "payload", "status", "attempts", "available_at", "lease_until", "last_error",
                        "created_at", "delivered_at"),
        [(kind, payload, OutboxMessage.Status.PENDING, 0, now, None, "", now, None) for payload in payloads])]
    if ids:
        transaction.on_commit(_nudge_sweep)
    return ids


def _nudge_sweep() -> None:
    global _broker_down_until
    from .tasks import sweep_outbox

    if time.monotonic() < _broker_down_until:
        return
    try:
        sweep_outbox.apply_async(retry=False)
    except Exception:  # noqa: BLE001 — as in nudge: beat's sweep delivers them later
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("could not reach the broker to sweep the outbox; beat's sweep will deliver it")


def add_task(name: str, *args: object) -> OutboxMessage:
    """Run the Celery task `name` with `args` once the current transaction commits, even if the broker is down now."""
    return add(Kind.TASK, {"task": name, "args": list(args)})


def add_tasks(name: str, argument_lists: list[tuple]) -> list[OutboxMessage]:
    """`add_task` for a batch that a worker sends (the night's chunks): one INSERT, and after the commit this
    process hands the tasks to the broker itself, in order, instead of a nudge per message (each a turn of a
    worker, queued ahead of the tasks: 50 turns before the first chunk of a 100,000-employee night). A send the
    broker refuses is retried as any delivery is; the rest wait for the sweep."""
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(kind=Kind.TASK, payload={"task": name, "args": list(args)}) for args in argument_lists])
    if messages:
        transaction.on_commit(lambda: _deliver_now([message.pk for message in messages]))
    return messages


def _deliver_now(message_ids: list[int]) -> None:
    for message_id in message_ids:
        if time.monotonic() < _broker_down_until:
            return  # the broker refused a send just now: beat's sweep delivers the rest
        deliver(message_id)


def nudge(message_id: int, *, countdown: float | None = None, queue: str | None = None) -> bool:
    """Ask a worker to deliver `message_id` now (or after `countdown`); False when the broker did not take it.

    A broker that refuses (or times out) costs one request the connect timeout; for the next
    BROKER_PAUSE_SECONDS this process does not ask again and leaves its messages to the sweep.
    """
    global _broker_down_until
    from .tasks import deliver_outbox

    if time.monotonic() < _broker_down_until:
        return False
    try:
        deliver_outbox.apply_async((message_id,), countdown=countdown, retry=False, queue=queue)
    except Exception:  # noqa: BLE001 — kombu's OperationalError, socket errors: the sweep delivers it later
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("could not reach the broker for outbox message %s; the sweep will deliver it", message_id)
        return False
    return True


def reset_broker_pause() -> None:
    """Ask the broker again at the next nudge (tests; an operator's shell after fixing Redis)."""
    global _broker_down_until
    _broker_down_until = 0.0


# ---------------------------------------------------------------- HR: what waits or failed, and "retry now"

class OutboxError(DomainError):
    pass


def recipients(messages: list[OutboxMessage]) -> dict[int, str]:
    """{message id: to whom it goes}: a mail's address, a robot's name, a task's name (one query for the robots)."""
    from .models import WebhookDelivery

    delivery_ids = [message.payload.get("delivery") for message in messages if message.kind == Kind.WEBHOOK]
    robots = dict(WebhookDelivery.objects.filter(pk__in=[pk for pk in delivery_ids if isinstance(pk, int)])
                  .values_list("pk", "webhook__name"))
    found = {}
    for message in messages:
        if message.kind == Kind.MAIL:
            found[message.pk] = str(message.payload.get("address", ""))
        elif message.kind == Kind.WEBHOOK:
            found[message.pk] = robots.get(message.payload.get("delivery"), "")
        else:
            found[message.pk] = str(message.payload.get("task", ""))
    return found


def retry_message(message_id: int, *, actor) -> OutboxMessage:
    """HR sends a failed message again now: waiting, due at once, a fresh round of tries; audited."""
    from . import audit, permissions
    from .models import WebhookDelivery

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        permissions.require(actor, "outbox.retry", message)
        if message.status != Status.FAILED:
            raise OutboxError(_("Only a failed message can be sent again."))
        if message.kind == Kind.WEBHOOK:  # the robot's delivery log shows it sending again, not failed
            WebhookDelivery.objects.filter(pk=message.payload.get("delivery"), status=WebhookDelivery.Status.FAILED).update(
                status=WebhookDelivery.Status.PENDING, finished_at=None)
        audit.update_audited(message, actor=actor, action=audit.Action.OUTBOX_RETRIED,
                             fields=["status", "attempts", "available_at"], validate=False,
                             values={"status": Status.PENDING, "attempts": 0, "available_at": timezone.now(),
                                     "lease_until": None},
                             note=message.last_error)
        transaction.on_commit(lambda: nudge(message.pk))
    return message


# ---------------------------------------------------------------- delivering (a worker)

def _claimable(now, *, due_only: bool) -> Q:
    waiting = Q(status=Status.PENDING, available_at__lte=now) if due_only else Q(status=Status.PENDING)
    return waiting | Q(status=Status.SENDING, lease_until__lt=now)


def claim(message_id: int, *, due_only: bool = False) -> bool:
    """Take `message_id` for delivery; False when it is delivered, failed or another worker holds it."""
    now = timezone.now()
    return OutboxMessage.objects.filter(_claimable(now, due_only=due_only), pk=message_id).update(
        status=Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1) == 1


def deliver(message_id: int, *, queue: str | None = None) -> str | None:
    """Deliver one message if no one else has (the nudge's task body); return its new status, or None.

    A retry is nudged to `queue` (the queue this delivery came from), or the default queue.
    """
    if not claim(message_id):
        return None
    return _send_claimed(message_id, queue=queue)


def sweep(*, limit: int = SWEEP_BATCH) -> int:
    """Deliver the messages that are due (beat, every minute); return how many this sweep claimed."""
    now = timezone.now()
    with transaction.atomic():
        # Rows a rival sweep is claiming right now are skipped, not waited for.
        candidates = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                          .filter(_claimable(now, due_only=True)).order_by("id").values_list("pk", flat=True)[:limit])
        claimed = [pk for pk in candidates if claim(pk, due_only=True)]
    for pk in claimed:
        _send_claimed(pk)
    return len(claimed)


def _send_claimed(message_id: int, *, queue: str | None = None) -> str:
    message = OutboxMessage.objects.get(pk=message_id)
    final = message.attempts >= MAX_ATTEMPTS
    now = timezone.now()
    try:
        HANDLERS[message.kind](message.payload, final=final)
    except Exception as error:  # noqa: BLE001 — every failure is recorded on the row
        text = f"{type(error).__name__}: {error}"[:300]
        if final or isinstance(error, Undeliverable):
            log.warning("outbox message %s failed for good: %s", message_id, text)
            OutboxMessage.objects.filter(pk=message_id).update(status=Status.FAILED, last_error=text, lease_until=None)
            return Status.FAILED
        delay = min(timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** (message.attempts - 1)), BACKOFF_CAP)
        OutboxMessage.objects.filter(pk=message_id).update(
            status=Status.PENDING, available_at=now + delay, last_error=text, lease_until=None)
        nudge(message_id, countdown=delay.total_seconds(), queue=queue)
        return Status.PENDING
    OutboxMessage.objects.filter(pk=message_id).update(status=Status.DELIVERED, delivered_at=now, lease_until=None)
    return Status.DELIVERED


# ---------------------------------------------------------------- the kinds

def _deliver_webhook(payload: dict, *, final: bool) -> None:
    from . import chat

    if not chat.attempt_delivery(payload["delivery"], final=final):
        raise chat.DeliveryFailed(chat.WebhookDelivery.objects.get(pk=payload["delivery"]).response)


def _deliver_mail(payload: dict, *, final: bool) -> None:
    from .mail import send_notification_mail

    send_notification_mail(payload["notification"], payload["address"])


def _deliver_task(payload: dict, *, final: bool) -> None:
    from celery import current_app

    current_app.tasks[payload["task"]].apply_async(tuple(payload.get("args", [])))


HANDLERS: dict[str, Callable[..., None]] = {
    Kind.WEBHOOK: _deliver_webhook,
    Kind.MAIL: _deliver_mail,
    Kind.TASK: _deliver_task,
}
