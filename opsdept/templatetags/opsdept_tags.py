from datetime import date, datetime, time, timedelta
import functools
import re
from typing import Any

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _, ngettext

from opsdept import audit, permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% can "leave.approve" leave as allowed %}`: ask the permission module."""
    return permissions.can(context["request"].user, action, obj)


# ---------------------------------------------------------------- the main navigation (issue 16)

NAV_TEMPLATE = "_main_nav.html"
_nav_html: dict[tuple, str] = {}


@functools.lru_cache(maxsize=1)
def _nav_inputs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(actions asked with `{% can %}`, attributes of `me` read) in the navigation and the chapters' menus it
    includes: what its HTML depends on besides the language. Read from their sources, and refused if they read
    anything else (a variable shown, the request, the user), which would make `main_nav`'s cache wrong."""
    sources = [get_template(NAV_TEMPLATE).template.source]
    sources += [get_template(name).template.source for name in re.findall(r'{% include "([^"]+)" %}', sources[0])]
    text = "\n".join(sources)
    if "{{" in text or re.search(r"\b(request|user|perms)\b", text) or re.search(r"{% url '[^']+' [^%]", text):
        raise ImproperlyConfigured(f"{NAV_TEMPLATE} and its menus may read only {{% can %}}, me and URLs without arguments.")
    actions = tuple(sorted(set(re.findall(r'{% can "([\w.]+)" as \w+ %}', text))))
    return actions, tuple(sorted(set(re.findall(r"\bme\.(\w+)", text))))


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> str:
    """The chapters' menus of the navigation bar, rendered once per language and set of permissions.

    Every page rendered the same menus again: about fifty URL reversals and translations, a fifth of a simple
    page's time. The HTML depends only on the viewer's answers to the menus' `{% can %}` questions, the
    attributes of `me` they read and the language (`_nav_inputs`), which are asked here on every request; the
    menus' HTML for those answers is kept for the process.
    """
    from django.conf import settings

    if settings.DEBUG:  # `make run`: an edited menu shows on the next page, as templates do there
        _nav_inputs.cache_clear()
        _nav_html.clear()
    request = context["request"]
    me = context.get("me")
    actions, attributes = _nav_inputs()
    key = (get_language(), get_script_prefix(), me is not None, tuple(getattr(me, name, None) for name in attributes),
           tuple(permissions.can(request.user, action) for action in actions))
    html = _nav_html.get(key)
    if html is None:
        if len(_nav_html) > 256:  # a bound, never reached in practice (roles × languages)
            _nav_html.clear()
        # A plain context (the `{% can %}` tag reads the request from it): no context processors run again.
        html = _nav_html[key] = render_to_string(NAV_TEMPLATE, {"me": me, "request": request})
    return mark_safe(html)  # noqa: S308 (our own template's output, rendered with autoescape)


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


