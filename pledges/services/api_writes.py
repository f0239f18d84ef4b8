"""Writes that arrive through the REST API: pledges, sources and status updates by editors.

The API validates the shape of the input; these services apply the same model rules as the
admin and the import (`full_clean()`), reuse `source_get_or_create` and
`status_update_record`, and keep the search text and `updated_at` (the API's ETag) current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from pledges.models import (
    Pledge,
    PledgeLocation,
    PledgeSource,
    Source,
    SourceRole,
    StatusUpdate,
)
from pledges.services.companies import free_slug
from pledges.services.pledges import pledge_refresh_search_text, status_update_record
from pledges.services.sources import source_get_or_create

PLEDGE_FIELDS = (
    "ref",
    "company",
    "title",
    "summary",
    "announced_on",
    "announced_by",
    "made_to",
    "jobs_promised",
    "jobs_kind",
    "investment_usd",
    "deadline",
    "timeframe",
    "part_of",
    "reannouncement_of",
    "is_published",
)


def _free_pledge_slug(ref: str) -> str:
    taken = set(
        Pledge.objects.filter(slug__startswith=ref.lower()[:100]).values_list("slug", flat=True)
    )
    return free_slug(ref, taken, max_length=110)


def _set_locations(pledge: Pledge, locations: Sequence[str]) -> None:
    PledgeLocation.objects.filter(pledge=pledge).delete()
    PledgeLocation.objects.bulk_create(
        PledgeLocation(pledge=pledge, position=i, name=name.strip())
        for i, name in enumerate(dict.fromkeys(n for n in locations if n.strip()))
    )


def _set_sources(pledge: Pledge, urls: Sequence[str]) -> None:
    """Cite exactly these URLs, the first as the announcement, keeping the links (and their
    quotes) of sources already cited."""
    sources = [source_get_or_create(url=url)[0] for url in urls]
    sources = list({source.pk: source for source in sources}.values())
    PledgeSource.objects.filter(pledge=pledge).exclude(source__in=[s.pk for s in sources]).delete()
    existing = {link.source_id: link for link in PledgeSource.objects.filter(pledge=pledge)}
    for position, source in enumerate(sources):
        role = SourceRole.ANNOUNCEMENT if position == 0 else SourceRole.FOLLOW_UP
        link = existing.get(source.pk) or PledgeSource(pledge=pledge, source=source)
        if link.pk is None or (link.position, link.role) != (position, role):
            link.position, link.role = position, role
            link.save()


@transaction.atomic
def pledge_create(*, data: dict[str, Any], user: AbstractBaseUser | None = None) -> Pledge:
    """A new pledge from validated API input (status `announced`; rate it with a status
    update). Raises ValidationError for anything the model rules refuse."""
    pledge = Pledge(**{name: data[name] for name in PLEDGE_FIELDS if name in data})
    pledge.slug = _free_pledge_slug(pledge.ref)
    pledge.full_clean()
    pledge.save()
    _set_locations(pledge, data.get("locations", []))
    _set_sources(pledge, data["source_urls"])
    pledge_refresh_search_text(pledge=pledge)
    return pledge


@transaction.atomic
def pledge_update(
    *, pledge: Pledge, data: dict[str, Any], user: AbstractBaseUser | None = None
) -> Pledge:
    """Change the given fields of a pledge (a partial update leaves the others alone)."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    for name in PLEDGE_FIELDS:
        if name in data:
            setattr(pledge, name, data[name])
    pledge.full_clean()
    pledge.save()
    if "locations" in data:
        _set_locations(pledge, data["locations"])
    if "source_urls" in data:
        _set_sources(pledge, data["source_urls"])
    pledge_refresh_search_text(pledge=pledge)
    return pledge


@transaction.atomic
def pledge_status_record(
    *,
    pledge: Pledge,
    status: str,
    established_on: dt.date,
    explanation: str = "",
    evidence_urls: Sequence[str] = (),
    user: AbstractBaseUser | None = None,
    reason: str | None = None,
) -> StatusUpdate:
    """Record a status with the articles that show it: each evidence URL becomes a source
    (if new) cited by the pledge as evidence, then `status_update_record` appends the status.
    The pledge's `updated_at` moves even when its current status does not, so that API
    clients holding an ETag see the new history entry. `reason` (a `StatusReason`) is
    required for stalled, broken, withdrawn and superseded once the API passes it (any
    string, "" included); None, from an API that does not take it yet, skips that rule."""
    evidence = [source_get_or_create(url=url)[0] for url in evidence_urls]
    cited = set(PledgeSource.objects.filter(pledge=pledge).values_list("source_id", flat=True))
    position = PledgeSource.objects.filter(pledge=pledge).count()
    for source in {s.pk: s for s in evidence}.values():
        if source.pk not in cited:
            PledgeSource.objects.create(
                pledge=pledge, source=source, role=SourceRole.EVIDENCE, position=position
            )
            position += 1
    update = status_update_record(
        pledge=pledge,
        status=status,
        established_on=established_on,
        explanation=explanation,
        evidence=evidence,
        user=user,
        reason=reason or "",
        require_reason=reason is not None,
    )
    Pledge.objects.filter(pk=pledge.pk).update(updated_at=timezone.now())
    return update


@transaction.atomic
def source_update(*, source: Source, data: dict[str, Any]) -> Source:
    """Correct a source's publisher, title or date (its URL is its identity: not changed)."""
    for name in ("publisher", "title", "published_on"):
        if name in data:
            setattr(source, name, data[name])
    source.full_clean()
    source.save()
    return source
