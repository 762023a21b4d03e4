"""The audit trail in words: who (by name) did what (the action's label) to what, and
which fields changed from what to what, each by its verbose name and formatted for
a reader (dates, ¥ amounts, 是/否, choices by their label, a missing value as —).

`describe(events)` turns one page of `AuditEvent`s into `Entry`s with a bounded
number of queries: related objects named in the changes are fetched once per model.
"""

from collections import defaultdict
from dataclasses import dataclass, field as dataclass_field
from datetime import date, datetime, time, timezone as dt_timezone
from decimal import Decimal, InvalidOperation
import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _, gettext_lazy

from .audit import label_for
from .models import AuditEvent, Employee

EMPTY = "—"

# Keys that services record beside a model's own fields (they are not fields of the target).
EXTRA_LABELS = {
    "changes": gettext_lazy("changes"),
    "from": gettext_lazy("from"),
    "to": gettext_lazy("to"),
    "employees": gettext_lazy("employees"),
    "file": gettext_lazy("file"),
    "added": gettext_lazy("added"),
    "skipped": gettext_lazy("skipped"),
    "late": gettext_lazy("late"),
    "days": gettext_lazy("days"),
    "year": gettext_lazy("year"),
    "ip": gettext_lazy("IP address"),
    "time": gettext_lazy("time"),
    "date": gettext_lazy("date"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "overnight": gettext_lazy("overnight"),
    "day_kind": gettext_lazy("kind of day"),
    "version": gettext_lazy("version"),
    "label": gettext_lazy("label"),
    "sha256": gettext_lazy("fingerprint"),
    "new_amount": gettext_lazy("new amount"),
    "amount": gettext_lazy("amount"),
    "overrides": gettext_lazy("overrides"),
    "kind": gettext_lazy("kind"),
    "enabled": gettext_lazy("enabled"),
    "hours": gettext_lazy("hours"),
    "status": gettext_lazy("status"),
    "record": gettext_lazy("reward or penalty"),
    "reversal": gettext_lazy("reversal"),
    "appeal": gettext_lazy("appeal"),
    "explanation": gettext_lazy("explanation"),
    "escalated_to": gettext_lazy("escalated to"),
    "employee": gettext_lazy("employee"),
    "rule": gettext_lazy("rule"),
    "note": gettext_lazy("note"),
    "campaign": gettext_lazy("campaign"),
    "at": gettext_lazy("time"),
    "flag": gettext_lazy("flag"),
    "reason": gettext_lazy("reason"),
    "days_filled": gettext_lazy("days filled"),
    "acknowledged": gettext_lazy("acknowledged"),
    "colleague": gettext_lazy("colleague"),
    "owner": gettext_lazy("owner"),
    "invitees": gettext_lazy("invitees"),
    "done_on": gettext_lazy("done on"),
    "due_date": gettext_lazy("due date"),
    "given_on": gettext_lazy("given on"),
    "new_plan": gettext_lazy("new plan"),
    "period": gettext_lazy("period"),
    "starts_at": gettext_lazy("starts at"),
    "title": gettext_lazy("title"),
    "is_active": gettext_lazy("active"),
}
# Keys that name employees by id when they are not a field of the target.
EMPLOYEE_KEYS = {"employee", "employees", "escalated_to", "colleague", "owner", "invitees"}
# Keys whose value is a list in itself, never an [old, new] pair.
LIST_KEYS = {"employees", "overrides"}
MONEY_KEYS = {"amount", "new_amount", "amount_min", "amount_max", "min_amount", "max_amount"}
STATUS_WORDS = {
    "pending": gettext_lazy("Pending"), "approved": gettext_lazy("Approved"), "rejected": gettext_lazy("Rejected"),
    "cancelled": gettext_lazy("Cancelled"), "open": gettext_lazy("open"), "dismissed": gettext_lazy("dismissed"),
    "resolved": gettext_lazy("resolved"), "penalised": gettext_lazy("penalised"), "upheld": gettext_lazy("upheld"),
}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A target named before the audit trail was shown in words: "<employee id> <UTC time>" (a punch)
# or "<employee id> <date> <status code>" (an attendance day). Rows are never edited, so the
# reader's page turns them into words when it shows them.
_LEGACY_REPR = re.compile(r"^(?P<employee>\d+) (?P<rest>\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?(?: \S+)?)$")
_LEGACY_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Change:
    label: str
    old: str | None  # None: a value recorded on its own (a creation), not a change
    new: str


@dataclass
class Entry:
    event: AuditEvent
    who: str
    did: str
    what_kind: str
    what: str
    changes: list[Change] = dataclass_field(default_factory=list)


def _model_field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _is_pair(model_field: models.Field | None, key: str, value: Any) -> bool:
    if not (isinstance(value, list) and len(value) == 2) or key in LIST_KEYS:
        return False
    return not isinstance(model_field, models.JSONField)


def _money(value: Any) -> str:
    try:
        return f"¥{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def _number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = format(number.normalize(), "f")
    return text


def _datetime(value: str | datetime) -> str:
    moment = value if isinstance(value, datetime) else parse_datetime(value)
    if moment is None:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


class _Names:
    """Related objects named by id in the changes, fetched in one query per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[Any, models.Model]] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                self.wanted[model].add(item)

    def load(self) -> None:
        for model, values in self.wanted.items():
            ids = [value for value in values if isinstance(value, int) or (isinstance(value, str) and value.isdigit())]
            codes = [value for value in values if isinstance(value, str) and not value.isdigit()]
            found: dict[Any, models.Model] = {}
            try:
                found.update(model._default_manager.in_bulk([int(value) for value in ids]))
                # a rule is recorded by its code ("late"), not its id
                if codes and any(field.name == "code" for field in model._meta.get_fields()):
                    found.update(model._default_manager.in_bulk(codes, field_name="code"))
            except (ValueError, TypeError):
                pass
            self.found[model] = found

    def name(self, model: type[models.Model], value: Any) -> str:
        obj = self.found.get(model, {}).get(value)
        if obj is None and isinstance(value, str) and value.isdigit():
            obj = self.found.get(model, {}).get(int(value))
        if obj is None:
            return f"#{value}"
        return getattr(obj, "name", None) or str(obj)


def format_value(value: Any, model_field: models.Field | None = None, key: str = "",
                 names: _Names | None = None) -> str:
    """One recorded value as a reader sees it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(format_value(item, model_field, key, names) for item in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(f"{item_key}: {format_value(item, None, item_key, names)}" for item_key, item in value.items())
    if model_field is not None:
        if model_field.is_relation and model_field.related_model is not None and names is not None:
            return names.name(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("yes") if value in (True, "true", "True", 1) else _("no")
        if isinstance(model_field, models.DateTimeField):
            return _datetime(value)
        if isinstance(model_field, models.DateField):
            parsed = value if isinstance(value, date) else parse_date(str(value))
            return parsed.isoformat() if parsed else str(value)
        if isinstance(model_field, models.TimeField):
            parsed = value if isinstance(value, time) else parse_time(str(value))
            return parsed.strftime("%H:%M") if parsed else str(value)
        if isinstance(model_field, models.DecimalField):
            return _money(value) if "amount" in model_field.name or key in MONEY_KEYS else _number(value)
    if key in MONEY_KEYS:
        return _money(value)
    if isinstance(value, str):
        if _DATETIME.match(value):
            return _datetime(value)
        if key == "status" and value in STATUS_WORDS:
            return str(STATUS_WORDS[value])
        if re.fullmatch(r"-?\d+\.\d+", value):
            return _number(value)
    return str(value)


def _label(model_field: models.Field | None, key: str) -> str:
    if model_field is not None:
        return str(model_field.verbose_name)
    return str(EXTRA_LABELS.get(key, key.replace("_", " ")))


def who(event: AuditEvent) -> str:
    if event.actor is None:
        return _("the system")
    employee = getattr(event.actor, "employee", None)
    return employee.name if employee is not None else event.actor.get_username()


def _normalised_changes(changes: Any) -> dict[str, Any]:
    """{key: value or [old, new]} whatever shape an older row stored its changes in.

    Older shapes: {"field": {"old": x, "new": y}}, a list of [field, old, new] triples,
    or a plain sentence (shown as it is, under "changes").
    """
    if not changes:
        return {}
    if isinstance(changes, dict):
        return {key: [value.get("old"), value.get("new")] if isinstance(value, dict) and set(value) == {"old", "new"}
                else value for key, value in changes.items()}
    if isinstance(changes, list) and all(isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                                         for item in changes):
        return {item[0]: [item[1], item[2]] for item in changes}
    return {"changes": changes if isinstance(changes, (list, str)) else str(changes)}


def _legacy_target(model: type[models.Model] | None, stored: str) -> tuple[int, str] | None:
    """(employee id, the rest) when `stored` names the target the old way, else None."""
    if model is None or not isinstance(_model_field(model, "employee"), models.ForeignKey):
        return None
    found = _LEGACY_REPR.match(stored or "")
    return (int(found["employee"]), found["rest"]) if found else None


def _legacy_words(model: type[models.Model], legacy: tuple[int, str], names: _Names) -> str:
    """An old target name in words: the person's name, a local time, a status by its label."""
    employee_id, rest = legacy
    name = names.name(Employee, employee_id)
    if _LEGACY_MOMENT.match(rest):  # stored in UTC
        moment = datetime.fromisoformat(rest).replace(tzinfo=dt_timezone.utc)
        return f"{name} {timezone.localtime(moment):%Y-%m-%d %H:%M}"
    day, _sep, code = rest.partition(" ")
    status = _model_field(model, "status")
    if code and status is not None and status.choices:
        code = str(dict(status.flatchoices).get(code, code))
    return f"{name} {day} {code}".strip()


def describe(events: list[AuditEvent]) -> list[Entry]:
    """The page's events in words (one query per model named in the changes)."""
    names = _Names()
    plan = []
    for event in events:
        model = event.target_type.model_class() if event.target_type_id else None
        items = []
        legacy = _legacy_target(model, event.target_repr)
        if legacy is not None:
            names.want(Employee, legacy[0])
        for key, value in _normalised_changes(event.changes).items():
            model_field = _model_field(model, key)
            related = model_field.related_model if model_field is not None and model_field.is_relation else None
            if related is None and key in EMPLOYEE_KEYS:
                related = Employee
                model_field = None
            pair = _is_pair(model_field, key, value)
            if related is not None:
                names.want(related, value)
            items.append((key, value, model_field, related, pair))
        plan.append((event, model, items, legacy))
    names.load()
    entries = []
    for event, model, items, legacy in plan:
        changes = []
        for key, value, model_field, related, pair in items:
            def show(item: Any) -> str:
                if related is not None and model_field is None:
                    return names.name(related, item) if item not in (None, "") else EMPTY
                return format_value(item, model_field, key, names)

            if pair:
                changes.append(Change(_label(model_field, key), show(value[0]), show(value[1])))
            else:
                changes.append(Change(_label(model_field, key), None,
                                      "、".join(show(item) for item in value) if isinstance(value, list) and related else show(value)))
        entries.append(Entry(
            event=event,
            who=who(event),
            did=label_for(event.action),
            what_kind=str(model._meta.verbose_name) if model is not None else "",
            what=_legacy_words(model, legacy, names) if legacy is not None else event.target_repr,
            changes=changes,
        ))
    return entries
