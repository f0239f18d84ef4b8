"""Reads of the jobs ledger: which pledges count, the funnel, a pledge's ledger, time travel.

**Which pledges count.** `countable(queryset)` is the one rule every total of the project
uses (the pages, `selectors.pledge_summary` for the API, the follow-up reports, the dumps). A
pledge of a selection is left out of sums when another pledge *of the same selection* already
counts its jobs, following every lineage edge, transitively:

- `part_of`: the part counts inside the whole (Sprint's 5,000 and OneWeb's 3,000 inside
  SoftBank's 50,000: the three add up to 50,000, not 58,000);
- `reannouncement_of` and `supersedes` (`PledgeLink`): versions of one promise; only the latest
  version in the selection counts (Intel's 2017 Fab 42 pledge, not its 2011 announcement;
  Foxconn's 2021 amendment, not its 2017 contract).

A `reverses` link merges nothing: the reversed promise was made (and broken by the later one).
Without the counting pledge in the selection, the others count in full ("SoftBank's parts").

**The funnel** (ProPublica's, made permanent), over the countable pledges of a selection:

1. *promised*: `jobs_promised`;
2. *delivered*: the latest credible observation (confidence high or medium) of each pledge,
   counted up to what it promised (a company hiring beyond its pledge does not fill another
   pledge's gap);
3. *genuinely new*: delivered jobs of pledges not planned before: no planned-before evidence
   (`PriorPlan`), not a re-announcement, and neither the promise nor the delivering
   observation about *retained* ("saved") jobs;
4. *credited*: genuinely new jobs of pledges for which the company itself made a statement
   crediting a politician or their policy (`Claim` with `claimant_kind=company` and
   `credits_politician`). A politician crediting themself does not count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least
from django.urls import reverse

from pledges.models import (
    Claim,
    JobsKind,
    Observation,
    OffsetEvent,
    Pledge,
    PledgeLink,
    PledgeSource,
    PriorPlan,
    ReplyRequest,
    Source,
    Subsidy,
)
from pledges.models_ledger import (
    CREDIBLE_CONFIDENCE,
    LINEAGE_EDGES_SQL,
    ClaimantKind,
    JobsBasis,
    LinkKind,
)

DEDUPLICATION_NOTE = (
    "Totals are deduplicated along every lineage edge: a pledge that is part of another pledge "
    "of the same selection counts inside it (Sprint's 5,000 jobs inside SoftBank's 50,000), "
    "and of a chain of re-announcements and supersessions (Intel 2011 → 2017, Foxconn 2017 → "
    "2021) only the latest version in the selection counts."
)

FUNNEL_STAGES: dict[str, str] = {
    "promised": "Jobs promised",
    "delivered": "Delivered (observed)",
    "new": "Genuinely new",
    "credited": "Credited to a politician by the company",
}

FUNNEL_DEFINITIONS: dict[str, str] = {
    "promised": "Jobs the countable pledges promised.",
    "delivered": (
        "Jobs the latest credible (high or medium confidence) sourced observation of each "
        "pledge counts, up to what the pledge promised."
    ),
    "new": (
        "Delivered jobs of pledges not planned before the announcement: no planned-before "
        "evidence, not a re-announcement, not retained ('saved') jobs."
    ),
    "credited": (
        "Genuinely new jobs of pledges whose company itself credited a politician or their "
        "policy in a sourced statement."
    ),
}


# --- which pledges count ----------------------------------------------------------------------


def lineage_edges() -> list[tuple[int, int]]:
    """Every (child, parent) edge along which a pledge is counted inside another: part_of,
    reannouncement_of (the earlier inside the later) and supersedes links. One query through
    the foreign keys' indexes; these edges are few (a few percent of pledges at most)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT child, parent FROM ({LINEAGE_EDGES_SQL}) edges")
        return [(child, parent) for child, parent in cursor.fetchall()]


def id_set(ids: Iterable[int]) -> Any:
    """A value for `pk__in=` holding many ids: on PostgreSQL one array parameter unnested in a
    sub-select (hashed once, where an `IN (...)` list would be scanned for every row)."""
    ids = sorted({int(pk) for pk in ids})
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])  # integers only
    return ids


def _edges_and_members(queryset: QuerySet[Pledge]) -> tuple[list[tuple[int, int]], set[int]]:
    """The lineage edges, and which of the pledges they name are in `queryset`: one query
    (the few edge pledges are matched against the selection as a semi-join)."""
    try:
        chosen, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return lineage_edges(), set()
    sql = f"""
WITH edges AS (SELECT child, parent FROM ({LINEAGE_EDGES_SQL}) labelled)
SELECT child, parent, NULL FROM edges
UNION ALL
SELECT NULL, NULL, node.id FROM (SELECT child AS id FROM edges UNION SELECT parent FROM edges) node
WHERE node.id IN ({chosen})
"""
    edges, members = [], set()
    with connection.cursor() as cursor:
        # Only the queryset's own compiled SQL and its parameters go in: no outside text.
        cursor.execute(sql, params)
        for child, parent, member in cursor.fetchall():
            if member is None:
                edges.append((child, parent))
            else:
                members.add(member)
    return edges, members


def absorbed_ids(queryset: QuerySet[Pledge]) -> list[int]:
    """Ids of the pledges of `queryset` whose jobs another pledge of `queryset` counts, through
    any chain of lineage edges (the one deduplication rule; see the module docstring).

    One query (the edges, and which of their pledges are selected); the closure is walked in
    Python. Nothing per pledge of `queryset`.
    """
    edges, selected = _edges_and_members(queryset)
    parents: dict[int, set[int]] = defaultdict(set)
    for child, parent in edges:
        parents[child].add(parent)
    absorbed = []
    for child in parents.keys() & selected:
        seen: set[int] = set()
        todo = list(parents[child])
        while todo:
            node = todo.pop()
            if node in seen or node == child:
                continue
            if node in selected:
                absorbed.append(child)
                break
            seen.add(node)
            todo.extend(parents.get(node, ()))
    return sorted(absorbed)


def counted_q(
    queryset: QuerySet[Pledge], prefix: str = "", *, absorbed: list[int] | None = None
) -> Q:
    """A condition true for the rows (of `queryset`, or reached through `prefix`, e.g.
    "pledge__") whose jobs count in totals of `queryset`: the one deduplication rule. Pass
    `absorbed` (from `absorbed_ids`) to build several conditions from one computation."""
    absorbed = absorbed_ids(queryset) if absorbed is None else absorbed
    if not absorbed:
        return Q()
    return ~Q(**{f"{prefix}pk__in" if prefix else "pk__in": id_set(absorbed)})


def countable(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """The pledges of `queryset` that count in its totals (see the module docstring)."""
    return queryset.filter(counted_q(queryset))


def countable_ids(queryset: QuerySet[Pledge]) -> list[int]:
    """Ids of `countable(queryset)` (two queries)."""
    return list(countable(queryset).order_by().values_list("pk", flat=True))


# --- the funnel -------------------------------------------------------------------------------


def _planned_before() -> Exists:
    return Exists(PriorPlan.objects.filter(pledge_id=OuterRef("pk")))


def _company_credit() -> Exists:
    return Exists(
        Claim.objects.filter(
            pledge_id=OuterRef("pk"),
            claimant_kind=ClaimantKind.COMPANY,
            credits_politician=True,
        )
    )


def _stage_conditions(counted: Q) -> dict[str, Q]:
    delivered = counted & Q(delivered_jobs__isnull=False)
    new = (
        delivered
        & Q(reannouncement_of__isnull=True)
        & ~Q(jobs_kind=JobsKind.RETAINED)
        & Q(delivered_observation__basis__in=[b for b in JobsBasis.values if b != "retained"])
        & ~_planned_before()
    )
    return {
        "promised": counted & Q(jobs_promised__isnull=False),
        "delivered": delivered,
        "new": new,
        "credited": new & _company_credit(),
    }


# A pledge's delivered jobs as the funnel counts them: no more than it promised.
_DELIVERED_COUNTED = Least(F("delivered_jobs"), Coalesce(F("jobs_promised"), F("delivered_jobs")))


def funnel_aggregates(
    queryset: QuerySet[Pledge], *, absorbed: list[int] | None = None
) -> dict[str, Any]:
    """Aggregate expressions of the funnel of `queryset` (to add to another `aggregate()`
    call on the same queryset): `funnel_<stage>_jobs` and `funnel_<stage>_pledges`."""
    stages = _stage_conditions(counted_q(queryset, absorbed=absorbed))
    result: dict[str, Any] = {}
    for stage, condition in stages.items():
        value = F("jobs_promised") if stage == "promised" else _DELIVERED_COUNTED
        result[f"funnel_{stage}_jobs"] = Sum(value, filter=condition)
        result[f"funnel_{stage}_pledges"] = Count("pk", filter=condition)
    return result


def funnel_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The funnel dict of an `aggregate()` row holding `funnel_aggregates`."""
    return {
        "deduplicated": DEDUPLICATION_NOTE,
        **{
            stage: {
                "label": FUNNEL_STAGES[stage],
                "definition": FUNNEL_DEFINITIONS[stage],
                "jobs": row[f"funnel_{stage}_jobs"] or 0,
                "pledges": row[f"funnel_{stage}_pledges"],
            }
            for stage in FUNNEL_STAGES
        },
    }


def funnel(queryset: QuerySet[Pledge], *, absorbed: list[int] | None = None) -> dict[str, Any]:
    """promised → delivered → genuinely new → credited of `queryset`, deduplicated (one
    aggregate query, after `absorbed_ids`' one):
    {"deduplicated": text, "<stage>": {"label", "definition", "jobs", "pledges"}}."""
    aggregates = funnel_aggregates(queryset, absorbed=absorbed)
    return funnel_from_row(queryset.order_by().aggregate(**aggregates))


def funnel_stage_path(stage: str, query: str = "") -> str:
    """The public page listing the pledges and sources behind one funnel number."""
    path = reverse("pledges:funnel-stage", kwargs={"stage": stage})
    return f"{path}?{query}" if query else path


def funnel_stage_pledges(queryset: QuerySet[Pledge], stage: str) -> QuerySet[Pledge]:
    """The countable pledges of `queryset` that make up one stage of its funnel."""
    return queryset.filter(_stage_conditions(counted_q(queryset))[stage])


@dataclass
class StageRow:
    pledge: Pledge
    jobs: int | None
    announcement: list[Source] = field(default_factory=list)
    observation: Observation | None = None
    credits: list[Claim] = field(default_factory=list)


def funnel_stage_rows(pledges: list[Pledge], stage: str) -> list[StageRow]:
    """What each pledge (of `funnel_stage_pledges`) contributes to `stage`, with the sources
    behind it: the announcement, the delivering observation, the company's crediting
    statements. Three queries whatever the number of pledges."""
    ids = [pledge.pk for pledge in pledges]
    announcements: dict[int, list[Source]] = defaultdict(list)
    for link in (
        PledgeSource.objects.filter(pledge_id__in=ids)
        .select_related("source")
        .order_by("pledge_id", "position", "id")
    ):
        if len(announcements[link.pledge_id]) < 3:
            announcements[link.pledge_id].append(link.source)
    observations = {
        observation.pk: observation
        for observation in Observation.objects.filter(
            pk__in=[p.delivered_observation_id for p in pledges if p.delivered_observation_id]
        ).select_related("source")
    }
    credits: dict[int, list[Claim]] = defaultdict(list)
    if stage == "credited":
        for claim in Claim.objects.filter(
            pledge_id__in=ids, claimant_kind=ClaimantKind.COMPANY, credits_politician=True
        ).select_related("source"):
            credits[claim.pledge_id].append(claim)
    rows = []
    for pledge in pledges:
        if stage == "promised":
            jobs = pledge.jobs_promised
        elif pledge.delivered_jobs is None:
            jobs = None
        else:
            jobs = min(pledge.delivered_jobs, pledge.jobs_promised or pledge.delivered_jobs)
        rows.append(
            StageRow(
                pledge=pledge,
                jobs=jobs,
                announcement=announcements[pledge.pk],
                observation=observations.get(pledge.delivered_observation_id or 0),
                credits=credits[pledge.pk],
            )
        )
    return rows


# --- filters for lists (the API) ---------------------------------------------------------------


def has_observation() -> Exists:
    """True for pledges with at least one observation (any confidence)."""
    return Exists(Observation.objects.filter(pledge_id=OuterRef("pk")))


def delivered_at_least(jobs: int) -> Q:
    """Pledges whose jobs delivered (latest credible observation) are at least `jobs`."""
    return Q(delivered_jobs__gte=jobs)


# --- a pledge's ledger (the pledge page) -------------------------------------------------------


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    versus_promise: int | None  # jobs stated minus jobs promised
    versus_promise_pct: float | None
    versus_delivered: int | None  # jobs stated minus jobs delivered
    versus_delivered_pct: float | None
    versus_supported: int | None = None  # jobs stated minus what the sources support
    versus_supported_pct: float | None = None


def _difference(stated: int | None, base: int | None) -> tuple[int | None, float | None]:
    if stated is None or base is None:
        return None, None
    return stated - base, (round(100 * (stated - base) / base, 1) if base else None)


def claim_inflation(claim: Claim, *, promised: int | None, delivered: int | None) -> ClaimView:
    """A claim with how far its number is above (or below) the promise and the delivery."""
    versus_promise, promise_pct = _difference(claim.jobs_stated, promised)
    versus_delivered, delivered_pct = _difference(claim.jobs_stated, delivered)
    versus_supported, supported_pct = _difference(claim.jobs_stated, claim.jobs_supported)
    return ClaimView(
        claim,
        versus_promise,
        promise_pct,
        versus_delivered,
        delivered_pct,
        versus_supported,
        supported_pct,
    )


@dataclass
class PledgeLedger:
    observations: list[Observation]
    delivered: Observation | None
    claims: list[ClaimView]
    lineage: list[tuple[str, Pledge, Source | None, str]]  # (how, other pledge, source, note)
    prior_plans: list[PriorPlan]
    offsets: list[OffsetEvent]
    jobs_lost_since: int | None
    net_since: int | None
    subsidies: list[Subsidy]
    replies: list[ReplyRequest]
    reason: str

    @property
    def is_empty(self) -> bool:
        return not any(
            [
                self.observations,
                self.claims,
                self.lineage,
                self.prior_plans,
                self.offsets,
                self.subsidies,
                self.replies,
            ]
        )


LINEAGE_WORDS = {
    ("part_of", "out"): "Part of",
    ("part_of", "in"): "Includes",
    ("reannouncement_of", "out"): "Re-announces",
    ("reannouncement_of", "in"): "Re-announced as",
    (LinkKind.SUPERSEDES, "out"): "Supersedes",
    (LinkKind.SUPERSEDES, "in"): "Superseded by",
    (LinkKind.REVERSES, "out"): "Reverses",
    (LinkKind.REVERSES, "in"): "Reversed by",
}


def new_jobs_delivered(
    *, jobs_kind: str, delivered_jobs: int | None, basis: str | None
) -> int | None:
    """The delivered jobs that are new: none when the promise or the delivering observation
    is about retained ("saved") jobs, which existed before."""
    if delivered_jobs is None:
        return None
    if jobs_kind == JobsKind.RETAINED or basis == JobsBasis.RETAINED:
        return 0
    return delivered_jobs


def offset_totals(
    pledge: Any, offsets: Iterable[Any], new_delivered: int | None
) -> tuple[int | None, int | None]:
    """(jobs lost in offsetting events on or after the announcement, net new jobs since the
    pledge = new jobs delivered minus those lost); None where unknown."""
    since = [o.jobs_lost for o in offsets if o.occurred_on >= pledge.announced_on and o.jobs_lost]
    lost = sum(since) if since else None
    net = new_delivered - lost if new_delivered is not None and lost is not None else None
    return lost, net


def pledge_ledger(pledge: Pledge) -> PledgeLedger:
    """Everything the ledger knows of a (published) pledge, for its page: observations (the
    delivering one marked), claims with their inflation, lineage in both directions with the
    source of each edge, planned-before evidence, offsetting events with the jobs lost since
    the pledge and the net, subsidies, right of reply, and the reason of its current status.
    Seven queries with `selectors.pledge_detail`'s prefetches."""
    observations = list(
        Observation.objects.filter(pledge=pledge)
        .select_related("source")
        .order_by("-observed_on", "-id")
    )
    delivered = next((o for o in observations if o.pk == pledge.delivered_observation_id), None)
    delivered_jobs = pledge.delivered_jobs
    claims = [
        claim_inflation(claim, promised=pledge.jobs_promised, delivered=delivered_jobs)
        for claim in Claim.objects.filter(pledge=pledge).select_related("source")
    ]
    lineage: list[tuple[str, Pledge, Source | None, str]] = []
    if pledge.part_of_id and pledge.part_of and pledge.part_of.is_published:
        lineage.append((LINEAGE_WORDS[("part_of", "out")], pledge.part_of, None, ""))
    again = pledge.reannouncement_of if pledge.reannouncement_of_id else None
    if again is not None and again.is_published:
        lineage.append((LINEAGE_WORDS[("reannouncement_of", "out")], again, None, ""))
    # pledge_detail prefetches these (published only); elsewhere they cost a query each.
    lineage += [(LINEAGE_WORDS[("part_of", "in")], p, None, "") for p in pledge.parts.all()]
    lineage += [
        (LINEAGE_WORDS[("reannouncement_of", "in")], p, None, "")
        for p in pledge.reannouncements.all()
    ]
    for link in (
        PledgeLink.objects.filter(Q(pledge=pledge) | Q(target=pledge))
        .filter(pledge__is_published=True, target__is_published=True)
        .select_related("pledge__company", "target__company", "source")
        .order_by("id")
    ):
        if link.pledge_id == pledge.pk:
            lineage.append((LINEAGE_WORDS[(link.kind, "out")], link.target, link.source, link.note))
        else:
            lineage.append((LINEAGE_WORDS[(link.kind, "in")], link.pledge, link.source, link.note))
    offsets = list(OffsetEvent.objects.filter(pledge=pledge).select_related("source"))
    new_delivered = new_jobs_delivered(
        jobs_kind=pledge.jobs_kind,
        delivered_jobs=delivered_jobs,
        basis=delivered.basis if delivered else None,
    )
    lost, net = offset_totals(pledge, offsets, new_delivered)
    # Newest first; pledge_detail prefetches them in this order.
    updates = sorted(
        pledge.status_updates.all(), key=lambda u: (u.established_on, u.pk), reverse=True
    )
    reason = ""
    if updates and updates[0].status == pledge.status and updates[0].reason:
        reason = updates[0].get_reason_display()
    return PledgeLedger(
        observations=observations,
        delivered=delivered,
        claims=claims,
        lineage=lineage,
        prior_plans=list(PriorPlan.objects.filter(pledge=pledge).select_related("source")),
        offsets=offsets,
        jobs_lost_since=lost,
        net_since=net,
        subsidies=list(Subsidy.objects.filter(pledge=pledge).select_related("source")),
        replies=list(ReplyRequest.objects.filter(pledge=pledge).select_related("source")),
        reason=reason,
    )


def claims_without_pledge(*, limit: int = 50) -> list[Claim]:
    """Claims no company pledge stands behind, newest first."""
    return list(
        Claim.objects.filter(pledge__isnull=True)
        .select_related("source", "company")
        .order_by("-stated_on", "-id")[:limit]
    )


def latest_credible(observations: Iterable[Observation]) -> Observation | None:
    """The observation that decides "jobs delivered": the latest (by date, then by id) of the
    credible ones with a jobs figure."""
    candidates = [
        o for o in observations if o.jobs is not None and o.confidence in CREDIBLE_CONFIDENCE
    ]
    return max(candidates, key=lambda o: (o.observed_on, o.pk), default=None)
