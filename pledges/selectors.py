"""Reads for pages, the API, exports and reports: querysets that never query per row."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Collate, ExtractYear
from django.utils import timezone

from pledges import selectors_ledger
from pledges.interchange import PledgeRecord
from pledges.models import Company, CompanyAlias, Pledge, PledgeLocation, PledgeSource, Status
from pledges.params import PledgeParams, parse_pledge_params


def aliases_by_company() -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    for company_id, name in CompanyAlias.objects.order_by("name").values_list("company_id", "name"):
        result[company_id].append(name)
    return result


def search_text(title: str, summary: str, company_name: str, aliases: list[str]) -> str:
    """The text full-text search looks at: title, summary, company name and aliases."""
    return "\n".join([title, summary, company_name, *aliases])


def codepoint_order(field: str) -> Collate:
    """Order by text compared by code point (the export's row order), on any backend."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


_RECORD_COLUMNS = (
    "id",
    "ref",
    "company__name",
    "company__country",
    "title",
    "announced_on",
    "announced_by",
    "made_to",
    "jobs_promised",
    "jobs_kind",
    "investment_usd",
    "deadline",
    "status",
    "status_on",
    "summary",
)


def _records_for_rows(rows: list[tuple]) -> list[tuple[int, PledgeRecord]]:
    """(pk, record) for rows of `_RECORD_COLUMNS`, with two queries for places and sources."""
    ids = [row[0] for row in rows]
    places: dict[int, list[str]] = defaultdict(list)
    for pledge_id, name in (
        PledgeLocation.objects.filter(pledge_id__in=ids)
        .order_by("pledge_id", "position")
        .values_list("pledge_id", "name")
    ):
        places[pledge_id].append(name)
    urls: dict[int, list[str]] = defaultdict(list)
    for pledge_id, url in (
        PledgeSource.objects.filter(pledge_id__in=ids)
        .order_by("pledge_id", "position", "id")
        .values_list("pledge_id", "source__url")
    ):
        urls[pledge_id].append(url)
    return [
        (
            pk,
            PledgeRecord(
                ref=ref,
                company=company,
                company_country=country,
                title=title,
                announced_on=announced_on,
                announced_by=announced_by,
                made_to=made_to,
                jobs_promised=jobs,
                jobs_kind=kind,
                investment_usd=investment,
                locations=tuple(places[pk]),
                deadline=deadline,
                status=status,
                status_on=status_on,
                summary=summary,
                source_urls=tuple(urls[pk]),
            ),
        )
        for (
            pk,
            ref,
            company,
            country,
            title,
            announced_on,
            announced_by,
            made_to,
            jobs,
            kind,
            investment,
            deadline,
            status,
            status_on,
            summary,
        ) in rows
    ]


def records_by_ref(refs: list[str]) -> dict[str, tuple[int, PledgeRecord]]:
    """The interchange view of the pledges with these refs, by ref, with their ids."""
    rows = list(Pledge.objects.filter(ref__in=refs).values_list(*_RECORD_COLUMNS))
    return {record.ref: (pk, record) for pk, record in _records_for_rows(rows)}


def export_records(
    queryset: QuerySet[Pledge] | None = None, *, chunk_size: int = 2000
) -> Iterator[PledgeRecord]:
    """Every pledge of `queryset` as interchange records, in canonical (ref code-point) order.

    Streams with a server-side cursor: one chunk of rows, places and sources in memory at a
    time, three queries a chunk, plain tuples rather than model instances (ten times faster
    at 100,000 pledges).
    """
    queryset = Pledge.objects.all() if queryset is None else queryset
    rows = (
        queryset.order_by(codepoint_order("ref"))
        .values_list(*_RECORD_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from (record for _, record in _records_for_rows(chunk))
            chunk = []
    if chunk:
        yield from (record for _, record in _records_for_rows(chunk))


def pledge_list(queryset: QuerySet[Pledge] | None = None) -> QuerySet[Pledge]:
    """Published pledges for list pages, with their company, newest first (without the
    search text, which no page shows)."""
    queryset = Pledge.objects.published() if queryset is None else queryset
    return queryset.select_related("company").defer("search_text").order_by("-announced_on", "ref")


def pledge_detail(slug: str) -> Pledge:
    """A published pledge with its sources, locations and status history (fixed query count)."""
    from django.shortcuts import get_object_or_404

    from pledges.models import StatusUpdate

    queryset = (
        Pledge.objects.published()
        .select_related("company", "part_of", "reannouncement_of")
        .prefetch_related(
            Prefetch("locations", queryset=PledgeLocation.objects.order_by("position")),
            Prefetch(
                "pledge_sources",
                queryset=PledgeSource.objects.select_related("source").order_by("position", "id"),
            ),
            Prefetch(
                "status_updates",
                queryset=StatusUpdate.objects.order_by("-established_on", "-id").prefetch_related(
                    "evidence"
                ),
            ),
            Prefetch("parts", queryset=Pledge.objects.published().order_by("announced_on")),
            Prefetch(
                "reannouncements", queryset=Pledge.objects.published().order_by("announced_on")
            ),
        )
    )
    return get_object_or_404(queryset, slug=slug)


def company_detail(slug: str) -> tuple[Company, QuerySet[Pledge]]:
    from django.shortcuts import get_object_or_404

    company = get_object_or_404(Company.objects.prefetch_related("aliases"), slug=slug)
    return company, pledge_list(Pledge.objects.published().filter(company=company))


def _values_in(table_column: tuple[str, str], values: list[str], *, select: str) -> list[tuple]:
    """Rows whose column is among `values`: one array parameter on PostgreSQL, where an
    `IN (...)` of thousands of placeholders costs more to build than to run."""
    table, column = table_column
    if not values:
        return []
    if connection.vendor == "postgresql":
        sql = f"SELECT {select} FROM {table} WHERE {column} = ANY(%s)"
        params: list = [values]
    else:
        sql = f"SELECT {select} FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(values))})"
        params = values
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def source_ids_by_url(urls: list[str]) -> list[tuple[str, int]]:
    return _values_in(("pledges_source", "url"), urls, select="url, id")


def existing_refs(refs: list[str]) -> set[str]:
    return {row[0] for row in _values_in(("pledges_pledge", "ref"), refs, select="ref")}


def existing_slugs(slugs: list[str]) -> set[str]:
    return {row[0] for row in _values_in(("pledges_pledge", "slug"), slugs, select="slug")}


# --- The REST API (pledges/api) -------------------------------------------------------------
# Plain rows, not model instances: a page of 500 pledges with their places, sources and
# history is read in a fixed number of queries and turned into JSON without building a model
# object per row.


def api_pledges() -> QuerySet[Pledge]:
    """The pledges the public API shows: the published ones."""
    return Pledge.objects.published()


class _SearchVector(Func):
    """The pledge's `search_vector`: the tsvector of `search_text` that PostgreSQL stores
    and indexes (a generated column the ORM does not know, migration 0012), under whatever
    alias the query gives the pledge table."""

    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("search_text"))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Compile `search_text` for its table alias ("pledges_pledge", "U0", ...), then name
        # the column beside it.
        sql, params = compiler.compile(self.source_expressions[0])
        text, vector = (connection.ops.quote_name(c) for c in ("search_text", "search_vector"))
        if not sql.endswith(text):
            raise ValueError(f"unexpected column SQL {sql!r}")
        return sql[: -len(text)] + vector, list(params)


class _TsQuery(Func):
    template = "websearch_to_tsquery('english'::regconfig, %(expressions)s)"
    output_field = TextField()


class _TsMatch(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def pledge_search(queryset: QuerySet[Pledge], text: str) -> QuerySet[Pledge]:
    """Pledges whose title, summary, company name or aliases match `text`: PostgreSQL
    full-text search (web-search syntax: "quoted phrase", or, -not) through the GIN index of
    the stored vector; case-insensitive containment on other databases."""
    if connection.vendor != "postgresql":
        return queryset.filter(search_text__icontains=text)
    return queryset.filter(_TsMatch(_SearchVector(), _TsQuery(Value(text))))


def pledge_search_rank(text: str) -> Func | Value:
    """Relevance of a pledge to `text` (PostgreSQL ts_rank; a constant elsewhere)."""
    if connection.vendor != "postgresql":
        return Value(0.0, output_field=FloatField())
    return Func(
        _SearchVector(),
        _TsQuery(Value(text)),
        function="ts_rank",
        output_field=FloatField(),
    )


def pledge_stamp(queryset: QuerySet[Pledge]) -> tuple[int, dt.datetime | None]:
    """(number of pledges, latest updated_at) of `queryset`, in one query: the exact count
    for pagination and the version of the data for ETag / Last-Modified."""
    stamp = queryset.order_by().aggregate(n=Count("*"), last=Max("updated_at"))
    return stamp["n"], stamp["last"]


# Hand-written SQL for the four reads of every API page: building these through the ORM cost
# more than running them. Portable (PostgreSQL and the SQLite demo); ids are integers.
_API_ROWS_SQL = """
SELECT p.id, p.ref, p.slug, p.company_id, c.slug, c.name, c.country, p.title, p.summary,
       p.announced_on, p.announced_by, p.made_to, p.jobs_promised, p.jobs_kind,
       p.investment_usd, p.deadline, p.timeframe, p.status, p.status_on,
       p.part_of_id, po.ref, p.reannouncement_of_id, ro.ref, p.delivered_jobs, p.delivered_on,
       p.updated_at
FROM pledges_pledge p
JOIN pledges_company c ON c.id = p.company_id
LEFT JOIN pledges_pledge po ON po.id = p.part_of_id
LEFT JOIN pledges_pledge ro ON ro.id = p.reannouncement_of_id
WHERE p.id IN ({ids})
"""
_API_PLACES_SQL = """
SELECT pledge_id, name FROM pledges_pledgelocation WHERE pledge_id IN ({ids})
ORDER BY pledge_id, position
"""
_API_SOURCES_SQL = """
SELECT ps.pledge_id, s.url, s.publisher, s.title, ps.role, s.health
FROM pledges_pledgesource ps JOIN pledges_source s ON s.id = ps.source_id
WHERE ps.pledge_id IN ({ids})
ORDER BY ps.pledge_id, ps.position, ps.id
"""
_API_HISTORY_SQL = """
SELECT su.pledge_id, su.id, su.status, su.established_on, su.reason, su.explanation,
       su.recorded_at, s.url
FROM pledges_statusupdate su
LEFT JOIN pledges_statusupdate_evidence e ON e.statusupdate_id = su.id
LEFT JOIN pledges_source s ON s.id = e.source_id
WHERE su.pledge_id IN ({ids})
ORDER BY su.pledge_id, su.established_on, su.id, e.id
"""
_API_ROW_KEYS = (
    "id",
    "ref",
    "slug",
    "company_id",
    "company__slug",
    "company__name",
    "company__country",
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
    "status",
    "status_on",
    "part_of_id",
    "part_of__ref",
    "reannouncement_of_id",
    "reannouncement_of__ref",
    "delivered_jobs",
    "delivered_on",
    "updated_at",
)


def _fetch(cursor: Any, sql: str, ids: list[int]) -> list[tuple]:
    # Integers only (never user text), so they are written into the SQL: one statement text
    # per page size, no parameter list of hundreds of placeholders.
    cursor.execute(sql.format(ids=", ".join(str(int(pk)) for pk in ids)))
    return cursor.fetchall()


def _aware(value: Any) -> Any:
    # SQLite returns datetimes as naive UTC (or text): make them what the ORM would give.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def api_pledge_rows(ids: list[int]) -> list[dict[str, Any]]:
    """The pledges with these ids, in this order, as dicts of plain values with `locations`
    (names), `sources` and `status_history` (oldest first, each with its `evidence` URLs).

    Four queries whatever the number of ids.
    """
    if not ids:
        return []
    by_id: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for values in _fetch(cursor, _API_ROWS_SQL, ids):
            row = dict(zip(_API_ROW_KEYS, values, strict=True))
            for name in ("announced_on", "deadline", "status_on", "delivered_on"):
                row[name] = _date(row[name])
            row["updated_at"] = _aware(row["updated_at"])
            row["locations"], row["sources"], row["status_history"] = [], [], []
            by_id[row["id"]] = row
        for pledge_id, name in _fetch(cursor, _API_PLACES_SQL, ids):
            by_id[pledge_id]["locations"].append(name)
        for pledge_id, url, publisher, title, role, health in _fetch(cursor, _API_SOURCES_SQL, ids):
            by_id[pledge_id]["sources"].append(
                {"url": url, "publisher": publisher, "title": title, "role": role, "health": health}
            )
        last: dict[str, Any] | None = None
        for pledge_id, update_id, status, on, reason, explanation, recorded_at, url in _fetch(
            cursor, _API_HISTORY_SQL, ids
        ):
            if last is None or last["id"] != update_id:
                last = {
                    "id": update_id,
                    "status": status,
                    "established_on": _date(on),
                    "reason": reason,
                    "explanation": explanation,
                    "evidence": [],
                    "recorded_at": _aware(recorded_at),
                }
                by_id[pledge_id]["status_history"].append(last)
            if url is not None:
                last["evidence"].append(url)
    return [by_id[pk] for pk in ids if pk in by_id]


def pledge_facet(queryset: QuerySet[Pledge], facet: str, *, limit: int) -> list[tuple[Any, int]]:
    """(value, number of pledges) of `queryset` for one facet, most frequent first, at most
    `limit` values. Facets: status, jobs_kind, company (slug), location, announced_year."""
    pledges = queryset.order_by()
    if facet == "location":
        rows = (
            PledgeLocation.objects.filter(pledge__in=pledges.values("pk"))
            .values(value=F("name"))
            .annotate(n=Count("pledge_id", distinct=True))
        )
    elif facet == "announced_year":
        rows = pledges.values(value=ExtractYear("announced_on")).annotate(n=Count("*"))
    else:
        column = {"status": "status", "jobs_kind": "jobs_kind", "company": "company__slug"}
        rows = pledges.values(value=F(column[facet])).annotate(n=Count("*"))
    return list(rows.order_by("-n", "value").values_list("value", "n")[:limit])


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def api_pledge_dicts(ids: list[int], *, api_prefix: str, page_prefix: str) -> list[dict[str, Any]]:
    """The public JSON of the pledges with these ids, in this order (API and dataset).

    `api_prefix` + id + "/" is a pledge's API URL, `page_prefix` + slug + "/" its public page.
    Unknown values are None (JSON null), never 0 or "".
    """
    result = []
    for row in api_pledge_rows(ids):
        part_of, again = row["part_of_id"], row["reannouncement_of_id"]
        result.append(
            {
                "id": row["id"],
                "ref": row["ref"],
                "slug": row["slug"],
                "url": f"{api_prefix}{row['id']}/",
                "page_url": f"{page_prefix}{row['slug']}/",
                "part_of": (
                    {"ref": row["part_of__ref"], "url": f"{api_prefix}{part_of}/"}
                    if part_of
                    else None
                ),
                "reannouncement_of": (
                    {"ref": row["reannouncement_of__ref"], "url": f"{api_prefix}{again}/"}
                    if again
                    else None
                ),
                "company": {
                    "id": row["company_id"],
                    "slug": row["company__slug"],
                    "name": row["company__name"],
                    "country": row["company__country"] or None,
                },
                "title": row["title"],
                "summary": row["summary"] or None,
                "announced_on": row["announced_on"].isoformat(),
                "announced_by": row["announced_by"] or None,
                "made_to": row["made_to"] or None,
                "jobs_promised": row["jobs_promised"],
                "jobs_kind": row["jobs_kind"],
                "investment_usd": row["investment_usd"],
                "locations": row["locations"],
                "deadline": _iso(row["deadline"]),
                "timeframe": row["timeframe"] or None,
                "status": row["status"],
                "status_on": _iso(row["status_on"]),
                "sources": [
                    {
                        "url": source["url"],
                        "publisher": source["publisher"] or None,
                        "title": source["title"] or None,
                        "role": source["role"],
                        "health": source["health"],
                        # Archived copies are not collected yet.
                        "archived_url": None,
                    }
                    for source in row["sources"]
                ],
                "status_history": [
                    {
                        "status": update["status"],
                        "established_on": update["established_on"].isoformat(),
                        "reason": update["reason"] or None,
                        "explanation": update["explanation"] or None,
                        "evidence": update["evidence"],
                        "recorded_at": update["recorded_at"].isoformat(),
                    }
                    for update in row["status_history"]
                ],
                "delivered_jobs": row["delivered_jobs"],
                "delivered_on": _iso(row["delivered_on"]),
                "updated_at": row["updated_at"].isoformat(),
            }
        )
    return result


SUMMARY_GROUP_LIMIT = 100


def pledge_summary(queryset: QuerySet[Pledge]) -> dict[str, Any]:
    """Counts and sums of jobs and investment of `queryset`, in total and by status, company,
    announced year, jobs kind and location, and the funnel of the whole selection
    (promised → delivered → genuinely new → credited, `selectors_ledger.funnel`).

    Deduplicated by `selectors_ledger.counted_q`, the project's one rule: a pledge counted
    inside another pledge of the same selection (part of it, or an earlier version of it:
    re-announced or superseded) is counted in `pledges` but left out of `counted_pledges` and
    of the sums, so SoftBank's 50,000 jobs and Sprint's 5,000 and OneWeb's 3,000 inside them
    add up to 50,000. A pledge naming several places counts in each of them. Company and
    location lists keep the `SUMMARY_GROUP_LIMIT` largest.
    """
    pledges = queryset.order_by()
    inside = pledges.values("pk")
    absorbed = selectors_ledger.absorbed_ids(pledges)

    def aggregates(prefix: str = "") -> dict[str, Any]:
        counted = selectors_ledger.counted_q(pledges, prefix, absorbed=absorbed)
        pk = f"{prefix}id" if prefix else "id"
        return {
            "pledges": Count(pk, distinct=bool(prefix)),
            "counted_pledges": Count(pk, filter=counted, distinct=bool(prefix)),
            "jobs_promised": Sum(f"{prefix}jobs_promised", filter=counted),
            "investment_usd": Sum(f"{prefix}investment_usd", filter=counted),
        }

    def groups(rows: QuerySet, limit: int | None = None) -> list[dict[str, Any]]:
        rows = rows.annotate(**aggregates()).order_by(
            F("jobs_promised").desc(nulls_last=True), "key"
        )
        return list(rows[:limit] if limit else rows)

    # One query for the total and the funnel; the total's aliases are prefixed so that they
    # do not shadow the columns the funnel sums.
    row = pledges.aggregate(
        **{f"total_{name}": value for name, value in aggregates().items()},
        **selectors_ledger.funnel_aggregates(pledges, absorbed=absorbed),
    )
    funnel = selectors_ledger.funnel_from_row(row)
    total = {name: row[f"total_{name}"] for name in aggregates()}
    places = (
        PledgeLocation.objects.filter(pledge__in=inside)
        .values(key=F("name"))
        .annotate(**aggregates("pledge__"))
        .order_by(F("jobs_promised").desc(nulls_last=True), "key")
    )
    by_company = groups(
        pledges.values(key=F("company__slug"), name=F("company__name")),
        SUMMARY_GROUP_LIMIT,
    )
    return {
        "total": total,
        "by_status": groups(pledges.values(key=F("status"))),
        "by_company": by_company,
        "by_announced_year": groups(pledges.values(key=ExtractYear("announced_on"))),
        "by_jobs_kind": groups(pledges.values(key=F("jobs_kind"))),
        "by_location": list(places[:SUMMARY_GROUP_LIMIT]),
        "funnel": funnel,
    }


# --- Public pages (pledges/views) ------------------------------------------------------------
# Totals on the pages deduplicate through `selectors_ledger.counted_q` (pledge_summary's rule):
# Sprint's 5,000 inside SoftBank's 50,000 add up to 50,000, and of Foxconn's 13,000 of 2017
# and the 1,454 of the 2021 amendment that supersedes it only the 1,454 count.

# ordering parameter → (column, may be null); the pages and the API sort through this one map.
PLEDGE_ORDER_COLUMNS: dict[str, tuple[str, bool]] = {
    "announced_on": ("announced_on", False),
    "jobs_promised": ("jobs_promised", True),
    "investment_usd": ("investment_usd", True),
    "deadline": ("deadline", True),
    "updated_at": ("updated_at", False),
    "company": ("company__name", False),
}


def pledge_ordering(ordering: str) -> list[Any]:
    """ORDER BY for `ordering=[-]field` (a value `pledges.params` accepted): unknown (null)
    values last either way, ties by ref; plain ASC/DESC on non-null columns so their btree
    index serves it."""
    column, nullable = PLEDGE_ORDER_COLUMNS[ordering.removeprefix("-")]
    nulls_last = True if nullable else None
    if ordering.startswith("-"):
        return [F(column).desc(nulls_last=nulls_last), F("ref").asc()]
    return [F(column).asc(nulls_last=nulls_last), F("ref").asc()]


def pledge_in_place(location: str) -> Exists:
    """Pledges naming a place: `US-WI` that exact subdivision; `US` the country or any of its
    subdivisions; other text any place containing it, ignoring case. Codes are recognised in
    capitals only. The pages, the API and the reports all filter through this."""
    location = location.strip()
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", location):
        place = Q(name=location)
    elif re.fullmatch(r"[A-Z]{2}", location):
        place = Q(name=location) | Q(name__startswith=f"{location}-")
    else:
        place = Q(name__icontains=location)
    return Exists(PledgeLocation.objects.filter(place, pledge_id=OuterRef("pk")))


def filter_pledges(
    queryset: QuerySet[Pledge], params: Mapping[str, Any] | PledgeParams
) -> tuple[QuerySet[Pledge], dict[str, str]]:
    """`queryset` filtered and sorted by the list parameters of shared/spec/api.md (plus the
    form's `year` and `deadline_passed`), and the errors by parameter name.

    With any error the queryset is empty: a reader must never take unfiltered rows for
    filtered ones. Search is PostgreSQL full-text search (`pledge_search`), containment on
    SQLite. Locations: `US-WI` that place, `US` the country or any place in it, other text
    any place containing it.
    """
    parsed = params if isinstance(params, PledgeParams) else parse_pledge_params(params)
    if parsed.errors:
        return queryset.none(), dict(parsed.errors)
    where = Q()
    for column, value in (
        ("status__in", parsed.statuses),
        ("company__slug", parsed.company),
        ("jobs_kind__in", parsed.jobs_kinds),
        ("jobs_promised__gte", parsed.jobs_min),
        ("jobs_promised__lte", parsed.jobs_max),
        ("investment_usd__gte", parsed.investment_min),
        ("announced_on__gte", parsed.announced_after),
        ("announced_on__lte", parsed.announced_before),
        ("deadline__gte", parsed.deadline_after),
        ("deadline__lte", parsed.deadline_before),
        ("announced_on__year", parsed.year),
        ("made_to__icontains", parsed.made_to),
        ("ref", parsed.ref),
        ("part_of__ref", parsed.part_of),
    ):
        if value not in (None, "", ()):
            where &= Q(**{column: value})
    if parsed.deadline_passed:
        where &= Q(deadline__lt=timezone.localdate())
    if parsed.updated_since is not None:
        since = parsed.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since, dt.UTC)
        where &= Q(updated_at__gt=since)
    if parsed.location:
        where &= pledge_in_place(parsed.location)
    if parsed.delivered_min is not None:
        where &= selectors_ledger.delivered_at_least(parsed.delivered_min)
    if parsed.has_observation is not None:
        observed = selectors_ledger.has_observation()
        where &= Q(observed) if parsed.has_observation else ~Q(observed)
    queryset = queryset.filter(where)
    if parsed.search:
        queryset = pledge_search(queryset, parsed.search)
    return queryset.order_by(*pledge_ordering(parsed.ordering)), {}


@dataclass(frozen=True)
class PledgeTotals:
    """Totals of a set of pledges; `counted` leaves out pledges counted inside another pledge
    of the set (`selectors_ledger.countable`)."""

    pledges: int = 0
    counted: int = 0
    jobs: int | None = None
    investment: int | None = None

    @property
    def nested(self) -> int:
        return self.pledges - self.counted


# The groups pledge_totals_by knows.
_TOTAL_GROUPS: dict[str, Any] = {
    "status": F("status"),
    "year": ExtractYear("announced_on"),
}


def pledge_totals_by(
    queryset: QuerySet[Pledge], group: str | None = None, *, absorbed: list[int] | None = None
) -> dict[Any, PledgeTotals]:
    """`PledgeTotals` of `queryset` by "status" or by "year" announced, or one total keyed
    None, in one aggregate query after `selectors_ledger.absorbed_ids`' one (pass its
    `absorbed` to spare that query when several totals of one set are made).

    Deduplicated over the whole of `queryset` (`selectors_ledger.counted_q`), then grouped: a
    pledge counted inside another pledge of the set adds nothing to its own group. So the
    superseded 13,000 of Foxconn's 2017 contract count 0 among superseded pledges when the
    2021 amendment is in the set, and Intel's 3,000 count among kept pledges (the 2017 pledge
    is the latest version of the 2011 one). A group whose pledges all count elsewhere shows
    0 jobs (None only when none of its pledges gives a number).
    """
    pledges = queryset.order_by()
    counted = selectors_ledger.counted_q(pledges, absorbed=absorbed)
    aggregates = {
        "pledges": Count("pk"),
        "counted": Count("pk", filter=counted),
        "jobs": Sum("jobs_promised", filter=counted),
        "investment": Sum("investment_usd", filter=counted),
        "any_jobs": Count("jobs_promised"),
        "any_investment": Count("investment_usd"),
    }
    if group is None:
        rows = {None: pledges.aggregate(**aggregates)}
    else:
        grouped = pledges.values(key=_TOTAL_GROUPS[group]).annotate(**aggregates).order_by()
        rows = {row.pop("key"): row for row in grouped}
    return {
        value: PledgeTotals(
            pledges=row["pledges"],
            counted=row["counted"],
            jobs=row["jobs"] if row["jobs"] is not None or not row["any_jobs"] else 0,
            investment=(
                row["investment"]
                if row["investment"] is not None or not row["any_investment"]
                else 0
            ),
        )
        for value, row in rows.items()
    }


def pledge_totals(queryset: QuerySet[Pledge], *, absorbed: list[int] | None = None) -> PledgeTotals:
    """One `PledgeTotals` for the whole of `queryset` (two queries; one given `absorbed`)."""
    return pledge_totals_by(queryset, absorbed=absorbed)[None]


def pledges_version() -> str:
    """A value that changes whenever any pledge is created or changed (its newest
    `updated_at`; one index-only query), for cache keys of figures and pages. Deleting a
    pledge does not change it: what is cached with it must expire on its own."""
    last = Pledge.objects.aggregate(last=Max("updated_at"))["last"]
    return last.isoformat() if last else "-"


def pledge_totals_cached(
    queryset: QuerySet[Pledge], *, version: str | None = None, timeout: int = 120
) -> PledgeTotals:
    """`pledge_totals` of `queryset`, kept in the cache per query and data version.

    The version is `pledges_version()` (read here unless the caller has it), so an edit, an
    import or a status change shows at once; only a deletion can leave the figures up to
    `timeout` seconds old. At 100,000 pledges this spares the list page two aggregate queries
    over every matching row on each view.
    """
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return PledgeTotals()
    version = pledges_version() if version is None else version
    digest = hashlib.sha256(repr((sql, params, version)).encode()).hexdigest()
    key = f"pages:totals:{digest}"
    totals = cache.get(key)
    if totals is None:
        totals = pledge_totals(queryset)
        cache.set(key, totals, timeout)
    return totals


def pledge_overview() -> dict[str, Any]:
    """The home page's figures for all published pledges: totals, and totals by status and
    by year announced, and the funnel (promised → delivered → new → credited). Five queries,
    cached until a pledge or its ledger changes (the key is the number of pledges and
    the latest `updated_at`, one cheap query; ledger writes move `updated_at`)."""
    published = Pledge.objects.published()
    count, last = pledge_stamp(published)
    key = f"pages:overview:v3:{count}:{last.isoformat() if last else '-'}"
    overview = cache.get(key)
    if overview is None:
        absorbed = selectors_ledger.absorbed_ids(published)
        by_status = pledge_totals_by(published, "status", absorbed=absorbed)
        by_year = pledge_totals_by(published, "year", absorbed=absorbed)
        overview = {
            "by_status": [(status, by_status[status]) for status in Status if status in by_status],
            "by_year": sorted(by_year.items()),
            "total": pledge_totals(published, absorbed=absorbed),
            "funnel": selectors_ledger.funnel(published, absorbed=absorbed),
        }
        cache.set(key, overview, 3600)
    return overview


def latest_status_changes(*, limit: int = 8) -> list[Any]:
    """The most recent status updates of published pledges, by the date they became true."""
    from pledges.models import StatusUpdate

    return list(
        StatusUpdate.objects.filter(pledge__is_published=True)
        .select_related("pledge__company")
        .order_by("-established_on", "-id")[:limit]
    )


def recently_due(*, limit: int = 8, today: dt.date | None = None) -> list[Pledge]:
    """Published pledges whose deadline passed most recently (before `today`)."""
    today = today or timezone.localdate()
    return list(
        Pledge.objects.published()
        .filter(deadline__lt=today)
        .select_related("company")
        .order_by("-deadline", "ref")[:limit]
    )


def company_options(*, limit: int = 200) -> list[tuple[str, str]]:
    """(slug, name) of up to `limit` companies with published pledges, most pledges first,
    for the list page's company control; cached five minutes (a GROUP BY over every pledge
    is too dear for each page view)."""
    key = f"pages:company-options:{limit}"
    options = cache.get(key)
    if options is None:
        options = list(
            Company.objects.filter(pledges__is_published=True)
            .annotate(n=Count("pledges"))
            .order_by("-n", "name")
            .values_list("slug", "name")[:limit]
        )
        cache.set(key, options, 300)
    return options


def latest_snapshots(source_ids: list[int]) -> dict[int, Any]:
    """The newest `Snapshot` of each of these sources that has one (text not loaded)."""
    from pledges.models import Snapshot

    if not source_ids:
        return {}
    newest = Snapshot.objects.filter(source_id=OuterRef("source_id")).order_by("-fetched_at", "-id")
    rows = Snapshot.objects.filter(
        source_id__in=source_ids, pk=Subquery(newest.values("pk")[:1])
    ).only("id", "source_id", "fetched_at", "final_url", "http_status")
    return {snapshot.source_id: snapshot for snapshot in rows}


def source_archive(source_id: int) -> tuple[Any, Any]:
    """A source cited by a published pledge and its newest snapshot (or None); 404 for any
    other source."""
    from django.shortcuts import get_object_or_404

    from pledges.models import Snapshot, Source

    source = get_object_or_404(
        Source.objects.filter(pledges__is_published=True).distinct(), pk=source_id
    )
    snapshot = Snapshot.objects.filter(source=source).order_by("-fetched_at", "-id").first()
    return source, snapshot


def pledge_badge(slug: str) -> Pledge:
    """A published pledge with just what its badge and embed show."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Pledge.objects.published()
        .select_related("company")
        .only("slug", "ref", "title", "status", "status_on", "jobs_promised", "company__name"),
        slug=slug,
    )


def feed_pledges(*, company: Company | None = None, limit: int = 50) -> list[Pledge]:
    """The newest published pledges (by when they were added), optionally of one company."""
    pledges = Pledge.objects.published().select_related("company")
    if company is not None:
        pledges = pledges.filter(company=company)
    return list(pledges.order_by("-created_at", "-id")[:limit])


def feed_status_changes(*, company: Company | None = None, limit: int = 50) -> list[Any]:
    """The newest status updates of published pledges (by when they were recorded)."""
    from pledges.models import StatusUpdate

    updates = StatusUpdate.objects.filter(pledge__is_published=True).select_related(
        "pledge__company"
    )
    if company is not None:
        updates = updates.filter(pledge__company=company)
    return list(updates.order_by("-recorded_at", "-id")[:limit])


API_NOTICE = "Figures as announced by the companies; see sources."


def api_pledge_ids_in_ref_order(queryset: QuerySet[Pledge]) -> Iterator[list[int]]:
    """The ids of `queryset` in canonical (ref code-point) order, in chunks of 2,000."""
    chunk: list[int] = []
    for pk in queryset.order_by(codepoint_order("ref")).values_list("id", flat=True).iterator(2000):
        chunk.append(pk)
        if len(chunk) == 2000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ------------------------------------------------------------------------ re-check jobs


def recheck_run_progress(run_id: int) -> dict[str, int]:
    """{outcome: checks} of one CheckRun so far (one query)."""
    from pledges.models import SourceCheck

    rows = SourceCheck.objects.filter(run_id=run_id).values_list("outcome").annotate(n=Count("id"))
    return dict(rows)


def recheck_run_rows(run_id: int) -> list[dict[str, Any]]:
    """One dict per check of a run, as `recheck --json` writes it (one query)."""
    from pledges.models import SourceCheck

    rows = (
        SourceCheck.objects.filter(run_id=run_id)
        .order_by("source_id")
        .values("source__url", "outcome", "http_status", "final_url", "evidence")
    )
    return [
        {
            "url": row["source__url"],
            "outcome": row["outcome"],
            "http_status": row["http_status"],
            "final_url": row["final_url"] or None,
            "evidence": list(row["evidence"] or []),
        }
        for row in rows
    ]


def recheck_host_stats(*, since: dt.datetime, limit: int = 200) -> list[dict[str, Any]]:
    """Per politeness host since ``since``: checks, failures, blocked, mean fetch time, last
    check; busiest hosts first (one query)."""
    from django.db.models import Avg

    from pledges.models import CheckOutcome, SourceCheck

    failing = [
        CheckOutcome.NOT_FOUND, CheckOutcome.GONE, CheckOutcome.SOFT_404, CheckOutcome.TIMEOUT,
        CheckOutcome.SERVER_ERROR, CheckOutcome.DNS_ERROR, CheckOutcome.RATE_LIMITED,
    ]  # fmt: skip
    rows = (
        SourceCheck.objects.filter(checked_at__gte=since)
        .values("host")
        .annotate(
            checks=Count("id"),
            failures=Count("id", filter=Q(outcome__in=failing)),
            blocked=Count("id", filter=Q(outcome__in=[CheckOutcome.BLOCKED, "disallowed"])),
            changed=Count("id", filter=Q(outcome=CheckOutcome.CHANGED)),
            mean_ms=Avg("elapsed_ms"),
            last=Max("checked_at"),
        )
        .order_by("-checks", "host")[:limit]
    )
    return list(rows)


def recheck_queue_lag(*, now: dt.datetime) -> dict[str, Any]:
    """Due sources, the oldest due time and its lag in seconds, and the mean delay from
    enqueueing to checking over the last hour (two queries)."""
    from django.db.models import Avg, ExpressionWrapper, Min
    from django.db.models import DurationField as _Duration

    from pledges.models import Source, SourceCheck

    due = Source.objects.filter(next_check_at__lte=now).aggregate(
        n=Count("id"), oldest=Min("next_check_at")
    )
    delay = (
        SourceCheck.objects.filter(checked_at__gte=now - dt.timedelta(hours=1), run__isnull=False)
        .annotate(
            d=ExpressionWrapper(F("checked_at") - F("run__created_at"), output_field=_Duration())
        )
        .aggregate(mean=Avg("d"), n=Count("id"))
    )
    oldest = due["oldest"]
    return {
        "due": due["n"],
        "oldest_due": oldest,
        "lag_seconds": (now - oldest).total_seconds() if oldest else 0.0,
        "checked_last_hour": delay["n"],
        "mean_enqueue_to_check_seconds": delay["mean"].total_seconds() if delay["mean"] else None,
    }


def recheck_host_outcomes(*, since: dt.datetime, hosts: list[str]) -> dict[str, dict[str, int]]:
    """{host: {outcome: checks}} since ``since`` for ``hosts`` (one query)."""
    from pledges.models import SourceCheck

    rows = (
        SourceCheck.objects.filter(checked_at__gte=since, host__in=hosts)
        .values_list("host", "outcome")
        .annotate(n=Count("id"))
        .order_by("host", "-n", "outcome")
    )
    outcomes: dict[str, dict[str, int]] = defaultdict(dict)
    for host, outcome, n in rows:
        outcomes[host][outcome] = n
    return dict(outcomes)


def recheck_recent_runs(*, limit: int = 5) -> list[Any]:
    """The latest CheckRuns, newest first, each with ``done`` (checks recorded) (one query)."""
    from pledges.models import CheckRun

    return list(CheckRun.objects.annotate(done=Count("checks")).order_by("-created_at")[:limit])
