"""The leave pages: content, and query counts that stay flat as rows grow."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
import pytest

from leave.models import LeaveRequest, LeaveType
from tests.factories import EmployeeFactory

from .factories import LeaveRequestFactory


def team_with_leave(cast, people: int) -> None:
    """`people` more reports of the supervisor, each with a pending and an approved request this month."""
    first = timezone.localdate().replace(day=1)
    for index in range(people):
        member = EmployeeFactory(supervisor=cast.supervisor, department=cast.employee.department)
        LeaveRequestFactory(employee=member, start_date=first + timedelta(days=index % 20), status=LeaveRequest.Status.PENDING)
        LeaveRequestFactory(employee=member, start_date=first + timedelta(days=20 + index % 5),
                            status=LeaveRequest.Status.APPROVED, decided_by=cast.supervisor, decided_at=timezone.now())


@pytest.mark.parametrize("url", ["/leave/pending/", "/leave/calendar/", "/leave/balances/"])
def test_list_pages_do_not_grow_queries_with_rows(client, cast, django_assert_max_num_queries, url):
    # Session, user, employee, unread count, the rows (+ calendar, + adjustments), nav checks: about 15 whatever the size.
    viewer = cast.manager if url == "/leave/balances/" else cast.supervisor
    client.force_login(viewer.user)
    team_with_leave(cast, 2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    team_with_leave(cast, 12)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pending_page_lists_only_the_supervisors_own_reports(client, cast):
    LeaveRequestFactory(employee=cast.employee)
    LeaveRequestFactory(employee=cast.outsider)
    client.force_login(cast.supervisor.user)
    response = client.get("/leave/pending/")
    assert [leave.employee for leave in response.context["requests"]] == [cast.employee]


def test_my_requests_shows_the_balance_and_only_my_requests(client, cast):
    mine = LeaveRequestFactory(employee=cast.employee)
    LeaveRequestFactory(employee=cast.clerk)
    client.force_login(cast.employee.user)
    response = client.get("/leave/")
    assert list(response.context["requests"]) == [mine]
    assert response.context["balance"].entitlement == Decimal("10")   # working since 2015-07-01: 10+ years
    assert "年假" in response.content.decode()


def test_team_calendar_shows_who_is_away_for_the_supervisor_but_not_other_teams(client, cast):
    first = timezone.localdate().replace(day=1)
    LeaveRequestFactory(employee=cast.employee, start_date=first, end_date=first + timedelta(days=6),
                        status=LeaveRequest.Status.APPROVED, decided_by=cast.supervisor, decided_at=timezone.now())
    LeaveRequestFactory(employee=cast.outsider, start_date=first, status=LeaveRequest.Status.APPROVED,
                        decided_by=cast.other_supervisor, decided_at=timezone.now())
    client.force_login(cast.supervisor.user)
    rows = client.get("/leave/calendar/").context["rows"]
    assert [person for person, _cells in rows] == [cast.employee]


def test_slip_shows_the_approver_and_when_without_navigation(client, cast):
    leave = LeaveRequestFactory(employee=cast.employee, status=LeaveRequest.Status.APPROVED, decided_by=cast.supervisor,
                                decided_at=timezone.now(), decision_note="同意")
    client.force_login(cast.employee.user)
    page = client.get(f"/leave/{leave.pk}/slip/").content.decode()
    assert "请假条" in page and "李主管" in page and "张员工" in page and "同意" in page
    assert "navbar" not in page


def test_dashboard_card_tells_the_supervisor_what_to_decide(client, cast):
    LeaveRequestFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    page = client.get("/").content.decode()
    assert 'data-testid="leave-to-decide"' in page


def test_pages_speak_english_when_asked(client, cast):
    leave = LeaveRequestFactory(employee=cast.employee, leave_type=LeaveType.objects.get(code="annual"))
    client.force_login(cast.employee.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"   # the language switch's cookie
    page = client.get(f"/leave/{leave.pk}/").content.decode()
    assert "Annual leave" in page and "Pending" in page and "待审批" not in page
