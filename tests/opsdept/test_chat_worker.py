"""A real Celery worker delivers a group-robot message to the fake DingTalk: correctly signed, and a
failing delivery retried with backoff until the vendor takes it."""

from pathlib import Path
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings

from opsdept import chat
from opsdept.models import WebhookDelivery
from tests.opsdept.test_celery_worker import worker_database_url

from .fake_robot import FakeRobot

ROOT = Path(__file__).resolve().parents[2]
SECRET = "SECworker0123456789"


@pytest.fixture
def chat_worker(transactional_db):
    """Like test_celery_worker's worker, with a one-second retry backoff."""
    queue = f"opsdept-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "OUTBOX_RETRY_SECONDS": "1"}
    log = open(ROOT / "test-artifacts" / "celery-chat-worker.log", "w") if (ROOT / "test-artifacts").is_dir() else subprocess.DEVNULL
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
def test_a_real_worker_signs_for_the_fake_dingtalk_and_retries_a_failing_delivery(chat_worker, cast, settings):
    from opsdept.celery import app

    with FakeRobot(secret=SECRET) as robot:
        settings.CHAT_WEBHOOK_TEST_PREFIXES = [robot.base]
        chat.add_webhook(actor=cast.hr.user, name="客服部群", vendor="dingtalk", url=robot.dingtalk_url, secret=SECRET,
                         events=["discipline.notice"])
        robot.fail_next = 2   # HTTP 500 twice, then the vendor takes it
        app.conf.task_always_eager = False
        default_queue = app.conf.task_default_queue
        app.conf.task_default_queue = chat_worker   # post_event's task goes to this test's worker
        try:
            [delivery] = chat.post_event("discipline.notice", text="公告栏新通报：通报批评")   # autocommit: queued at once
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                delivery.refresh_from_db()
                if delivery.status != WebhookDelivery.Status.PENDING:
                    break
                time.sleep(0.5)
        finally:
            app.conf.task_default_queue = default_queue
        assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.SENT, 3)
        assert robot.hits == 3 and not robot.refused
        assert robot.received == [{"msgtype": "text", "text": {"content": "公告栏新通报：通报批评"}}]
