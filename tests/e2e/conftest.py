"""Browser journeys run as transactional tests (the live server reads committed data)."""

from importlib import import_module

import pytest


@pytest.fixture(autouse=True)
def _migration_seeded_rules(transactional_db) -> None:
    """Put back the rules the discipline migration seeds.

    A transactional test's teardown flushes every table, the seeded rules
    included, and the nightly checks that `seed_demo` runs need them.
    `serialized_rollback` does not help here: Playwright's greenlet sees
    another connection object than the one the session serialized.
    """
    from django.apps import apps

    import_module("discipline.migrations.0003_seed_rules").seed_rules(apps, None)
