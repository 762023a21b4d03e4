"""attendance: template tags for the dashboard card."""

from typing import Any

from django import template
from django.utils import timezone

from opsdept import permissions

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_attendance_requests(context: template.Context) -> int:
    """How many corrections and overtime requests wait for the signed-in supervisor (two queries)."""
    user: Any = context.get("user")
    return selectors.pending_count_for(user)


@register.simple_tag(takes_context=True)
def attendance_card(context: template.Context) -> dict[str, Any]:
    """The dashboard card: the signed-in person's day so far and, for a supervisor, the requests waiting."""
    user: Any = context.get("user")
    me = permissions.employee_of(user)
    if me is None:
        return {}
    return {
        "day": selectors.punch_day(me, timezone.localdate()) if permissions.can(user, "attendance.punch") else None,
        "pending": selectors.pending_queue_for(user) if me.is_supervisor else None,
    }
