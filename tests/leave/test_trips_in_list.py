"""Business trips approved or rejected in the list with htmx (issue 13 item 5): the row answers in place, a plain
POST still redirects, and nobody decides their own or another team's trip (nothing written)."""

from datetime import date
from decimal import Decimal

import pytest

from leave.models import BusinessTrip
from tests.htmx import HTMX, is_row

pytestmark = pytest.mark.django_db


def trip_of(employee) -> BusinessTrip:
    return BusinessTrip.objects.create(employee=employee, start_date=date(2030, 6, 10), end_date=date(2030, 6, 11),
                                       days=Decimal("2"), destination="上海", reason="客户拜访")


def test_a_trip_approved_in_the_list_answers_its_row(client, cast):
    trip = trip_of(cast.employee)
    client.force_login(cast.supervisor.user)
    response = client.post(f"/leave/trips/{trip.pk}/approve/", {"note": ""}, **HTMX)
    assert is_row(response)
    html = response.content.decode()
    assert 'data-testid="row-done"' in html and "已批准" in html
    trip.refresh_from_db()
    assert trip.status == "approved" and trip.decided_by == cast.supervisor


def test_a_trip_rejected_without_a_reason_stays_pending_in_its_row(client, cast):
    trip = trip_of(cast.employee)
    client.force_login(cast.supervisor.user)
    response = client.post(f"/leave/trips/{trip.pk}/reject/", {"note": " "}, **HTMX)
    html = response.content.decode()
    assert is_row(response) and 'data-testid="row-error"' in html and 'data-testid="approve"' in html
    trip.refresh_from_db()
    assert trip.status == "pending"


def test_a_trip_decided_without_htmx_redirects_to_the_trips(client, cast):
    trip = trip_of(cast.employee)
    client.force_login(cast.supervisor.user)
    response = client.post(f"/leave/trips/{trip.pk}/reject/", {"note": "不必出差"})
    assert response.status_code == 302 and response["Location"] == "/leave/trips/"
    trip.refresh_from_db()
    assert trip.status == "rejected"


def test_nobody_decides_their_own_trip_or_another_teams_in_the_list(client, cast):
    own, other = trip_of(cast.supervisor), trip_of(cast.outsider)
    client.force_login(cast.supervisor.user)
    assert client.post(f"/leave/trips/{own.pk}/approve/", **HTMX).status_code == 403
    assert client.post(f"/leave/trips/{other.pk}/approve/", **HTMX).status_code == 404
    assert set(BusinessTrip.objects.values_list("status", flat=True)) == {"pending"}


def test_the_trips_page_lists_the_trip_to_decide_with_htmx_buttons(client, cast):
    trip = trip_of(cast.employee)
    client.force_login(cast.supervisor.user)
    html = client.get("/leave/trips/").content.decode()
    assert f'hx-post="/leave/trips/{trip.pk}/approve/"' in html and f'href="/leave/trips/{trip.pk}/"' in html
