"""What a chunk of a nightly check reads, as one fingerprint (issue 16: an operator's forced rerun of a finished night).

A forced rerun recomputes a night after a fix: a punch imported late, leave approved afterwards, HR's
calendar or settings corrected, a bug fixed in the code. Most chunks of the department saw none of
that; judging each of their days again only finds that nothing changed (1.8–2.0 s at 10,000 people).
So a chunked check may declare its facts (`opsdept.nightly.register(name, facts=...)`):
`facts(day, employee_ids) -> list` of every row it reads, as querysets (`rows(...)`, or a values list
of the columns it reads) and plain values (a provider's covers, the calendar's verdict). The nightly
run stores each chunk's fingerprint in the run log; a forced rerun runs a chunk again only when its
fingerprint differs from the one the latest finished run of that chunk stored.

The fingerprint covers, besides the declared facts: the chunk's employee ids, the check's name, the
project's source code and the versions of the packages that judge a day (`code_version`), and the
settings a flag's text depends on. It is taken before the check reads: a fact that changes while the
check runs makes the next rerun recompute, never skip. A check without `facts` is never skipped, so a
new check is safe by default; a check that starts reading another table must add it to its facts.

On PostgreSQL the database digests the rows (a sum of 64-bit hashes of the rows as text) and sends back one
string per queryset, all of a chunk's querysets in one query; elsewhere the rows are read and hashed here.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone as dt_timezone
import functools
import hashlib
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Model, Q, QuerySet

from . import memo, workcalendar
from .models import CalendarOverride, CalendarYear, Employee, SingletonModel, WorkSchedule

Facts = Callable[[date, list[int]], list[object]]
# The packages whose answers a night's judgement depends on (the holidays; the ORM itself).
PACKAGES = ("chinese_calendar", "Django")


def rows(queryset: QuerySet[Model]) -> QuerySet:
    """Every column of these rows: what a fingerprint reads when a check may look at any of them."""
    fields = [field.attname for field in queryset.model._meta.concrete_fields]
    return queryset.order_by().values_list(*fields)


@functools.cache
def code_version() -> str:
    """A digest of the project's source files and of PACKAGES' versions, once per process.

    A fixed bug changes it, so the first forced rerun after a deploy recomputes every chunk.
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR).resolve()
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(config.path).resolve()
        if base not in folder.parents and folder != base:
            continue
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def once(key: object, load: Callable[[], object]) -> object:
    """`load()` once per fingerprint pass for `key`: a fact several checks of a chunk read (what leave covers)."""
    return memo.remembered(("opsdept.facts", key), load)


def of_chunk(field: str, employee_ids: list[int]) -> Q:
    """`field` within the chunk's id range: the chunk and the ids between its first and last that the night does not
    check (people not employed that day). Reading more facts than the check reads is safe, fewer never; and the
    range lets PostgreSQL walk the (employee, date) indexes, where 2,000 ids `= ANY` took the employee index and
    fetched every day of their history (96 ms for one chunk's punches of a 3,000-person night, EXPLAIN ANALYZE)."""
    return Q(**{f"{field}__gte": min(employee_ids), f"{field}__lte": max(employee_ids)})


def settings_row(model: type[SingletonModel]) -> tuple:
    """A settings table's one row (created with its defaults on first use, as the checks would), as plain values."""
    row = model.current()
    values = (getattr(row, field.attname) for field in model._meta.concrete_fields)
    # A row created just now holds its moments in the local zone, read back they are in UTC: the same instant.
    return tuple(value.astimezone(dt_timezone.utc) if isinstance(value, datetime) else value for value in values)


def department_facts(day: date, employee_ids: list[int]) -> list[object]:
    """What every check of a chunk reads from opsdept: the people (who is employed, in which role, since when),
    the schedule and go-live date, the work calendar (HR's overrides and confirmed years, the package's verdict).
    The same objects for every check of a chunk (`once`)."""
    return once(("department", day, tuple(employee_ids)), lambda: _department_facts(day, employee_ids))


def _department_facts(day: date, employee_ids: list[int]) -> list[object]:
    return [
        rows(Employee.objects.filter(of_chunk("pk", employee_ids))),
        settings_row(WorkSchedule),
        rows(CalendarOverride.objects.all()),
        rows(CalendarYear.objects.all()),
        [(info.date, info.is_workday, info.kind, info.source) for info in workcalendar.days_between(day, day)],
    ]


def _plain(value: object) -> str:
    if isinstance(value, dict):
        value = sorted(value.items())
    elif isinstance(value, (set, frozenset)):
        value = sorted(value)
    return repr(value)


def _digests(statements: list[tuple[str, tuple]]) -> list[str]:
    """One digest per statement (a queryset's SQL and parameters): its row count and an order-free hash of its rows,
    in one query on PostgreSQL."""
    if not statements:
        return []
    if connection.vendor == "postgresql":
        parts, params = [], []
        for sql, query_params in statements:
            # A sum of the rows' 64-bit hashes: the same whatever order the rows come in, and no sort to pay for.
            parts.append(f"(SELECT count(*) || ':' || coalesce(sum(hashtextextended(f::text, 0)), 0) FROM ({sql}) AS f)")
            params.extend(query_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            return [str(value) for value in cursor.fetchone()]
    result = []
    for sql, query_params in statements:
        with connection.cursor() as cursor:
            cursor.execute(sql, query_params)
            found = sorted(repr(tuple(row)) for row in cursor.fetchall())
        result.append(f"{len(found)}:" + hashlib.sha256("|".join(found).encode()).hexdigest())
    return result


def fingerprints(facts: dict[str, Facts], day: date, employee_ids: list[int]) -> dict[str, str]:
    """{check name: fingerprint of its facts for `day` and these employees}, the querysets of all the checks
    digested together (one query on PostgreSQL; a queryset several checks read is digested once)."""
    token = memo.begin()  # the settings rows, the calendar and `once` facts read once for all the checks
    try:
        declared = {name: list(function(day, employee_ids)) for name, function in facts.items()}
    finally:
        memo.end(token)
    # Each queryset compiled once (the department's and the rules' are the same objects in every check: `once`),
    # and one with the same SQL as another digested once.
    compiled: dict[int, str] = {}
    statements: dict[str, tuple[str, tuple]] = {}
    for parts in declared.values():
        for part in parts:
            if isinstance(part, QuerySet) and id(part) not in compiled:
                sql, params = part.query.sql_with_params()
                compiled[id(part)] = key = f"{sql}\0{params!r}"
                statements.setdefault(key, (sql, tuple(params)))
    digested = dict(zip(statements, _digests(list(statements.values()))))
    common = [code_version(), settings.LANGUAGE_CODE, settings.TIME_ZONE, day.isoformat(), _plain(list(employee_ids))]
    result = {}
    for name, parts in declared.items():
        digest = hashlib.sha256()
        for text in [*common, name, *(digested[compiled[id(part)]] if isinstance(part, QuerySet) else _plain(part)
                                      for part in parts)]:
            digest.update(text.encode())
            digest.update(b"\0")
        result[name] = digest.hexdigest()
    return result


def declared(checks: Iterable[tuple[str, Callable]]) -> dict[str, Facts]:
    """The facts of those checks that declare them."""
    return {name: check.facts for name, check in checks if callable(getattr(check, "facts", None))}
