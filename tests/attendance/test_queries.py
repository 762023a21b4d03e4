"""List pages do not query once per row: the count stays flat as the team and its records grow."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
import pytest

from attendance.services import refresh_attendance_days
from tests.attendance.factories import CorrectionFactory, OvertimeFactory, punch_day
from tests.factories import EmployeeFactory

PAGES = [
    ("supervisor", "/attendance/team/today/"),
    ("supervisor", "/attendance/team/month/?month=2026-10"),
    ("supervisor", "/attendance/approvals/"),
    ("manager", "/attendance/team/month/?month=2026-10"),
    ("employee", "/attendance/month/?month=2026-10"),
    ("employee", "/attendance/corrections/"),
    ("employee", "/attendance/overtime/"),
]


def grow(cast, count: int) -> None:
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    for n in range(count):
        member = EmployeeFactory(supervisor=cast.supervisor, department=cast.employee.department)
        punch_day(member, "2026-10-12", "09:10", "18:00")
        punch_day(member, today, "08:50")
        CorrectionFactory(employee=member)
        OvertimeFactory(employee=member)
        day = f"2026-10-{13 + n:02d}"
        punch_day(cast.employee, day, "09:05", "18:00")
        CorrectionFactory(employee=cast.employee, date=f"2026-10-{13 + n:02d}")
        OvertimeFactory(employee=cast.employee)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role,url", PAGES)
def test_page_queries_stay_flat_as_rows_grow(client, cast, role, url):
    client.force_login(cast.by_role(role).user)
    client.get(url)  # warm-up: creates the singleton settings rows
    grow(cast, 2)
    few = count_queries(client, url)
    grow(cast, 8)
    assert count_queries(client, url) == few, url


# A supervisor's two busiest pages (issue 16: a supervisor of 50 at 10,000 employees, p95 ≤ 100 ms). Queries:
# session, user with employee (+ department), the reporting tree (one recursive query), the department summary,
# the page's people, then
# - team today: the team's (id, department), their first punch today, leave today (the whole team's and the
#   page's), the schedule, the departments' names, the calendar, the page's punches;
# - team month: the schedule, the calendar, duty, business trips, the stored days summed per person and each
#   day's status (selectors.stored_totals), approved overtime, the late and rest-day punches (unrequested
#   overtime), the daily chart, the twelve-month trend; with no night run yet (these tests), the days are judged
#   from the punches too: the stored days, the punches, leave;
# and the navigation's unread notifications and policy version.
SUPERVISOR_BUDGET = {"/attendance/team/today/": 15, "/attendance/team/month/?month=2026-10": 20}
# The team month once the nights have stored the days (a department in service).
IN_SERVICE_BUDGET = 18


@pytest.mark.parametrize("url", SUPERVISOR_BUDGET)
def test_a_supervisors_team_pages_keep_their_query_budget_from_a_few_to_more_than_a_page(client, cast, url):
    client.force_login(cast.supervisor.user)
    client.get(url)  # warm-up: creates the singleton settings rows
    few = count_queries(client, url)
    today = timezone.localdate().isoformat()
    for n in range(55):  # past one page of 50: paged, searched, summarised
        member = EmployeeFactory(supervisor=cast.supervisor if n % 2 else cast.employee, department=cast.employee.department)
        punch_day(member, f"2026-10-{12 + n % 5:02d}", "09:10", "21:00")
        punch_day(member, today, "08:50")
        OvertimeFactory(employee=member)
    assert count_queries(client, url) == few <= SUPERVISOR_BUDGET[url], url
    if "month" in url:
        refresh_attendance_days(employee_ids=None, start=date(2026, 10, 1), end=timezone.localdate() - timedelta(days=1))
        assert count_queries(client, url) <= IN_SERVICE_BUDGET < SUPERVISOR_BUDGET[url]
