"""The portable import writer: batches of records upserted with bulk inserts, for databases
other than PostgreSQL (the SQLite demo). PostgreSQL imports go through `import_staged`.

Holds one entry per `ref` (duplicate check) and per company, so its memory grows with the
file; the demo's spreadsheets are small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.text import slugify

from pledges import selectors
from pledges.interchange import PledgeRecord
from pledges.models import (
    Company,
    LinkHealth,
    Pledge,
    PledgeLocation,
    PledgeSource,
    Source,
    SourceRole,
    Status,
    StatusUpdate,
)
from pledges.services.bulk import insert_rows
from pledges.services.companies import company_index, free_slug, name_key
from pledges.services.import_staged import IMPORT_EXPLANATION

if TYPE_CHECKING:
    from pledges.services.imports import ImportReport


class Checker:
    """File-wide rules that no single record can check: unique refs, one country a company."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.first_line_of_ref: dict[str, int] = {}
        self.country_of_company: dict[str, tuple[str, int]] = {}

    def check(self, line: int, record: PledgeRecord) -> bool:
        ok = True
        seen = self.first_line_of_ref.setdefault(record.ref, line)
        if seen != line:
            self.report.add_error(
                line, "ref", f"{record.ref!r} appears again (first on line {seen})"
            )
            ok = False
        if record.company_country:
            key = name_key(record.company)
            previous = self.country_of_company.setdefault(key, (record.company_country, line))
            if previous[0] != record.company_country:
                self.report.add_error(
                    line,
                    "company_country",
                    f"{record.company_country!r} contradicts {previous[0]!r} given for "
                    f"{record.company!r} on line {previous[1]}",
                )
                ok = False
        return ok


class BatchWriter:
    """Upserts batches of valid records (inside the caller's transaction)."""

    def __init__(self, report: ImportReport, user: AbstractBaseUser | None) -> None:
        self.report = report
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.now = timezone.now()
        self.companies = company_index()
        self.company_slugs = set(Company.objects.values_list("slug", flat=True))
        self.aliases_by_company = selectors.aliases_by_company()

    def add_companies(self, records: list[PledgeRecord]) -> None:
        """Create, in one insert, the companies this batch names for the first time."""
        new: dict[str, Company] = {}
        for record in records:
            key = name_key(record.company)
            company = self.companies.get(key) or new.get(key)
            if company is None:
                new[key] = Company(
                    name=record.company,
                    slug=free_slug(record.company, self.company_slugs),
                    country=record.company_country,
                )
            elif record.company_country and company.country != record.company_country:
                company.country = record.company_country
                if company.pk:
                    company.save(update_fields=["country", "updated_at"])
        created = list(new.values())
        ids = insert_rows(
            Company,
            [
                "name",
                "slug",
                "country",
                "ticker",
                "website",
                "wikidata_id",
                "created_at",
                "updated_at",
            ],
            [(c.name, c.slug, c.country, "", "", "", self.now, self.now) for c in created],
        )
        for company, new_id in zip(created, ids, strict=True):
            company.pk = new_id
        self.companies.update(new)
        self.report.companies_created += len(new)

    def sources_for(self, urls: set[str]) -> dict[str, int]:
        """Source id by URL, creating the sources not seen before."""
        found = dict(selectors.source_ids_by_url(list(urls)))
        missing = sorted(urls - found.keys())
        ids = insert_rows(
            Source,
            [
                "url",
                "publisher",
                "title",
                "health",
                "moved_to",
                "created_at",
                "updated_at",
            ],
            [(url, "", "", LinkHealth.UNKNOWN, "", self.now, self.now) for url in missing],
        )
        found.update(zip(missing, ids, strict=True))
        self.report.sources_created += len(missing)
        return found

    def write_batch(self, batch: list[tuple[int, PledgeRecord]]) -> None:
        refs = [record.ref for _, record in batch]
        existing: dict[str, tuple[int, PledgeRecord]] = {}
        if selectors.existing_refs(refs):
            existing = selectors.records_by_ref(refs)
        self.add_companies([record for _, record in batch])
        sources = self.sources_for({u for _, r in batch for u in r.source_urls})
        taken_slugs: set[str] = set()
        if len(existing) < len(batch):
            wanted = {slugify(r) for r in refs if r not in existing}
            taken_slugs = selectors.existing_slugs(list(wanted))

        new: list[PledgeRecord] = []
        changed: list[tuple[int, PledgeRecord]] = []
        relinked: list[tuple[int, PledgeRecord]] = []
        status_changes: list[tuple[int, PledgeRecord]] = []
        for line, record in batch:
            if record.ref not in existing:
                new.append(record)
                self.report.actions[record.ref] = "created"
                continue
            pledge_id, before = existing[record.ref]
            if before == record:
                self.report.unchanged += 1
                self.report.actions[record.ref] = "unchanged"
                continue
            if (record.status, record.status_on) != (before.status, before.status_on):
                if record.status == Status.ANNOUNCED:
                    self.report.add_error(
                        line,
                        "status",
                        f"{record.ref} is already rated {before.status!r}; an import cannot "
                        "take a rating back (do that in the admin, with a reason)",
                    )
                    continue
                status_changes.append((pledge_id, record))
            if (before.locations, before.source_urls) != (
                record.locations,
                record.source_urls,
            ):
                relinked.append((pledge_id, record))
            changed.append((pledge_id, record))
            self.report.actions[record.ref] = "updated"

        new_ids = insert_rows(
            Pledge,
            [
                *_RECORD_FIELDS,
                "ref",
                "slug",
                "company_id",
                "search_text",
                "timeframe",
                "is_published",
                "created_at",
                "updated_at",
            ],
            [
                (
                    *(getattr(r, name) for name in _RECORD_FIELDS),
                    r.ref,
                    free_slug(r.ref, taken_slugs, max_length=110),
                    self.companies[name_key(r.company)].pk,
                    self._search_text(r),
                    "",
                    True,
                    self.now,
                    self.now,
                )
                for r in new
            ],
        )
        for pledge_id, record in zip(new_ids, new, strict=True):
            relinked.append((pledge_id, record))
            if record.status != Status.ANNOUNCED:
                status_changes.append((pledge_id, record))
        self._update(changed)
        self.report.created += len(new)
        self.report.updated += len(changed)
        self._relink(relinked, sources, {pk for pk, _ in existing.values()})
        self._record_statuses(status_changes, sources)

    def _search_text(self, record: PledgeRecord) -> str:
        company = self.companies[name_key(record.company)]
        return selectors.search_text(
            record.title,
            record.summary,
            company.name,
            self.aliases_by_company.get(company.pk, []),
        )

    def _update(self, changed: list[tuple[int, PledgeRecord]]) -> None:
        pledges = []
        for pledge_id, record in changed:
            pledge = Pledge(
                pk=pledge_id,
                company=self.companies[name_key(record.company)],
                search_text=self._search_text(record),
                updated_at=self.now,
                **{name: getattr(record, name) for name in _RECORD_FIELDS},
            )
            pledges.append(pledge)
        Pledge.objects.bulk_update(pledges, _UPDATED_FIELDS, batch_size=500)

    def _relink(
        self,
        relinked: list[tuple[int, PledgeRecord]],
        sources: dict[str, int],
        existing_ids: set[int],
    ) -> None:
        """Make each pledge's locations and sources those of its record, keeping roles/quotes."""
        if not relinked:
            return
        pledge_ids = [pledge_id for pledge_id, _ in relinked if pledge_id in existing_ids]
        old_links = {
            (pledge_id, source_id): (role, quote)
            for pledge_id, source_id, role, quote in PledgeSource.objects.filter(
                pledge_id__in=pledge_ids
            ).values_list("pledge_id", "source_id", "role", "quote")
        }
        if pledge_ids:
            PledgeSource.objects.filter(pledge_id__in=pledge_ids)._raw_delete("default")
            PledgeLocation.objects.filter(pledge_id__in=pledge_ids)._raw_delete("default")
        locations = [
            (pledge_id, position, name)
            for pledge_id, record in relinked
            for position, name in enumerate(record.locations)
        ]
        insert_rows(
            PledgeLocation,
            ["pledge_id", "position", "name"],
            locations,
            returning_ids=False,
        )
        links = []
        for pledge_id, record in relinked:
            for position, url in enumerate(record.source_urls):
                source_id = sources[url]
                default_role = SourceRole.ANNOUNCEMENT if position == 0 else SourceRole.FOLLOW_UP
                role, quote = old_links.get((pledge_id, source_id), (default_role, ""))
                links.append((pledge_id, source_id, role, quote, position))
        insert_rows(PledgeSource, ["pledge_id", "source_id", "role", "quote", "position"], links)

    def _record_statuses(
        self, changes: list[tuple[int, PledgeRecord]], sources: dict[str, int]
    ) -> None:
        """A status update per changed status, its evidence the record's sources."""
        ids = insert_rows(
            StatusUpdate,
            [
                "pledge_id",
                "status",
                "established_on",
                "explanation",
                "recorded_by_id",
                "recorded_at",
            ],
            [
                (
                    pledge_id,
                    record.status,
                    record.status_on,
                    IMPORT_EXPLANATION,
                    self.user_id,
                    self.now,
                )
                for pledge_id, record in changes
            ],
        )
        evidence = [
            (update_id, sources[url])
            for update_id, (_, record) in zip(ids, changes, strict=True)
            for url in record.source_urls
        ]
        insert_rows(
            StatusUpdate.evidence.through,
            ["statusupdate_id", "source_id"],
            evidence,
            returning_ids=False,
        )
        self.report.status_updates_created += len(ids)


# The record's fields that are plain Pledge columns (company, places and sources are not).
_RECORD_FIELDS = tuple(
    name
    for name in PledgeRecord._fields
    if name not in {"ref", "company", "company_country", "locations", "source_urls"}
)
_UPDATED_FIELDS = [*_RECORD_FIELDS, "company", "search_text", "updated_at"]
