from datetime import date, datetime, time, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

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
def age(value: datetime | date | None) -> str:
    """How long ago, in its largest unit only ("3 天", "5 小时"): a dashboard card's oldest item."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    elapsed = timezone.now() - value
    if elapsed < timedelta(minutes=1):
        return _("less than a minute")
    if elapsed < timedelta(hours=1):
        minutes = elapsed // timedelta(minutes=1)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if elapsed < timedelta(days=1):
        hours = elapsed // timedelta(hours=1)
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = elapsed.days
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


@register.filter
def audit_label(code: str) -> str:
    """The audit action `code` as a sentence in the reader's language."""
    return audit.label_for(code)


