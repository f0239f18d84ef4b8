"""Loading the demo data (real, sourced pledges of 2016-2021) idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from pledges import demo_data, demo_ledger
from pledges.models import (
    Claim,
    Company,
    CompanyAlias,
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
from pledges.services.companies import free_slug
from pledges.services.ledger import ledger_entry_save
from pledges.services.pledges import (
    pledge_refresh_search_text,
    pledge_refresh_status,
    status_update_record,
)
from pledges.services.sources import source_get_or_create

DEMO_EXPLANATION_PREFIX = ""


@dataclass(frozen=True)
class DemoReport:
    companies: int
    pledges: int
    status_updates_added: int
    ledger_entries_added: int = 0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _upsert_company(row: dict) -> Company:
    company = Company.objects.filter(name__iexact=row["name"]).first()
    if company is None:
        taken = set(Company.objects.values_list("slug", flat=True))
        company = Company(name=row["name"], slug=free_slug(row["name"], taken))
    for name in ("country", "ticker", "website", "wikidata_id"):
        setattr(company, name, row.get(name, ""))
    company.full_clean()
    company.save()
    for alias in row.get("aliases", []):
        if not CompanyAlias.objects.filter(name__iexact=alias).exists():
            CompanyAlias.objects.create(company=company, name=alias)
    return company


@transaction.atomic
def load_demo() -> DemoReport:
    """Create or update every demo company and pledge; running it twice changes nothing."""
    companies = {row["name"]: _upsert_company(row) for row in demo_data.COMPANIES}
    pledges: dict[str, Pledge] = {}
    added = 0
    for row in demo_data.PLEDGES:
        pledge = Pledge.objects.filter(ref=row["ref"]).first() or Pledge(
            ref=row["ref"], slug=slugify(row["ref"])
        )
        pledge.company = companies[row["company"]]
        for name in (
            "title",
            "summary",
            "announced_by",
            "made_to",
            "jobs_promised",
            "jobs_kind",
            "investment_usd",
            "timeframe",
        ):
            setattr(
                pledge,
                name,
                row.get(name)
                if row.get(name) is not None
                else (None if name in ("jobs_promised", "investment_usd") else ""),
            )
        if row.get("uncertainty"):
            pledge.summary = f"{pledge.summary}\n\nUncertain: {row['uncertainty']}".strip()
        pledge.announced_on = _date(row["announced_on"])
        pledge.deadline = _date(row.get("deadline"))
        pledge.full_clean(exclude=["search_text"])
        pledge.save()
        pledges[row["ref"]] = pledge

        sources = {}
        for position, item in enumerate(row["sources"]):
            source, _ = source_get_or_create(
                url=item["url"],
                publisher=item.get("publisher", ""),
                title=item.get("title", ""),
                published_on=_date(item.get("published_on")),
            )
            sources[item["url"]] = source
            PledgeSource.objects.update_or_create(
                pledge=pledge,
                source=source,
                defaults={
                    "role": item.get("role", "follow_up"),
                    "quote": item.get("quote", ""),
                    "position": position,
                },
            )
        PledgeLocation.objects.filter(pledge=pledge).delete()
        PledgeLocation.objects.bulk_create(
            PledgeLocation(pledge=pledge, position=i, name=name)
            for i, name in enumerate(row.get("locations", []))
        )
        for update in row.get("status_updates", []):
            established_on = _date(update["established_on"])
            reason = demo_ledger.REASONS.get(
                (row["ref"], update["status"], update["established_on"]), ""
            )
            existing = StatusUpdate.objects.filter(
                pledge=pledge, status=update["status"], established_on=established_on
            ).first()
            if existing is not None:
                if reason and not existing.reason:  # loaded before reasons existed
                    existing.reason = reason
                    existing.save(update_fields=["reason"])
                continue
            status_update_record(
                pledge=pledge,
                status=update["status"],
                established_on=established_on,
                explanation=update.get("explanation", ""),
                evidence=[sources[url] for url in update.get("evidence", [])],
                reason=reason,
            )
            added += 1
        pledge_refresh_status(pledge=pledge)
        pledge_refresh_search_text(pledge=pledge)

    for row in demo_data.PLEDGES:
        pledge = pledges[row["ref"]]
        pledge.part_of = pledges.get(row.get("part_of") or "")
        pledge.reannouncement_of = pledges.get(row.get("reannouncement_of") or "")
        if (pledge.part_of_id, pledge.reannouncement_of_id) != (
            Pledge.objects.values_list("part_of_id", "reannouncement_of_id").get(pk=pledge.pk)
        ):
            pledge.save(update_fields=["part_of", "reannouncement_of", "updated_at"])
    ledger_added = load_demo_ledger(pledges)
    return DemoReport(
        companies=len(companies),
        pledges=len(pledges),
        status_updates_added=added,
        ledger_entries_added=ledger_added,
    )


def _source(item: dict) -> Source:
    return source_get_or_create(
        url=item["url"],
        title=item.get("title", ""),
        publisher=item.get("publisher", ""),
        published_on=_date(item.get("published_on")),
    )[0]


# For each kind of ledger entry: its model, the demo list, and the fields that identify an
# entry (so a second load finds it instead of adding another).
_LEDGER_TABLES: list[tuple[type[Model], list[dict], tuple[str, ...]]] = [
    (Observation, demo_ledger.OBSERVATIONS, ("pledge", "observed_on", "source")),
    (Claim, demo_ledger.CLAIMS, ("claimant", "stated_on", "source")),
    (PledgeLink, demo_ledger.LINKS, ("pledge", "kind", "target")),
    (PriorPlan, demo_ledger.PRIOR_PLANS, ("pledge", "source")),
    (OffsetEvent, demo_ledger.OFFSETS, ("pledge", "occurred_on", "source")),
    (Subsidy, demo_ledger.SUBSIDIES, ("pledge", "granting_body", "source")),
    (ReplyRequest, demo_ledger.REPLIES, ("pledge", "asked_on", "asked_by")),
]
_DATE_FIELDS = {"observed_on", "stated_on", "planned_on", "occurred_on", "period_end",
                "awarded_on", "asked_on", "answered_on"}  # fmt: skip


def load_demo_ledger(pledges: dict[str, Pledge]) -> int:
    """Create or update the demo's ledger entries (observations, claims, links, planned-before
    evidence, offsets, subsidies, right of reply) through the ledger services; entries that
    already hold the demo's values are left alone, so a second run adds no history. Returns
    how many entries were added."""
    added = 0
    for model, rows, key in _LEDGER_TABLES:
        for row in rows:
            values: dict[str, Any] = {}
            for name, value in row.items():
                if name == "ref":
                    values["pledge"] = pledges[value] if value else None
                elif name == "target":
                    values["target"] = pledges[value]
                elif name == "source":
                    values["source"] = _source(value)
                elif name in _DATE_FIELDS:
                    values[name] = _date(value)
                else:
                    values[name] = value
            entry = model.objects.filter(**{name: values[name] for name in key}).first()
            if entry is None:
                entry, changed = model(), True
                added += 1
            else:
                changed = any(getattr(entry, name) != value for name, value in values.items())
            if changed:
                for name, value in values.items():
                    setattr(entry, name, value)
                ledger_entry_save(entry=entry)
    return added
