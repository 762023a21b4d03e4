"""duty: the dashboard card's data."""

from django import template
from django.utils import timezone

from opsdept import permissions

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def duty_card(context) -> dict | None:
    """My next duty days and the swaps waiting for me (the comp-time balance is on the leave card)."""
    request = context.get("request")
    me = permissions.employee_of(request.user) if request else None
    if me is None:
        return None
    today = timezone.localdate()
    to_answer, to_decide = selectors.swap_counts(request.user)
    return {
        "upcoming": selectors.next_duties(me, today, limit=5),
        "to_answer": to_answer,
        "to_decide": to_decide,
        "today": today,
    }
