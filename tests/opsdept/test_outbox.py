"""The outbox (issue 15): what a request must send later is a database row written in its transaction,
delivered by a worker once, and waits — never lost — while the broker is down.

The real worker and Redis: test_outbox_worker.py.
"""

from datetime import timedelta
import socket
import uuid

from django.core import mail
from django.urls import reverse
from django.utils import timezone
import pytest

from opsdept.notify import Verbatim

from discipline.models import Kind, Record
from opsdept import notify, outbox
from opsdept.models import OutboxMessage, WebhookDelivery
from tests.discipline.factories import rule

from .fake_robot import FakeRobot

SECRET = "SEC0123456789abcdef"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]   # nothing listens once the probe is closed


@pytest.fixture
def web_broker(monkeypatch):
    """point(url): the web process's Celery app sends to `url`, not eagerly — as in production."""
    from opsdept.celery import app

    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)   # Celery prefers it to the configured broker
    original = app.conf.broker_url

    def point(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.task_always_eager = False

    yield point
    point(original)
    app.conf.task_always_eager = True


@pytest.fixture
def dead_broker(web_broker) -> str:
    """The web process's broker is a closed port: Redis is down."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    web_broker(url)
    return url


@pytest.fixture
def robot(settings):
    with FakeRobot(secret=SECRET) as fake:
        settings.CHAT_WEBHOOK_TEST_PREFIXES = [fake.base]
        yield fake


def public_criticism(client, cast) -> None:
    """The supervisor issues a 通报批评 through the web: it mails the employee and posts to the group robots."""
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("discipline:record_create"), {
        "employee": cast.employee.employee_no, "rule": rule("same-day-unfinished").pk, "kind": Kind.PUBLIC_CRITICISM,
        "amount": "", "evidence": "连续三天未交日报", "token": str(uuid.uuid4())})
    assert response.status_code == 302, response.content.decode()[:500]


def add_robot(cast, robot) -> None:
    from opsdept import chat

    chat.add_webhook(actor=cast.hr.user, name="客服部群", vendor="dingtalk", url=robot.dingtalk_url, secret=SECRET,
                     events=["discipline.notice"])


@pytest.fixture
def employee_with_mail(cast):
    cast.employee.email = "zhang@example.com"
    cast.employee.save(update_fields=["email"])
    return cast.employee


def test_with_the_broker_down_a_request_succeeds_and_its_mail_and_robot_message_wait_for_the_sweep(
        client, cast, robot, employee_with_mail, dead_broker, django_capture_on_commit_callbacks):
    add_robot(cast, robot)
    with django_capture_on_commit_callbacks(execute=True):
        public_criticism(client, cast)
    assert Record.objects.count() == 1
    waiting = list(OutboxMessage.objects.order_by("kind"))
    assert [(message.kind, message.status, message.attempts) for message in waiting] == [
        ("mail", "pending", 0), ("webhook", "pending", 0)]
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING   # HR's log: still sending
    assert not mail.outbox and not robot.received
    # The broker comes back; beat's sweep delivers what waited, once.
    assert outbox.sweep() == 2
    assert outbox.sweep() == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}
    assert [message.to for message in mail.outbox] == [["zhang@example.com"]]
    assert len(robot.received) == 1 and "通报批评" in robot.received[0]["text"]["content"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.SENT, 1)


def test_after_one_refused_nudge_the_process_stops_asking_the_broker_for_a_while(cast, employee_with_mail, dead_broker,
                                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(cast.employee, subject=Verbatim("一"))
    assert outbox._broker_down_until > 0
    assert outbox.nudge(OutboxMessage.objects.get().pk) is False   # no second wait for the connect timeout
    assert OutboxMessage.objects.get().status == "pending"


def test_with_the_broker_up_the_commit_delivers_at_once(client, cast, robot, employee_with_mail,
                                                        django_capture_on_commit_callbacks):
    add_robot(cast, robot)
    with django_capture_on_commit_callbacks(execute=True):
        public_criticism(client, cast)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}   # eager worker in tests
    assert len(mail.outbox) == 1 and len(robot.received) == 1


def test_nothing_is_written_to_the_outbox_when_the_request_fails(client, cast, robot, employee_with_mail):
    add_robot(cast, robot)
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("discipline:record_create"), {
        "employee": cast.employee.employee_no, "rule": rule("same-day-unfinished").pk, "kind": "fine", "amount": "100.01",
        "evidence": "x", "token": str(uuid.uuid4())})
    assert response.status_code == 200
    assert not OutboxMessage.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_second_sweep_during_a_send_does_not_send_the_same_row_again(cast, employee_with_mail, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notify.notify(cast.employee, subject=Verbatim("一次"))
    message = OutboxMessage.objects.get()
    sent, rivals = [], []

    def send_and_meanwhile_race(payload, *, final):
        rivals.append((outbox.sweep(), outbox.deliver(message.pk)))   # a rival sweep and a late nudge, mid-send
        sent.append(payload["notification"])

    monkeypatch.setitem(outbox.HANDLERS, "mail", send_and_meanwhile_race)
    assert outbox.sweep() == 1
    assert sent == [message.payload["notification"]] and rivals == [(0, None)]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 1)
    assert outbox.deliver(message.pk) is None and outbox.sweep() == 0


def test_a_row_whose_worker_died_mid_send_is_taken_back_after_its_lease(cast, employee_with_mail,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notify.notify(cast.employee, subject=Verbatim("租约"))
    message = OutboxMessage.objects.get()
    assert outbox.claim(message.pk) is True and outbox.claim(message.pk) is False   # one claimant wins
    assert outbox.sweep() == 0 and not mail.outbox            # its worker may still be sending
    OutboxMessage.objects.filter(pk=message.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert outbox.sweep() == 1                                # …it died: the sweep takes it back
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 2) and len(mail.outbox) == 1


def test_a_failing_robot_is_retried_with_backoff_and_then_fails_for_good_in_hr_log(cast, settings, dead_broker,
                                                                                 django_capture_on_commit_callbacks):
    from opsdept import chat

    settings.CHAT_WEBHOOK_TEST_PREFIXES = ["http://127.0.0.1:9/"]   # nothing listens on the discard port
    chat.add_webhook(actor=cast.hr.user, name="群", vendor="wecom", url="http://127.0.0.1:9/cgi-bin/webhook/send?key=x",
                     events=["discipline.notice"])
    with django_capture_on_commit_callbacks(execute=False):
        chat.post_event("discipline.notice", text="公告")
    message = OutboxMessage.objects.get()
    assert outbox.deliver(message.pk) == "pending"
    message.refresh_from_db()
    assert message.attempts == 1 and message.available_at > timezone.now() and "ConnectError" in message.last_error
    assert outbox.sweep() == 0                                # not due before its backoff is over
    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
        assert outbox.sweep() == 1
    message.refresh_from_db()
    delivery = WebhookDelivery.objects.get()
    assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.FAILED, outbox.MAX_ATTEMPTS)
    assert outbox.sweep() == 0


def test_a_mail_that_can_never_be_built_fails_at_once(cast, employee_with_mail, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notify.notify(cast.employee, subject=Verbatim("坏"))
    monkeypatch.setattr("opsdept.mail.build_message", lambda notification, address: (_ for _ in ()).throw(ValueError("bad")))
    message = OutboxMessage.objects.get()
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.attempts == 1 and "bad" in message.last_error


def test_confirming_a_year_queues_the_catch_up_through_the_outbox(cast, dead_broker, django_capture_on_commit_callbacks):
    from opsdept import services

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_calendar_year(timezone.localdate().year + 1, actor=cast.hr.user)
    message = OutboxMessage.objects.get()
    assert (message.kind, message.status, message.payload) == ("task", "pending", {
        "task": "opsdept.tasks.run_nightly_checks", "args": []})


def test_the_sweep_skips_rows_a_rival_sweep_has_locked(cast, employee_with_mail, transactional_db):
    """PostgreSQL: a row another sweep is claiming (locked) is skipped, not waited for."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (CI); SQLite serialises writers and the claim's UPDATE decides")
    notify.notify(cast.employee, subject=Verbatim("锁"))       # autocommit: the (eager) worker delivers it at once…
    OutboxMessage.objects.update(status="pending", delivered_at=None)   # …so make it wait again
    mail.outbox.clear()
    result: dict[str, int] = {}
    with transaction.atomic():
        list(OutboxMessage.objects.select_for_update())   # a rival sweep holds the row

        def rival() -> None:
            try:
                result["claimed"] = outbox.sweep()
            finally:
                connections.close_all()

        thread = threading.Thread(target=rival)
        thread.start()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the sweep waited for a locked row"
    assert result == {"claimed": 0} and not mail.outbox
    assert outbox.sweep() == 1 and len(mail.outbox) == 1


def test_a_batch_of_tasks_is_handed_to_the_broker_by_the_committing_process_in_order(
        db, monkeypatch, django_capture_on_commit_callbacks):
    """The night's chunks (`add_tasks`): no nudge (a worker's turn) per message; the writer sends them after its commit."""
    sent: list[list[str]] = []
    monkeypatch.setitem(outbox.HANDLERS, OutboxMessage.Kind.TASK, lambda payload, final: sent.append(payload["args"]))
    monkeypatch.setattr(outbox, "nudge", lambda *args, **kwargs: pytest.fail("a nudge per message"))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.add_tasks("opsdept.tasks.ping_database", [("a",), ("b",), ("c",)])
        assert sent == []                                   # nothing before the commit
    assert sent == [["a"], ["b"], ["c"]]
    assert list(OutboxMessage.objects.order_by("pk").values_list("status", "attempts")) == [("delivered", 1)] * 3


def test_with_the_broker_down_a_batch_of_tasks_stops_at_the_first_refused_send_and_waits_for_the_sweep(
        db, dead_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.add_tasks("opsdept.tasks.ping_database", [("a",), ("b",), ("c",)])
    rows = list(OutboxMessage.objects.order_by("pk").values_list("status", "attempts"))
    assert rows == [("pending", 1), ("pending", 0), ("pending", 0)]   # one refused send, not three
    assert outbox._broker_down_until > 0
