"""Set-based reads and writes for the nightly checks' batches (issue 16).

- `insert_rows(model, fields, rows)`: an INSERT of plain tuples, a thousand rows a statement, returning
  the columns asked for. No model instance is built and each distinct value is prepared for the database
  once: the worst night writes 20,000 flags, their audit events, notifications and mails, and building
  and preparing model instances was most of its time. Like `bulk_create` it sends no signals and calls
  no `save()`; unlike it, it can skip rows that would break a unique constraint and still say which rows
  it inserted (`ON CONFLICT DO NOTHING RETURNING`, PostgreSQL and SQLite 3.35+).
- The `any` lookup (`Flag.objects.filter(employee_id__any=ids)`): on PostgreSQL the ids are sent as one
  array literal, `employee_id = ANY(%s)`, instead of an `IN (%s, %s, …)` of 2,000 parameters that Django
  resolves and prepares one by one (a quarter of a forced rerun of a night). Elsewhere it is the ordinary `__in`.
"""

from collections.abc import Iterable, Sequence

from django.db import connection as default_connection
from django.db.models import Field, ForeignObject, Lookup, Model
from django.db.models.lookups import In

INSERT_BATCH = 1000


class AnyOf(Lookup):
    """`field__any=values`: `field = ANY(%s)` with one array parameter on PostgreSQL, else `field IN (…)`.

    For integer keys (ids), which psycopg sends as an integer array. An empty collection matches nothing.
    Pass a set: Django walks a list or a tuple value item by item before any lookup sees it.
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql" or not self.rhs:
            return In(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # The bounds first: PostgreSQL 15 rechecks `= ANY` item by item (a night's chunk reading the days of
        # one date tested 10,000 rows against 2,000 ids: 181 ms); the range drops the other chunks' rows cheaply.
        # The array goes as one text literal: psycopg2 spells a list as ARRAY[1, 2, …], which PostgreSQL parses
        # as 10,000 expressions (the export's 10,000-id reads: 145 ms each against 75 ms as '{1,2,…}'::bigint[]).
        return (f"({lhs} BETWEEN %s AND %s AND {lhs} = ANY(%s::bigint[]))",
                (*lhs_params, min(self.rhs), max(self.rhs), *lhs_params, "{" + ",".join(map(str, self.rhs)) + "}"))


# A foreign key (`employee_id__any`) sees only the lookups registered on ForeignObject and below.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[object]], *,
                returning: Sequence[str] = ("id",), skip_conflicts: bool = False,
                update_conflicts: tuple[Sequence[str], Sequence[str]] | None = None, connection=None) -> list[tuple]:
    """INSERT `rows` (tuples of values, in the order of `fields`, attribute names: `employee_id`) into
    `model`'s table; return the `returning` columns of the rows inserted, in order.

    Every NOT NULL column must be among `fields` (no Python-side default or `auto_now_add` applies).
    With `skip_conflicts` a row that would break a unique constraint is skipped (`ON CONFLICT DO NOTHING`)
    and returns nothing: the caller matches the returned rows by key, not by position. With
    `update_conflicts=(unique fields, fields to update)` such a row updates those fields instead (an upsert).
    """
    connection = connection or default_connection
    meta = model._meta
    columns = [_column_field(meta, name) for name in fields]
    quote = connection.ops.quote_name
    column_sql = ", ".join(quote(field.column) for field in columns)
    returning_sql = ", ".join(quote(_column_field(meta, name).column) for name in returning)
    conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    if update_conflicts is not None:
        unique, updated = ([quote(_column_field(meta, name).column) for name in names] for names in update_conflicts)
        conflict = (f" ON CONFLICT ({', '.join(unique)}) DO UPDATE SET "
                    + ", ".join(f"{column} = EXCLUDED.{column}" for column in updated))
    prepared: dict[tuple[int, type, object], object] = {}
    # A str for a text column and an int for an integer one (ids) go to the database as they are.
    plain = [{"CharField": str, "TextField": str, "ForeignKey": int, "AutoField": int, "BigAutoField": int,
              "IntegerField": int, "PositiveSmallIntegerField": int}.get(field.get_internal_type()) for field in columns]

    def prepare(index: int, value: object) -> object:
        if type(value) is plain[index]:
            return value
        try:
            key = (index, type(value), value)
            if key not in prepared:
                prepared[key] = columns[index].get_db_prep_save(value, connection)
            return prepared[key]
        except TypeError:  # unhashable (a JSON dict): prepared each time
            return columns[index].get_db_prep_save(value, connection)

    rows = list(rows)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start:start + INSERT_BATCH]
            params = [prepare(index, value) for row in batch for index, value in enumerate(row)]
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({column_sql}) VALUES {', '.join([row_sql] * len(batch))}"
                           f"{conflict} RETURNING {returning_sql}", params)
            found.extend(tuple(row) for row in cursor.fetchall())
    return found


def _column_field(meta, name: str) -> Field:
    """The concrete field whose attribute name (`employee_id`) or name (`employee`, `id`) is `name`."""
    for field in meta.concrete_fields:
        if name in (field.attname, field.name):
            return field
    if name == "pk":
        return meta.pk
    raise LookupError(f"{meta.label} has no column {name!r}")
