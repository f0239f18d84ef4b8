"""Archived copies of sources: content-addressed WARC files, and Save Page Now submissions.

A snapshot keeps the extracted text in the database and the response itself as a WARC record
(warcio) under ``MEDIA_ROOT/archive/ab/cd/<sha256>.warc.gz``, named by the hash of the body, so
the same bytes are stored once however often they are fetched, and a citation survives the
death of its link. Submitting to the Wayback Machine is optional (``WAYBACK_SUBMIT``), goes
through the safe fetcher and has one global rate limit across workers.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pledges.fetch import FetchConfig, FetchOutcome, FetchResult, fetch
from pledges.services import politeness

# Headers that describe the wire form; the stored body is the decoded one.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}
WAYBACK_HOST_KEY = "web.archive.org#save"  # one budget for every Save Page Now call


def archive_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "archive"


def warc_relpath(sha256: str) -> str:
    return f"archive/{sha256[:2]}/{sha256[2:4]}/{sha256}.warc.gz"


def write_warc(*, result: FetchResult, sha256: str) -> str:
    """Store ``result``'s response as one WARC record (once per body hash); returns its path
    relative to MEDIA_ROOT."""
    relpath = warc_relpath(sha256)
    target = Path(settings.MEDIA_ROOT) / relpath
    if target.exists():
        return relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    headers = [(k, v) for k, v in result.headers.items() if k.lower() not in _WIRE_HEADERS]
    headers.append(("Content-Length", str(len(result.body))))
    status = f"{result.http_status or 200} OK"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    record = writer.create_warc_record(
        result.final_url,
        "response",
        payload=io.BytesIO(result.body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
    )
    writer.write_record(record)
    # Write-then-rename: two workers archiving the same bytes never leave a torn file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(buffer.getvalue())
    os.replace(tmp, target)
    return relpath


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def submit_to_wayback(*, url: str, fetcher=fetch, sleep=time.sleep) -> str:  # type: ignore[no-untyped-def]
    """Ask Save Page Now to capture ``url`` (when ``WAYBACK_SUBMIT`` is on); retried on 429
    and 5xx with their Retry-After. Returns the final outcome word ("disabled" when off)."""
    if not settings.WAYBACK_SUBMIT:
        return "disabled"
    config = FetchConfig(
        allow_networks=tuple(settings.FETCH_ALLOW_NETWORKS),
        deadline=settings.FETCH_DEADLINE,
        max_bytes=256 * 1024,
        user_agent=settings.FETCH_USER_AGENT,
    )
    limits = politeness.Limits(settings.WAYBACK_INTERVAL, 1, settings.FETCH_DEADLINE + 10)
    outcome = FetchOutcome.SERVER_ERROR
    for _attempt in range(settings.RECHECK_RETRIES + 1):
        with politeness.host_slot(
            WAYBACK_HOST_KEY, limits=limits, max_wait=settings.RECHECK_MAX_HOST_WAIT, sleep=sleep
        ):
            result = fetcher(settings.WAYBACK_ENDPOINT + url, config=config)
        outcome = result.outcome
        if outcome not in (FetchOutcome.RATE_LIMITED, FetchOutcome.SERVER_ERROR):
            break
        politeness.back_off(WAYBACK_HOST_KEY, min(result.retry_after or 30.0, 300.0))
    return str(outcome)
