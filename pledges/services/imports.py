"""Import of the interchange CSV: all or nothing, every bad line named, set-based writes.

The file is read once, streamed, inside one transaction. On PostgreSQL every valid row is
COPYed into a temporary staging table as it is read (`import_staged`): memory stays flat
whatever the file's length, and the live tables are neither touched nor locked while the file
is read (but in a bulk load into a nearly empty database, see there). File-wide rules and the
comparison with the database then run as SQL over the staged rows, and the writes are one
statement per table. Any problem anywhere means nothing is
written: every bad line is still named (the first `MAX_REPORTED_ERRORS` by line, and how many
there are), and the transaction is rolled back. A dry run counts from the same plan and writes
nothing. Other databases (the SQLite demo) take the portable batch writer (`import_batches`).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from pledges.interchange import COLUMNS, REQUIRED_COLUMNS, PledgeRecord, parse_cells
from pledges.models import Company, Pledge, PledgeLocation, PledgeSource, Source, StatusUpdate
from pledges.services.companies import name_key
from pledges.services.import_batches import BatchWriter, Checker
from pledges.services.import_staged import IMPORT_EXPLANATION, StagedImport, encode_chunk

__all__ = ["IMPORT_EXPLANATION", "ImportReport", "InvalidFile", "LineError", "import_pledges"]

BATCH_SIZE = 2000
# A bulk load sends 10 COPY statements a chunk (`import_bulk`), each with a fixed cost (the
# table opened, its checks compiled): fewer, larger ones. 10,000 rather than 5,000 rows took
# 0.1 s off 100,000 (measured), at about 4 MB a chunk in memory.
BULK_CHUNK_ROWS = 10_000
ANALYZE_AFTER_ROWS = 10_000
MAX_REPORTED_ERRORS = 1000
CSV_FIELD_LIMIT = 100_000
csv.field_size_limit(CSV_FIELD_LIMIT)

Progress = Callable[[int], None]  # called with the number of records just handled
Chunk = TypeVar("Chunk")
# Seconds a thread may hold the GIL while another waits for it, during a threaded import.
READER_SWITCH_INTERVAL = 0.0005


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    companies_created: int = 0
    sources_created: int = 0
    status_updates_created: int = 0
    dry_run: bool = False
    errors: list[LineError] = field(default_factory=list)
    total_errors: int = 0
    rows: int = 0
    # True when the rows went in by the bulk variant (indexes rebuilt, see `import_staged`).
    bulk: bool = False
    # What each ref became, for previews: "created" | "updated" | "unchanged". Filled only
    # when asked for (`record_actions`): it holds one entry per row.
    actions: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.total_errors == 0

    def add_error(self, line: int, column: str, message: str) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(LineError(line, column, message))

    def add_found_errors(self, errors: Iterable[tuple[int, str, str]], total: int) -> None:
        """Merge problems found after reading (the first ones by line, and how many there
        are) so that `errors` stays the first `MAX_REPORTED_ERRORS` by line."""
        self.errors.extend(LineError(line, column, message) for line, column, message in errors)
        self.total_errors += total
        self.errors.sort(key=lambda error: error.line)  # stable: a line's problems keep order
        del self.errors[MAX_REPORTED_ERRORS:]


class InvalidFile(Exception):
    """The file was not imported; `report.errors` names every bad line."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{report.total_errors} problem(s); nothing was imported")
        self.report = report


class _RollbackDryRun(Exception):
    pass


Opener = Callable[[], BinaryIO]


def _opener(source: str | Path | bytes) -> Opener:
    if isinstance(source, bytes):
        return lambda: io.BytesIO(source)
    path = Path(source)
    return lambda: path.open("rb")


def _header_problems(header: list[str], report: ImportReport) -> bool:
    problems = False
    for name in header:
        if name not in COLUMNS:
            report.add_error(
                1,
                name or "(blank)",
                "unknown column; the columns are " + ", ".join(COLUMNS),
            )
            problems = True
        elif header.count(name) > 1:
            report.add_error(1, name, "appears more than once")
            problems = True
    for name in REQUIRED_COLUMNS:
        if name not in header:
            report.add_error(1, name, "required column is missing")
            problems = True
    return problems


def _records(opener: Opener, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells in `COLUMNS` order) for every record whose text is readable;
    file-level problems and undecodable cells go into the report."""
    with opener() as raw:
        # surrogateescape keeps undecodable bytes visible, so we can name their line.
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            report.add_error(1, "header", f"cannot be read as CSV ({exc})")
            return
        if not header:
            report.add_error(1, "header", "the file is empty; a header row is required")
            return
        header = [h.strip() for h in header]
        if _header_problems(header, report):
            return
        width = len(header)
        in_order = header == list(COLUMNS)
        positions = [header.index(c) if c in header else None for c in COLUMNS]
        last_line = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                report.add_error(last_line + 1, "file", f"cannot be read as CSV ({exc})")
                return
            line = last_line + 1
            last_line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) > width:
                report.add_error(line, "file", f"has {len(row)} cells but the header has {width}")
                continue
            joined = "".join(row)
            if not joined.isascii():
                try:
                    joined.encode("utf-8")
                except UnicodeEncodeError:
                    column = next(h for h, v in zip(header, row, strict=False) if _undecoded(v))
                    report.add_error(
                        line, column, "is not valid UTF-8 text (save the file as UTF-8)"
                    )
                    continue
            if in_order and len(row) == width:
                yield line, row
            else:
                count = len(row)
                yield line, [row[p] if p is not None and p < count else "" for p in positions]


def _undecoded(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _auto_ref(record: PledgeRecord) -> str:
    """A ref for a row without one, stable across re-imports of the same row."""
    digest = hashlib.sha256(
        f"{name_key(record.company)}|{record.title}|{record.announced_on}".encode()
    ).hexdigest()[:10]
    return f"auto-{digest}"


def _valid_records(
    opener: Opener, report: ImportReport, progress: Progress | None
) -> Iterator[tuple[int, PledgeRecord]]:
    """Every record that passes the per-row rules; the others' problems go into the report.
    `progress` hears of every `BATCH_SIZE` records read, valid or not."""
    read = 0
    for line, cells in _records(opener, report):
        read += 1
        if progress and read % BATCH_SIZE == 0:
            progress(BATCH_SIZE)
        parsed = parse_cells(cells)
        if isinstance(parsed, list):
            for problem in parsed:
                report.add_error(line, problem.column, problem.message)
            continue
        if not parsed.ref:
            parsed = parsed._replace(ref=_auto_ref(parsed))
        yield line, parsed
    if progress:
        progress(read % BATCH_SIZE)


def import_pledges(
    source: str | Path | bytes,
    *,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    progress: Progress | None = None,
    record_actions: bool = False,
) -> ImportReport:
    """Upsert every pledge of an interchange CSV, or nothing at all.

    One streaming pass inside one transaction; every bad line is named. Raises `InvalidFile`
    (nothing imported) or returns the counts; a dry run returns what would have happened and
    writes nothing. `progress(n)` is called as records are read. `record_actions` fills
    `report.actions` (one entry per row: for previews of spreadsheets, not million-row files).
    """
    report = ImportReport(dry_run=dry_run)
    user_id = user.pk if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            records = _valid_records(_opener(source), report, progress)
            if _stages_in_database():
                _import_staged(
                    records,
                    report,
                    size=_size(source),
                    user_id=user_id,
                    record_actions=record_actions,
                )
            else:
                _import_in_batches(records, report, user=user, record_actions=record_actions)
            if report.rows == 0 and report.ok:
                report.add_error(2, "file", "has no pledge rows")
            if not report.ok:
                raise InvalidFile(report)
            if dry_run:
                raise _RollbackDryRun
    except _RollbackDryRun:
        pass
    else:
        # A bulk load rebuilt every index, which counted the rows of each table for the
        # planner; autovacuum gathers the column statistics within a minute.
        if report.created + report.updated >= ANALYZE_AFTER_ROWS and not report.bulk:
            _refresh_planner_statistics()
    return report


def _stages_in_database() -> bool:
    """PostgreSQL stages the file and writes set-based; other databases write in batches."""
    return connection.vendor == "postgresql"


def _size(source: str | Path | bytes) -> int:
    return len(source) if isinstance(source, bytes) else Path(source).stat().st_size


def _import_staged(
    records: Iterable[tuple[int, PledgeRecord]],
    report: ImportReport,
    *,
    size: int,
    user_id: int | None,
    record_actions: bool,
) -> None:
    # `close` lets go of a bulk load's second connection, however the import ends.
    with closing(StagedImport()) as staged:
        staged.open()
        report.bulk = not report.dry_run and staged.begin_bulk(
            size, user_id=user_id, writing=lambda: report.ok
        )
        # The file is read and checked in a thread of its own, a few chunks ahead, while this
        # one stages the rows (and, in a bulk load, writes them) in the database.
        prepare = functools.partial(encode_chunk, bulk=staged.bulk_rows)
        rows = BULK_CHUNK_ROWS if report.bulk else BATCH_SIZE
        with _read_ahead(records, chunk_rows=rows, prepare=prepare) as chunks:
            report.rows = staged.stage(chunks, writing=lambda: report.ok)
        if not report.rows:
            return
        report.add_found_errors(*staged.file_errors(MAX_REPORTED_ERRORS))
        writing = report.ok and not report.dry_run
        if writing and not report.bulk:
            staged.lock()
        refused = staged.make_plan(MAX_REPORTED_ERRORS)
        report.add_found_errors(refused, staged.plan.refused)
        if not report.ok:
            return
        plan = staged.plan
        report.created, report.updated, report.unchanged = plan.new, plan.changed, plan.unchanged
        report.status_updates_created = plan.status_updates
        if record_actions:
            report.actions = dict(staged.actions())
        if writing:
            report.companies_created, report.sources_created = staged.write(user_id=user_id)
        else:
            report.companies_created = staged.count_new_companies()
            report.sources_created = staged.count_new_sources()


_DONE = object()
# Threaded imports running now in this process, and the switch interval from before the first.
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


@contextmanager
def _short_switch_interval() -> Iterator[None]:
    """`READER_SWITCH_INTERVAL` while any threaded import runs in this process: the first
    to start sets it, the last to finish puts the previous value back (imports may overlap
    in a threaded web worker)."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_saved, READER_SWITCH_INTERVAL))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)


@contextmanager
def _read_ahead(
    records: Iterable[tuple[int, PledgeRecord]],
    *,
    chunk_rows: int,
    prepare: Callable[[list[tuple[int, PledgeRecord]]], Chunk],
    depth: int = 2,
) -> Iterator[Iterator[Chunk]]:
    """`records` in lists of `chunk_rows` (the first few smaller), each passed through
    `prepare`, produced by a thread at most `depth` chunks ahead (so memory stays bounded);
    its exceptions are raised here."""
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            chunk: list[tuple[int, PledgeRecord]] = []
            # The first chunks are smaller (an eighth, a quarter, a half): the database and the
            # vectoriser start on rows sooner instead of waiting for a whole first chunk
            # (0.15 s of 100,000 rows, measured).
            size = max(1, chunk_rows // 8)
            for item in records:
                chunk.append(item)
                if len(chunk) >= size:
                    if not put(prepare(chunk)):
                        return
                    chunk = []
                    size = min(size * 2, chunk_rows)
            if chunk:
                put(prepare(chunk))
            put(_DONE)
        except BaseException as exc:  # handed over to the consuming thread
            put(exc)

    def consume() -> Iterator[Chunk]:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    worker = threading.Thread(target=produce, name="import-reader", daemon=True)
    # The consumer mostly waits on the database and needs the GIL back at once when it answers;
    # at the default 5 ms switch interval it queues behind the reader's parsing, which halved
    # the rate at which COPY data went out (measured: 2.2 s against 1.2 s per 100,000 rows).
    with _short_switch_interval():
        worker.start()
        try:
            yield consume()
        finally:
            stop.set()
            worker.join()


def _import_in_batches(
    records: Iterable[tuple[int, PledgeRecord]],
    report: ImportReport,
    *,
    user: AbstractBaseUser | None,
    record_actions: bool,
) -> None:
    checker = Checker(report)
    writer = BatchWriter(report, user)
    batch: list[tuple[int, PledgeRecord]] = []
    for line, record in records:
        report.rows += 1
        if checker.check(line, record) and report.ok:
            batch.append((line, record))
        if len(batch) >= BATCH_SIZE:
            writer.write_batch(batch)
            batch = []
    if report.ok and batch:
        writer.write_batch(batch)
    if not record_actions:
        report.actions = {}


def _refresh_planner_statistics() -> None:
    """After a large import the planner's row estimates are stale until autovacuum runs;
    the API's and pages' query plans depend on them, so refresh them now."""
    if connection.vendor != "postgresql":
        return
    tables = [
        m._meta.db_table
        for m in (Pledge, PledgeLocation, PledgeSource, Source, StatusUpdate, Company)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
