"""Twenty simultaneous decisions on one request produce exactly one decision (PostgreSQL row locks)."""

from datetime import date
import threading

from django.contrib.auth import get_user_model
from django.db import connection
import pytest

from leave import services
from leave.errors import LeaveError
from leave.models import LeaveRequest
from opsdept.models import AuditEvent, Notification

from .helpers import file_leave, local_time


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_decisions_produce_exactly_one(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and concurrent connections (CI runs it on PostgreSQL)")
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, date(2026, 12, 1))
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(index: int) -> None:
        try:
            actor = get_user_model().objects.get(pk=cast.supervisor.user_id)   # each thread: its own connection
            barrier.wait(timeout=30)
            try:
                if index % 2:
                    services.approve_leave_request(leave.pk, actor=actor, note=f"同意 {index}")
                    result = "approved"
                else:
                    services.reject_leave_request(leave.pk, actor=actor, note=f"驳回 {index}")
                    result = "rejected"
            except LeaveError:
                result = "refused"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 20
    decided = [result for result in outcomes if result != "refused"]
    assert len(decided) == 1, outcomes
    leave.refresh_from_db()
    assert leave.status == decided[0]
    assert AuditEvent.objects.filter(target_id=str(leave.pk), action__in=["leave.approved", "leave.rejected"]).count() == 1
    assert Notification.objects.filter(recipient=cast.employee).count() == 1
