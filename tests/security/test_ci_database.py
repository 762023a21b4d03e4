"""CI runs on PostgreSQL, so the PostgreSQL-only suites (the races) run there rather than being deselected."""

import os

from django.db import connection
import pytest


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if os.environ.get("CI", "").lower() == "true":
        assert connection.vendor == "postgresql", "CI=true must set DATABASE_URL to PostgreSQL"
    else:
        assert connection.vendor in {"postgresql", "sqlite"}


def test_the_race_suite_is_marked_for_postgresql():
    from tests.security import test_races

    tests = [name for name in dir(test_races) if name.startswith("test_")]
    assert len(tests) >= 5 and any(mark.name == "postgresql" for mark in test_races.pytestmark)
