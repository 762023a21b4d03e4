from django import template

from opsdept import permissions

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_policy_version(context: template.Context):
    """The policy version the signed-in employee has not acknowledged yet, or None (one query)."""
    request = context.get("request")
    if request is None:
        return None
    return selectors.pending_policy_version(permissions.employee_of(request.user))


@register.filter
def get_item(mapping: dict, key: str):
    """`{{ citing|get_item:clause.id }}`: look a key up in a dict."""
    return mapping.get(key, []) if mapping else []


@register.simple_tag(takes_context=True)
def discipline_queues(context: template.Context) -> dict:
    """The dashboard card's queues for the signed-in user: open flags and appeals, each counted with its oldest."""
    request = context.get("request")
    return selectors.dashboard_queues(request.user) if request is not None else {}
