"""The jobs ledger as JSON-ready dicts, for the API and the bulk dumps. Unknown values are None
(JSON null), never 0 or ""; every entry carries the URL of its source."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from pledges.models import (
    Claim,
    Observation,
    OffsetEvent,
    Pledge,
    PledgeLink,
    PriorPlan,
    ReplyRequest,
    Subsidy,
)
from pledges.selectors_ledger import (
    ClaimView,
    claim_inflation,
    new_jobs_delivered,
    offset_totals,
)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def observation_dict(o: Observation, url: str | None, *, delivering: bool) -> dict[str, Any]:
    return {
        "observed_on": o.observed_on.isoformat(),
        "jobs": o.jobs,
        "investment_usd": o.investment_usd,
        "measure": o.measure,
        "basis": o.basis,
        "reporter_kind": o.reporter_kind,
        "reporter": o.reporter or None,
        "confidence": o.confidence,
        "note": o.note or None,
        "source_url": url,
        "is_delivered_figure": delivering,
    }


def claim_dict(view: ClaimView, url: str | None) -> dict[str, Any]:
    c = view.claim
    return {
        "claimant": c.claimant,
        "claimant_role": c.claimant_role or None,
        "claimant_kind": c.claimant_kind,
        "stated_on": c.stated_on.isoformat(),
        "venue": c.venue or None,
        "jobs_stated": c.jobs_stated,
        "jobs_supported": c.jobs_supported,
        "investment_stated": c.investment_stated,
        "statement": c.statement or None,
        "credits_politician": c.credits_politician,
        "credited_to": c.credited_to or None,
        "source_url": url,
        "inflation": {
            "versus_promise": view.versus_promise,
            "versus_promise_pct": view.versus_promise_pct,
            "versus_delivered": view.versus_delivered,
            "versus_delivered_pct": view.versus_delivered_pct,
            "versus_supported": view.versus_supported,
            "versus_supported_pct": view.versus_supported_pct,
        },
    }


def offset_dict(o: OffsetEvent, url: str | None) -> dict[str, Any]:
    return {
        "kind": o.kind,
        "occurred_on": o.occurred_on.isoformat(),
        "period_end": _iso(o.period_end),
        "site": o.site or None,
        "by": o.by_company or None,
        "jobs_lost": o.jobs_lost,
        "description": o.description or None,
        "source_url": url,
    }


def subsidy_dict(s: Subsidy, url: str | None) -> dict[str, Any]:
    return {
        "granting_body": s.granting_body,
        "program": s.program or None,
        "kind": s.kind,
        "value_usd": s.value_usd,
        "awarded_on": _iso(s.awarded_on),
        "state": s.state,
        "conditions": s.conditions or None,
        "clawbacks": s.clawbacks or None,
        "clawed_back_usd": s.clawed_back_usd,
        "source_url": url,
    }


def reply_dict(r: ReplyRequest, url: str | None) -> dict[str, Any]:
    return {
        "asked_on": r.asked_on.isoformat(),
        "asked_by": r.asked_by,
        "outcome": r.outcome,
        "answered_on": _iso(r.answered_on),
        "answer": r.answer or None,
        "answer_url": r.answer_url or None,
        "note": r.note or None,
        "source_url": url,
    }


def prior_plan_dict(p: PriorPlan, url: str | None) -> dict[str, Any]:
    return {
        "planned_on": _iso(p.planned_on),
        "description": p.description,
        "source_url": url,
    }


def ledger_dicts(ids: list[int]) -> dict[int, dict[str, Any]]:
    """The JSON ledger of the pledges with these ids, by id: `delivered_jobs`,
    `delivered_on`, `observations`, `claims` (with `inflation`), `lineage` (the `supersedes` /
    `reverses` links, both ways, as {"relation", "ref", "source_url", "note"}; `part_of` and
    `reannouncement_of` are the pledge's own fields), `planned_before`, `offsets` with
    `jobs_lost_since_pledge` and `net_since_pledge`, `subsidies`, `right_of_reply`.
    Nine queries whatever the number of ids."""
    if not ids:
        return {}
    pledges = {
        row["pk"]: row
        for row in Pledge.objects.filter(pk__in=ids).values(
            "pk", "announced_on", "jobs_promised", "jobs_kind", "delivered_jobs", "delivered_on",
            "delivered_observation_id", "delivered_observation__basis",
        )
    }  # fmt: skip
    out: dict[int, dict[str, Any]] = {
        pk: {
            "delivered_jobs": row["delivered_jobs"],
            "delivered_on": _iso(row["delivered_on"]),
            "observations": [],
            "claims": [],
            "lineage": [],
            "planned_before": [],
            "offsets": [],
            "jobs_lost_since_pledge": None,
            "net_since_pledge": None,
            "subsidies": [],
            "right_of_reply": [],
        }
        for pk, row in pledges.items()
    }
    for o in (
        Observation.objects.filter(pledge_id__in=ids)
        .select_related("source")
        .order_by("pledge_id", "-observed_on", "-id")
    ):
        delivering = o.pk == pledges[o.pledge_id]["delivered_observation_id"]
        out[o.pledge_id]["observations"].append(
            observation_dict(o, o.source.url, delivering=delivering)
        )
    for c in (
        Claim.objects.filter(pledge_id__in=ids)
        .select_related("source")
        .order_by("pledge_id", "stated_on", "id")
    ):
        row = pledges[c.pledge_id]
        view = claim_inflation(c, promised=row["jobs_promised"], delivered=row["delivered_jobs"])
        out[c.pledge_id]["claims"].append(claim_dict(view, c.source.url))
    for link in (
        PledgeLink.objects.filter(Q(pledge_id__in=ids) | Q(target_id__in=ids))
        .select_related("source")
        .values(
            "pledge_id", "kind", "target_id", "pledge__ref", "target__ref", "source__url", "note"
        )
        .order_by("id")
    ):
        for own, other_ref, direction in (
            ("pledge_id", "target__ref", "out"),
            ("target_id", "pledge__ref", "in"),
        ):
            if link[own] in out:
                relation = link["kind"] if direction == "out" else f"{link['kind']}_by"
                relation = relation.replace("supersedes_by", "superseded_by").replace(
                    "reverses_by", "reversed_by"
                )
                out[link[own]]["lineage"].append(
                    {
                        "relation": relation,
                        "ref": link[other_ref],
                        "source_url": link["source__url"],
                        "note": link["note"] or None,
                    }
                )
    for p in PriorPlan.objects.filter(pledge_id__in=ids).select_related("source"):
        out[p.pledge_id]["planned_before"].append(prior_plan_dict(p, p.source.url))
    offsets: dict[int, list[OffsetEvent]] = defaultdict(list)
    for o in OffsetEvent.objects.filter(pledge_id__in=ids).select_related("source"):
        offsets[o.pledge_id].append(o)
        out[o.pledge_id]["offsets"].append(offset_dict(o, o.source.url))
    for pk, events in offsets.items():
        row = pledges[pk]
        new_delivered = new_jobs_delivered(
            jobs_kind=row["jobs_kind"],
            delivered_jobs=row["delivered_jobs"],
            basis=row["delivered_observation__basis"],
        )
        lost, net = offset_totals(_Announced(row["announced_on"]), events, new_delivered)
        out[pk]["jobs_lost_since_pledge"], out[pk]["net_since_pledge"] = lost, net
    for s in Subsidy.objects.filter(pledge_id__in=ids).select_related("source"):
        out[s.pledge_id]["subsidies"].append(subsidy_dict(s, s.source.url))
    for r in ReplyRequest.objects.filter(pledge_id__in=ids).select_related("source"):
        out[r.pledge_id]["right_of_reply"].append(reply_dict(r, r.source.url if r.source else None))
    return out


@dataclass(frozen=True)
class _Announced:
    announced_on: dt.date
