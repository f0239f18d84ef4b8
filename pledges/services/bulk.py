"""Fast bulk inserts: PostgreSQL COPY where available, `bulk_create` elsewhere.

The importer writes around a million rows for a 100,000-pledge spreadsheet. Building a Django
model instance per row and COPYing plain tuples differ by an order of magnitude, so callers
hand over rows of ready database values (ints, str, dates, datetimes, None). Ids come from the
table's own sequence first, so callers get primary keys back exactly as with `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_ids: bool = True,
) -> list[int]:
    """Insert `rows` (values in `columns` order, attnames such as `pledge_id`); return new ids.

    `auto_now` fields are not filled in: pass them as columns.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs] if returning_ids else []
    meta = model._meta
    quote = connection.ops.quote_name
    column_names = [meta.get_field(name).column for name in columns]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning_ids:
            ids = _reserve_ids(cursor, meta.db_table, meta.pk.column, len(rows))
            column_names = [meta.pk.column, *column_names]
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(meta.db_table), ", ".join(quote(c) for c in column_names)
        )
        with cursor.cursor.copy(sql) as copy:
            if returning_ids:
                for new_id, row in zip(ids, rows, strict=True):
                    copy.write_row((new_id, *row))
            else:
                for row in rows:
                    copy.write_row(row)
    return ids


def _reserve_ids(cursor: Any, table: str, pk_column: str, count: int) -> list[int]:
    """A block of `count` consecutive ids from the table's sequence.

    One `setval` instead of `count` calls of `nextval`. It is safe only while nobody else can
    insert into the table, so the table is locked against writers (readers are not blocked)
    until the surrounding transaction ends.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("insert_rows must run inside transaction.atomic()")
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, %s), "
        "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
        [table, pk_column, table, pk_column, count],
    )
    last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))
