"""Reads of the pledge API on PostgreSQL: a whole page in one statement, its JSON built by
the database.

A list page is one round trip: the exact count and newest `updated_at` of the filtered
pledges (the ETag and Last-Modified) and the page's pledges, each with its company, places,
sources and status history, serialised by PostgreSQL (`json_build_object`) into the JSON
array the response carries as it is. Python neither builds a dict per pledge nor encodes
them again, which was most of the time of a 50-pledge page.

The JSON is the shape of `selectors.api_pledge_dicts` (the portable builder, which the SQLite
demo uses), and a test keeps the two equal value for value.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from pledges import selectors
from pledges.interchange import csv_line_writer, format_record, neutralise_cells
from pledges.models import Pledge


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _iso_datetime(column: str) -> str:
    """SQL for a timestamptz written as Python's `isoformat()` of it in UTC writes it
    (`2026-11-24T21:08:40.123456+00:00`; no fraction when it is zero), so the JSON does
    not depend on which builder wrote it."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"mod(date_part('microseconds', {utc})::bigint, 1000000) = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || '+00:00'"
    )


# A pledge's JSON members from `company` on (the order of PledgeSerializer), as an object:
# what a document (`PledgeDocument.body`) holds, less the braces. Correlated subqueries read the
# places, sources and history of each pledge through the (pledge_id, ...) indexes. Needs the
# pledge as `p` and its company as `c`; no parameters.
_BODY_JSON = f"""json_build_object(
  'company', json_build_object(
    'id', c.id, 'slug', c.slug, 'name', c.name, 'country', nullif(c.country, '')),
  'title', p.title, 'summary', nullif(p.summary, ''), 'announced_on', p.announced_on,
  'announced_by', nullif(p.announced_by, ''), 'made_to', nullif(p.made_to, ''),
  'jobs_promised', p.jobs_promised, 'jobs_kind', p.jobs_kind,
  'investment_usd', p.investment_usd,
  'locations', coalesce((
    SELECT json_agg(l.name ORDER BY l.position)
    FROM pledges_pledgelocation l WHERE l.pledge_id = p.id), '[]'),
  'deadline', p.deadline, 'timeframe', nullif(p.timeframe, ''), 'status', p.status,
  'status_on', p.status_on,
  'sources', coalesce((
    SELECT json_agg(json_build_object(
      'url', s.url, 'publisher', nullif(s.publisher, ''), 'title', nullif(s.title, ''),
      'role', ps.role, 'health', s.health, 'archived_url', NULL) ORDER BY ps.position, ps.id)
    FROM pledges_pledgesource ps JOIN pledges_source s ON s.id = ps.source_id
    WHERE ps.pledge_id = p.id), '[]'),
  'status_history', coalesce((
    SELECT json_agg(json_build_object(
      'status', su.status, 'established_on', su.established_on,
      'reason', nullif(su.reason, ''), 'explanation', nullif(su.explanation, ''),
      'evidence', coalesce((
        SELECT json_agg(es.url ORDER BY e.id)
        FROM pledges_statusupdate_evidence e JOIN pledges_source es ON es.id = e.source_id
        WHERE e.statusupdate_id = su.id), '[]'),
      'recorded_at', {_iso_datetime("su.recorded_at")}) ORDER BY su.established_on, su.id)
    FROM pledges_statusupdate su WHERE su.pledge_id = p.id), '[]'),
  'delivered_jobs', p.delivered_jobs, 'delivered_on', p.delivered_on,
  'updated_at', {_iso_datetime("p.updated_at")})::text"""
# The same members without the braces (the object's first key and last value are strings, so
# its first and last characters are the braces).
_BODY_MEMBERS = f"left(substr({_BODY_JSON}, 2), -1)"

# One pledge as JSON text: the members that depend on the request, then its document's, or
# (no document yet) the same members serialised now. Parameters: the API prefix (three times:
# url, part_of, reannouncement_of) and the page prefix, in the order they appear.
_PLEDGE_JSON = f"""'{{"id":' || p.id || ',"ref":' || to_json(p.ref)::text
  || ',"slug":' || to_json(p.slug)::text
  || ',"url":' || to_json(%s::text || p.id || '/')::text
  || ',"page_url":' || to_json(%s::text || p.slug || '/')::text
  || ',"part_of":' || CASE WHEN po.id IS NULL THEN 'null'
    ELSE json_build_object('ref', po.ref, 'url', %s::text || po.id || '/')::text END
  || ',"reannouncement_of":' || CASE WHEN ro.id IS NULL THEN 'null'
    ELSE json_build_object('ref', ro.ref, 'url', %s::text || ro.id || '/')::text END
  || ',' || coalesce(d.body, {_BODY_MEMBERS}) || '}}'"""

# The page's pledges in page order (`page` is a relation of (id, pos)).
_PLEDGES_OF_PAGE = """FROM page
JOIN pledges_pledge p ON p.id = page.id
JOIN pledges_company c ON c.id = p.company_id
LEFT JOIN pledges_pledge po ON po.id = p.part_of_id
LEFT JOIN pledges_pledge ro ON ro.id = p.reannouncement_of_id
LEFT JOIN pledges_pledgedocument d ON d.pledge_id = p.id"""


def _json_params(api_prefix: str, page_prefix: str) -> list[str]:
    return [api_prefix, page_prefix, api_prefix, api_prefix]


@functools.cache
def _preparing_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Binds parameters on the server and has every statement prepared."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(query, params, prepare=True)

    return PreparingCursor


@contextmanager
def _prepared() -> Iterator[Any]:
    """A cursor whose statements PostgreSQL prepares on first use, then plans once per
    connection: the JSON of a page is the same statement whatever the filters, and planning
    it afresh cost more than running it for a page of 50.

    Django turns psycopg's preparation off (`prepare_threshold` None) for the sake of
    transaction-pooling proxies, which this project does not use. Only statements run here
    ask for it (`prepare=True`): the threshold is set out of reach for everything else. And
    their plans are generic: they look pledges up by id, and PostgreSQL would otherwise plan
    a one-id page afresh each time (cheaper by its estimate, dearer in fact).
    """
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = 2**31 - 1
        with connection.cursor() as cursor:
            # Nothing else on this connection is prepared (Django binds on the client).
            cursor.execute("SET plan_cache_mode = force_generic_plan")
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(_preparing_cursor_class()(raw)) as cursor:
        yield cursor


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL of `queryset`, or None when it can match nothing (`id__in=[]`)."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


def _stamp_parts(queryset: QuerySet[Pledge]) -> tuple[str, list[Any]]:
    """Two scalar subqueries: the number of pledges of `queryset` and their newest
    `updated_at`. Apart, each gets its own plan: the count an index-only scan where it can
    (PostgreSQL drops the subquery's unused column), the newest change a walk down the
    `updated_at` index. One compiled statement serves both: compiling is most of the
    Python time of a list request."""
    matched = _sql(queryset.order_by().values("pk", "updated_at"))
    if matched is None:
        return "0, NULL::timestamptz", []
    sql, params = matched
    if matched == _all_published_sql():
        # Every published pledge: the number PostgreSQL keeps exact (migration 0013).
        count, count_params = "(SELECT pledges FROM pledges_published_count)", []
    else:
        count, count_params = f"(SELECT count(*) FROM ({sql}) AS matched)", list(params)
    return (
        f"{count}, (SELECT max(updated_at) FROM ({sql}) AS stamped)",
        [*count_params, *params],
    )


@functools.cache
def _all_published_sql() -> tuple[str, tuple[Any, ...]] | None:
    """The SQL of "every published pledge", as `_stamp_parts` writes it for an unfiltered
    list: a list asking exactly that reads the kept count instead. The same for the life of
    the process (no parameters, no settings), so compiled once."""
    return _sql(selectors.api_pledges().order_by().values("pk", "updated_at"))


def _page_ids(
    queryset: QuerySet[Pledge], ordering: list[Any], offset: int, limit: int, *, stamp: bool
) -> tuple[int, dt.datetime | None, list[int]]:
    """(count, newest `updated_at`, ids of the page in order) in one statement; 0 and None
    without `stamp`."""
    page = _sql(queryset.order_by(*ordering).values("pk")[offset : offset + limit])
    parts, params = _stamp_parts(queryset) if stamp else ("0, NULL::timestamptz", [])
    if page is None:
        return 0, None, []
    with connection.cursor() as cursor:
        # ARRAY(subquery) keeps the subquery's order.
        cursor.execute(f"SELECT {parts}, ARRAY({page[0]})", [*params, *page[1]])
        count, last, ids = cursor.fetchone()
    return count, last, ids


@dataclass(frozen=True)
class ApiPage:
    count: int
    last_updated: dt.datetime | None
    # The page's pledges: a JSON array, as text.
    results: str


def api_pledge_stamp(queryset: QuerySet[Pledge]) -> tuple[int, dt.datetime | None]:
    """(number of pledges, newest `updated_at`) of `queryset`: one statement."""
    if not _on_postgresql():
        return selectors.pledge_stamp(queryset)
    parts, params = _stamp_parts(queryset)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}", params)
        count, last = cursor.fetchone()
    return count, last


def api_pledge_page(
    queryset: QuerySet[Pledge],
    *,
    ordering: list[Any],
    offset: int,
    limit: int,
    api_prefix: str,
    page_prefix: str,
    with_stamp: bool = True,
) -> ApiPage:
    """One page of `queryset` sorted by `ordering`: the count and newest `updated_at` of
    the whole of `queryset` (unless `with_stamp` is False: then 0 and None), and the page's
    pledges as a JSON array in page order. Two statements: the page's ids, then their JSON.

    `api_prefix` + id + "/" is a pledge's API URL, `page_prefix` + slug + "/" its public page.
    """
    if not _on_postgresql():
        count, last = selectors.pledge_stamp(queryset) if with_stamp else (0, None)
        ids = queryset.order_by(*ordering).values_list("id", flat=True)
        ids = list(ids[offset : offset + limit])
        rows = selectors.api_pledge_dicts(ids, api_prefix=api_prefix, page_prefix=page_prefix)
        return ApiPage(count=count, last_updated=last, results=_json_text(rows))
    count, last, ids = _page_ids(queryset, ordering, offset, limit, stamp=with_stamp)
    if not ids:
        return ApiPage(count=count, last_updated=last, results="[]")
    with _prepared() as cursor:
        cursor.execute(_JSON_ARRAY_SQL, [ids, *_json_params(api_prefix, page_prefix)])
        (results,) = cursor.fetchone()
    return ApiPage(count=count, last_updated=last, results=results)


# The pledges of an array of ids ($1), in its order.
_PAGE = """WITH page AS MATERIALIZED (
  SELECT t.id, t.pos FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(id, pos))"""
_JSON_ARRAY_SQL = f"""{_PAGE}
SELECT '[' || coalesce(string_agg({_PLEDGE_JSON}, ',' ORDER BY page.pos), '') || ']'
{_PLEDGES_OF_PAGE}"""
_JSON_ROWS_SQL = f"""{_PAGE}
SELECT {_PLEDGE_JSON} {_PLEDGES_OF_PAGE} ORDER BY page.pos"""


def api_pledge_json(ids: list[int], *, api_prefix: str, page_prefix: str) -> list[str]:
    """The JSON text of each pledge with these ids, in this order (one statement)."""
    if not ids:
        return []
    if not _on_postgresql():
        rows = selectors.api_pledge_dicts(ids, api_prefix=api_prefix, page_prefix=page_prefix)
        return [_json_text(row) for row in rows]
    with _prepared() as cursor:
        cursor.execute(_JSON_ROWS_SQL, [list(ids), *_json_params(api_prefix, page_prefix)])
        return [row[0] for row in cursor.fetchall()]


def api_pledge_detail_json(pk: int, *, api_prefix: str, page_prefix: str) -> str:
    """The JSON of one pledge as the API shows it by itself: its list JSON and its `ledger`
    (`selectors_ledger_json.ledger_dicts`: observations, claims, lineage, offsets,
    subsidies, right of reply). Ten statements."""
    from pledges.selectors_ledger_json import ledger_dicts

    (body,) = api_pledge_json([pk], api_prefix=api_prefix, page_prefix=page_prefix)
    ledger = ledger_dicts([pk])[pk]
    # Already at the top level of the pledge.
    ledger.pop("delivered_jobs")
    ledger.pop("delivered_on")
    return body[: body.rindex("}")] + ',"ledger":' + _json_text(ledger) + "}"


# The interchange cells of pledge `p` of company `c`, as text (`interchange.format_record`'s
# rules: unknown values empty, dates ISO, places joined by "; ", URLs by a space); formulas
# are neutralised afterwards (`neutralise_cells`).
_CSV_CELLS = """p.ref, c.name, c.country, p.title, to_char(p.announced_on, 'YYYY-MM-DD'),
  p.announced_by, p.made_to, coalesce(p.jobs_promised::text, ''), p.jobs_kind,
  coalesce(p.investment_usd::text, ''),
  coalesce((SELECT string_agg(l.name, '; ' ORDER BY l.position)
            FROM pledges_pledgelocation l WHERE l.pledge_id = p.id), ''),
  coalesce(to_char(p.deadline, 'YYYY-MM-DD'), ''), p.status,
  coalesce(to_char(p.status_on, 'YYYY-MM-DD'), ''), p.summary,
  coalesce((SELECT string_agg(s.url, ' ' ORDER BY ps.position, ps.id)
            FROM pledges_pledgesource ps JOIN pledges_source s ON s.id = ps.source_id
            WHERE ps.pledge_id = p.id), '')"""

# The id and cells of each pledge of an array of ids ($1), in ref code-point order as every
# export writes them.
_CSV_SQL = f"""{_PAGE}
SELECT p.id, {_CSV_CELLS}
FROM page JOIN pledges_pledge p ON p.id = page.id JOIN pledges_company c ON c.id = p.company_id
ORDER BY p.ref COLLATE "C"
"""
# The same pledges' CSV lines as their documents hold them (NULL for a pledge without one).
_CSV_LINES_SQL = f"""{_PAGE}
SELECT p.id, d.csv_line
FROM page JOIN pledges_pledge p ON p.id = page.id
LEFT JOIN pledges_pledgedocument d ON d.pledge_id = p.id
ORDER BY p.ref COLLATE "C"
"""

# The CSV cells of the published pledges of an array of ids ($1) that have no document
# (`services.documents`), each after its id.
_UNDOCUMENTED_CSV_SQL = f"""SELECT p.id, {_CSV_CELLS}
FROM pledges_pledge p JOIN pledges_company c ON c.id = p.company_id
WHERE p.id = ANY(%s) AND p.is_published
  AND NOT EXISTS (SELECT FROM pledges_pledgedocument d WHERE d.pledge_id = p.id)"""
# The documents of pledges given by id ($1) with their CSV lines ($2), the JSON written here.
# Binary parameters (%b): text arrays in the text format are escaped in Python, slowly.
_DOCUMENTS_INSERT_SQL = f"""INSERT INTO pledges_pledgedocument (pledge_id, body, csv_line)
SELECT p.id, {_BODY_MEMBERS}, given.line
FROM unnest(%b::bigint[], %b::text[]) AS given(id, line)
JOIN pledges_pledge p ON p.id = given.id JOIN pledges_company c ON c.id = p.company_id
ON CONFLICT (pledge_id) DO NOTHING"""


def undocumented_csv_cells(ids: list[int]) -> list[tuple[int, list[str]]]:
    """(id, CSV cells as `format_record` writes them) of the published pledges among `ids`
    that have no document."""
    with connection.cursor() as cursor:
        cursor.execute(_UNDOCUMENTED_CSV_SQL, [ids])
        return [(row[0], csv_cells(row[1:])) for row in cursor.fetchall()]


def documents_insert(ids: list[int], csv_lines: list[str]) -> int:
    """Write the documents of the pledges `ids` (their JSON from the database, their CSV
    lines given), skipping any that has one; how many were written."""
    with _prepared() as cursor:
        cursor.execute(_DOCUMENTS_INSERT_SQL, [ids, csv_lines])
        return cursor.rowcount


def csv_cells(row: tuple[Any, ...]) -> list[str]:
    """The cells of a row of `_CSV_CELLS` (after any columns before them), as
    `format_record` writes them."""
    return neutralise_cells(list(row))


def api_pledge_csv_rows(
    queryset: QuerySet[Pledge], *, ordering: list[Any], offset: int, limit: int
) -> list[list[str]]:
    """The interchange CSV rows (cells as `format_record` writes them, header excluded) of
    one page of `queryset`, chosen by `ordering`, in ref code-point order: two statements."""
    if not _on_postgresql():
        ids = queryset.order_by(*ordering).values_list("id", flat=True)[offset : offset + limit]
        records = selectors.export_records(Pledge.objects.filter(id__in=list(ids)))
        return [format_record(record) for record in records]
    _, _, ids = _page_ids(queryset, ordering, offset, limit, stamp=False)
    if not ids:
        return []
    with _prepared() as cursor:
        cursor.execute(_CSV_SQL, [ids])
        return [csv_cells(row[1:]) for row in cursor.fetchall()]


def api_pledge_csv_lines(
    queryset: QuerySet[Pledge], *, ordering: list[Any], offset: int, limit: int
) -> list[str]:
    """`api_pledge_csv_rows` as CSV lines: those of the pledges' documents, the others'
    written now. Two statements, three when some pledge of the page has no document yet."""
    if not _on_postgresql():
        writer = csv_line_writer()
        rows = api_pledge_csv_rows(queryset, ordering=ordering, offset=offset, limit=limit)
        return [writer.writerow(row) for row in rows]
    _, _, ids = _page_ids(queryset, ordering, offset, limit, stamp=False)
    if not ids:
        return []
    with _prepared() as cursor:
        cursor.execute(_CSV_LINES_SQL, [ids])
        lines = cursor.fetchall()
        missing = [pk for pk, line in lines if line is None]
        if not missing:
            return [line for _, line in lines]
        cursor.execute(_CSV_SQL, [missing])
        writer = csv_line_writer()
        fresh = {row[0]: writer.writerow(csv_cells(row[1:])) for row in cursor.fetchall()}
    return [
        line if line is not None else fresh[pk]
        for pk, line in lines
        # A pledge deleted between the two statements is left out.
        if line is not None or pk in fresh
    ]
