"""Celery entry points: thin, by id, idempotent, retried with backoff, time-limited.

Periodic tasks carry ``expires`` so that ticks missed while workers were down do not pile up,
and no countdown ever exceeds half the broker's visibility timeout (a longer ETA would be
redelivered while still waiting).
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from redis.exceptions import RedisError

from pledges.models import CheckRunKind
from pledges.services import archive, checks, discovery, documents, scheduling
from pledges.services.politeness import HostBusy

log = logging.getLogger(__name__)
CHECK_TIME_LIMIT = 300


def max_countdown() -> float:
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return max(1.0, float(visibility) / 2)


def backoff(retries: int, base: float = 5.0) -> float:
    """Exponential backoff with full jitter, capped below the visibility timeout."""
    return min(max_countdown(), random.uniform(base, base * 2 ** (retries + 1)))


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=50,
    time_limit=CHECK_TIME_LIMIT,
    soft_time_limit=CHECK_TIME_LIMIT - 20,
)
def check_source(self, source_id: int, run_id: int | None = None) -> str | None:  # type: ignore[no-untyped-def]
    """Check one source (see services.checks.check_source); returns the outcome word."""
    # A retry, or a delivery again after its worker died, may find its own earlier claim.
    resumed = self.request.retries > 0 or bool(
        (self.request.delivery_info or {}).get("redelivered")
    )
    try:
        check = checks.check_source(source_id=source_id, run_id=run_id, resumed=resumed)
    except HostBusy as exc:
        # Waiting for the host's turn would park this worker: come back when it is due.
        raise self.retry(countdown=min(max_countdown(), exc.wait + random.uniform(0, 2))) from None
    except (DatabaseError, RedisError) as exc:
        # PostgreSQL or Redis (politeness) away for a moment: the check is tried again.
        raise self.retry(exc=exc, countdown=backoff(self.request.retries), max_retries=5) from None
    if check is not None and check.outcome == "ok" and settings.WAYBACK_SUBMIT:
        submit_to_wayback.delay(check.source_id)
    return check.outcome if check is not None else None


def enqueue_checks(source_ids: list[int], run_id: int, *, queue: str | None = None) -> None:
    """One check_source message per id, in the given (host-interleaved) order."""
    for source_id in source_ids:
        check_source.apply_async((source_id, run_id), queue=queue)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def enqueue_due() -> int:
    """Beat, every minute: claim the due sources fairly across hosts and enqueue them."""
    scheduling.schedule_new_sources()
    ids = scheduling.claim_due()
    if ids:
        run = checks.start_run(kind=CheckRunKind.DUE, source_ids=ids, requested_by="beat")
        enqueue_checks(ids, run.pk)
    return len(ids)


@shared_task(acks_late=True, time_limit=900, soft_time_limit=870)
def build_pledge_documents() -> int:
    """Beat, every minute: build the API documents that are missing (`services.documents`)."""
    return documents.documents_build()


@shared_task(bind=True, acks_late=True, max_retries=3, time_limit=600, soft_time_limit=570)
def poll_feeds(self) -> int:  # type: ignore[no-untyped-def]
    """Beat, every 15 minutes: poll the news feeds and propose candidate sources."""
    try:
        return discovery.poll_all_feeds()
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from None


@shared_task(bind=True, acks_late=True, max_retries=5, time_limit=120, soft_time_limit=100)
def submit_to_wayback(self, source_id: int) -> str:  # type: ignore[no-untyped-def]
    """Ask Save Page Now to capture a newly archived source (WAYBACK_SUBMIT only)."""
    from pledges.models import Source

    url = Source.objects.values_list("url", flat=True).get(pk=source_id)
    try:
        return archive.submit_to_wayback(url=url)
    except HostBusy as exc:
        raise self.retry(countdown=min(max_countdown(), exc.wait + 1)) from None


# The follow-up reports' tasks and the jobs ledger's (the nightly bulk dump) live in their own
# modules; imported so the worker registers them.
from pledges.tasks_ledger import write_bulk_dump  # noqa: E402, F401
from pledges.tasks_reports import deliver_report, send_due_reports  # noqa: E402, F401
