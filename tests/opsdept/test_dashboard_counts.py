"""Every dashboard card states how many items wait and how old the oldest is (issue 13 #4)."""

from datetime import date, timedelta
import re
import uuid

from django.utils import timezone

from attendance.models import Correction
from discipline import services as discipline_services
from discipline.models import Appeal, Flag, Kind
from leave.models import LeaveRequest
from tests.attendance.factories import CorrectionFactory
from tests.discipline.factories import FlagFactory, rule
from tests.leave.factories import LeaveRequestFactory


def _queue_line(page: str, testid: str) -> str:
    match = re.search(rf'<p class="mb-1" data-testid="{testid}" data-count="(\d+)">(.*?)</p>', page, re.S)
    assert match, f"no {testid} line on the dashboard"
    return match.group(1), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()


def test_flags_card_counts_the_open_flags_and_ages_the_oldest(client, cast):
    for offset in range(11):
        FlagFactory(employee=cast.employee, date=date(2026, 11, 2) + timedelta(days=offset))
    Flag.objects.filter(employee=cast.employee).update(raised_at=timezone.now() - timedelta(days=3))
    FlagFactory(employee=cast.outsider)                       # another team's: not counted
    client.force_login(cast.supervisor.user)
    count, text = _queue_line(client.get("/").content.decode(), "flags-open")
    assert count == "11"
    assert "11 条异常待你审核" in text and "最早的已等 3 天" in text


def test_flags_card_without_flags_says_so(client, cast):
    client.force_login(cast.supervisor.user)
    count, text = _queue_line(client.get("/").content.decode(), "flags-open")
    assert count == "0" and "没有待审核的异常" in text


def test_manager_sees_how_many_appeals_wait(client, cast):
    record, _created = discipline_services.issue_record(
        cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk, kind=Kind.FINE,
        amount="50", evidence="未交日报", token=uuid.uuid4())
    discipline_services.file_appeal(record.pk, actor=cast.employee.user, reason="那天在出差")
    Appeal.objects.update(filed_at=timezone.now() - timedelta(days=2))
    client.force_login(cast.manager.user)
    count, text = _queue_line(client.get("/").content.decode(), "appeals-pending")
    assert count == "1" and "1 份申诉待你裁决" in text and "最早的已等 2 天" in text


def test_leave_card_counts_requests_to_decide_with_the_oldest(client, cast):
    LeaveRequestFactory(employee=cast.employee)
    LeaveRequestFactory(employee=cast.clerk)
    LeaveRequest.objects.update(created_at=timezone.now() - timedelta(hours=5))
    client.force_login(cast.supervisor.user)
    count, text = _queue_line(client.get("/").content.decode(), "leave-to-decide")
    assert count == "2" and "最早的已等 5 小时" in text


def test_attendance_card_counts_corrections_and_overtime_waiting(client, cast):
    CorrectionFactory(employee=cast.employee)
    Correction.objects.update(created_at=timezone.now() - timedelta(days=1))
    client.force_login(cast.supervisor.user)
    count, text = _queue_line(client.get("/").content.decode(), "attendance-pending")
    assert count == "1" and "最早的已等 1 天" in text
