"""The approval page gives context (issue 13 item 12): the requester's balances, their other requests this
month, and who else in the team is away on those days, the approving supervisor herself included."""

from datetime import date
from decimal import Decimal

import pytest

from leave.models import BusinessTrip, LeaveRequest
from tests.leave.factories import LeaveRequestFactory, leave_type


@pytest.mark.django_db
def test_the_approval_page_shows_balance_other_requests_and_who_is_away(client, cast):
    leave = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 8), end_date=date(2026, 12, 9),
                                days=Decimal("2"))
    earlier = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 1), status=LeaveRequest.Status.APPROVED,
                                  leave_type=leave_type("sick"))
    LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 11, 3))  # another month: not shown
    # the supervisor herself is away on the 9th; a colleague has asked for the 8th; another team is never shown
    LeaveRequestFactory(employee=cast.supervisor, start_date=date(2026, 12, 9), status=LeaveRequest.Status.APPROVED)
    LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, 8))
    LeaveRequestFactory(employee=cast.outsider, start_date=date(2026, 12, 8), status=LeaveRequest.Status.APPROVED)
    BusinessTrip.objects.create(employee=cast.clerk, start_date=date(2026, 12, 9), end_date=date(2026, 12, 9),
                                days=Decimal("1"), destination="上海", reason="客户", status="approved")
    client.force_login(cast.supervisor.user)
    response = client.get(f"/leave/{leave.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    context = response.context["context"]
    assert [(line.start, line.status) for line in context.this_month] == [(earlier.start_date, "approved")]
    away = [(line.text.split(" · ")[0], bool(line.state), line.alert) for line in context.side]
    assert away[0][0].startswith("李主管") and away[0][1:] == (False, True)  # the approver first, marked
    assert sorted(away[1:]) == [("林记录", False, False), ("林记录", True, False)]  # the pending one says so
    assert "2026" in context.balances[0].text and "调休" in context.balances[1].text
    html = response.content.decode()
    assert 'data-testid="approval-context"' in html and 'data-testid="approver-away"' in html
    assert "孙员工" not in html


@pytest.mark.django_db
def test_no_context_for_the_requester_or_once_decided(client, cast):
    leave = LeaveRequestFactory(employee=cast.employee)
    client.force_login(cast.employee.user)
    assert client.get(f"/leave/{leave.pk}/").context["context"] is None
    leave.status = LeaveRequest.Status.APPROVED
    leave.save()
    client.force_login(cast.supervisor.user)
    assert client.get(f"/leave/{leave.pk}/").context["context"] is None


@pytest.mark.django_db
def test_the_trip_decision_page_shows_who_else_is_away_and_the_month(client, cast):
    trip = BusinessTrip.objects.create(employee=cast.employee, start_date=date(2026, 12, 8), end_date=date(2026, 12, 8),
                                       days=Decimal("1"), destination="杭州", reason="客户")
    sick = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 2), leave_type=leave_type("sick"))
    LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, 8), status=LeaveRequest.Status.APPROVED)
    client.force_login(cast.supervisor.user)
    response = client.get(f"/leave/trips/{trip.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    context = response.context["context"]
    assert [line.start for line in context.this_month] == [sick.start_date]
    assert [line.text.split(" · ")[0] for line in context.side] == ["林记录"]
    html = response.content.decode()
    assert 'data-testid="approval-context"' in html and 'data-testid="context-away"' in html
    assert f'action="/leave/trips/{trip.pk}/approve/"' in html or f'formaction="/leave/trips/{trip.pk}/approve/"' in html
    client.force_login(cast.employee.user)  # the requester sees her trip, not the approver's context
    assert client.get(f"/leave/trips/{trip.pk}/").context["context"] is None


@pytest.mark.django_db
def test_a_comp_time_request_states_the_comp_time_once(client, cast):
    """调休: the page's comp-time sentence (balance, available, what this leave takes) is the only one."""
    comp = LeaveRequestFactory(employee=cast.employee, leave_type=leave_type("compensatory"), start_date=date(2026, 12, 8))
    annual = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 15))
    client.force_login(cast.supervisor.user)
    html = client.get(f"/leave/{comp.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert html.count('data-testid="comp-time-balance"') == 1
    context = client.get(f"/leave/{comp.pk}/").context["context"]
    assert not any("调休" in line.text or "Comp time" in line.text for line in context.balances)
    other = client.get(f"/leave/{annual.pk}/").context["context"]
    assert any("Comp time" in line.text or "调休" in line.text for line in other.balances)


@pytest.mark.django_db
def test_the_dashboard_states_the_comp_time_balance_once(client, cast):
    client.force_login(cast.clerk.user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="duty-card"' in html and html.count('data-testid="leave-comp-time"') == 1
    assert 'data-testid="comp-time-balance"' not in html


def _leave_page(cast) -> str:
    return f"/leave/{LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 8)).pk}/"


def _trip_page(cast) -> str:
    trip = BusinessTrip.objects.create(employee=cast.employee, start_date=date(2026, 12, 8), end_date=date(2026, 12, 9),
                                       days=Decimal("2"), destination="杭州", reason="客户")
    return f"/leave/trips/{trip.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize("page_of", [_leave_page, _trip_page], ids=["leave", "trip"])
def test_the_context_query_count_stays_flat_as_the_team_is_away_more(client, cast, page_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = page_of(cast)
    LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, 1), end_date=date(2026, 12, 10))
    client.force_login(cast.supervisor.user)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in (2, 3, 4):
        LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, day), end_date=date(2026, 12, 10))
        LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 20 + day))
        BusinessTrip.objects.create(employee=cast.clerk, start_date=date(2026, 12, 9), end_date=date(2026, 12, 9),
                                    days=Decimal("1"), destination="上海", reason="客户", status="approved")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
