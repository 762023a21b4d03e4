"""A real Celery worker process runs our task against the test database.

In CI the broker is Redis (CELERY_BROKER_URL, set by .ci/run) and the database
PostgreSQL; locally the broker is kombu's filesystem transport and the
database the SQLite test file, exactly as `make run` uses them.
"""

from pathlib import Path
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from opsdept.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    queue = f"opsdept-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    log = open(ROOT / "test-artifacts" / "celery-worker.log", "w") if (ROOT / "test-artifacts").is_dir() else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "opsdept", "worker", "--pool=solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.worker
def test_a_real_worker_runs_a_task_against_the_test_database(worker):
    from opsdept.celery import app
    from opsdept.tasks import ping_database

    marker = uuid.uuid4().hex
    app.conf.task_always_eager = False
    ping_database.apply_async(args=[marker], queue=worker)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if AuditEvent.objects.filter(action="celery.ping", note=marker).exists():
            break
        time.sleep(0.5)
    assert AuditEvent.objects.filter(action="celery.ping", note=marker).count() == 1
    if os.environ.get("CI", "").lower() == "true":
        assert settings.CELERY_BROKER_URL.startswith("redis://")
