"""My business trips filter through the one panel (opsdept.filters) like every other list."""

from datetime import date
from decimal import Decimal

import pytest

from leave.models import BusinessTrip
from opsdept.models import RequestStatus

pytestmark = pytest.mark.django_db


def _trip(employee, start, status, kind=BusinessTrip.Kind.TRIP, destination="上海"):
    return BusinessTrip.objects.create(employee=employee, kind=kind, start_date=start, end_date=start, days=Decimal("1"),
                                       destination=destination, reason="客户拜访", status=status)


def test_my_trips_filter_by_status_and_dates_and_a_bad_date_is_an_error_not_a_500(client, cast):
    _trip(cast.employee, date(2026, 10, 13), RequestStatus.APPROVED, destination="杭州")
    _trip(cast.employee, date(2026, 11, 17), RequestStatus.PENDING, destination="苏州")
    client.force_login(cast.employee.user)
    page = client.get("/leave/trips/", {"status": "approved"}).content.decode()
    assert "杭州" in page and "苏州" not in page and 'data-testid="filters"' in page
    page = client.get("/leave/trips/", {"start": "2026-11-01", "end": "2026-11-30"}).content.decode()
    assert "苏州" in page and "杭州" not in page
    response = client.get("/leave/trips/", {"start": "0001-01-01", "end": "2026-11-30"})
    assert response.status_code == 200 and "苏州" in response.content.decode()   # the bad bound is ignored, with its error
    page = client.get("/leave/trips/", {"kind": "outing"}).content.decode()
    assert "杭州" not in page and "苏州" not in page
