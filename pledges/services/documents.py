"""Pledge documents (`models.PledgeDocument`): each published pledge's API JSON, prepared
ahead of reading so that a page of the API is read, not assembled.

Triggers (migration 0016) delete a document whenever what it shows changes; this module
builds the missing ones: the beat task every minute, `manage.py build_pledge_documents` at
will (after a large import, say). Until its document is built, a pledge is serialised when it
is read, as before, so answers are never stale, only slower.

A build writes in batches, each in its own short transaction holding the exclusive side of
`DOCUMENT_LOCK`; the triggers take the shared side before they delete. So a change made while
a batch is written waits for that batch to commit, then deletes the documents it made stale,
and a batch never starts while a transaction that changed pledges is still open (it waits).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from pledges import selectors_api
from pledges.interchange import csv_line_writer

# The advisory lock between builds and the triggers (the same number in migration 0016).
DOCUMENT_LOCK = 728_417_001
# Documents written per transaction: each batch holds up editors' saves for as long as it
# takes (about 100 ms per thousand).
BATCH_SIZE = 1000

_MISSING_SQL = """SELECT p.id FROM pledges_pledge p
WHERE p.is_published
  AND NOT EXISTS (SELECT FROM pledges_pledgedocument d WHERE d.pledge_id = p.id)
ORDER BY p.id"""


def documents_missing() -> list[int]:
    """Ids of the published pledges that have no document (none on other databases)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(_MISSING_SQL)
        return [pk for (pk,) in cursor.fetchall()]


def documents_build(
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], object] | None = None,
    total: Callable[[int], object] | None = None,
) -> int:
    """Build the documents of the published pledges that have none; return how many were
    written. `total` is told how many are missing, `progress` how many each batch covered.
    On databases other than PostgreSQL there are no documents: 0."""
    missing = documents_missing()
    if total is not None:
        total(len(missing))
    built = 0
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        with transaction.atomic(), connection.cursor() as cursor:
            # First the lock, then (a new statement, so a new snapshot) the documents: every
            # change committed before the lock was granted is in them.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DOCUMENT_LOCK])
            built += documents_write(batch)
        if progress is not None:
            progress(len(batch))
    return built


def documents_write(ids: list[int]) -> int:
    """Write the documents of the published pledges among `ids` that have none; how many.
    The caller holds `DOCUMENT_LOCK` (`documents_build`)."""
    rows = selectors_api.undocumented_csv_cells(ids)
    if not rows:
        return 0
    writer = csv_line_writer()
    return selectors_api.documents_insert(
        [pk for pk, _ in rows], [writer.writerow(cells) for _, cells in rows]
    )
