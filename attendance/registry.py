"""Extension points of the attendance chapter, for the chapters above it.

Leave sits above attendance (DESIGN: apps depend downward only), so
attendance cannot import it. Instead, leave registers here in its
AppConfig.ready():

    leave_providers.append(fn)
        fn(employee_ids: Iterable[int] | None, start: date, end: date)
            -> dict[tuple[int, date], Decimal]
        the fraction of each workday covered by approved leave (Decimal("0.5") or Decimal("1")),
        keyed by (employee id, date); employee_ids None means everyone. One or two queries.

    export_columns.append(provider)
        provider.headers() -> list[str]                         translated column titles
        provider.values(employee_ids, start, end) -> dict[int, list]   one row of values per employee id
        appended after the monthly export's own columns, in registration order.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

leave_providers: list = []
export_columns: list = []


def leave_fractions(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], Decimal]:
    """Approved leave per (employee id, date), from every registered provider."""
    result: dict[tuple[int, date], Decimal] = {}
    for provider in leave_providers:
        for key, fraction in provider(employee_ids, start, end).items():
            result[key] = min(Decimal("1"), result.get(key, Decimal("0")) + fraction)
    return result
