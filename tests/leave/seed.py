"""Migration-seeded rows (leave types, discipline rules) vanish when a transactional test flushes the database:
tests that need them call `ensure_seed_data()` first."""

from importlib import import_module

from django.apps import apps

from leave.models import LeaveType
from leave.seeds import seed_leave_types


def ensure_seed_data() -> None:
    seed_leave_types(LeaveType)
    import_module("discipline.migrations.0003_seed_rules").seed_rules(apps, None)
