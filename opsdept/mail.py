"""E-mail for notifications: a plain-text and an HTML part, all in the recipient's language (the mail's
frame, and the notification's subject and body, stored in every language by `opsdept.notify`), and
an unsubscribe link per kind (the notification key's prefix: "leaverequest", a reminder's kind …)
that works without signing in (a signed token)."""

from django.conf import settings
from django.core import signing
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .notify import absolute_url
from .models import MailPreference, Notification

SALT = "opsdept.mail.unsubscribe"
GENERAL = "general"
KIND_LABELS = {
    "leaverequest": _("Leave requests and decisions"),
    "correction": _("Punch corrections"),
    "overtime": _("Overtime requests"),
    "appeal": _("Appeals"),
    "flag": _("Attendance notices and flag reviews"),
    GENERAL: _("Other notifications"),
}


def kind_of(notification: Notification) -> str:
    return notification.key.split(":", 1)[0] if notification.key else GENERAL


def kind_label(kind: str):
    from . import registries

    reminder = registries.reminders.get(kind)
    return reminder.label if reminder is not None else KIND_LABELS.get(kind, kind)


def unsubscribe_token(employee_id: int, kind: str) -> str:
    return signing.dumps({"e": employee_id, "k": kind}, salt=SALT)


def read_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (data.get("e"), data.get("k")) if isinstance(data, dict) else None


def preference_of(employee) -> MailPreference | None:
    return MailPreference.objects.filter(employee=employee).first()


_UNREAD = object()


def build_message(notification: Notification, address: str, *, preference: object = _UNREAD) -> EmailMultiAlternatives | None:
    """The mail for `notification`, or None when its recipient unsubscribed from its kind.

    `preference` (the recipient's MailPreference or None) when the caller read them for a batch.
    """
    recipient = notification.recipient
    if preference is _UNREAD:
        preference = preference_of(recipient)
    kind = kind_of(notification)
    if preference is not None and kind in (preference.unsubscribed or []):
        return None
    language = preference.language if preference is not None else settings.LANGUAGE_CODE
    subject, body = notification.in_language(language)  # composed in every language when it was written
    context = {
        "notification": notification, "subject": subject, "body": body, "recipient": recipient, "kind_label": kind_label(kind),
        "link": absolute_url(notification.url) if notification.url else "",
        "unsubscribe_path": absolute_url(reverse(
            "mail_unsubscribe", kwargs={"token": unsubscribe_token(recipient.pk, kind)})),
    }
    with translation.override(language):
        text = render_to_string("opsdept/mail/notification.txt", context)
        html = render_to_string("opsdept/mail/notification.html", context)
    subject = " ".join(subject.split())  # never a header break in a subject
    message = EmailMultiAlternatives(subject, text, None, [address],
                                     headers={"List-Unsubscribe": f"<{context['unsubscribe_path']}>"})
    message.attach_alternative(html, "text/html")
    return message


def send_notification_mail(notification_id: int, address: str) -> bool:
    """Send the mail of one notification (the outbox's delivery); False when its recipient unsubscribed.

    A message that can never be built (a header break, a bad address) raises `outbox.Undeliverable`;
    a mail server that is down raises its OSError, and the outbox tries again later.
    """
    from .outbox import Undeliverable

    notification = Notification.objects.select_related("recipient__user").get(pk=notification_id)
    try:
        message = build_message(notification, address)
        if message is None:
            return False
        message.send()
    except (BadHeaderError, ValueError) as error:
        raise Undeliverable(str(error)) from error
    return True


def all_kinds() -> list[tuple[str, object]]:
    from . import registries

    return [*KIND_LABELS.items(), *((key, reminder.label) for key, reminder in registries.reminders.items())]


# ---------------------------------------------------------------- services

def set_mail_preference(employee, *, actor, language: str, unsubscribed: list[str]) -> MailPreference:
    """The employee chooses the language of their mails and the kinds they do not want by mail."""
    from django.db import transaction

    from . import audit
    from .errors import DomainError

    known = {key for key, _label in all_kinds()}
    if language not in dict(settings.LANGUAGES) or not set(unsubscribed) <= known:
        raise DomainError(_("Choose from the list."))
    with transaction.atomic():
        found, _created = MailPreference.objects.select_for_update().get_or_create(employee=employee)
        audit.update_audited(found, actor=actor, action=audit.Action.MAIL_PREFERENCE_SET, fields=["language", "unsubscribed"],
                             values={"language": language, "unsubscribed": sorted(set(unsubscribed))}, validate=False)
    return found


def remember_language(employee, *, actor, language: str) -> MailPreference:
    """The employee switched the site's language: their e-mails (and saved preference) follow."""
    from django.db import transaction

    from . import audit
    from .errors import DomainError

    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose from the list."))
    with transaction.atomic():
        found, _created = MailPreference.objects.select_for_update().get_or_create(employee=employee)
        if found.language != language or _created:
            audit.update_audited(found, actor=actor, action=audit.Action.MAIL_PREFERENCE_SET, fields=["language"],
                                 values={"language": language}, validate=False, note="language switch")
    return found


def unsubscribe(token: str) -> tuple[object, str] | None:
    """Follow an unsubscribe link: stop mails of its kind to its employee. None for a bad or stale link."""
    from django.db import transaction

    from . import audit
    from .models import Employee

    found = read_token(token)
    if found is None:
        return None
    employee = Employee.objects.filter(pk=found[0]).first()
    if employee is None:
        return None
    with transaction.atomic():
        preference, _created = MailPreference.objects.select_for_update().get_or_create(employee=employee)
        if found[1] not in preference.unsubscribed:
            audit.update_audited(preference, actor=None, action=audit.Action.MAIL_PREFERENCE_SET, fields=["unsubscribed"],
                                 values={"unsubscribed": sorted({*preference.unsubscribed, found[1]})}, validate=False,
                                 note="unsubscribe link")
    return employee, found[1]
