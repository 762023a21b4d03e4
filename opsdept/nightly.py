"""The nightly run: every check in `opsdept.registries.nightly_checks`, per finished date.

Each chapter's `checks.py` registers its checks with `@nightly.register("chapter.name")`.
A check is a function `(day: date) -> int` that examines one local date and
returns how many flags it raised. It must be safe to run twice for a date:
flags are unique per employee, date and rule, so re-running adds nothing.
"""

from collections.abc import Callable
from datetime import date, timedelta
import logging

from django.db import transaction
from django.utils import timezone

from . import registries
from .models import NightlyRun
from .notify import department_language

Check = registries.Check
log = logging.getLogger(__name__)

# How far back the nightly job looks for dates it missed while the worker was down.
CATCH_UP_DAYS = 31


def register(name: str) -> Callable[[Check], Check]:
    """Register a nightly check under a unique dotted name (`attendance.lateness`)."""

    def decorator(function: Check) -> Check:
        return registries.nightly_checks.register(name, function)

    return decorator


def registered() -> dict[str, Check]:
    return dict(registries.nightly_checks.items())


def run_for_date(day: date) -> dict[str, int]:
    """Run every registered check for `day`; return {check name: flags raised}."""
    summary: dict[str, int] = {}
    for name, check in registries.nightly_checks.items():
        # Flag details are stored and read later: the department's language, even if a request runs the checks.
        with transaction.atomic(), department_language():
            summary[name] = int(check(day) or 0)
    run, _created = NightlyRun.objects.get_or_create(date=day)
    run.finished_at = timezone.now()
    run.summary = summary
    run.save(update_fields=["finished_at", "summary"])
    log.debug("nightly checks for %s: %s", day, summary)
    return summary


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def dates_to_catch_up(today: date | None = None) -> list[date]:
    """Dates up to yesterday that have no finished run, oldest first, at most CATCH_UP_DAYS back."""
    today = today or timezone.localdate()
    last = today - timedelta(days=1)
    first = today - timedelta(days=CATCH_UP_DAYS)
    done = set(
        NightlyRun.objects.filter(date__range=(first, last), finished_at__isnull=False).values_list("date", flat=True)
    )
    earliest = NightlyRun.objects.filter(finished_at__isnull=False).order_by("date").values_list("date", flat=True).first()
    if earliest is None:
        # A fresh installation checks only last night; older history is for `run_nightly_checks --from`.
        first = last
    else:
        first = max(first, earliest)
    return [first + timedelta(days=n) for n in range((last - first).days + 1) if first + timedelta(days=n) not in done]
