"""Check one source: fetch it politely, classify the outcome in the contract's words, keep a
snapshot on first sight and on each real change, propose evidence, update the link's health
and its next check. ``shared/spec/recheck.md`` is the contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from pledges.fetch import FetchOutcome
from pledges.fetch import registrable_domain as host_key
from pledges.models import CheckOutcome, CheckRun, Snapshot, Source, SourceCheck
from pledges.services import archive, evidence, extraction, scheduling
from pledges.services.probe import DISALLOWED, Probe, probe

CLAIM_STALE = dt.timedelta(minutes=15)  # a claim older than this belonged to a dead worker

# Fetcher outcomes that are already the contract's word.
_SAME = {
    FetchOutcome.NOT_FOUND: CheckOutcome.NOT_FOUND,
    FetchOutcome.GONE: CheckOutcome.GONE,
    FetchOutcome.BLOCKED: CheckOutcome.BLOCKED,
    FetchOutcome.RATE_LIMITED: CheckOutcome.RATE_LIMITED,
    FetchOutcome.SERVER_ERROR: CheckOutcome.SERVER_ERROR,
    FetchOutcome.TIMEOUT: CheckOutcome.TIMEOUT,
    FetchOutcome.TOO_LARGE: CheckOutcome.TOO_LARGE,
    FetchOutcome.TOO_MANY_REDIRECTS: CheckOutcome.TOO_MANY_REDIRECTS,
    FetchOutcome.PROTOCOL_ERROR: CheckOutcome.PROTOCOL_ERROR,
    FetchOutcome.DNS_ERROR: CheckOutcome.DNS_ERROR,
    FetchOutcome.REFUSED: CheckOutcome.REFUSED,
    # No word of their own in the contract: a 400/405 is the server turning us away (never a
    # sign of death); a reset or refused connection is the server failing.
    FetchOutcome.CLIENT_ERROR: CheckOutcome.BLOCKED,
    FetchOutcome.CONNECTION_ERROR: CheckOutcome.SERVER_ERROR,
}


@dataclass
class Verdict:
    outcome: str
    error: str = ""
    extracted: extraction.Extracted | None = None
    drift: bool = False


def claim(*, source_id: int, run_id: int, now: dt.datetime, resumed: bool = False) -> bool:
    """Take ``source_id`` for ``run_id`` with one conditional UPDATE; False when this run
    already checked it or another worker holds a fresh claim (a duplicate task).

    ``resumed``: this task ran before and may hold the run's claim itself (a retry after a
    database or Redis error, or a delivery again after its worker died): it takes the claim
    over instead of waiting ``CLAIM_STALE`` for it, so the source is still checked in this
    run. The unique (run, source) constraint keeps a run to one check per source whatever
    races."""
    if SourceCheck.objects.filter(run_id=run_id, source_id=source_id).exists():
        return False
    free = Q(claimed_by__isnull=True) | Q(claimed_at__lt=now - CLAIM_STALE)
    if resumed:
        free |= Q(claimed_by=run_id)
    taken = Source.objects.filter(free, pk=source_id).update(claimed_by=run_id, claimed_at=now)
    return taken == 1


def release(*, source_id: int, run_id: int) -> None:
    """Give a claim back (the check is re-queued for later)."""
    Source.objects.filter(pk=source_id, claimed_by=run_id).update(claimed_by=None, claimed_at=None)


def check_source(
    *, source_id: int, run_id: int | None = None, resumed: bool = False
) -> SourceCheck | None:
    """Check one source now and record it; None when it was not ours to check (see claim).
    May raise politeness.HostBusy (the claim is released first): re-queue the check."""
    now = timezone.now()
    if run_id is not None and not claim(
        source_id=source_id, run_id=run_id, now=now, resumed=resumed
    ):
        return None
    source = Source.objects.get(pk=source_id)
    due_at = source.next_check_at
    if not connection.in_atomic_block:
        connection.close()  # hold no database connection while waiting on the network
    try:
        result = probe(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            validator_url=source.validator_url,
        )
    except BaseException:
        if run_id is not None:
            release(source_id=source_id, run_id=run_id)
        raise
    return record(source=source, result=result, run_id=run_id, due_at=due_at)


def classify(*, source: Source, result: Probe, previous_text: str | None) -> Verdict:
    """The contract's word for ``result``; extracts the article when there is one."""
    if result.outcome == DISALLOWED:
        return Verdict(CheckOutcome.DISALLOWED, result.error)
    fetched = result.result
    outcome = FetchOutcome(result.outcome)
    if outcome in _SAME:
        return Verdict(_SAME[outcome], result.error)
    if result.redirects and extraction.is_home_page(result.final_url, source.url):
        return Verdict(CheckOutcome.SOFT_404, "redirected to the site's home page")
    extracted = None
    if outcome is FetchOutcome.OK and fetched is not None and fetched.body:
        try:
            html = extraction.decode_body(fetched.body, fetched.charset)
        except extraction.UndecodableBody as exc:
            return Verdict(CheckOutcome.PROTOCOL_ERROR, str(exc))
        extracted = extraction.extract(html, url=result.final_url)
        if extracted.soft_404:
            kind = "a parked domain" if extracted.parked else "a 'page not found' page"
            return Verdict(CheckOutcome.SOFT_404, f"HTTP 200 with {kind}", extracted)
    drift = False
    if outcome is FetchOutcome.NOT_MODIFIED or extracted is None:
        word = CheckOutcome.UNCHANGED if source.fingerprint else CheckOutcome.OK
    elif not source.fingerprint:
        word = CheckOutcome.OK
    elif extracted.fingerprint == source.fingerprint:
        word = CheckOutcome.UNCHANGED
    else:
        word = CheckOutcome.CHANGED
        drift = previous_text is not None and extraction.drifted(previous_text, extracted.text)
    if result.redirects:
        permanent = all(status in (301, 308) for status, _, _ in result.redirects)
        word = CheckOutcome.MOVED if permanent else CheckOutcome.REDIRECTED
    error = "the page now shows something else (drift)" if drift else ""
    return Verdict(word, error, extracted, drift)


def record(
    *, source: Source, result: Probe, run_id: int | None, due_at: dt.datetime | None
) -> SourceCheck:
    """Write the check, the snapshot and suggestions, and update the source, atomically."""
    now = timezone.now()
    last = Snapshot.objects.filter(source=source).order_by("-fetched_at").first()
    verdict = classify(source=source, result=result, previous_text=last.text if last else None)
    fetched, extracted = result.result, verdict.extracted
    proposed: list[str] = []
    with transaction.atomic():
        snapshot = None
        is_new = extracted is not None and extracted.fingerprint != source.fingerprint
        if is_new and verdict.outcome != CheckOutcome.SOFT_404 and fetched is not None:
            snapshot = _snapshot(source=source, result=result, extracted=extracted, last=last)
            if last is None:
                sentences: list[str] = list(extracted.sentences)
            else:
                sentences = extraction.sentence_diff(last.text, extracted.text)[0]
            proposed = evidence.propose(
                source=source,
                snapshot=snapshot,
                sentences=sentences,
                article_text=extracted.text,
                first_capture=last is None,
            )
        check = SourceCheck(
            source=source,
            run_id=run_id,
            checked_at=now,
            due_at=due_at,
            host=host_key(urlsplit(source.url).hostname or "")[:255],
            outcome=verdict.outcome,
            http_status=result.http_status,
            final_url=result.final_url[:2000],
            redirects=[list(hop) for hop in result.redirects],
            etag=((fetched.etag or "") if fetched else "")[:500],
            last_modified=((fetched.last_modified or "") if fetched else "")[:100],
            fingerprint=extracted.fingerprint if extracted else "",
            elapsed_ms=int(result.elapsed * 1000),
            evidence=proposed,
            error=verdict.error[:2000],
        )
        try:
            with transaction.atomic():
                check.save()
        except IntegrityError:  # this run already recorded the source: keep the first
            return SourceCheck.objects.get(run_id=run_id, source=source)
        _update_source(source=source, check=check, verdict=verdict, result=result, now=now)
    return check


def _snapshot(
    *,
    source: Source,
    result: Probe,
    extracted: extraction.Extracted,
    last: Snapshot | None,
) -> Snapshot:
    fetched = result.result
    assert fetched is not None
    sha = archive.body_hash(fetched.body)
    added, removed = extraction.sentence_diff(last.text, extracted.text) if last else ([], [])
    return Snapshot.objects.create(
        source=source,
        fetched_at=timezone.now(),
        final_url=result.final_url[:2000],
        http_status=fetched.http_status,
        sha256=sha,
        fingerprint=extracted.fingerprint,
        title=extracted.title[:500],
        text=extracted.text,
        warc_path=archive.write_warc(result=fetched, sha256=sha),
        page_modified_on=extracted.modified_on,
        notes=list(extracted.notes),
        added_sentences=added[:200],
        removed_sentences=removed[:200],
    )


def _update_source(
    *, source: Source, check: SourceCheck, verdict: Verdict, result: Probe, now: dt.datetime
) -> None:
    """Denormalised state on the source, with update() (no history row per check)."""
    health = scheduling.health_after(source=source, check=check, drift=verdict.drift)
    fields: dict[str, object] = {
        "last_checked_at": now,
        "next_check_at": scheduling.next_check_at(source=source, outcome=check.outcome, now=now),
        "claimed_by": None,
        "claimed_at": None,
    }
    if health != source.health:
        fields.update(health=health, health_since=now)
    fetched = result.result
    if fetched is not None and check.outcome in (
        CheckOutcome.OK, CheckOutcome.UNCHANGED, CheckOutcome.CHANGED,
        CheckOutcome.MOVED, CheckOutcome.REDIRECTED,
    ):  # fmt: skip
        fields.update(
            etag=(fetched.etag or "")[:500],
            last_modified=(fetched.last_modified or "")[:100],
            validator_url=result.final_url[:2000],
        )
        if verdict.extracted is not None:
            fields["fingerprint"] = verdict.extracted.fingerprint
    if check.outcome == CheckOutcome.MOVED:
        fields["moved_to"] = result.final_url[:2000]
    Source.objects.filter(pk=source.pk).update(**fields)


def start_run(*, kind: str, source_ids: list[int], requested_by: str = "") -> CheckRun:
    """A new run over ``source_ids`` (the caller enqueues one check per id)."""
    return CheckRun.objects.create(kind=kind, total=len(source_ids), requested_by=requested_by)
