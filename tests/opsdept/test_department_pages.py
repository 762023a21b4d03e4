"""Whole-department pages at scale (issue 16): one page of 50 with search by name or number and a
department summary, the same number of queries whatever the size of the department, small HTML,
and no paging at all for a supervisor of a few."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
import pytest

from attendance.models import MonthClose, MonthConfirmation
from discipline.models import PolicyVersion
from leave.models import LeaveRequest
from opsdept.models import Employee
from tests.attendance.factories import CorrectionFactory, OvertimeFactory, punch_day
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.leave.factories import LeaveRequestFactory

# (viewer, url, what one row of the list looks like in the HTML)
PAGES = [
    ("manager", "/attendance/team/today/", 'data-state="'),
    ("hr", "/attendance/team/today/", 'data-state="'),
    ("manager", "/attendance/team/month/", 'data-testid="unrequested"'),
    ("hr", "/attendance/team/month/", 'data-testid="unrequested"'),
    ("manager", "/worklog/team/reports/", 'data-testid="team-report"'),
    ("hr", "/worklog/team/reports/", 'data-testid="team-report"'),
    ("manager", "/attendance/approvals/", 'data-testid="overtime-row"'),  # and as many corrections
    ("supervisor", "/leave/pending/", 'data-testid="pending-row"'),
    ("manager", "/leave/calendar/", 'data-testid="away-row"'),
    ("hr", "/leave/balances/", 'data-testid="balance-row"'),
    ("hr", "/people/", "/people/"),
    ("manager", "/discipline/year-end/", 'data-testid="year-end-row"'),
    ("hr", "/discipline/policy/acknowledgements/", 'data-testid="not-acknowledged"'),
    ("hr", "/attendance/confirmations/", 'data-testid="confirmation-row"'),       # month end: who has confirmed
    ("manager", "/attendance/confirmations/", 'data-testid="confirmation-row"'),
]


FILTERED = {"/attendance/approvals/", "/leave/pending/", "/people/"}


def grow(cast, count: int) -> None:
    """`count` more people under the supervisor, across two departments, each with a day of facts
    (and asked to confirm this month, as if HR had opened it)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    departments = [cast.employee.department, DepartmentFactory(name=f"增长部{Employee.objects.count()}")]
    for n in range(count):
        member = EmployeeFactory(supervisor=cast.supervisor, department=departments[n % 2])
        punch_day(member, today.isoformat(), "08:50")
        CorrectionFactory(employee=member)
        OvertimeFactory(employee=member)
        LeaveRequestFactory(employee=member, start_date=first + timedelta(days=n % 20), status=LeaveRequest.Status.PENDING)
        LeaveRequestFactory(employee=member, start_date=first + timedelta(days=n % 20), status=LeaveRequest.Status.APPROVED,
                            decided_by=cast.supervisor, decided_at=timezone.now())
    close, _made = MonthClose.objects.get_or_create(month=first, defaults={"opened_by": cast.hr})
    asked = set(close.confirmations.values_list("employee_id", flat=True))
    MonthConfirmation.objects.bulk_create([MonthConfirmation(close=close, employee=person)
                                           for person in Employee.objects.exclude(pk__in=asked)])


def fetch(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.fixture
def policy(cast):
    return PolicyVersion.objects.create(label="v1", text_sha256="x", published_by=cast.hr)


def _url_exists(url: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(url)
    except Resolver404:
        return False
    return True


def test_every_listed_page_exists():
    assert all(_url_exists(url) for _viewer, url, _row in PAGES)


@pytest.mark.parametrize(("viewer", "url", "row"), PAGES)
def test_department_pages_keep_their_queries_and_show_one_page(client, cast, policy, viewer, url, row):
    client.force_login(cast.by_role(viewer).user)
    grow(cast, 52)
    fetch(client, url)  # the first visit creates the settings rows (work schedule …) it reads
    small_queries, _small_html = fetch(client, url)
    grow(cast, 30)
    large_queries, large_html = fetch(client, url)
    assert large_queries == small_queries, url
    if url not in FILTERED:  # these have their own filter panel (opsdept/filters.py); only the paging is ours
        assert 'data-testid="people-filter"' in large_html
    assert large_html.count(row) <= 50 + 5  # one page of 50 (and a few links in the summary or nav)
    assert 'class="pagination' in large_html


def test_search_by_employee_number_finds_one_person_on_any_page(client, cast):
    grow(cast, 60)
    wanted = Employee.objects.order_by("-employee_no").first()
    client.force_login(cast.manager.user)
    _queries, html = fetch(client, f"/attendance/team/month/?q={wanted.employee_no}")
    assert wanted.name in html
    assert html.count('data-testid="unrequested"') == 1
    _queries, html = fetch(client, f"/attendance/team/today/?q={wanted.name}")
    assert html.count('data-state="') == 1


def test_one_department_at_a_time(client, cast):
    grow(cast, 60)
    client.force_login(cast.hr.user)
    department = Employee.objects.get(pk=cast.outsider.pk).department
    _queries, html = fetch(client, f"/attendance/team/today/?department={department.pk}")
    assert cast.outsider.name in html and cast.employee.name not in html
    assert 'data-testid="department-summary"' in html


@pytest.mark.parametrize("query", ["?page=999", "?page=x", "?department=x", "?department=99999999", "?q=" + "名" * 80,
                                   "?department=%EF%BC%91"])
def test_bad_paging_input_is_ignored_not_an_error(client, cast, query):
    grow(cast, 55)
    client.force_login(cast.manager.user)
    assert client.get("/attendance/team/today/" + query).status_code == 200


def test_a_supervisor_of_a_few_sees_no_paging(client, cast):
    client.force_login(cast.supervisor.user)
    for url in ("/attendance/team/today/", "/attendance/team/month/", "/worklog/team/reports/", "/attendance/approvals/",
                "/leave/pending/"):
        _queries, html = fetch(client, url)
        assert 'data-testid="people-filter"' not in html and 'class="pagination' not in html, url
    _queries, html = fetch(client, "/attendance/team/today/")
    assert cast.employee.name in html and cast.clerk.name in html


def test_team_today_counts_cover_the_whole_team_not_the_page(client, cast):
    grow(cast, 60)
    client.force_login(cast.manager.user)
    response = client.get("/attendance/team/today/")
    counts = response.context["counts"]
    assert counts["in"] == 60  # every grown member punched 08:50, on one page or another
    assert sum(counts.values()) == Employee.objects.filter(is_active=True).count()
