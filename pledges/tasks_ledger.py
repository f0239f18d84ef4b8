"""Celery entry points of the jobs ledger (registered through `pledges.tasks`).

Beat runs `write_bulk_dump` nightly (the entry is created by migration 0011). It is safe to run
twice: the service holds a file lock, and writes no new version when nothing changed.
"""

from __future__ import annotations

from celery import shared_task

from pledges.services import bulk_dump

DUMP_TIME_LIMIT = 1800  # well inside the broker's visibility timeout (acks_late)


@shared_task(
    acks_late=True,
    ignore_result=True,
    time_limit=DUMP_TIME_LIMIT,
    soft_time_limit=DUMP_TIME_LIMIT - 60,
)
def write_bulk_dump() -> str:
    """Write tonight's versioned bulk dump; the version's name (or the previous one's, when
    nothing changed)."""
    return bulk_dump.dump_write().version
