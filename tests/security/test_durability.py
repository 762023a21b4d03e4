"""Durability: no code path hard-deletes punches, approvals, flags, records or audit rows."""

from pathlib import Path
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from opsdept import durability

REFUSED = (durability.HardDeleteRefused, ValidationError, ProtectedError)  # some models refuse on their own too
ROOT = Path(__file__).resolve().parents[2]
MUST_BE_PROTECTED = {
    "attendance.Punch", "attendance.Correction", "attendance.Overtime",
    "leave.LeaveRequest", "leave.LeaveAttachment",
    "discipline.Flag", "discipline.Record", "discipline.Appeal",
    "opsdept.AuditEvent", "opsdept.Employee",
    "worklog.DailyReport", "worklog.Task",
}
# Every `.delete(` in the application code, reviewed: (file, the line's code).
REVIEWED_DELETES = {
    ("attendance/services.py", "AttendanceDay.objects.filter(pk__in=stale).delete()"),  # derived rows, recomputed
    ("opsdept/services.py", "session.delete()"),                                         # a login session
    ("opsdept/services.py", "override.delete()"),                                        # audited calendar override
    # A draft roster's day is rewritten whole (only while the roster is a draft, never published; audited before/after).
    ("duty/services.py", "DutyAssignment.objects.filter(shift__day=duty_day).delete()"),
    ("duty/services.py", "DutyShift.objects.filter(day=duty_day).delete()"),
}


def test_the_records_are_protected_against_delete():
    protected = {model._meta.label for model in durability.PROTECTED}
    assert MUST_BE_PROTECTED <= protected, MUST_BE_PROTECTED - protected


@pytest.mark.django_db
def test_deleting_a_protected_row_or_queryset_or_its_parent_is_refused(cast):
    from opsdept import audit
    from opsdept.models import AuditEvent, Employee

    event = audit.record(cast.hr.user, audit.Action.CELERY_PING, note="x")
    attempts = [event.delete, AuditEvent.objects.all().delete, Employee.objects.filter(pk=cast.employee.pk).delete,
                cast.employee.user.delete]  # the last: the cascade would take the employee record with it
    for attempt in attempts:
        with pytest.raises(REFUSED), transaction.atomic():
            attempt()
    assert AuditEvent.objects.filter(pk=event.pk).exists() and Employee.objects.filter(pk=cast.employee.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(MUST_BE_PROTECTED))
def test_every_protected_model_refuses_queryset_delete(label):
    model = apps.get_model(label)
    with pytest.raises(REFUSED):
        model(pk=10 ** 9).delete()


def application_files():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", ".venv", "var", "staticfiles", "scripts"} or "migrations" in relative.parts:
            continue
        yield relative, path


def test_every_delete_in_the_code_is_reviewed():
    """A new `.delete(` anywhere in the application fails here until someone reviews it."""
    found = set()
    for relative, path in application_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\.delete\(|_raw_delete\(|\.raw\(|\bDELETE FROM\b|\bTRUNCATE\b", line, flags=re.IGNORECASE) \
                    and not line.strip().startswith("#"):
                found.add((str(relative), line.strip()))
    assert found <= REVIEWED_DELETES, sorted(found - REVIEWED_DELETES)
