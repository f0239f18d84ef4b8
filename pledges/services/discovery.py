"""News discovery: poll the RSS/Atom feeds editors registered, and put articles that name a
tracked company in the review queue as candidate sources.

Feeds are fetched with a conditional GET through the same safe, polite fetcher as sources
(feedparser only ever sees bytes we fetched: it never opens a URL itself), and candidates are
deduplicated by normalised URL against sources and earlier candidates.
"""

from __future__ import annotations

import feedparser
from django.db import transaction
from django.utils import timezone

from pledges.fetch import FetchOutcome
from pledges.models import Company, NewsFeed, Source, Suggestion, SuggestionKind
from pledges.services import evidence
from pledges.services.politeness import HostBusy
from pledges.services.probe import probe
from pledges.urlnorm import BadURL, normalise_url

MAX_ENTRIES = 200  # per feed and poll


def company_name_table() -> dict[tuple[str, ...], int]:
    """{name token sequence: company id} for every company and alias."""
    names: dict[tuple[str, ...], int] = {}
    for company in Company.objects.prefetch_related("aliases").only("id", "name"):
        for name in [company.name, *(a.name for a in company.aliases.all())]:
            for variant in evidence.name_variants(name):
                names[variant] = company.pk
    return names


def poll_feed(*, feed: NewsFeed, names: dict[tuple[str, ...], int] | None = None) -> int:
    """Poll one feed; returns the number of new candidate suggestions."""
    result = probe(
        feed.url, etag=feed.etag, last_modified=feed.last_modified, validator_url=feed.url
    )
    fetched, now = result.result, timezone.now()
    updates: dict[str, object] = {"last_polled_at": now, "last_error": ""}
    if result.outcome == FetchOutcome.NOT_MODIFIED:
        NewsFeed.objects.filter(pk=feed.pk).update(**updates)
        return 0
    if result.outcome != FetchOutcome.OK or fetched is None:
        updates["last_error"] = f"{result.outcome}: {result.error}"[:2000]
        NewsFeed.objects.filter(pk=feed.pk).update(**updates)
        return 0
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": feed.url})
    updates.update(
        etag=(fetched.etag or "")[:500], last_modified=(fetched.last_modified or "")[:100]
    )
    if parsed.bozo and not parsed.entries:
        updates["last_error"] = f"not a feed: {parsed.get('bozo_exception', '')}"[:2000]
    names = company_name_table() if names is None else names
    created = 0
    with transaction.atomic():
        for entry in parsed.entries[:MAX_ENTRIES]:
            created += _propose_entry(feed=feed, entry=entry, names=names)
        NewsFeed.objects.filter(pk=feed.pk).update(**updates)
    return created


def _propose_entry(*, feed: NewsFeed, entry: dict, names: dict[tuple[str, ...], int]) -> int:
    try:
        url = normalise_url(str(entry.get("link", "")))
    except BadURL:
        return 0
    title = " ".join(str(entry.get("title", "")).split())[:1000]
    summary = " ".join(str(entry.get("summary", "")).split())[:5000]
    companies = evidence.names_in(f"{title}\n{summary}", names)
    if not companies:
        return 0
    if Source.objects.filter(url=url).exists():
        return 0
    if Suggestion.objects.filter(kind=SuggestionKind.CANDIDATE_SOURCE, candidate_url=url).exists():
        return 0
    for company_id in sorted(companies):
        Suggestion.objects.create(
            kind=SuggestionKind.CANDIDATE_SOURCE,
            company_id=company_id,
            candidate_url=url,
            sentence=title,
            signal=f"feed: {feed.name or feed.url}"[:40],
        )
    return 1


def poll_all_feeds() -> int:
    """Poll every active feed; a busy host is skipped until the next poll."""
    names, created = company_name_table(), 0
    for feed in NewsFeed.objects.filter(is_active=True):
        try:
            created += poll_feed(feed=feed, names=names)
        except HostBusy:
            continue
    return created
