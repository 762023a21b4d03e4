"""List pages do not query once per row: the count stays flat as the team and its records grow."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
import pytest

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
