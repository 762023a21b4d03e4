"""Tell an employee something: in the app at once, by email through the outbox after the transaction commits.

A notification about something to act on carries a `key` naming its subject
("leaverequest:42", see `key_for`); the service that acts on it calls
`mark_read(key)`, so every copy (the supervisor's, the deputy's, the one it
escalated to) stops counting.

Text is composed for its reader, not for whoever caused it: a call site passes a `Message`
(a `gettext_lazy` msgid and its parameters) or a lazy string, never an already-translated
str. `notify` renders it once per language (`settings.LANGUAGES`) and stores each: the list
shows it in the reader's language, the e-mail in the recipient's (their mail preference).
A plain str in a body is what a person typed (a reason, a note) and is shown as it is.
"""

import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.functional import Promise

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

    Flag details, notes and audit text are read by other people on other days: they must
    not take the language of whichever request happened to cause them. (Notifications are
    composed per reader instead: pass a `Message`.)
    """
    return translation.override(settings.LANGUAGE_CODE)


# ---------------------------------------------------------------- text rendered in the reader's language

class Message:
    """`gettext_lazy(msgid) % params`, rendered when read: in the language active then.

    A parameter may be a plain value (a name, a date: the same in every language), a lazy
    string or another `Message` (translated too), or a callable without arguments (called
    then: `leave_type.display_name` differs by language, so pass `lambda: leave_type.display_name`).
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: Promise, /, **params: Any) -> None:
        if not isinstance(msgid, Promise):
            raise TypeError(f"Message wants gettext_lazy(...), not an already translated {type(msgid).__name__}: {msgid!r}")
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        text = str(self.msgid)
        return text % {name: _rendered(value) for name, value in self.params.items()} if self.params else text

    def __repr__(self) -> str:
        return f"Message({str(self.msgid)!r}, **{self.params!r})"


class Lines:
    """Parts (Messages, lazy strings, what people typed) shown one per line; empty parts left out."""

    __slots__ = ("parts",)

    def __init__(self, *parts: Any) -> None:
        self.parts = parts

    def __str__(self) -> str:
        return "\n".join(text for text in (str(_rendered(part)) for part in self.parts) if text)


class Verbatim(Lines):
    """Text that reads the same in every language (what a person typed), declared as such where a subject is
    wanted: `notify` refuses a bare str subject, which is most often a sentence already translated."""

    def __init__(self, text: str) -> None:
        super().__init__(text)


def _rendered(value: Any) -> Any:
    if isinstance(value, (Message, Lines, Promise)):
        return str(value)
    if callable(value) and not isinstance(value, type):
        return _rendered(value())
    return value


Text = Message | Lines | Promise | str


def _require_lazy(subject: Any) -> None:
    """A subject is always composed text: a Message or a lazy string, never one already translated."""
    if not isinstance(subject, (Message, Lines, Promise)):
        raise TypeError(f"notify wants the subject as a Message or gettext_lazy(...), not an already translated "
                        f"{type(subject).__name__}: {subject!r} (it would reach every reader in one language)")


def render_all(subject: Text, body: Text) -> dict[str, tuple[str, str]]:
    """{language: (subject on one line, body)} for every language the site speaks."""
    return render_batch([(subject, body)])[0]


class _Renderer:
    """Renders texts in the active language, each distinct lazy part once: a batch (the night's notices)
    repeats a few msgids and parameters thousands of times. Keys are object ids, valid while the batch
    holds its objects; plain values are keyed by value."""

    def __init__(self) -> None:
        self.memo: dict[object, object] = {}

    def _key(self, value: Any) -> object:
        if isinstance(value, Message):
            return ("message", id(value.msgid), tuple((name, self._key(part)) for name, part in value.params.items()))
        if isinstance(value, (Lines, Promise)) or callable(value):
            return ("id", id(value))
        try:
            hash(value)
        except TypeError:
            return ("id", id(value))
        return ("value", type(value), value)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Message):
            if value.params:
                key = self._key(value)
                if key not in self.memo:
                    self.memo[key] = self(value.msgid) % {name: self(part) for name, part in value.params.items()}
                return self.memo[key]
            return self(value.msgid)
        if isinstance(value, Lines):
            return "\n".join(text for text in (str(self(part)) for part in value.parts) if text)
        if isinstance(value, Promise) or (callable(value) and not isinstance(value, type)):
            key = ("id", id(value))
            if key not in self.memo:
                self.memo[key] = str(value) if isinstance(value, Promise) else self(value())
            return self.memo[key]
        return value


def render_batch(pairs: list[tuple[Text, Text]]) -> list[dict[str, tuple[str, str]]]:
    """`render_all` for many (subject, body) pairs: one language switch per language, not per text."""
    found: list[dict[str, tuple[str, str]]] = [{} for _pair in pairs]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            render, lines = _Renderer(), {}
            for texts, (subject, body) in zip(found, pairs):
                text = str(render(subject))
                if text not in lines:
                    lines[text] = one_line(text)[:200]
                texts[code] = (lines[text], str(render(body)))
    return found


def _notification(recipient: Employee, subject: Text, body: Text, url: str, key: str) -> Notification:
    _require_lazy(subject)
    texts = render_all(subject, body)
    here, there = texts[settings.LANGUAGE_CODE], {code: list(pair) for code, pair in texts.items() if code != settings.LANGUAGE_CODE}
    return Notification(recipient=recipient, subject=here[0], body=here[1], url=url, key=key[:100], texts=there)


def key_for(obj: Model) -> str:
    """The key of a notification about `obj`: "<model name>:<pk>" (e.g. "leaverequest:42")."""
    return f"{obj._meta.model_name}:{obj.pk}"


def notify(recipient: Employee, *, subject: Message | Promise, body: Text = "", url: str = "", key: str = "") -> Notification:
    """Create an in-app notification for `recipient` and email them once the change commits.

    `subject` (and a composed `body`) is a `Message` or a lazy string: it is stored in every
    language and read in the reader's. `key` (see `key_for`) links it to what it asks the
    recipient to act on.
    """
    notification = _notification(recipient, subject, body, url, key)
    notification.save()
    address = recipient.email or recipient.user.email
    if address:
        # Written now, in the caller's transaction; a worker sends it after the commit (opsdept.outbox).
        outbox.add(outbox.Kind.MAIL, {"notification": notification.pk, "address": address})
    return notification


def notify_many(messages: list[tuple[Employee, Message | Promise, Text, str]]) -> list[int]:
    """`notify` for a batch of (recipient, subject, body, url): one INSERT per thousand, the mails through the outbox;
    returns the notifications' ids.

    The nightly checks tell everyone they flagged at once; the queries do not grow with the batch
    (recipients without an address of their own have their user's address read in one query). A recipient
    is an Employee or anything with its `pk`, `email` and `user_id` (the night reads only those). Each
    distinct text is rendered once per language, and the rows are written as plain tuples (`opsdept.bulk`).
    """
    if not messages:
        return []
    from .bulk import insert_rows

    for _recipient, subject, _body, _url in messages:
        _require_lazy(subject)
    rendered = render_batch([(subject, body) for _recipient, subject, body, _url in messages])
    now, here = timezone.now(), settings.LANGUAGE_CODE
    rows = []
    for (recipient, _subject, _body, url), texts in zip(messages, rendered):
        there = {code: list(pair) for code, pair in texts.items() if code != here}
        rows.append((recipient.pk, texts[here][0], texts[here][1], url, now, None, "", there))
    ids = [pk for (pk,) in insert_rows(Notification, ("recipient_id", "subject", "body", "url", "created_at", "read_at",
                                                      "key", "texts"), rows)]
    user_ids = {recipient.user_id for recipient, *_rest in messages if not recipient.email and recipient.user_id}
    user_emails = dict(get_user_model().objects.filter(pk__any=user_ids).values_list("pk", "email")) if user_ids else {}
    addressed = [(pk, recipient.email or user_emails.get(recipient.user_id, ""))
                 for pk, (recipient, *_rest) in zip(ids, messages)]
    # Written now, in the night's transaction; workers send them after the commit (opsdept.outbox).
    outbox.add_many(outbox.Kind.MAIL, [{"notification": pk, "address": address} for pk, address in addressed if address])
    return ids


def mark_read(key: str) -> int:
    """The thing `key` names was acted on: mark its unread notifications read for everyone; return how many."""
    if not key:
        return 0
    return Notification.objects.filter(key=key, read_at__isnull=True).update(read_at=timezone.now())
