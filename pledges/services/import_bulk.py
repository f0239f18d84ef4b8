"""A bulk load's rows of the final tables, numbered and encoded in the import's reader thread.

In a bulk load (see `import_staged`) the tables are locked and nearly empty, so the ids of new
rows are known before they are written: every new pledge, company, source and status update
takes the next number after the largest already used. The reader thread, which otherwise waits
on the database most of the time, gives them out as it reads, remembers each company and source
URL it has seen, and encodes every table's rows in COPY's text format; the main thread only
sends them. PostgreSQL then appends rows and nothing else: no sort to deduplicate the URLs, no
join of the links back to their sources by URL, no RETURNING to learn the status updates' ids
(measured on 100,000 rows: 4.9 s of set-based statements became about 3 s of COPY).

Memory grows with the distinct companies and source URLs (an id and the URL each: about 450
bytes a URL, measured), not with the rows; the in-place import holds nothing per row.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Final

from django.db import DatabaseError, connection

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
from pledges.services.companies import free_slug

# COPY's text format: tab between columns, newline after each row, `\N` for NULL, and these
# four characters escaped inside a value.
COPY_ESCAPES: Final = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_NULL: Final = "\\N"

_EVIDENCE = StatusUpdate.evidence.through._meta.db_table
# Each table a bulk load appends to, and the columns its rows give (`BulkRows._rows` order).
_COPIES: Final = (
    (Company._meta.db_table,
     "id, name, slug, country, ticker, website, wikidata_id"),
    ("import_company", "key, company_id"),
    (Pledge._meta.db_table,
     "id, ref, slug, company_id, title, announced_on, announced_by, made_to, jobs_promised,"
     " jobs_kind, investment_usd, deadline, status, status_on, summary, search_text, timeframe,"
     " is_published"),
    (Source._meta.db_table, "id, url, publisher, title, health, moved_to"),
    (PledgeLocation._meta.db_table, "pledge_id, position, name"),
    (PledgeSource._meta.db_table, "pledge_id, source_id, role, quote, position"),
    (StatusUpdate._meta.db_table, "id, pledge_id, status, established_on, explanation,"
     " recorded_by_id"),
    (_EVIDENCE, "statusupdate_id, source_id"),
)  # fmt: skip
# The time of the load, which every new row of these tables is stamped with: the load makes it
# the columns' default while it writes (`stamp_defaults`), so no row carries it.
STAMPED_COLUMNS: Final = {
    Company._meta.db_table: ("created_at", "updated_at"),
    Pledge._meta.db_table: ("created_at", "updated_at"),
    Source._meta.db_table: ("created_at", "updated_at"),
    StatusUpdate._meta.db_table: ("recorded_at",),
}
COPY_STATEMENTS: Final = tuple(f"COPY {table} ({columns}) FROM STDIN" for table, columns in _COPIES)
_PLEDGES = 2  # the index of the pledges in `_COPIES`
# A vectoriser's session table: one chunk's search texts (t), numbered in order (n).
_VECTOR_TABLE: Final = "import_vector_row"
# The pledges with the search vectors a `Vectoriser` computed (migration 0017 lets them in).
PLEDGES_WITH_VECTORS: Final = COPY_STATEMENTS[_PLEDGES].replace(
    ") FROM STDIN", ", search_vector) FROM STDIN"
)
# The tables whose ids a bulk load gives out, in `BulkRows.last_ids` order.
NUMBERED_TABLES: Final = (
    Pledge._meta.db_table,
    Company._meta.db_table,
    Source._meta.db_table,
    StatusUpdate._meta.db_table,
)


def written_columns(table: str) -> set[str]:
    """The columns of `table` a bulk load may write ('' too: an index expression's column)."""
    written = {"", *STAMPED_COLUMNS.get(table, ())}
    for name, columns in _COPIES:
        if name == table:
            written.update(column.strip() for column in columns.split(","))
    return written


def stamp_defaults(now: dt.datetime) -> Callable[[], None]:
    """Make `now` the default of every `STAMPED_COLUMNS` column (the tables are locked);
    returns the function that drops those defaults again, as the models have none.

    Parsing the same time once per row and column cost PostgreSQL 0.3 s of 100,000 pledges,
    and the reader thread 30 MB of text."""
    quote = connection.ops.quote_name
    stamp = f"'{now.isoformat()}'::timestamptz"  # our own datetime: nothing to escape

    def alter(change: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "; ".join(
                    f"ALTER TABLE {quote(table)} "
                    + ", ".join(f"ALTER COLUMN {quote(column)} {change}" for column in columns)
                    for table, columns in STAMPED_COLUMNS.items()
                )
            )

    alter(f"SET DEFAULT {stamp}")
    return lambda: alter("DROP DEFAULT")


def copy_data(rows: list[str]) -> bytes:
    """`rows` (COPY text-format rows without their line breaks) as the data COPY takes:
    joined and encoded once each (adding the last line break after the join would copy the
    whole text once more: megabytes a chunk)."""
    rows.append("")
    try:
        return "\n".join(rows).encode()
    finally:
        rows.pop()


def copy_text(value: str) -> str:
    """`value` as a COPY text-format field."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(COPY_ESCAPES)
    return value


def _sequence_last(table: str) -> str:
    """SQL for the last value the id sequence of `table` (an SQL text expression, such as a
    placeholder) gave out, 0 if none yet."""
    return f"coalesce(pg_sequence_last_value(pg_get_serial_sequence({table}, 'id')::regclass), 0)"


def next_ids() -> list[int]:
    """For each of `NUMBERED_TABLES`, the largest id its table or sequence has given out
    (the tables are locked: nobody else takes one until the load ends)."""
    parts = ", ".join(
        f"greatest((SELECT coalesce(max(id), 0) FROM {table}), {_sequence_last('%s')})"
        for table in NUMBERED_TABLES
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}", list(NUMBERED_TABLES))
        return list(cursor.fetchone())


def advance_sequences(last_ids: Sequence[int]) -> None:
    """Move each table's id sequence past the ids the load gave out itself."""
    with connection.cursor() as cursor:
        for table, last in zip(NUMBERED_TABLES, last_ids, strict=True):
            if last:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                    f" greatest(%s, {_sequence_last('%s')}))",
                    [table, last, table],
                )


class BulkRows:
    """The rows a bulk load appends for each record it reads; see the module's docstring.

    Built by the main thread from what the locked database holds, then used by the reader
    thread alone (`add`, `take`) until the file is read."""

    def __init__(
        self,
        *,
        user_id: int | None,
        existing_refs: set[str],
        company_ids: dict[str, int],
        company_texts: dict[int, str],
        company_slugs: set[str],
        source_ids: dict[str, int],
        last_ids: Sequence[int],
        explanation: str,
        writing: Callable[[], bool],
        vectoriser: Vectoriser | None = None,
    ) -> None:
        self._user = COPY_NULL if user_id is None else str(user_id)
        self._explanation = copy_text(explanation)
        self._existing_refs = existing_refs
        self._company_ids = company_ids
        # A company's part of its pledges' search text, escaped for COPY: name and aliases.
        self._company_texts = {key: copy_text(text) for key, text in company_texts.items()}
        self._vectoriser = vectoriser
        self._search_texts: list[str] = []
        self._company_slugs = company_slugs
        self._source_ids = source_ids
        self.last_pledge, self.last_company, self.last_source, self.last_update = last_ids
        self._writing = writing
        self.active = True
        self.companies_created = 0
        self.sources_created = 0
        self._rows: tuple[list[str], ...] = tuple([] for _ in _COPIES)

    @property
    def last_ids(self) -> tuple[int, int, int, int]:
        return self.last_pledge, self.last_company, self.last_source, self.last_update

    def add(self, record: PledgeRecord, key: str, cells: Sequence[str]) -> bool:
        """The rows of one valid record: its company if new, and unless its ref is already in
        the database (the plan decides those), its pledge, places, sources, links and rating.
        `key` is its company's `name_key`, `cells` its staging row's cells (after `line`),
        escaped for COPY. True when the pledge is written so."""
        if not self.active:
            return False
        if not self._writing():
            # The import fails: stop numbering, and free what was prepared.
            self.active = False
            for rows in self._rows:
                rows.clear()
            return False
        companies, company_keys, pledges, sources, places, links, updates, evidence = self._rows
        (ref, slug, escaped_key, company, _country, title, announced_on, by, made_to, jobs, kind,
         investment, where, deadline, status, status_on, summary, urls) = cells  # fmt: skip
        company_id = self._company_ids.get(key)
        if company_id is None:
            self.last_company = company_id = self.last_company + 1
            self._company_ids[key] = company_id
            self._company_texts[company_id] = company
            self.companies_created += 1
            # A slug is letters, digits and hyphens: nothing to escape. The country is
            # settled once the file is read (`StagedImport._settle_countries`).
            company_slug = free_slug(record.company, self._company_slugs)
            companies.append(f"{company_id}\t{company}\t{company_slug}\t\t\t\t")
            company_keys.append(f"{escaped_key}\t{company_id}")
        if record.ref in self._existing_refs:
            return False
        self.last_pledge = pledge_id = self.last_pledge + 1
        # `selectors.search_text`, escaped: its line breaks are `\n` here.
        search_text = f"{title}\\n{summary}\\n{self._company_texts[company_id]}"
        if self._vectoriser is not None:
            self._search_texts.append(search_text)
        pledges.append(
            "\t".join(
                (
                    str(pledge_id),
                    ref,
                    slug,
                    str(company_id),
                    title,
                    announced_on,
                    by,
                    made_to,
                    jobs,
                    kind,
                    investment,
                    deadline,
                    status,
                    status_on,
                    summary,
                    search_text,
                    "",
                    "t",
                )
            )
        )
        if where:
            # Places hold no `;` (the file separates them by it), and escaping adds none.
            for position, place in enumerate(where.split(";")):
                places.append(f"{pledge_id}\t{position}\t{place}")
        source_ids = []
        # URLs hold no white space (the file separates them by it), and escaping adds none.
        for position, (url, escaped_url) in enumerate(
            zip(record.source_urls, urls.split(" "), strict=True)
        ):
            source_id = self._source_ids.get(url)
            if source_id is None:
                self.last_source = source_id = self.last_source + 1
                self._source_ids[url] = source_id
                self.sources_created += 1
                sources.append(f"{source_id}\t{escaped_url}\t\t\t{_UNKNOWN}\t")
            role = _ANNOUNCEMENT if position == 0 else _FOLLOW_UP
            links.append(f"{pledge_id}\t{source_id}\t{role}\t\t{position}")
            source_ids.append(source_id)
        if record.status != _ANNOUNCED:
            self.last_update = update_id = self.last_update + 1
            updates.append(
                f"{update_id}\t{pledge_id}\t{status}\t{status_on}\t{self._explanation}"
                f"\t{self._user}"
            )
            for source_id in source_ids:
                evidence.append(f"{update_id}\t{source_id}")
        return True

    def take(self) -> tuple[tuple[tuple[str, bytes], ...], bool]:
        """(COPY statement, its rows) for every table with rows added since the last call,
        and whether the pledges among them were handed to the vectoriser instead (its
        `result()` gives them, vectors added)."""
        taken = []
        handed = False
        for index, (statement, rows) in enumerate(zip(COPY_STATEMENTS, self._rows, strict=True)):
            if not rows:
                continue
            if index == _PLEDGES and self._vectoriser is not None:
                self._vectoriser.submit(rows[:], self._search_texts)
                self._search_texts = []
                handed = True
            else:
                taken.append((statement, copy_data(rows)))
            rows.clear()
        return tuple(taken), handed


class Vectoriser:
    """`to_tsvector('english', search text)` of the new pledges, computed by PostgreSQL on a
    second connection of its own, from a thread of its own: while the import's connection
    writes one chunk, this one works out the next chunk's vectors on the other core (about
    1.4 s of CPU for 100,000 pledges, mostly `to_tsvector` itself). Outside the import's
    transaction: it writes only to a temporary table of its own session.

    `submit` (reader thread) queues a chunk's pledge rows and their search texts; `result`
    (main thread) gives back, in the same order, each chunk's rows with their vectors, as
    `PLEDGES_WITH_VECTORS` takes them."""

    def __init__(self) -> None:
        self._connection = connection.get_new_connection(connection.get_connection_params())
        self._connection.autocommit = True
        with self._connection.cursor() as cursor:
            # No JIT: a chunk's thousands of to_tsvector calls cost enough to trigger a
            # compile that takes longer than the work.
            cursor.execute("SET jit = off")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_VECTOR_TABLE} (n integer, t text) ON COMMIT DELETE ROWS"
            )
        self._todo: queue.SimpleQueue[tuple[list[str], list[str]] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[bytes | BaseException] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="import-vectors", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls) -> Vectoriser | None:
        """A vectoriser, or None when the database takes no second connection now."""
        try:
            return cls()
        except DatabaseError:
            return None

    def submit(self, rows: list[str], texts: list[str]) -> None:
        """Queue a chunk: pledge rows as the pledges' COPY statement takes them (without the
        line break), and each one's search text, escaped for COPY too."""
        self._todo.put((rows, texts))

    def result(self) -> bytes:
        """The oldest chunk not yet taken, each row with its vector, as
        `PLEDGES_WITH_VECTORS` takes them."""
        outcome = self._done.get()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def close(self) -> None:
        self._todo.put(None)
        self._thread.join()
        self._connection.close()

    def _work(self) -> None:
        # The texts go in by COPY and the vectors come back as one value, escaped for COPY by
        # the server: Python handles no row but to put each vector after its row.
        failed = False
        while (job := self._todo.get()) is not None:
            if failed:
                continue  # the main thread raises the first failure; the rest are moot
            rows, texts = job
            try:
                with self._connection.transaction(), self._connection.cursor() as cursor:
                    with cursor.copy(f"COPY {_VECTOR_TABLE} (n, t) FROM STDIN") as copy:
                        copy.write("".join(f"{n}\t{text}\n" for n, text in enumerate(texts)))
                    cursor.execute(self._VECTORS)
                    (vectors,) = cursor.fetchone()
                self._done.put(
                    "".join(
                        f"{row}\t{vector}\n"
                        for row, vector in zip(rows, vectors.split("\n"), strict=True)
                    ).encode()
                )
            except BaseException as exc:  # handed over to the main thread
                failed = True
                self._done.put(exc)

    # The chunk's vectors in order, one a line, each escaped as a COPY text field. (The text
    # of a tsvector has no line break or tab; backslashes are doubled all the same.)
    _VECTORS: Final = (
        "SELECT string_agg(replace(replace(replace(replace("
        " to_tsvector('english'::regconfig, t)::text,"
        " '\\', '\\\\'), E'\\t', '\\t'), E'\\n', '\\n'), E'\\r', '\\r'), E'\\n' ORDER BY n)"
        f" FROM {_VECTOR_TABLE}"
    )


_UNKNOWN: Final = LinkHealth.UNKNOWN.value
_ANNOUNCED: Final = Status.ANNOUNCED.value
_ANNOUNCEMENT: Final = SourceRole.ANNOUNCEMENT.value
_FOLLOW_UP: Final = SourceRole.FOLLOW_UP.value
