"""Races on PostgreSQL: real concurrent connections (one per thread), released together by a barrier.

Marked `postgresql`: tests/conftest.py deselects them on SQLite (one writer, no row locks, so the
question cannot be asked there) and says so in the summary; CI runs on PostgreSQL, where they are
collected (tests/conftest.py refuses CI=true on SQLite, tests/security/test_ci_database.py checks the database).
"""

from datetime import date
from decimal import Decimal
import threading
import uuid

from django.contrib.auth import get_user_model
from django.db import connection
import pytest

from opsdept.errors import DomainError
from opsdept.models import AuditEvent, Notification

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]
TWENTY = 20


@pytest.fixture(autouse=True)
def frozen_clock_left_behind():
    """Freeze the clock (tests.leave.helpers.local_time) around at_once, never inside the threads.

    mock.patch is not thread-safe: when two threads each enter and leave `mock.patch("django.utils.timezone.now")`
    interleaved (A enters, B enters and saves A's mock as "the original", A leaves, B leaves and puts A's mock
    back), the rest of the process keeps a clock frozen at 2026-11-27 10:00 Shanghai. That is what made the
    gunicorn load of tests/test_bench_web_smoke.py fail after tests/security under CI now and then: its sessions
    expired at 02:30 UTC that day, so the server answered 302 to the login page. This test fails if it happens again.
    """
    from django.utils import timezone

    real = timezone.now
    yield
    if timezone.now is not real:
        left = timezone.now()
        timezone.now = real
        pytest.fail(f"the test left django.utils.timezone.now patched (it returns {left}): freeze the clock "
                    "outside at_once's threads")


def at_once(count: int, work) -> list[str]:
    """Run work(index, user_model) in `count` threads, each on its own connection, released together."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                result = work(index)
            except DomainError:
                result = "refused"
            except Exception as error:  # noqa: BLE001 - reported, then the test fails on it
                result = f"error: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == count, outcomes
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    return outcomes


def user(employee):
    return get_user_model().objects.get(pk=employee.user_id)


def test_twenty_simultaneous_leave_decisions_give_one_decision_one_audit_event_one_notice(cast):
    from leave import services
    from leave.models import LeaveRequest
    from tests.leave.helpers import file_leave, local_time

    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, date(2026, 12, 1))

    def decide(index: int) -> str:
        actor = user(cast.supervisor)
        if index % 2:
            return services.approve_leave_request(leave.pk, actor=actor, note=f"同意 {index}").status
        return services.reject_leave_request(leave.pk, actor=actor, note=f"驳回 {index}").status

    outcomes = at_once(TWENTY, decide)
    decided = [o for o in outcomes if o != "refused"]
    assert len(decided) == 1, outcomes
    leave.refresh_from_db()
    assert leave.status == decided[0]
    assert AuditEvent.objects.filter(target_id=str(leave.pk), action__in=["leave.approved", "leave.rejected"]).count() == 1
    assert Notification.objects.filter(recipient=cast.employee).count() == 1
    assert LeaveRequest.objects.filter(pk=leave.pk).count() == 1


def test_two_overlapping_leaves_approved_at_once_give_at_most_one(cast):
    """Two pending requests that overlap (data from before the overlap check, or an emergency entry beside a
    filing) are approved at the same moment (two tabs): the employee row lock lets only one through."""
    from leave import services
    from leave.models import LeaveRequest
    from tests.leave.factories import LeaveRequestFactory
    from tests.leave.helpers import local_time

    first = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 1), end_date=date(2026, 12, 2),
                                days=Decimal("2"))
    second = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 2), end_date=date(2026, 12, 3),
                                 days=Decimal("2"))

    def approve(index: int) -> str:
        return services.approve_leave_request((first, second)[index].pk, actor=user(cast.supervisor)).status

    with local_time(2026, 11, 27):  # frozen once, here: see frozen_clock_left_behind
        outcomes = at_once(2, approve)
    assert outcomes.count("approved") == 1 and outcomes.count("refused") == 1, outcomes
    assert LeaveRequest.objects.filter(employee=cast.employee, status=LeaveRequest.Status.APPROVED).count() == 1


def test_two_overlapping_leaves_filed_at_once_give_one_request(cast):
    from leave.models import LeaveRequest
    from tests.leave.helpers import file_leave, local_time

    def file(index: int) -> str:
        return file_leave(cast.employee, date(2026, 12, 1 + index), date(2026, 12, 2 + index)).status

    with local_time(2026, 11, 27):  # frozen once, here: see frozen_clock_left_behind
        outcomes = at_once(2, file)
    assert outcomes.count("refused") == 1, outcomes
    assert LeaveRequest.objects.filter(employee=cast.employee).count() == 1


def test_a_double_punch_is_one_punch(cast):
    from attendance import services
    from attendance.models import Punch

    outcomes = at_once(TWENTY, lambda index: "created" if services.record_punch(
        actor=user(cast.employee), ip_address="127.0.0.1")[1] else "same")
    assert outcomes.count("created") == 1, outcomes
    assert Punch.objects.filter(employee=cast.employee).count() == 1
    assert AuditEvent.objects.filter(action="attendance.punched").count() == 1


def test_twenty_simultaneous_overtime_approvals_give_one(cast):
    from attendance import services
    from attendance.models import Overtime
    from tests.attendance.factories import OvertimeFactory

    overtime = OvertimeFactory(employee=cast.employee, date=date(2026, 11, 20))
    outcomes = at_once(TWENTY, lambda index: services.decide_overtime(
        overtime.pk, actor=user(cast.supervisor), approve=True, comment=f"同意 {index}").status)
    assert outcomes.count("refused") == TWENTY - 1, outcomes
    assert Overtime.objects.get(pk=overtime.pk).status == "approved"
    assert AuditEvent.objects.filter(target_id=str(overtime.pk), action="attendance.overtime_approved").count() == 1
    assert Notification.objects.filter(recipient=cast.employee).count() == 1


def test_twenty_simultaneous_appeal_decisions_give_one_and_one_reduction(cast):
    from discipline import services
    from discipline.models import Appeal, Kind, Record
    from tests.discipline.factories import rule

    record, _ = services.issue_record(cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk,
                                      kind=Kind.FINE, amount="50", evidence="未交日报", token=uuid.uuid4())
    appeal = services.file_appeal(record.pk, actor=cast.employee.user, reason="那天在出差")
    before = Notification.objects.filter(recipient=cast.employee).count()

    def decide(index: int) -> str:
        outcome = [Appeal.Status.REDUCED, Appeal.Status.REVOKED, Appeal.Status.UPHELD][index % 3]
        return services.decide_appeal(appeal.pk, actor=user(cast.manager), outcome=outcome, reason=f"裁决 {index}",
                                      new_amount="20").status

    outcomes = at_once(TWENTY, decide)
    assert outcomes.count("refused") == TWENTY - 1, outcomes
    appeal.refresh_from_db()
    assert appeal.status != Appeal.Status.PENDING
    assert AuditEvent.objects.filter(target_id=str(appeal.pk), action="appeal.decided").count() == 1
    assert Record.objects.filter(reverses=record).count() == (0 if appeal.status == Appeal.Status.UPHELD else 1)
    assert Record.objects.filter(replaces=record).count() == (1 if appeal.status == Appeal.Status.REDUCED else 0)
    assert Notification.objects.filter(recipient=cast.employee).count() == before + 1


def test_charts_read_while_days_change_store_no_mixed_tally(cast):
    """Ten refreshes and ten readers of everyone's day tallies at once (issue 16): every tally stored is one
    snapshot's, so once they settle the tallies equal the days grouped again."""
    from django.db.models import Count, Sum

    from attendance import selectors, services
    from attendance.models import AttendanceDay, DayStatus, DayTally
    from tests.attendance.factories import punch_day
    from tests.factories import EmployeeFactory

    start, end = date(2026, 10, 12), date(2026, 10, 16)
    people = [EmployeeFactory(department=cast.employee.department, supervisor=cast.supervisor) for _n in range(TWENTY // 2)]
    services.refresh_attendance_days(employee_ids=None, start=start, end=end)   # everyone absent
    selectors.day_tallies(start, end)

    def work(index: int) -> str:
        if index % 2:
            for _round in range(5):
                selectors.day_tallies(start, end)
            return "read"
        person = people[index // 2]
        punch_day(person, f"2026-10-{12 + index % 5:02d}", "08:55", "18:05")
        services.refresh_attendance_days(employee_ids=[person.pk], start=start, end=end)
        return "refreshed"

    assert sorted(at_once(TWENTY, work)) == ["read"] * (TWENTY // 2) + ["refreshed"] * (TWENTY // 2)
    grouped: dict = {}
    for row in AttendanceDay.objects.filter(date__range=(start, end)).values("date", "status").annotate(
            n=Count("id"), leave=Sum("leave_fraction")).order_by():
        grouped.setdefault(row["date"], {})[row["status"]] = (row["n"], row["leave"])
    assert selectors.day_tallies(start, end) == grouped
    assert sum(tally.get(DayStatus.NORMAL, (0, 0))[0] for tally in grouped.values()) == TWENTY // 2
    assert DayTally.objects.filter(status="").values("date").distinct().count() == 5
