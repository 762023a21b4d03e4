"""attendance: template tags for the dashboard card."""

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_attendance_requests(context: template.Context) -> int:
    """How many corrections and overtime requests wait for the signed-in supervisor (two queries)."""
    user: Any = context.get("user")
    return selectors.pending_count_for(user)
