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
def test_the_context_query_count_stays_flat_as_the_team_is_away_more(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leave = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 8))
    LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, 1), end_date=date(2026, 12, 10))
    client.force_login(cast.supervisor.user)
    client.get(f"/leave/{leave.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/leave/{leave.pk}/")
    for day in (2, 3, 4):
        LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, day), end_date=date(2026, 12, 10))
        LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 20 + day))
    with CaptureQueriesContext(connection) as many:
        client.get(f"/leave/{leave.pk}/")
    assert len(many) == len(few)
