"""attendance: template tags for the dashboard card."""

from typing import Any

from django import template

from opsdept import permissions

from ..models import Correction, Overtime, RequestStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_attendance_requests(context: template.Context) -> int:
    """How many corrections and overtime requests wait for the signed-in supervisor (two queries)."""
    user: Any = context.get("user")
    me = permissions.employee_of(user)
    if me is None or not me.is_supervisor:
        return 0
    team = permissions.team_employees(user).values("pk")
    return (Correction.objects.filter(status=RequestStatus.PENDING, employee__in=team).count()
            + Overtime.objects.filter(status=RequestStatus.PENDING, employee__in=team).count())
