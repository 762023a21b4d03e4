"""The run-log migration keeps every NightlyRun written before it (issue 15)."""

from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("opsdept", "0005_created_by_employee_3")]
AFTER = [("opsdept", "0006_nightly_run_log")]


@pytest.mark.django_db(transaction=True)
def test_existing_runs_become_entries_of_the_run_log():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("opsdept", "NightlyRun")
    moment = datetime(2026, 11, 20, 17, 30, tzinfo=dt_timezone.utc)
    old.objects.create(date=date(2026, 11, 20), finished_at=moment, summary={"attendance.lateness": 4000})
    old.objects.create(date=date(2026, 11, 21), finished_at=None, summary={})
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("opsdept", "NightlyRun")
        done = new.objects.get(date=date(2026, 11, 20))
        assert (done.status, done.summary, done.finished_at) == ("done", {"attendance.lateness": 4000}, moment)
        assert done.checks == {"attendance.lateness": {"status": "done", "flags": 4000}}
        assert new.objects.get(date=date(2026, 11, 21)).status == "failed"
        assert new.objects.count() == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
