from typing import Any

from django import template

from opsdept import permissions

from leave import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def leave_summary(context: template.Context) -> dict[str, Any]:
    """The dashboard card's numbers for the signed-in employee."""
    me = permissions.employee_of(context["request"].user)
    if me is None:
        return {}
    return selectors.dashboard_summary(me)
