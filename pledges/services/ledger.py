"""Writes of the jobs ledger: observations, claims, lineage links, planned-before evidence,
offsetting events, subsidies and the right of reply.

Every writer (the admin's inlines, the demo loader, later the API) goes through these, so the
same rules hold everywhere: `full_clean()` before saving (a ledger entry without a source is
refused), a pledge's "jobs delivered" follows its observations, and the pledge's `updated_at`
moves with any change of its ledger, which is the version the pages' caches, the API's ETags
and the dumps key on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from pledges.models import (
    Claim,
    Observation,
    OffsetEvent,
    Pledge,
    PledgeLink,
    PriorPlan,
    ReplyRequest,
    Source,
    Subsidy,
)
from pledges.selectors_ledger import latest_credible
from pledges.services.sources import source_get_or_create

LEDGER_MODELS = (Observation, Claim, PledgeLink, PriorPlan, OffsetEvent, Subsidy, ReplyRequest)
Entry = TypeVar("Entry", bound=models.Model)


def ledger_source(*, url: str, title: str = "", publisher: str = "") -> Source:
    """The source of a ledger entry, by URL (normalised; created when new)."""
    if not (url or "").strip():
        raise ValidationError({"source": "Cite the article this comes from."})
    return source_get_or_create(url=url, title=title, publisher=publisher)[0]


def pledge_refresh_delivered(*, pledge: Pledge) -> Pledge:
    """Copy the latest credible observation (by date, then id) onto the pledge's
    `delivered_*` columns; a saved change is kept in the pledge's history (time travel)."""
    chosen = latest_credible(Observation.objects.filter(pledge=pledge, jobs__isnull=False))
    values = (chosen.jobs, chosen.observed_on, chosen.pk) if chosen else (None, None, None)
    current = (pledge.delivered_jobs, pledge.delivered_on, pledge.delivered_observation_id)
    if values != current:
        pledge.delivered_jobs, pledge.delivered_on, pledge.delivered_observation_id = values
        pledge.save(
            update_fields=["delivered_jobs", "delivered_on", "delivered_observation", "updated_at"]
        )
    return pledge


def _pledges_of(entry: models.Model) -> list[int]:
    ids = [getattr(entry, "pledge_id", None)]
    if isinstance(entry, PledgeLink):
        ids.append(entry.target_id)
    return [pk for pk in ids if pk]


def _touch(pledge_ids: list[int]) -> None:
    # The pledge's version moves with its ledger (caches, ETags, dumps follow updated_at).
    if pledge_ids:
        Pledge.objects.filter(pk__in=pledge_ids).update(updated_at=timezone.now())


def _after_change(entry: models.Model, previous_pledges: list[int]) -> None:
    pledge_ids = sorted({*previous_pledges, *_pledges_of(entry)})
    if isinstance(entry, Observation):
        for pledge in Pledge.objects.filter(pk__in=pledge_ids):
            pledge_refresh_delivered(pledge=pledge)
    _touch(pledge_ids)


@transaction.atomic
def ledger_entry_save(*, entry: Entry, user: AbstractBaseUser | None = None) -> Entry:
    """Validate and save any ledger entry (new or changed), as `user`, and keep its pledge in
    step. A claim about a pledge takes the pledge's company when it names none."""
    if not isinstance(entry, LEDGER_MODELS):
        raise TypeError(f"not a ledger entry: {type(entry).__name__}")
    previous: list[int] = []
    if entry.pk is not None:
        old = type(entry).objects.filter(pk=entry.pk).first()
        previous = _pledges_of(old) if old is not None else []
    if isinstance(entry, Claim) and entry.pledge_id and not entry.company_id:
        entry.company_id = Pledge.objects.values_list("company_id", flat=True).get(
            pk=entry.pledge_id
        )
    if (
        isinstance(entry, Observation | Claim)
        and entry.pk is None
        and user is not None
        and user.is_authenticated
    ):
        entry.recorded_by = user
    if user is not None and user.is_authenticated:
        entry._history_user = user  # type: ignore[attr-defined]
    entry.full_clean()
    entry.save()
    _after_change(entry, previous)
    return entry


@transaction.atomic
def ledger_entry_delete(*, entry: models.Model, user: AbstractBaseUser | None = None) -> None:
    """Delete a ledger entry (kept in its history) and keep its pledge in step."""
    pledge_ids = _pledges_of(entry)
    if user is not None and user.is_authenticated:
        entry._history_user = user  # type: ignore[attr-defined]
    entry.delete()  # a pledge it delivered for loses it (SET_NULL), then is refreshed
    if isinstance(entry, Observation):
        for pledge in Pledge.objects.filter(pk__in=pledge_ids):
            pledge_refresh_delivered(pledge=pledge)
    _touch(pledge_ids)


def observation_record(
    *,
    pledge: Pledge,
    observed_on: dt.date,
    source: Source,
    reporter_kind: str,
    jobs: int | None = None,
    investment_usd: int | None = None,
    user: AbstractBaseUser | None = None,
    **details: Any,
) -> Observation:
    """Record a sourced figure of what `pledge` delivered as of `observed_on` (details:
    measure, basis, reporter, confidence, note). Refused without a source or a figure."""
    return ledger_entry_save(
        entry=Observation(
            pledge=pledge,
            observed_on=observed_on,
            source=source,
            reporter_kind=reporter_kind,
            jobs=jobs,
            investment_usd=investment_usd,
            **details,
        ),
        user=user,
    )


def claim_record(
    *,
    claimant: str,
    claimant_kind: str,
    stated_on: dt.date,
    source: Source,
    pledge: Pledge | None = None,
    user: AbstractBaseUser | None = None,
    **details: Any,
) -> Claim:
    """Record what someone said about jobs (details: claimant_role, venue, jobs_stated,
    investment_stated, statement, credits_politician, credited_to, company, note); `pledge`
    may be None."""
    return ledger_entry_save(
        entry=Claim(
            pledge=pledge,
            claimant=claimant,
            claimant_kind=claimant_kind,
            stated_on=stated_on,
            source=source,
            **details,
        ),
        user=user,
    )


def pledge_link_record(
    *,
    pledge: Pledge,
    kind: str,
    target: Pledge,
    source: Source,
    note: str = "",
    user: AbstractBaseUser | None = None,
) -> PledgeLink:
    """Record that `pledge` supersedes or reverses `target` (refused if it would make a loop
    of pledges counted inside each other)."""
    return ledger_entry_save(
        entry=PledgeLink(pledge=pledge, kind=kind, target=target, source=source, note=note),
        user=user,
    )
