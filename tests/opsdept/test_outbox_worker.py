"""The outbox with a real worker and a real Redis (issue 15): a request made while the broker is
unreachable succeeds, its e-mail and group-robot message wait in the database, and once a worker
and beat's sweep run they are delivered — nothing sent meanwhile is lost."""

import pytest

from opsdept.models import OutboxMessage, WebhookDelivery
from tests.opsdept.test_nightly_worker import redis_server, wait_for, workers  # noqa: F401 — fixtures
from tests.opsdept.test_outbox import (  # noqa: F401 — fixtures
    add_robot, dead_broker, employee_with_mail, public_criticism, robot, web_broker)

pytestmark = pytest.mark.worker


def test_a_request_while_redis_is_down_loses_nothing_and_the_sweep_delivers_it(client, cast, robot, employee_with_mail,
                                                                             workers, dead_broker):
    add_robot(cast, robot)
    public_criticism(client, cast)                 # committed for real; the nudge after the commit is refused
    waiting = OutboxMessage.objects.order_by("kind")
    assert [(message.kind, message.status) for message in waiting] == [("mail", "pending"), ("webhook", "pending")]
    assert not robot.received
    # Redis (the test's own) is up again: a worker starts and beat's next sweep tick reaches it.
    workers.start("outbox", env={"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
    workers.send("opsdept.tasks.sweep_outbox")
    wait_for(lambda: set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"},
             "the worker to deliver what waited")
    assert len(robot.received) == 1 and "通报批评" in robot.received[0]["text"]["content"]
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SENT      # HR's log
    assert "To: zhang@example.com" in workers.log("outbox")                          # the console mail backend
    workers.send("opsdept.tasks.sweep_outbox")                                       # a second tick sends nothing again
    wait_for(lambda: workers.log("outbox").count("succeeded") >= 2, "the second sweep to finish")
    assert len(robot.received) == 1 and workers.log("outbox").count("To: zhang@example.com") == 1
