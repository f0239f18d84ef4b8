"""A Celery task for the logging tests: a worker started with `-I tests.support.ops_tasks`
runs it, and its log line must carry the task's arguments by name."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger("pledges.tasks")


@shared_task(name="tests.ops.log_ids")
def log_ids(source_id: int, pledge_id: int | None = None) -> None:
    """Logs one line; the task context (ids) comes from tracker.logs, not from this message."""
    log.info("checking")
