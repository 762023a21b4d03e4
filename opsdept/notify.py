"""Tell an employee something: in the app at once, by email through the outbox after the transaction commits.

A notification about something to act on carries a `key` naming its subject
("leaverequest:42", see `key_for`); the service that acts on it calls
`mark_read(key)`, so every copy (the supervisor's, the deputy's, the one it
escalated to) stops counting.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone, translation

from . import outbox
from .models import Employee, Notification

# Line breaks of every kind, other control characters and runs of white space. A mail
# header may not contain a line break (Django refuses it with BadHeaderError), and a
# subject is built from what people typed: task titles, leave type names, names.
_WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(text: str) -> str:
    """`text` on one line: every run of white space or control characters becomes one space."""
    return _WHITESPACE.sub(" ", str(text)).strip()


def absolute_url(url: str) -> str:
    """A link a mail client can open: the site's address (settings.SITE_URL) before a path."""
    if url.startswith("/") and not url.startswith("//"):
        return f"{settings.SITE_URL}{url}"
    return url


def department_language() -> translation.override:
    """Compose text that is stored and read later in the department's language (zh-hans).

    Notifications, flag details and notes are read by other people on other days:
    they must not take the language of whichever request happened to cause them.
    """
    return translation.override(settings.LANGUAGE_CODE)


def key_for(obj: Model) -> str:
    """The key of a notification about `obj`: "<model name>:<pk>" (e.g. "leaverequest:42")."""
    return f"{obj._meta.model_name}:{obj.pk}"


def notify(recipient: Employee, *, subject: str, body: str = "", url: str = "", key: str = "") -> Notification:
    """Create an in-app notification for `recipient` and email them once the change commits.

    Compose the text inside `with department_language():`. `key` (see `key_for`)
    links it to what it asks the recipient to act on.
    """
    subject = one_line(subject)
    notification = Notification.objects.create(recipient=recipient, subject=subject[:200], body=body, url=url,
                                               key=key[:100])
    address = recipient.email or recipient.user.email
    if address:
        # Written now, in the caller's transaction; a worker sends it after the commit (opsdept.outbox).
        outbox.add(outbox.Kind.MAIL, {"notification": notification.pk, "address": address})
    return notification


def notify_many(messages: list[tuple[Employee, str, str, str]]) -> list[Notification]:
    """`notify` for a batch of (recipient, subject, body, url): one INSERT per thousand, the mails through the outbox.

    The nightly checks tell everyone they flagged at once; the queries do not grow with the batch
    (recipients without an address of their own have their user's address read in one query).
    """
    if not messages:
        return []
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=recipient, subject=one_line(subject)[:200], body=body, url=url)
         for recipient, subject, body, url in messages],
        batch_size=1000,
    )
    user_ids = {recipient.user_id for recipient, *_rest in messages if not recipient.email and recipient.user_id}
    user_emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email")) if user_ids else {}
    addressed = [(notification, recipient.email or user_emails.get(recipient.user_id, ""))
                 for notification, (recipient, *_rest) in zip(notifications, messages)]
    addressed = [(notification, address) for notification, address in addressed if address]
    # Written now, in the night's transaction; workers send them after the commit (opsdept.outbox).
    outbox.add_many(outbox.Kind.MAIL, [{"notification": notification.pk, "address": address}
                                       for notification, address in addressed])
    return notifications


def mark_read(key: str) -> int:
    """The thing `key` names was acted on: mark its unread notifications read for everyone; return how many."""
    if not key:
        return 0
    return Notification.objects.filter(key=key, read_at__isnull=True).update(read_at=timezone.now())
