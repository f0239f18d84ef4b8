"""The PostgreSQL import: stage the file in a temporary table, then check and write set-based.

`import_pledges` streams the parsed, valid rows into one temporary table with COPY (a row of
plain values per pledge; places joined by `;`, normalised URLs by a space: neither can occur
inside an item). Nothing is held per row in Python, so memory does not grow with the file
(a bulk load, below, holds an id per distinct company and source URL). Then, in SQL:

1. file-wide rules (a `ref` given twice, two countries for one company), every bad line named;
2. a plan: which rows create, update or leave a pledge unchanged (compared with what the
   database holds), and which would take a rating back (refused);
3. the writes, one statement per table: companies, sources (deduplicated by URL), pledges,
   places, links, status updates and their evidence.

In place (the usual way) the live tables are neither touched nor locked while the file is read,
and writers are kept out only while step 3 runs; readers never wait.

A large file into a (nearly) empty database is a *bulk load* instead. The import's tables are
locked against readers too (with the few tables whose keys refer to them), their indexes,
primary keys included, and the foreign keys to them are dropped (but partial indexes on
columns it leaves empty), and every new pledge is written with its places, sources, links
and rating chunk by chunk *while* the file is still being read: the reader thread numbers
and encodes those rows itself (`import_bulk`), and a second connection computes the pledges'
search vectors meanwhile. Only the rows of pledges the database already holds go through
step 3. At the end the indexes are rebuilt and the keys added back, which checks every
reference in one join instead of one trigger call per row. Public reads of those tables
wait while it runs (seconds per 100,000 rows); a database that already holds pledges never
takes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from pledges.interchange import PledgeRecord
from pledges.models import (
    Company,
    LinkHealth,
    Pledge,
    PledgeDocument,
    PledgeLocation,
    PledgeSource,
    Source,
    SourceRole,
    Status,
    StatusUpdate,
)
from pledges.services.companies import company_ids_by_key, free_slug, name_key
from pledges.services.documents import DOCUMENT_LOCK
from pledges.services.import_bulk import (
    COPY_ESCAPES,
    COPY_NULL,
    PLEDGES_WITH_VECTORS,
    BulkRows,
    Vectoriser,
    advance_sequences,
    copy_data,
    next_ids,
    stamp_defaults,
    written_columns,
)

# A bulk load: a file this large into a database with at most this many pledges and sources.
BULK_LOAD_MIN_BYTES = 3_000_000  # about 10,000 rows
BULK_LOAD_MAX_EXISTING = 1_000
# How long a bulk load waits for readers to let go of the tables before it falls back to the
# in-place way (which needs no exclusive lock), so that readers never queue up behind it.
BULK_LOCK_TIMEOUT = "3s"
# Sorting and hashing a few hundred thousand URLs or index keys fits in memory with these.
WORK_MEM = "64MB"
TEMP_BUFFERS = "128MB"
INDEX_BUILD_MEM = "256MB"
PLEDGE_SLUG_LENGTH = 110
# Computes a new pledge's search vector (migration 0017); off while a bulk load's vectoriser
# does it.
_VECTOR_TRIGGER = "pledges_pledge_search_vector_insert"
IMPORT_EXPLANATION = "Imported from a spreadsheet."

_T = {
    "company": Company._meta.db_table,
    "alias": Company.aliases.field.model._meta.db_table,
    "pledge": Pledge._meta.db_table,
    "location": PledgeLocation._meta.db_table,
    "link": PledgeSource._meta.db_table,
    "source": Source._meta.db_table,
    "update": StatusUpdate._meta.db_table,
    "evidence": StatusUpdate.evidence.through._meta.db_table,
}
# The tables a bulk load writes, and so locks and re-indexes.
_BULK_TABLES = ("company", "pledge", "source", "location", "link", "update", "evidence")
_BULK_TABLE_NAMES = tuple(_T[t] for t in _BULK_TABLES)

_STAGE_COLUMNS = (
    "line",
    "ref",
    "slug",
    "company_key",
    *PledgeRecord._fields[1:],
)
# A bulk load's new pledge is written as it is read (`import_bulk`): what is left to check of
# it needs only these (the other columns stay NULL).
_SLIM_STAGE_COLUMNS = (
    "line",
    "ref",
    "slug",
    "company_key",
    "company",
    "company_country",
    "status",
    "status_on",
    "pledge_id",
)
_PLEDGE_COLUMNS = """
    ref, slug, company_id, title, announced_on, announced_by, made_to, jobs_promised,
    jobs_kind, investment_usd, deadline, status, status_on, summary, search_text, timeframe,
    is_published, created_at, updated_at"""
# The pledge columns, from a staged row `r` joined to its company `c` (the search text is
# `selectors.search_text`: title, summary, company name and aliases, a line each).
_PLEDGE_VALUES = """
    r.ref, r.slug, c.id, r.title, r.announced_on, r.announced_by, r.made_to, r.jobs_promised,
    r.jobs_kind, r.investment_usd, r.deadline, r.status, r.status_on, r.summary,
    concat_ws(E'\\n', r.title, r.summary, c.name, a.names), '', true, %(now)s, %(now)s"""
_JOIN_COMPANY = """
    JOIN import_company k ON k.key = r.company_key
    JOIN {company} c ON c.id = k.company_id
    LEFT JOIN import_alias_text a ON a.company_id = c.id"""


@dataclass
class Plan:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    status_updates: int = 0
    refused: int = 0


class StagedError(NamedTuple):
    line: int
    column: str
    message: str


class StagedChunk(NamedTuple):
    """Rows in PostgreSQL's COPY text format, ready to send (see `encode_chunk`)."""

    first_line: int
    last_line: int
    rows: int
    payload: bytes
    # In a bulk load: the rows written ahead, in `_SLIM_STAGE_COLUMNS`...
    slim_payload: bytes = b""
    # ... and (COPY statement, rows) of the final tables (`BulkRows.take`)...
    tables: tuple[tuple[str, bytes], ...] = ()
    # ... but the pledges, when the vectoriser has them (`Vectoriser.result`).
    vectorised: bool = False


def encode_chunk(
    chunk: list[tuple[int, PledgeRecord]], bulk: BulkRows | None = None
) -> StagedChunk:
    """A chunk of valid records as the staging table's COPY rows (and, in a bulk load, as
    `bulk`'s rows of the final tables). Pure Python without the database, so the import's
    reader thread does it while the database works on the chunk before (the main thread then
    only sends bytes)."""
    lines: list[str] = []
    slim: list[str] = []
    for line, r in chunk:
        key = name_key(r.company)
        text = (
            r.ref,
            pledge_slug_base(r.ref),
            key,
            r.company,
            r.company_country,
            r.title,
            r.announced_by,
            r.made_to,
            r.jobs_kind,
            ";".join(r.locations),
            r.status,
            r.summary,
            " ".join(r.source_urls),
        )
        joined = "\t".join(text)
        # Escaping is rare (a backslash, tab or line break in a cell): checked once per row.
        if joined.count("\t") != 12 or "\\" in joined or "\n" in joined or "\r" in joined:
            text = tuple(value.translate(COPY_ESCAPES) for value in text)
        (ref, slug, escaped_key, company, country, title, by, made_to, kind, places, status,
         summary, urls) = text  # fmt: skip
        status_on = COPY_NULL if r.status_on is None else r.status_on.isoformat()
        # A row's cells, once, in the order of `_STAGE_COLUMNS` after `line`: the texts, with
        # whole numbers and dates (which need no escaping) in between.
        cells = (
            ref,
            slug,
            escaped_key,
            company,
            country,
            title,
            r.announced_on.isoformat(),
            by,
            made_to,
            COPY_NULL if r.jobs_promised is None else str(r.jobs_promised),
            kind,
            COPY_NULL if r.investment_usd is None else str(r.investment_usd),
            places,
            COPY_NULL if r.deadline is None else r.deadline.isoformat(),
            status,
            status_on,
            summary,
            urls,
        )
        if bulk is not None and bulk.add(r, key, cells):
            # `_SLIM_STAGE_COLUMNS`
            slim.append(
                f"{line}\t{ref}\t{slug}\t{escaped_key}\t{company}\t{country}\t{status}\t{status_on}"
                f"\t{bulk.last_pledge}"
            )
            continue
        lines.append(f"{line}\t" + "\t".join(cells))
    payload = copy_data(lines) if lines else b""
    slim_payload = copy_data(slim) if slim else b""
    first = chunk[0][0] if chunk else 0
    last = chunk[-1][0] if chunk else 0
    tables, vectorised = bulk.take() if bulk is not None else ((), False)
    return StagedChunk(
        first, last, len(lines) + len(slim), payload, slim_payload, tables, vectorised
    )


def pledge_slug_base(ref: str) -> str:
    """What `free_slug(ref, ...)` starts from, quickly for the usual letters-and-digits ref."""
    if ref.isalnum() and ref.isascii():
        return ref.lower()[:PLEDGE_SLUG_LENGTH]
    return (slugify(ref) or "company")[:PLEDGE_SLUG_LENGTH]


def _execute(sql: str, params: Iterable | dict | None = None, *, raw: bool = False) -> int:
    """Run `sql`, its `{pledge}`-style table names filled in (unless `raw`); the row count."""
    with connection.cursor() as cursor:
        cursor.execute(sql if raw else sql.format(**_T), params)
        return cursor.rowcount


def _fetch(sql: str, params: Iterable | dict | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_T), params)
        return cursor.fetchall()


def _set_local(name: str, value: str) -> str:
    """Set a setting until the transaction ends; returns the value it had."""
    return _fetch("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])[0][0]


class StagedImport:
    """One import through the staging table; every method runs inside the caller's atomic."""

    def __init__(self) -> None:
        self.plan = Plan()
        self.now = timezone.now()
        self.bulk = False
        self.companies_created = 0
        # Every pledge and company of this import has a greater id than these (known once
        # the tables are locked).
        self.pledges_before: int | None = None
        self.companies_before = 0
        self._company_slugs: set[str] | None = None
        self._company_keys: dict[str, int] = {}
        # In a bulk load: the new rows the reader thread numbers and encodes (`import_bulk`).
        self.bulk_rows: BulkRows | None = None
        self.vectoriser: Vectoriser | None = None

    # --- 1. staging ----------------------------------------------------------------------

    def open(self) -> None:
        """The staging tables, and the companies known so far by every spelling."""
        _tune_session()
        _execute(
            """
            DROP TABLE IF EXISTS import_row, import_company, import_alias_text;
            CREATE TEMPORARY TABLE import_row (
                line integer NOT NULL,  -- unique by construction: no index to keep up
                ref text NOT NULL,
                slug text NOT NULL,
                company_key text NOT NULL,
                company text NOT NULL,
                company_country text NOT NULL,
                -- NULL from here in the rows a bulk load wrote as it read them, except status.
                title text,
                announced_on date,
                announced_by text,
                made_to text,
                jobs_promised bigint,
                jobs_kind text,
                investment_usd bigint,
                locations text,
                deadline date,
                status text NOT NULL,
                status_on date,
                summary text,
                source_urls text,
                -- The id of the pledge a bulk load wrote from this row, as it read it.
                pledge_id integer
            ) ON COMMIT DROP;
            CREATE TEMPORARY TABLE import_company (key text PRIMARY KEY, company_id integer)
                ON COMMIT DROP;
            CREATE TEMPORARY TABLE import_alias_text ON COMMIT DROP AS
            SELECT company_id, string_agg(name, E'\\n' ORDER BY name) AS names
            FROM {alias} GROUP BY company_id;
            """
        )
        keys = self._company_keys = company_ids_by_key()
        sql = "COPY import_company (key, company_id) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for item in keys.items():
                copy.write_row(item)

    def begin_bulk(
        self, file_bytes: int, *, user_id: int | None, writing: Callable[[], bool]
    ) -> bool:
        """Make this a bulk load if the file is large and the database (nearly) empty, and the
        tables can be locked within `BULK_LOCK_TIMEOUT`: lock them (and those whose keys refer
        to them), drop their indexes and the keys to them, and set up `bulk_rows` (new rows are
        written while `writing()`). True when it is one."""
        if file_bytes < BULK_LOAD_MIN_BYTES:
            return False
        # Counted up to the limit only, so a big table costs no more than a small one.
        pledges, sources = _fetch(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM {pledge} LIMIT %s) AS p),"
            " (SELECT count(*) FROM (SELECT 1 FROM {source} LIMIT %s) AS s)",
            [BULK_LOAD_MAX_EXISTING + 1, BULK_LOAD_MAX_EXISTING * 10 + 1],
        )[0]
        if pledges > BULK_LOAD_MAX_EXISTING or sources > BULK_LOAD_MAX_EXISTING * 10:
            return False
        try:
            with transaction.atomic():
                old = _set_local("lock_timeout", BULK_LOCK_TIMEOUT)
                # Before the tables: a document build takes its lock, then reads them.
                _execute("SELECT pg_advisory_xact_lock_shared(%s)", [DOCUMENT_LOCK])
                # With the tables whose keys refer to them: those keys are dropped too.
                _execute(
                    "LOCK TABLE "
                    + ", ".join([*_BULK_TABLE_NAMES, *_referring_tables()])
                    + " IN ACCESS EXCLUSIVE MODE"
                )
                _set_local("lock_timeout", old)
        except OperationalError:
            return False  # readers held on: the in-place way does not wait for them
        self._remember_ids()
        # Checks run at once from here (no trigger events pend when tables change).
        rebuild, resume = _drop_indexes_and_keys(), _suspend_document_triggers()
        unstamp = stamp_defaults(self.now)
        self.vectoriser = Vectoriser.start()
        if self.vectoriser is not None:
            # The new pledges come with their vectors (`Vectoriser`); `stage` turns it back on.
            _execute(f"ALTER TABLE {{pledge}} DISABLE TRIGGER {_VECTOR_TRIGGER}")
        self.bulk_rows = self._bulk_rows(user_id=user_id, writing=writing)

        def finish() -> None:
            unstamp()
            rebuild()
            resume()

        self._rebuild = finish
        self.bulk = True
        return True

    def _bulk_rows(self, *, user_id: int | None, writing: Callable[[], bool]) -> BulkRows:
        """What the reader thread needs to number and encode the new rows itself: the refs,
        companies (search text and slugs too) and source URLs the database holds, and the
        largest ids given out so far."""
        texts = {
            company_id: name if names is None else f"{name}\n{names}"
            for company_id, name, names in _fetch(
                "SELECT c.id, c.name, a.names FROM {company} c"
                " LEFT JOIN import_alias_text a ON a.company_id = c.id"
            )
        }
        return BulkRows(
            user_id=user_id,
            existing_refs={ref for (ref,) in _fetch("SELECT ref FROM {pledge}")},
            company_ids=self._company_keys,
            company_texts=texts,
            company_slugs={slug for (slug,) in _fetch("SELECT slug FROM {company}")},
            source_ids=dict(_fetch("SELECT url, id FROM {source}")),
            last_ids=next_ids(),
            explanation=IMPORT_EXPLANATION,
            writing=writing,
            vectoriser=self.vectoriser,
        )

    def close(self) -> None:
        """Let go of the vectoriser's connection and thread (at the latest when the import
        ends, however it ends)."""
        if self.vectoriser is not None:
            self.vectoriser.close()
            self.vectoriser = None

    def stage(self, chunks: Iterable[StagedChunk], *, writing: Callable[[], bool]) -> int:
        """COPY every chunk (see `encode_chunk`) into the staging table; in a bulk load, also
        each chunk's rows of the final tables while `writing()`. Returns how many rows."""
        count = 0
        sql = f"COPY import_row ({', '.join(_STAGE_COLUMNS)}) FROM STDIN"
        slim_sql = f"COPY import_row ({', '.join(_SLIM_STAGE_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor:
            for chunk in chunks:
                for statement, rows in ((sql, chunk.payload), (slim_sql, chunk.slim_payload)):
                    if rows:
                        with cursor.cursor.copy(statement) as copy:
                            copy.write(rows)
                count += chunk.rows
                if self.bulk and writing():
                    for statement, rows in chunk.tables:
                        with cursor.cursor.copy(statement) as copy:
                            copy.write(rows)
                    if chunk.vectorised:
                        assert self.vectoriser is not None
                        with cursor.cursor.copy(PLEDGES_WITH_VECTORS) as copy:
                            copy.write(self.vectoriser.result())
        if self.vectoriser is not None:
            self.close()
            _execute(f"ALTER TABLE {{pledge}} ENABLE TRIGGER {_VECTOR_TRIGGER}")
        self.plan.rows = count
        # Row counts and the join keys' statistics are all the planner needs of the rows.
        _execute("ANALYZE import_row (line, ref, company_key)")
        return count

    # --- 2. file-wide rules --------------------------------------------------------------

    def file_errors(self, limit: int) -> tuple[list[StagedError], int]:
        """Refs given twice, and companies given two countries: the first `limit` problems
        by line, and how many there are."""
        # The windows (which sort) see only the rows of refs given twice and of companies
        # given two countries, found by hashing: next to none in a good file.
        rows = _fetch(
            """
            SELECT line, kind, a, b, c, first_line, count(*) OVER () FROM (
                SELECT line, 0 AS kind, ref AS a, NULL AS b, NULL AS c,
                       min(line) OVER (PARTITION BY ref COLLATE "C") AS first_line
                FROM import_row
                WHERE ref IN (SELECT ref FROM import_row GROUP BY ref HAVING count(*) > 1)
                UNION ALL
                SELECT line, 1, company_country, first_value(company_country) OVER w,
                       company, first_value(line) OVER w
                FROM import_row
                WHERE company_country <> '' AND company_key IN (
                    SELECT company_key FROM import_row WHERE company_country <> ''
                    GROUP BY company_key HAVING min(company_country) <> max(company_country)
                )
                WINDOW w AS (PARTITION BY company_key COLLATE "C" ORDER BY line)
            ) checked
            WHERE (kind = 0 AND line > first_line) OR (kind = 1 AND a <> b)
            ORDER BY line, kind
            LIMIT %s
            """,
            [limit],
        )
        errors = []
        for line, kind, a, b, company, first_line, _total in rows:
            if kind == 0:
                message = f"{a!r} appears again (first on line {first_line})"
                errors.append(StagedError(line, "ref", message))
            else:
                message = f"{a!r} contradicts {b!r} given for {company!r} on line {first_line}"
                errors.append(StagedError(line, "company_country", message))
        return errors, (rows[0][-1] if rows else 0)

    # --- 3. the plan ---------------------------------------------------------------------

    def lock(self) -> None:
        """Keep other writers (and imports) out until the transaction ends; readers go on."""
        _execute("LOCK TABLE {company}, {pledge}, {source} IN SHARE ROW EXCLUSIVE MODE")
        self._remember_ids()

    def _pledges_before(self) -> int:
        return 2**62 if self.pledges_before is None else self.pledges_before

    def _remember_ids(self) -> None:
        self.pledges_before, self.companies_before = _fetch(
            "SELECT (SELECT coalesce(max(id), 0) FROM {pledge}),"
            " (SELECT coalesce(max(id), 0) FROM {company})"
        )[0]

    def make_plan(self, limit: int) -> list[StagedError]:
        """Decide, for every staged row, what it does; returns the rows that would take a
        rating back (an error), the first `limit` of them."""
        # A new pledge's id: in a bulk load it is written already, its id staged with it
        # (`import_bulk`); otherwise the sequence's.
        new_id = "written_id" if self.bulk else "nextval(pg_get_serial_sequence('{pledge}', 'id'))"
        _execute(
            """
            DROP TABLE IF EXISTS import_plan;
            CREATE TEMPORARY TABLE import_plan ON COMMIT DROP AS
            WITH existing AS (
                SELECT r.line, p.id, p.status AS old_status, p.status_on AS old_status_on,
                    r.company = c.name AND r.company_country = c.country
                    AND r.title = p.title AND r.announced_on = p.announced_on
                    AND r.announced_by = p.announced_by AND r.made_to = p.made_to
                    AND r.jobs_promised IS NOT DISTINCT FROM p.jobs_promised
                    AND r.jobs_kind = p.jobs_kind
                    AND r.investment_usd IS NOT DISTINCT FROM p.investment_usd
                    AND r.deadline IS NOT DISTINCT FROM p.deadline
                    AND r.status = p.status AND r.status_on IS NOT DISTINCT FROM p.status_on
                    AND r.summary = p.summary AS same_fields,
                    string_to_array(r.locations, ';') = ARRAY(
                        SELECT l.name::text FROM {location} l
                        WHERE l.pledge_id = p.id ORDER BY l.position
                    )
                    AND string_to_array(r.source_urls, ' ') = ARRAY(
                        SELECT s.url::text FROM {link} ps JOIN {source} s ON s.id = ps.source_id
                        WHERE ps.pledge_id = p.id ORDER BY ps.position, ps.id
                    ) AS same_links
                FROM import_row r
                JOIN {pledge} p ON p.ref = r.ref AND p.id <= %(before)s
                JOIN {company} c ON c.id = p.company_id
            ),
            decided AS (
                SELECT r.line, r.ref, r.slug, r.status, r.status_on, r.locations,
                    r.source_urls, e.id AS old_id, e.old_status, r.pledge_id AS written_id,
                    e.id IS NULL AS is_new,
                    coalesce(e.same_fields AND e.same_links, false) AS unchanged,
                    coalesce(e.same_links, false) AS same_links,
                    (r.status, r.status_on) IS DISTINCT FROM (e.old_status, e.old_status_on)
                        AS status_differs
                FROM import_row r LEFT JOIN existing e USING (line)
            )
            SELECT line, old_id, old_status,
                coalesce(old_id, """
            + new_id
            + """) AS pledge_id,
                slug, status, status_on, locations, source_urls,
                is_new,
                -- A bulk load's new pledge, written with its places, links and rating already.
                written_id IS NOT NULL AS written,
                NOT is_new AND unchanged AS unchanged,
                refused,
                NOT is_new AND NOT unchanged AND NOT refused AS changed,
                is_new OR (NOT unchanged AND NOT refused AND NOT same_links) AS relink,
                (is_new AND status <> %(announced)s)
                    OR (NOT is_new AND NOT unchanged AND NOT refused AND status_differs)
                    AS status_update
            FROM (
                SELECT *, NOT is_new AND NOT unchanged AND status_differs
                          AND status = %(announced)s AS refused
                FROM decided
            ) r;
            """,
            {"announced": Status.ANNOUNCED.value, "before": self._pledges_before()},
        )
        (new, changed, unchanged, updates, refused) = _fetch(
            """
            SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE changed),
                   count(*) FILTER (WHERE unchanged), count(*) FILTER (WHERE status_update),
                   count(*) FILTER (WHERE refused)
            FROM import_plan
            """
        )[0]
        self.plan.new, self.plan.changed, self.plan.unchanged = new, changed, unchanged
        self.plan.status_updates, self.plan.refused = updates, refused
        if not refused:
            return []
        return [
            StagedError(
                line,
                "status",
                f"{ref} is already rated {old_status!r}; an import cannot take a rating back "
                "(do that in the admin, with a reason)",
            )
            for line, ref, old_status in _fetch(
                """
                SELECT m.line, r.ref, m.old_status FROM import_plan m JOIN import_row r USING (line)
                WHERE m.refused ORDER BY m.line LIMIT %s
                """,
                [limit],
            )
        ]

    def count_new_sources(self) -> int:
        (count,) = _fetch(
            """
            SELECT count(DISTINCT u.url) FROM import_plan m
            CROSS JOIN LATERAL unnest(string_to_array(m.source_urls, ' ')) AS u(url)
            WHERE m.relink AND NOT EXISTS (SELECT 1 FROM {source} s WHERE s.url = u.url)
            """
        )[0]
        return count

    def count_new_companies(self) -> int:
        (count,) = _fetch(
            """
            SELECT count(DISTINCT company_key) FROM import_row r
            WHERE NOT EXISTS (SELECT 1 FROM import_company k WHERE k.key = r.company_key)
            """
        )[0]
        return count

    def actions(self) -> Iterable[tuple[str, str]]:
        """(ref, "created" | "updated" | "unchanged") for every row, in file order."""
        return _fetch(
            """
            SELECT r.ref, CASE WHEN m.is_new THEN 'created' WHEN m.changed THEN 'updated'
                               ELSE 'unchanged' END
            FROM import_row r JOIN import_plan m USING (line) ORDER BY r.line
            """
        )

    # --- 4. the writes -------------------------------------------------------------------

    def write(self, *, user_id: int | None) -> tuple[int, int]:
        """Write the plan; returns (companies created, sources created)."""
        bulk = self.bulk_rows
        if bulk is None:
            self._create_companies()
        else:
            # Its reader thread gave out ids past what the sequences know of.
            advance_sequences(bulk.last_ids)
            self.companies_created += bulk.companies_created
        self._settle_countries()
        # What is left of a bulk load is the pledges it found in the database and changes.
        rest = bulk is None or self.plan.changed > 0
        sources = bulk.sources_created if bulk is not None else 0
        if rest:
            # In bulk the URL's unique index is gone (and nobody else can write): an anti-join.
            sources += _execute(
                """
                INSERT INTO {source} (url, publisher, title, health, moved_to, created_at,
                                      updated_at)
                SELECT DISTINCT u.url COLLATE "C", '', '', %s, '', %s, %s
                FROM import_plan m
                CROSS JOIN LATERAL unnest(string_to_array(m.source_urls, ' ')) AS u(url)
                WHERE m.relink AND NOT m.written
                """
                + (
                    "AND NOT EXISTS (SELECT 1 FROM {source} s WHERE s.url = u.url)"
                    if self.bulk
                    else "ON CONFLICT (url) DO NOTHING"
                ),
                [LinkHealth.UNKNOWN.value, self.now, self.now],
            )
        self._settle_slugs()
        if not self.bulk:
            _execute(
                f"INSERT INTO {{pledge}} (id, {_PLEDGE_COLUMNS})"
                # The slug as `_settle_slugs` left it in the plan.
                " SELECT m.pledge_id, "
                + _PLEDGE_VALUES.replace("r.slug", "m.slug")
                + " FROM import_row r JOIN import_plan m USING (line)"
                + _JOIN_COMPANY
                + " WHERE m.is_new",
                {"now": self.now},
            )
        if self.plan.changed:
            self._update_changed()
        if rest:
            self._write_links()
            self._write_status_updates(user_id)
        if self.bulk:
            self._rebuild()
        return self.companies_created, sources

    def _create_companies(self) -> None:
        """Create the companies the staged rows name for the first time, in file order (a
        company's name is its first spelling; its country is settled later)."""
        new = _fetch(
            """
            SELECT company_key, company FROM (
                SELECT DISTINCT ON (company_key COLLATE "C") company_key, company, line
                FROM import_row r
                WHERE NOT EXISTS (SELECT 1 FROM import_company k WHERE k.key = r.company_key)
                ORDER BY company_key COLLATE "C", line
            ) f ORDER BY line
            """
        )
        if not new:
            return
        if self._company_slugs is None:
            self._company_slugs = set(Company.objects.values_list("slug", flat=True))
        slugs = [free_slug(name, self._company_slugs) for _, name in new]
        _execute(
            """
            WITH created AS (
                INSERT INTO {company} (name, slug, country, ticker, website, wikidata_id,
                                       created_at, updated_at)
                SELECT name, slug, '', '', '', '', %s, %s
                FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS n(name, slug, position)
                ORDER BY position
                RETURNING id, slug
            )
            INSERT INTO import_company (key, company_id)
            SELECT n.key, created.id
            FROM created JOIN unnest(%s::text[], %s::text[]) AS n(key, slug) USING (slug)
            """,
            [
                self.now,
                self.now,
                [name for _, name in new],
                slugs,
                [key for key, _ in new],
                slugs,
            ],
        )
        self.companies_created += len(new)

    def _settle_countries(self) -> None:
        """Give each company the country the file gives it (the first given on its rows):
        new ones in one statement, known ones through the model, so history records it."""
        _execute(
            """
            DROP TABLE IF EXISTS import_company_country;
            -- Each company's first row with a country (by hashing: no sort of the rows).
            CREATE TEMPORARY TABLE import_company_country ON COMMIT DROP AS
            SELECT r.company_key AS key, r.company_country AS country, r.line
            FROM import_row r JOIN (
                SELECT min(line) AS line FROM import_row WHERE company_country <> ''
                GROUP BY company_key
            ) f USING (line);
            UPDATE {company} c SET country = cc.country
            FROM import_company_country cc JOIN import_company k ON k.key = cc.key
            WHERE c.id = k.company_id AND c.id > %s AND c.country <> cc.country;
            """,
            [self.companies_before],
        )
        for company_id, country in _fetch(
            """
            SELECT c.id, cc.country FROM import_company_country cc
            JOIN import_company k ON k.key = cc.key JOIN {company} c ON c.id = k.company_id
            WHERE c.country <> cc.country ORDER BY cc.line
            """
        ):
            company = Company.objects.get(pk=company_id)
            company.country = country
            company.save(update_fields=["country", "updated_at"])

    def _settle_slugs(self) -> None:
        """Give `-2`, `-3`... to new pledges whose ref slugifies like another's (`free_slug`,
        in file order). Rare: refs that differ only in case or punctuation."""
        params = {"before": self._pledges_before()}
        contested = _fetch(
            """
            SELECT line, slug FROM import_plan f
            WHERE is_new AND (
                EXISTS (SELECT 1 FROM {pledge} p WHERE p.slug = f.slug AND p.id <= %(before)s)
                OR slug IN (
                    SELECT slug FROM import_plan WHERE is_new GROUP BY slug HAVING count(*) > 1
                )
            )
            ORDER BY line
            """,
            params,
        )
        if not contested:
            return
        bases = sorted({slug for _, slug in contested})
        # Every slug a suffix could collide with: taken ones and other new rows' own slugs.
        taken_elsewhere = {
            slug
            for (slug,) in _fetch(
                """
                SELECT p.slug FROM {pledge} p, unnest(%(bases)s::text[]) AS b(base)
                WHERE p.id <= %(before)s
                  AND (p.slug = b.base OR left(p.slug, length(b.base) + 1) = b.base || '-')
                UNION
                SELECT m.slug FROM import_plan m, unnest(%(bases)s::text[]) AS b(base)
                WHERE m.is_new AND left(m.slug, length(b.base) + 1) = b.base || '-'
                """,
                {**params, "bases": bases},
            )
        }
        existing = {
            slug
            for (slug,) in _fetch(
                "SELECT slug FROM {pledge} WHERE slug = ANY(%(bases)s) AND id <= %(before)s",
                {**params, "bases": bases},
            )
        }
        taken = existing | (taken_elsewhere - set(bases))
        fixes = []
        for line, slug in contested:
            settled = free_slug(slug, taken, max_length=PLEDGE_SLUG_LENGTH)
            if settled != slug:
                fixes.append((line, settled))
        if fixes:
            _execute(
                """
                UPDATE import_plan m SET slug = f.slug
                FROM unnest(%s::integer[], %s::text[]) AS f(line, slug) WHERE m.line = f.line
                """
                + (
                    "; UPDATE {pledge} p SET slug = m.slug FROM import_plan m"
                    " WHERE p.id = m.pledge_id AND m.is_new AND p.slug <> m.slug"
                    if self.bulk
                    else ""
                ),
                [[line for line, _ in fixes], [slug for _, slug in fixes]],
            )

    def _update_changed(self) -> None:
        _execute(
            """
            UPDATE {pledge} p SET
                company_id = c.id, title = r.title, announced_on = r.announced_on,
                announced_by = r.announced_by, made_to = r.made_to,
                jobs_promised = r.jobs_promised, jobs_kind = r.jobs_kind,
                investment_usd = r.investment_usd, deadline = r.deadline, status = r.status,
                status_on = r.status_on, summary = r.summary,
                search_text = concat_ws(E'\\n', r.title, r.summary, c.name, a.names),
                updated_at = %(now)s
            FROM import_row r
            JOIN import_plan m USING (line)
            """
            + _JOIN_COMPANY
            + " WHERE m.changed AND p.id = m.pledge_id",
            {"now": self.now},
        )

    def _write_links(self) -> None:
        """Places and sources of new pledges, and of changed ones whose lists changed (those
        keep the role and quote of every source they still cite)."""
        if self.plan.changed:
            _execute(
                """
                DROP TABLE IF EXISTS import_old_link;
                CREATE TEMPORARY TABLE import_old_link ON COMMIT DROP AS
                SELECT ps.pledge_id, ps.source_id, ps.role, ps.quote
                FROM {link} ps JOIN import_plan m ON m.old_id = ps.pledge_id
                WHERE m.relink;
                DELETE FROM {link} ps USING import_plan m
                WHERE m.old_id = ps.pledge_id AND m.relink;
                DELETE FROM {location} l USING import_plan m
                WHERE m.old_id = l.pledge_id AND m.relink;
                """
            )
        old_links = (
            "LEFT JOIN import_old_link o ON o.pledge_id = m.pledge_id AND o.source_id = s.id"
            if self.plan.changed
            else "LEFT JOIN (SELECT NULL::text AS role, NULL::text AS quote) o ON false"
        )
        _execute(
            """
            INSERT INTO {location} (pledge_id, position, name)
            SELECT m.pledge_id, place.n - 1, place.name
            FROM import_plan m
            CROSS JOIN LATERAL unnest(string_to_array(m.locations, ';'))
                WITH ORDINALITY AS place(name, n)
            WHERE m.relink AND NOT m.written AND m.locations <> '';
            INSERT INTO {link} (pledge_id, source_id, role, quote, position)
            SELECT m.pledge_id, s.id,
                coalesce(o.role, CASE WHEN u.n = 1 THEN %s ELSE %s END),
                coalesce(o.quote, ''), u.n - 1
            FROM import_plan m
            CROSS JOIN LATERAL unnest(string_to_array(m.source_urls, ' '))
                WITH ORDINALITY AS u(url, n)
            JOIN {source} s ON s.url = u.url
            """
            + old_links
            + """
            WHERE m.relink AND NOT m.written
            """,
            [SourceRole.ANNOUNCEMENT.value, SourceRole.FOLLOW_UP.value],
        )

    def _write_status_updates(self, user_id: int | None) -> None:
        """A status update per new rating, its evidence the row's sources."""
        if not self.plan.status_updates:
            return
        _execute(
            """
            WITH recorded AS (
                INSERT INTO {update} (pledge_id, status, established_on, explanation,
                                      recorded_by_id, recorded_at)
                SELECT m.pledge_id, m.status, m.status_on, %s, %s, %s
                FROM import_plan m
                WHERE m.status_update AND NOT m.written
                RETURNING id, pledge_id
            )
            INSERT INTO {evidence} (statusupdate_id, source_id)
            SELECT recorded.id, ps.source_id
            FROM recorded JOIN {link} ps ON ps.pledge_id = recorded.pledge_id
            """,
            [IMPORT_EXPLANATION, user_id, self.now],
        )


def _tune_session() -> None:
    """Settings for the set-based statements, until the transaction ends: memory to sort and
    hash in, no JIT (its compile time exceeds its gain on one-off statements), and hash joins
    rather than merge joins, which the planner picks on the staging tables' rough estimates
    at the price of sorting hundreds of thousands of rows twice."""
    # The staging tables are read a dozen times: keep them in memory rather than in temporary
    # files. Possible only before this session's first temporary table.
    try:
        with transaction.atomic():
            _execute("SELECT set_config('temp_buffers', %s, false)", [TEMP_BUFFERS])
    except DatabaseError:
        pass
    _execute(
        "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true),"
        " set_config('enable_mergejoin', 'off', true)",
        [WORK_MEM],
    )


def _suspend_document_triggers() -> Callable[[], None]:
    """Turn off the triggers that delete stale pledge documents (migration 0016) on the bulk
    load's tables; returns the function that deletes every document and turns them back on.

    With the triggers on, PostgreSQL keeps a copy of every row the load writes for them (about
    0.5 s of 100,000 pledges), only to find next to nothing to delete: the database held at
    most `BULK_LOAD_MAX_EXISTING` pledges. The tables are locked, and the builders' lock held
    (`begin_bulk`), so no one sees them off and no document is built meanwhile."""
    triggers = _fetch(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
        " WHERE tgfoid = 'pledges_document_invalidate'::regproc"
        " AND tgrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [list(_BULK_TABLE_NAMES)],
    )
    quote = connection.ops.quote_name

    def switch(state: str) -> str:
        return "; ".join(f"ALTER TABLE {t} {state} TRIGGER {quote(name)}" for t, name in triggers)

    if triggers:
        _execute(switch("DISABLE"), raw=True)

    def resume() -> None:
        _execute(f"DELETE FROM {PledgeDocument._meta.db_table}", raw=True)
        if triggers:
            _execute(switch("ENABLE"), raw=True)

    return resume


def _referring_tables() -> list[str]:
    """The other tables with foreign keys to the bulk load's tables (claims, snapshots...)."""
    tables = list(_BULK_TABLE_NAMES)
    return [
        table
        for (table,) in _fetch(
            "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
            " AND confrelid = ANY(%s::regclass[]) AND conrelid <> ALL(%s::regclass[]) ORDER BY 1",
            [tables, tables],
        )
    ]


def _drop_indexes_and_keys() -> Callable[[], None]:
    """Drop every index of the import's tables, primary keys and unique ones too (the plan
    and the reader's numbering already guarantee what they would), and every foreign key to
    those tables, from whichever table; returns the function that puts them all back, each
    key checked in one pass.

    Kept, the primary keys cost the COPY almost half its time on the tables nothing refers to
    (0.3 s for 100,000 pledges: a btree insert and its WAL record a row), where building them
    again takes a fraction of that. The keys from other tables (claims, snapshots...) must go
    for the primary keys they refer to to go; in a bulk load those tables hold next to
    nothing, and checking them again takes milliseconds.

    Partial indexes on columns the load leaves empty stay (`pledge_part_of` and the like):
    new rows are not in them, and each rebuild would read the whole table to find that out."""
    tables = list(_BULK_TABLE_NAMES)
    indexes = [
        (table, constraint, definition, index)
        for table, constraint, definition, index, partial, columns in _fetch(
            """
            SELECT i.indrelid::regclass::text, c.conname,
                   coalesce(pg_get_constraintdef(c.oid), pg_get_indexdef(i.indexrelid)),
                   i.indexrelid::regclass::text, i.indpred IS NOT NULL,
                   ARRAY(
                       SELECT coalesce(a.attname::text, '') FROM unnest(i.indkey) AS k(n)
                       LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                   )
            FROM pg_index i
            -- The index's own constraint (a foreign key of the table to itself names it too).
            LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                AND c.contype <> 'f'
            WHERE i.indrelid = ANY(%s::regclass[]) AND i.indisvalid
            ORDER BY 1, 4
            """,
            [tables],
        )
        # An expression's column is '': it counts as written.
        if not (partial and constraint is None and not set(columns) & written_columns(table))
    ]
    keys = _fetch(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE contype = 'f' AND confrelid = ANY(%s::regclass[])
        ORDER BY 1, 2
        """,
        [tables],
    )
    quote = connection.ops.quote_name
    drops, rebuilds = [], []
    for table, name, _definition in keys:
        drops.append(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for table, constraint, definition, index in indexes:
        if constraint:
            drops.append(f"ALTER TABLE {table} DROP CONSTRAINT {quote(constraint)}")
            rebuilds.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(constraint)} {definition}")
        else:
            drops.append(f"DROP INDEX {index}")
            rebuilds.append(definition)
    for table, name, definition in keys:
        rebuilds.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
    # Deferred checks queued so far must run before their tables' constraints change.
    _execute("SET CONSTRAINTS ALL IMMEDIATE; " + "; ".join(drops), raw=True)

    def rebuild() -> None:
        old = _set_local("maintenance_work_mem", INDEX_BUILD_MEM)
        for statement in rebuilds:
            _execute(statement, raw=True)
        _set_local("maintenance_work_mem", old)
        _execute("SET CONSTRAINTS ALL DEFERRED")

    return rebuild
