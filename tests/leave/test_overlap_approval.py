"""Two overlapping requests (from before the overlap check, or beside an emergency entry): only one is approved.
The race of the same (two approvals at once) is in tests/security/test_races.py on PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest

from leave import services
from leave.errors import LeaveError
from leave.models import LeaveRequest

from .factories import LeaveRequestFactory
from .helpers import local_time


def test_the_second_of_two_overlapping_requests_is_refused_and_stays_pending(cast):
    first = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 1), end_date=date(2026, 12, 2),
                                days=Decimal("2"))
    second = LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 2), end_date=date(2026, 12, 3),
                                 days=Decimal("2"))
    with local_time(2026, 11, 27):
        services.approve_leave_request(first.pk, actor=cast.supervisor.user)
        with pytest.raises(LeaveError, match="已批准"):
            services.approve_leave_request(second.pk, actor=cast.supervisor.user)
        services.reject_leave_request(second.pk, actor=cast.supervisor.user, note="与已批准的假期重叠")
    assert list(LeaveRequest.objects.order_by("pk").values_list("status", flat=True)) == ["approved", "rejected"]
