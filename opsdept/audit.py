"""The one audit trail: call `record` inside the transaction that makes the change."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
import json

from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the named fields of `obj` as JSON-safe values, for before/after pairs."""
    return _jsonable({name: getattr(obj, name if not obj._meta.get_field(name).is_relation else f"{name}_id") for name in fields})


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields that changed."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def record(
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event: `actor` did `action` to `target`."""
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        changes=_jsonable(changes or {}),
        note=note,
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    event.save()
    return event
