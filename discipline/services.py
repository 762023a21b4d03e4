"""discipline: every state change of flags (and, later, records and appeals)."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsdept import audit, permissions
from opsdept.errors import DomainError
from opsdept.models import Employee

from .models import Flag, Rule


class DisciplineError(DomainError):
    pass


def raise_flag(employee: Employee, *, day: date, rule_code: str, details: str = "", source: str = "") -> tuple[Flag, bool]:
    """Raise a flag for `employee` on `day` under a rule; return (flag, created). Safe to call twice."""
    rule = Rule.objects.get(code=rule_code)
    existing = Flag.objects.filter(employee=employee, date=day, rule=rule).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            flag = Flag.objects.create(employee=employee, date=day, rule=rule, details=details, source=source)
            audit.record(None, "flag.raised", flag, changes={"rule": rule_code, "date": day}, note=details)
    except IntegrityError:
        # Another run raised it between our look and our write.
        return Flag.objects.get(employee=employee, date=day, rule=rule), False
    return flag, True


@transaction.atomic
def dismiss_flag(flag_id: int, *, actor: AbstractBaseUser, reason: str) -> Flag:
    """Dismiss an open flag with a reason (a business trip, a system fault…)."""
    flag = Flag.objects.select_for_update().select_related("employee").get(pk=flag_id)
    permissions.require(actor, "flag.review", flag)
    if flag.status != Flag.Status.OPEN:
        raise DisciplineError(_("This flag has already been reviewed."))
    if not reason.strip():
        raise DisciplineError(_("Give a reason for dismissing the flag."), field="reason")
    flag.status = Flag.Status.DISMISSED
    flag.reviewed_by = actor
    flag.reviewed_at = timezone.now()
    flag.review_note = reason.strip()
    flag.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(actor, "flag.dismissed", flag, changes={"status": ["open", "dismissed"]}, note=flag.review_note)
    return flag


@transaction.atomic
def resolve_flag(flag_id: int, *, actor: AbstractBaseUser | None, note: str) -> Flag:
    """Close an open flag because its cause went away (leave approved afterwards, a correction…)."""
    flag = Flag.objects.select_for_update().get(pk=flag_id)
    if flag.status != Flag.Status.OPEN:
        return flag
    flag.status = Flag.Status.RESOLVED
    flag.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    flag.reviewed_at = timezone.now()
    flag.review_note = note
    flag.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(actor, "flag.resolved", flag, changes={"status": ["open", "resolved"]}, note=note)
    return flag
