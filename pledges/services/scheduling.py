"""When to check each source again, which sources a beat tick takes, and what a source's
recent checks say about its health.

Claiming is race-free: due rows are locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` and their
``next_check_at`` pushed a lease ahead in the same transaction, so two beat ticks, a manual
re-check and any number of workers never take the same source. Each tick takes at most what
every host can serve before the next tick, so one big site cannot starve the others.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pledges.fetch import registrable_domain
from pledges.models import CheckOutcome, LinkHealth, Source, SourceCheck

LEASE = dt.timedelta(minutes=30)  # a claimed source that was never checked is due again then
JITTER = 0.1  # +/- share of an interval, so checks of sources added together spread out
TICK_SECONDS = 60  # how often beat runs enqueue_due

_HEALTH = {
    CheckOutcome.OK: LinkHealth.ALIVE,
    CheckOutcome.UNCHANGED: LinkHealth.ALIVE,
    CheckOutcome.REDIRECTED: LinkHealth.ALIVE,
    CheckOutcome.CHANGED: LinkHealth.CHANGED,
    CheckOutcome.MOVED: LinkHealth.MOVED,
    CheckOutcome.BLOCKED: LinkHealth.BLOCKED,
    CheckOutcome.DISALLOWED: LinkHealth.BLOCKED,
    CheckOutcome.GONE: LinkHealth.GONE,
}
_FAILURES = (CheckOutcome.NOT_FOUND, CheckOutcome.DNS_ERROR)


def host_of(url: str) -> str:
    return registrable_domain(urlsplit(url).hostname or "")


def health_after(*, source: Source, check: SourceCheck, drift: bool = False) -> str:
    """The source's health with ``check`` as its latest check: dead (not_found) or gone
    (dns_error) only after LINK_DEAD_AFTER_FAILURES such checks in a row spanning at least
    LINK_DEAD_AFTER_DAYS; gone at once on a 410. Anything transient is "suspect"."""
    if drift:
        return LinkHealth.SUSPECT
    if check.outcome in _HEALTH:
        return _HEALTH[check.outcome]
    if check.outcome not in _FAILURES:
        return LinkHealth.SUSPECT
    needed = settings.LINK_DEAD_AFTER_FAILURES
    recent = list(
        SourceCheck.objects.filter(source=source, checked_at__lte=check.checked_at)
        .order_by("-checked_at", "-id")
        .values_list("outcome", "checked_at")[:needed]
    )
    streak = [at for outcome, at in recent if outcome in _FAILURES]
    if len(recent) < needed or len(streak) < needed:
        return LinkHealth.SUSPECT
    if check.checked_at - min(streak) < dt.timedelta(days=settings.LINK_DEAD_AFTER_DAYS):
        return LinkHealth.SUSPECT
    kinds = {outcome for outcome, _ in recent}
    return LinkHealth.GONE if kinds == {CheckOutcome.DNS_ERROR} else LinkHealth.DEAD


def interval_for(*, source: Source, outcome: str, now: dt.datetime) -> dt.timedelta:
    """How long until the next check: short for young articles, after a change and near a
    pledge's deadline; long for old stable ones; failures are re-checked so that a dead
    verdict can be reached over LINK_DEAD_AFTER_DAYS, no sooner."""
    low = dt.timedelta(hours=settings.RECHECK_MIN_HOURS)
    high = dt.timedelta(days=settings.RECHECK_MAX_DAYS)
    if outcome in _FAILURES:
        spread = settings.LINK_DEAD_AFTER_DAYS / max(1, settings.LINK_DEAD_AFTER_FAILURES - 1)
        return max(low, dt.timedelta(days=spread))
    if outcome in (CheckOutcome.CHANGED, CheckOutcome.MOVED, CheckOutcome.SOFT_404):
        return low
    if outcome not in (CheckOutcome.OK, CheckOutcome.UNCHANGED, CheckOutcome.REDIRECTED):
        return max(low, dt.timedelta(days=1))  # transient trouble: look again tomorrow
    born = source.published_on or source.created_at.date()
    age_days = max(0, (now.date() - born).days)
    # Doubles with every doubling of the article's age: a week-old article daily-ish,
    # a year-old one every few weeks.
    interval = low * max(1.0, math.log2(1 + age_days) ** 2 / 2)
    deadlines = [d for d in source.pledges.values_list("deadline", flat=True) if d]
    if any(abs((d - now.date()).days) <= 60 for d in deadlines):
        interval = min(interval, dt.timedelta(days=7))
    return max(low, min(high, interval))


def next_check_at(
    *, source: Source, outcome: str, now: dt.datetime, rng: random.Random | None = None
) -> dt.datetime:
    interval = interval_for(source=source, outcome=outcome, now=now)
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return now + interval * factor


def interleave_by_host(rows: Iterable[tuple[int, str]]) -> list[int]:
    """Ids in round-robin order over hosts: a, b, c, a, b, c, ... so workers taking them in
    order spread over hosts instead of queueing behind one."""
    queues: dict[str, list[int]] = defaultdict(list)
    for source_id, url in rows:
        queues[host_of(url)].append(source_id)
    ordered, depth = [], max((len(q) for q in queues.values()), default=0)
    for i in range(depth):
        ordered.extend(q[i] for q in queues.values() if i < len(q))
    return ordered


def per_host_quota() -> int:
    """Checks one host can serve in one beat tick at the politeness interval."""
    interval = max(settings.FETCH_PER_HOST_INTERVAL, 0.001)
    return max(1, int(TICK_SECONDS / interval) * settings.FETCH_PER_HOST_CONCURRENCY)


@transaction.atomic
def claim_due(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Take the sources due by ``now`` (at most ``limit``, at most a tick's worth per host),
    pushing their next_check_at a lease ahead; returns their ids interleaved by host."""
    now = now or timezone.now()
    limit = limit or settings.RECHECK_BATCH
    rows = list(
        Source.objects.select_for_update(skip_locked=True)
        .filter(next_check_at__lte=now)
        .order_by("next_check_at", "id")
        .values_list("id", "url")[: limit * 4]
    )
    quota, taken, per_host = per_host_quota(), [], defaultdict(int)
    for source_id, url in rows:
        host = host_of(url)
        if per_host[host] < quota and len(taken) < limit:
            per_host[host] += 1
            taken.append((source_id, url))
    Source.objects.filter(pk__in=[i for i, _ in taken]).update(next_check_at=now + LEASE)
    return interleave_by_host(taken)


def schedule_new_sources(*, now: dt.datetime | None = None) -> int:
    """Sources never scheduled (new imports) become due now."""
    return Source.objects.filter(next_check_at__isnull=True).update(
        next_check_at=now or timezone.now()
    )
