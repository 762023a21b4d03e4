from typing import Any

from django import template

from opsdept import audit, permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% can "leave.approve" leave as allowed %}`: ask the permission module."""
    return permissions.can(context["request"].user, action, obj)


@register.filter
def yuan(value: Any) -> str:
    """Format a Decimal amount as ¥1,234.50."""
    if value is None or value == "":
        return ""
    return f"¥{value:,.2f}"


@register.filter
def audit_label(code: str) -> str:
    """The audit action `code` as a sentence in the reader's language."""
    return audit.label_for(code)
