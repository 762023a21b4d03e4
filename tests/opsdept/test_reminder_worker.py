"""A real Celery worker sends the 17:30 reminder to exactly those without a report."""

from datetime import date
import time
import uuid

import pytest

from opsdept.models import AuditEvent, Notification, SentReminder
from tests.opsdept.test_celery_worker import worker  # noqa: F401  (the real worker fixture)
from tests.worklog.factories import DailyReportFactory

FRI = date(2026, 11, 27)


@pytest.mark.worker
def test_a_real_worker_sends_the_1730_reminder_to_exactly_those_without_a_report(worker, cast):  # noqa: F811
    from opsdept.celery import app
    from opsdept.tasks import ping_database, send_reminders

    DailyReportFactory(employee=cast.employee, date=FRI)
    DailyReportFactory(employee=cast.clerk, date=FRI)
    app.conf.task_always_eager = False
    send_reminders.apply_async(args=["17:30", FRI.isoformat()], queue=worker)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and SentReminder.objects.count() < 3:
        time.sleep(0.5)
    # Once more, then a marker task: the solo worker runs them in order, so when the marker
    # is written the second run has finished — and it sent nothing new.
    send_reminders.apply_async(args=["17:30", FRI.isoformat()], queue=worker)
    marker = uuid.uuid4().hex
    ping_database.apply_async(args=[marker], queue=worker)
    while time.monotonic() < deadline and not AuditEvent.objects.filter(action="celery.ping", note=marker).exists():
        time.sleep(0.5)
    assert AuditEvent.objects.filter(action="celery.ping", note=marker).exists()
    recipients = set(Notification.objects.values_list("recipient__name", flat=True))
    assert recipients == {"李主管", "赵主管", "孙员工"}
    assert SentReminder.objects.count() == 3
