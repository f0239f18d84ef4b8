"""Time travel: what the database said about a pledge on a given day, from the history that
django-simple-history keeps of every model involved (`?as_of=YYYY-MM-DD` on the pledge page,
and the API's `as_of`). A fixed number of queries: one per model, whatever the history holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from pledges.models import (
    Claim,
    Company,
    Observation,
    OffsetEvent,
    Pledge,
    PledgeLink,
    PledgeLocation,
    PledgeSource,
    PriorPlan,
    ReplyRequest,
    Source,
    StatusUpdate,
    Subsidy,
)
from pledges.selectors_ledger import (
    LINEAGE_WORDS,
    ClaimView,
    claim_inflation,
    latest_credible,
    new_jobs_delivered,
    offset_totals,
)


def published_pledge(slug: str) -> Pledge:
    """The published pledge with this slug and its company (one query), or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Pledge.objects.published().select_related("company"), slug=slug)


class AsOfError(ValueError):
    """A bad `as_of` value (the message says why); pages answer 400 with it."""


def parse_as_of(value: str, *, today: dt.date | None = None) -> dt.date:
    """The date of an `?as_of=YYYY-MM-DD` parameter; `AsOfError` for anything else or for a
    day after today."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise AsOfError("as_of: give a date as YYYY-MM-DD, e.g. 2019-06-30.") from None
    if len(value.strip()) != 10:
        raise AsOfError("as_of: give a date as YYYY-MM-DD, e.g. 2019-06-30.")
    if day > (today or timezone.localdate()):
        raise AsOfError("as_of: the date is in the future; the database cannot say yet.")
    return day


class AsOfUnknown(LookupError):
    """The history holds no version of the pledge on that day (the message says why)."""


def _end_of_day(day: dt.date) -> dt.datetime:
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())


def _latest_versions(model: Any, when: dt.datetime, **filters: Any) -> list[Any]:
    """The latest historical row of each object of `model` (a simple-history model) matching
    `filters` recorded before `when`, deletions dropped, as model instances (one query)."""
    rows = model.history.filter(history_date__lt=when, **filters).order_by(
        "id", "-history_date", "-history_id"
    )
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row.id, row)
    return [row.instance for row in latest.values() if row.history_type != "-"]


def _latest_rows(model: Any, when: dt.datetime, **filters: Any) -> list[Any]:
    rows = model.history.filter(history_date__lt=when, **filters).order_by(
        "id", "-history_date", "-history_id"
    )
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row.id, row)
    return [row for row in latest.values() if row.history_type != "-"]


@dataclass
class PledgeAsOf:
    """What the database said about a pledge at the end of `day` (from its history)."""

    day: dt.date
    pledge: Pledge  # a model instance holding that day's field values (not saved)
    company_name: str
    recorded_at: dt.datetime  # when that version was written
    locations: list[str]
    sources: list[Any]  # Source instances as of that day, in citation order
    status_updates: list[tuple[StatusUpdate, list[str]]]  # newest first, with evidence URLs
    observations: list[Observation]
    delivered: Observation | None
    claims: list[ClaimView]
    lineage: list[tuple[str, int, str]]  # (how, other pledge id, other pledge's title today)
    prior_plans: list[PriorPlan]
    offsets: list[OffsetEvent]
    jobs_lost_since: int | None
    net_since: int | None
    subsidies: list[Subsidy]
    replies: list[ReplyRequest]
    source_urls: dict[int, str]  # source id → URL, for the ledger rows

    @property
    def delivered_jobs(self) -> int | None:
        return self.delivered.jobs if self.delivered else None


def pledge_as_of(pledge: Pledge, day: dt.date) -> PledgeAsOf:
    """The pledge as the database described it at the end of `day`, from the history of every
    model involved: its fields and status, places, sources, status history (with evidence),
    observations and "jobs delivered", claims, lineage, offsets, subsidies, right of reply.

    `AsOfUnknown` when the history has no version of it by then (not yet added, or added by
    the bulk importer, which writes no history). At most 17 queries.
    """
    when = _end_of_day(day)
    versions = list(
        Pledge.history.filter(id=pledge.pk, history_date__lt=when).order_by(
            "-history_date", "-history_id"
        )[:1]
    )
    if not versions or versions[0].history_type == "-":
        if pledge.created_at >= when:
            raise AsOfUnknown(f"This pledge was not in the database yet on {day:%Y-%m-%d}.")
        raise AsOfUnknown(
            f"No recorded version of this pledge goes back to {day:%Y-%m-%d} (it was loaded "
            "in bulk, which keeps no history)."
        )
    version = versions[0]
    old = version.instance
    companies = _latest_versions(Company, when, id=old.company_id)
    company_name = companies[0].name if companies else pledge.company.name
    places = sorted(_latest_versions(PledgeLocation, when, pledge_id=pledge.pk), key=_position)
    links = sorted(_latest_versions(PledgeSource, when, pledge_id=pledge.pk), key=_position)
    sources_by_id = {
        s.pk: s for s in _latest_versions(Source, when, id__in=[link.source_id for link in links])
    }
    update_rows = _latest_rows(StatusUpdate, when, pledge_id=pledge.pk)
    evidence: dict[int, list[str]] = defaultdict(list)
    if update_rows:
        evidence_history = apps.get_model("pledges", "HistoricalStatusUpdate_evidence")
        for history_id, url in evidence_history.objects.filter(
            history_id__in=[row.history_id for row in update_rows]
        ).values_list("history_id", "source__url"):
            if url:
                evidence[history_id].append(url)
    updates = sorted(
        ((row.instance, evidence[row.history_id]) for row in update_rows),
        key=lambda pair: (pair[0].established_on, pair[0].pk),
        reverse=True,
    )
    observations = sorted(
        _latest_versions(Observation, when, pledge_id=pledge.pk),
        key=lambda o: (o.observed_on, o.pk),
        reverse=True,
    )
    delivered = latest_credible(observations)
    delivered_jobs = delivered.jobs if delivered else None
    claims = [
        claim_inflation(c, promised=old.jobs_promised, delivered=delivered_jobs)
        for c in sorted(
            _latest_versions(Claim, when, pledge_id=pledge.pk), key=lambda c: (c.stated_on, c.pk)
        )
    ]
    lineage_ids: list[tuple[str, int]] = []
    if old.part_of_id:
        lineage_ids.append((LINEAGE_WORDS[("part_of", "out")], old.part_of_id))
    if old.reannouncement_of_id:
        lineage_ids.append((LINEAGE_WORDS[("reannouncement_of", "out")], old.reannouncement_of_id))
    for link in _latest_versions(PledgeLink, when, pledge_id=pledge.pk):
        lineage_ids.append((LINEAGE_WORDS[(link.kind, "out")], link.target_id))
    for link in _latest_versions(PledgeLink, when, target_id=pledge.pk):
        lineage_ids.append((LINEAGE_WORDS[(link.kind, "in")], link.pledge_id))
    titles = dict(
        Pledge.objects.filter(pk__in=[pk for _, pk in lineage_ids]).values_list("pk", "title")
    )
    offsets = sorted(
        _latest_versions(OffsetEvent, when, pledge_id=pledge.pk),
        key=lambda o: (o.occurred_on, o.pk),
    )
    new_delivered = new_jobs_delivered(
        jobs_kind=old.jobs_kind,
        delivered_jobs=delivered_jobs,
        basis=delivered.basis if delivered else None,
    )
    lost, net = offset_totals(old, offsets, new_delivered)
    prior_plans = _latest_versions(PriorPlan, when, pledge_id=pledge.pk)
    subsidies = _latest_versions(Subsidy, when, pledge_id=pledge.pk)
    replies = _latest_versions(ReplyRequest, when, pledge_id=pledge.pk)
    ledger_source_ids = {
        row.source_id
        for rows in (observations, [c.claim for c in claims], prior_plans, offsets, subsidies)
        for row in rows
        if row.source_id
    } | {r.source_id for r in replies if r.source_id}
    source_urls = dict(Source.objects.filter(pk__in=ledger_source_ids).values_list("pk", "url"))
    # For templates: each ledger row carries its source's URL.
    for row in [*observations, *[c.claim for c in claims], *prior_plans, *offsets, *subsidies]:
        row.source_url = source_urls.get(row.source_id)
    for reply in replies:
        reply.source_url = source_urls.get(reply.source_id) if reply.source_id else None
    return PledgeAsOf(
        day=day,
        pledge=old,
        company_name=company_name,
        recorded_at=version.history_date,
        locations=[place.name for place in places],
        sources=[
            sources_by_id[link.source_id] for link in links if link.source_id in sources_by_id
        ],
        status_updates=updates,
        observations=observations,
        delivered=delivered,
        claims=claims,
        lineage=[(how, pk, titles.get(pk, f"pledge #{pk}")) for how, pk in lineage_ids],
        prior_plans=prior_plans,
        offsets=offsets,
        jobs_lost_since=lost,
        net_since=net,
        subsidies=subsidies,
        replies=replies,
        source_urls=source_urls,
    )


def _position(row: Any) -> tuple[int, int]:
    return (row.position, row.pk)


def as_of_dict(snapshot: PledgeAsOf) -> dict[str, Any]:
    """The JSON of a `pledge_as_of` answer (API `as_of`, and tests): the pledge's fields of
    that day, its status history, and its ledger of that day."""
    from pledges.selectors_ledger_json import (
        claim_dict,
        observation_dict,
        offset_dict,
        prior_plan_dict,
        reply_dict,
        subsidy_dict,
    )

    p, urls = snapshot.pledge, snapshot.source_urls
    delivered_pk = snapshot.delivered.pk if snapshot.delivered else None

    def iso(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "as_of": snapshot.day.isoformat(),
        "version_recorded_at": snapshot.recorded_at.isoformat(),
        "ref": p.ref,
        "title": p.title,
        "summary": p.summary or None,
        "company": {"name": snapshot.company_name},
        "announced_on": p.announced_on.isoformat(),
        "announced_by": p.announced_by or None,
        "made_to": p.made_to or None,
        "jobs_promised": p.jobs_promised,
        "jobs_kind": p.jobs_kind,
        "investment_usd": p.investment_usd,
        "locations": snapshot.locations,
        "deadline": iso(p.deadline),
        "timeframe": p.timeframe or None,
        "status": p.status,
        "status_on": iso(p.status_on),
        "is_published": p.is_published,
        "sources": [source.url for source in snapshot.sources],
        "status_history": [
            {
                "status": update.status,
                "established_on": update.established_on.isoformat(),
                "reason": update.reason or None,
                "explanation": update.explanation or None,
                "evidence": evidence,
            }
            for update, evidence in snapshot.status_updates
        ],
        "delivered_jobs": snapshot.delivered_jobs,
        "observations": [
            observation_dict(o, urls.get(o.source_id), delivering=o.pk == delivered_pk)
            for o in snapshot.observations
        ],
        "claims": [claim_dict(view, urls.get(view.claim.source_id)) for view in snapshot.claims],
        "lineage": [
            {"relation": how, "pledge_id": pk, "title": title}
            for how, pk, title in snapshot.lineage
        ],
        "planned_before": [prior_plan_dict(x, urls.get(x.source_id)) for x in snapshot.prior_plans],
        "offsets": [offset_dict(x, urls.get(x.source_id)) for x in snapshot.offsets],
        "jobs_lost_since_pledge": snapshot.jobs_lost_since,
        "net_since_pledge": snapshot.net_since,
        "subsidies": [subsidy_dict(x, urls.get(x.source_id)) for x in snapshot.subsidies],
        "right_of_reply": [
            reply_dict(x, urls.get(x.source_id) if x.source_id else None) for x in snapshot.replies
        ],
    }
