"""The home page (the chapters' dashboard cards) of a supervisor keeps one query budget however large the team
(issue 16: a supervisor of 50 at 10,000 employees, p95 ≤ 100 ms): nothing is read once per person or per item.

Queries, 29 in all: session, user, employee (+ department); the calendar, the work schedule; the reporting tree
(one recursive query, which also gives the team size); the meetings card's next meeting; the punctuality card's
trend; the navigation's unread notifications and policy version; the attendance card's punches today, leave
today and the corrections and overtime waiting (one query), with the deputies (one per request) and HR's named
decider; the leave card's balance (three), comp time, own pending requests and slips due (one), requests to
decide; the work-log card's report and tasks today, the team's missing reports (with their names) and leave
today, and the team's open tasks; the duty card's days and its two swap numbers (one); the flags to review.
"""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
import pytest

from attendance.models import Correction, Overtime
from leave.models import LeaveRequest
from tests.attendance.factories import CorrectionFactory, OvertimeFactory, punch_day
from tests.discipline.factories import FlagFactory
from tests.factories import EmployeeFactory
from tests.leave.factories import LeaveRequestFactory
from tests.opsdept.test_dashboard_counts import _queue_line
from tests.worklog.factories import DailyReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 30)  # a Friday, a workday: the work-log card lists the team's missing reports
HOME_BUDGET = 29


def grow(cast, count: int) -> None:
    """`count` more reports with something in every card: a punch, a correction and overtime waiting, leave to
    decide (and, for every third, leave today), an open task, an open flag; every other one wrote today's report."""
    for n in range(count):
        member = EmployeeFactory(supervisor=cast.supervisor, department=cast.employee.department)
        punch_day(member, TODAY.isoformat(), "08:50")
        CorrectionFactory(employee=member)
        OvertimeFactory(employee=member)
        LeaveRequestFactory(employee=member)
        if n % 3 == 0:
            LeaveRequestFactory(employee=member, start_date=TODAY, status=LeaveRequest.Status.APPROVED, days=Decimal("1"))
        TaskFactory(assignee=member, assigned_by=cast.supervisor, due_date=TODAY)
        FlagFactory(employee=member, date=TODAY)
        if n % 2:
            DailyReportFactory(employee=member, date=TODAY)


def count_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_supervisors_home_page_keeps_its_query_budget_with_3_and_30_reports(client, cast):
    client.force_login(cast.supervisor.user)
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        client.get("/")  # warm-up: creates the singleton settings rows
        grow(cast, 3)
        few, page = count_queries(client)
        assert 'data-testid="team-missing"' in page and 'data-testid="attendance-pending"' in page
        grow(cast, 27)
        many, page = count_queries(client)
    assert many == few <= HOME_BUDGET, (few, many)
    assert "32 人向你汇报。" in page  # the employee and the clerk, and the 30


def test_the_attendance_card_counts_corrections_and_overtime_in_one_query_with_the_oldest_of_both(client, cast):
    """opsdept.selectors.queue_of_all: the two queues side by side in a UNION ALL, summed, the oldest of either."""
    for employee in (cast.employee, cast.clerk):
        CorrectionFactory(employee=employee)
    OvertimeFactory(employee=cast.employee)
    Correction.objects.update(created_at=timezone.now() - timedelta(days=1))
    Overtime.objects.update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(cast.supervisor.user)
    assert _queue_line(client.get("/").content.decode(), "attendance-pending") == ("3", "3 个补卡或加班申请等待你审批。 最早的已等 3 天")
    Overtime.objects.update(status="approved")
    assert _queue_line(client.get("/").content.decode(), "attendance-pending")[0] == "2"
