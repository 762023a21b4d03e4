from datetime import date, datetime, time, timedelta
import functools
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _, ngettext, pgettext

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


# The team month's small grids: the heat-map classes under one-letter names (static/css/opsdept.css, `.mgc`).
SHORT_CSS = {
    "status-normal": "n", "status-late": "l", "status-early": "e", "status-missing": "m", "status-absent": "a",
    "status-leave": "v", "status-business": "b", "status-untracked": "u",
    "cal-weekend": "w", "cal-holiday": "h", "cal-makeup": "k", "cal-fallback": "f",
}


@functools.lru_cache(maxsize=8)
def _compact_head(language: str | None) -> str:
    """The weekday initials of a small grid in `language` (the active one; the argument keys the cache)."""
    return "".join(f"<th>{escape(label)}</th>" for label in (
        pgettext("weekday initial", "M"), pgettext("weekday initial Tuesday", "T"), pgettext("weekday initial", "W"),
        pgettext("weekday initial Thursday", "T"), pgettext("weekday initial", "F"),
        pgettext("weekday initial Saturday", "S"), pgettext("weekday initial Sunday", "S")))


@functools.lru_cache(maxsize=1024)
def _compact_cell(css: str, day: int) -> str:
    """One small grid's cell: the same few colours and 31 day numbers on every card (cached)."""
    short = " ".join(SHORT_CSS[name] for name in css.split() if name in SHORT_CSS)
    return f'<td class="{short}">{day}</td>' if short else f"<td>{day}</td>"


@register.simple_tag
def compact_month_grid(weeks: list[list[dict | None]], testid: str = "") -> str:
    """A small month grid (day numbers only, coloured like templates/_month_grid.html) for the team month's
    person cards, built here rather than by the template engine: fifty of them are 1,500 cells a page.

    No per-cell dates, statuses or tooltips: the legend above the cards names the colours, and each card
    links to the person's month with the detail.
    """
    head = _compact_head(get_language())
    rows = ["<tr>" + "".join('<td class="x"></td>' if cell is None else _compact_cell(cell["css"], cell["date"].day)
                             for cell in week) + "</tr>" for week in weeks]
    testid_attr = f' data-testid="{escape(testid)}"' if testid else ""
    return mark_safe(f'<div class="month-grid-wrap"><table class="table table-bordered month-grid month-grid-compact mgc mb-0"'
                     f'{testid_attr}><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
