"""Tell an employee something: in the app at once, by email after the transaction commits."""

import logging
import re

from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.db import transaction
from django.utils import translation

from .models import Employee, Notification

log = logging.getLogger(__name__)

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


def notify(recipient: Employee, *, subject: str, body: str = "", url: str = "") -> Notification:
    """Create an in-app notification for `recipient` and email them once the change commits.

    Compose the text inside `with department_language():`.
    """
    subject = one_line(subject)
    notification = Notification.objects.create(recipient=recipient, subject=subject[:200], body=body, url=url)
    address = recipient.email or recipient.user.email
    if address:
        def send() -> None:
            try:
                send_mail(subject, f"{body}\n\n{absolute_url(url)}".strip(), None, [address])
            except (OSError, BadHeaderError, ValueError):
                log.warning("could not email notification %s to %s", notification.pk, address)

        transaction.on_commit(send)
    return notification
