"""factory_boy factories for the leave chapter."""

from datetime import date
from decimal import Decimal

import factory

from leave.models import Half, LeaveRequest, LeaveType


def leave_type(code: str = "personal") -> LeaveType:
    """A seeded leave type (the migration creates 事假, 病假, 年假 …)."""
    return LeaveType.objects.get(code=code)


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    """A request written straight to the table (for reads and permissions); flows go through the services."""

    class Meta:
        model = LeaveRequest

    leave_type = factory.LazyFunction(lambda: leave_type("personal"))
    start_date = date(2026, 12, 1)
    start_half = Half.MORNING
    end_date = factory.SelfAttribute("start_date")
    end_half = Half.AFTERNOON
    days = Decimal("1")
    reason = "家中有事"
    created_by = factory.SelfAttribute("employee")
    status = LeaveRequest.Status.PENDING
