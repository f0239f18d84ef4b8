"""Loading the demo data (real, sourced pledges of 2016-2021) idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from pledges import demo_data
from pledges.models import (
    Company,
    CompanyAlias,
    Pledge,
    PledgeLocation,
    PledgeSource,
    StatusUpdate,
)
from pledges.services.companies import free_slug
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
            if StatusUpdate.objects.filter(
                pledge=pledge, status=update["status"], established_on=established_on
            ).exists():
                continue
            status_update_record(
                pledge=pledge,
                status=update["status"],
                established_on=established_on,
                explanation=update.get("explanation", ""),
                evidence=[sources[url] for url in update.get("evidence", [])],
            )
            added += 1
        pledge_refresh_status(pledge=pledge)
        pledge_refresh_search_text(pledge=pledge)

    for row in demo_data.PLEDGES:
        pledge = pledges[row["ref"]]
        pledge.part_of = pledges.get(row.get("part_of") or "")
        pledge.reannouncement_of = pledges.get(row.get("reannouncement_of") or "")
        pledge.save(update_fields=["part_of", "reannouncement_of", "updated_at"])
    return DemoReport(companies=len(companies), pledges=len(pledges), status_updates_added=added)
