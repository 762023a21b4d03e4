from typing import Any

from django import template
from django.utils import timezone

from opsdept import permissions

from leave import balance, selectors
from leave.models import LeaveRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def leave_summary(context: template.Context) -> dict[str, Any]:
    """The dashboard card's numbers for the signed-in employee."""
    me = permissions.employee_of(context["request"].user)
    if me is None:
        return {}
    mine = LeaveRequest.objects.filter(employee=me)
    return {
        "balance": balance.balance_for(me, timezone.localdate().year),
        "pending_mine": mine.filter(status=LeaveRequest.Status.PENDING).count(),
        "to_decide": selectors.pending_requests_for(me).count() if me.is_supervisor else 0,
        "slips_due": list(mine.filter(is_emergency=True, status=LeaveRequest.Status.APPROVED, slip_submitted_at__isnull=True)),
    }
