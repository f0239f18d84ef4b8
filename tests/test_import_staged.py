"""The PostgreSQL import path: staging table, bulk variant, bounded memory, locks.

`tests/test_import_export.py` holds the interchange contract; these tests check that the three
ways of writing an import (bulk, in place, and the portable batches the SQLite demo uses) give
the same database, that a bulk load puts back every index and key it dropped, and that memory
does not grow with the file.
"""

from __future__ import annotations

import csv
import gc
import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pledges.interchange import COLUMNS
from pledges.models import (
    Company,
    CompanyAlias,
    Pledge,
    PledgeDocument,
    PledgeSource,
    Source,
    StatusUpdate,
)
from pledges.services import import_staged, imports
from pledges.services.documents import documents_build
from pledges.services.imports import InvalidFile, import_pledges
from tests.test_import_export import _generated_csv

pytestmark = pytest.mark.django_db

BULK_TABLES = list(import_staged._BULK_TABLE_NAMES)


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import of these tests takes the bulk variant (3 MB at least otherwise)."""
    monkeypatch.setattr(import_staged, "BULK_LOAD_MIN_BYTES", 0)


@pytest.fixture
def in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_staged, "BULK_LOAD_MIN_BYTES", 10**12)


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """The portable writer the SQLite demo uses, run on PostgreSQL."""
    monkeypatch.setattr(imports, "_stages_in_database", lambda: False)


def _export() -> str:
    out = io.StringIO()
    call_command("export_pledges", stdout=out)
    return out.getvalue()


def _database() -> list[tuple]:
    """What an import wrote beyond the export: slugs, companies, roles, status history."""
    return [
        *Pledge.objects.order_by("ref").values_list("ref", "slug", "company__slug", "search_text"),
        *Company.objects.order_by("slug").values_list("slug", "name", "country"),
        *PledgeSource.objects.order_by("pledge__ref", "position").values_list(
            "pledge__ref", "source__url", "role", "quote", "position"
        ),
        *StatusUpdate.objects.order_by("pledge__ref", "established_on").values_list(
            "pledge__ref", "status", "established_on", "explanation", "recorded_by"
        ),
        *StatusUpdate.evidence.through.objects.order_by(
            "statusupdate__pledge__ref", "source__url"
        ).values_list("statusupdate__pledge__ref", "source__url"),
        *Source.objects.order_by("url").values_list("url", "health"),
    ]


def _clear() -> None:
    for model in (StatusUpdate, Pledge, Source, CompanyAlias, Company):
        model.objects.all().delete()


def _schema() -> list[tuple]:
    """Every index and constraint of the tables a bulk load re-indexes, and every foreign key
    to them from other tables (it drops those too)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid), indisvalid
            FROM pg_index WHERE indrelid = ANY(%s::regclass[])
            UNION ALL
            SELECT conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid),
                   convalidated
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[])
               OR (contype = 'f' AND confrelid = ANY(%s::regclass[]))
            ORDER BY 1, 2
            """,
            [BULK_TABLES, BULK_TABLES, BULK_TABLES],
        )
        return cursor.fetchall()


def test_bulk_in_place_and_batches_write_the_same_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _generated_csv(400)
    results = []
    for threshold, staged in ((0, True), (10**12, True), (0, False)):
        monkeypatch.setattr(import_staged, "BULK_LOAD_MIN_BYTES", threshold)
        monkeypatch.setattr(imports, "_stages_in_database", lambda staged=staged: staged)
        report = import_pledges(data)
        assert report.bulk is (threshold == 0 and staged)
        results.append(
            (
                _export(),
                _database(),
                (report.created, report.companies_created, report.sources_created),
                report.status_updates_created,
            )
        )
        _clear()
    assert results[0][0].encode() == data  # canonical in, canonical out
    assert results[0] == results[1] == results[2]


def _column_defaults() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, column_default FROM information_schema.columns"
            " WHERE table_name = ANY(%s) ORDER BY 1, 2",
            [BULK_TABLES],
        )
        return cursor.fetchall()


def test_bulk_load_stamps_rows_with_its_time_and_leaves_no_default(bulk: None) -> None:
    """The load's time is the stamped columns' default while it writes (`stamp_defaults`):
    every new row has it, and the columns have no default after, as the models say."""
    before = _column_defaults()
    assert not any(column in {"created_at", "updated_at", "recorded_at"} and default
                   for _table, column, default in before)  # fmt: skip
    started = timezone.now()
    report = import_pledges(_generated_csv(300))
    assert report.bulk and report.status_updates_created
    assert _column_defaults() == before
    stamps = {
        *Pledge.objects.values_list("created_at", "updated_at"),
        *Company.objects.values_list("created_at", "updated_at"),
        *Source.objects.values_list("created_at", "updated_at"),
        *((at, at) for at in StatusUpdate.objects.values_list("recorded_at", flat=True)),
    }
    assert len(stamps) == 1
    created, updated = stamps.pop()
    assert created == updated and started <= created <= timezone.now()


def test_bulk_load_puts_back_every_index_and_key(bulk: None) -> None:
    before = _schema()
    assert any("USING gin" in row[1] for row in before)  # full-text search's index too
    assert any(row[0].startswith("pledges_claim.") for row in before)  # keys from elsewhere
    assert any(row[1] == "PRIMARY KEY (id)" for row in before)
    report = import_pledges(_generated_csv(300))
    assert report.bulk
    assert _schema() == before


def _document_triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger"
            " WHERE tgfoid = 'pledges_document_invalidate'::regproc ORDER BY 1"
        )
        return cursor.fetchall()


def test_bulk_load_deletes_the_documents_of_what_was_there(bulk: None) -> None:
    data = _generated_csv(300)
    import_pledges(data)
    triggers = _document_triggers()
    assert len(triggers) == 17 and {state for _, state in triggers} == {"O"}
    assert documents_build() == 300
    changed = data.replace(b",kept,", b",broken,", 1)
    assert changed != data

    report = import_pledges(changed)

    # The load wrote with the document triggers off, deleted every document itself, and
    # turned them on again.
    assert report.bulk and report.updated == 1
    assert not PledgeDocument.objects.exists()
    assert _document_triggers() == triggers
    assert documents_build() == 300
    assert _export().encode() == changed


def test_bulk_load_then_reimport_changes_nothing(bulk: None) -> None:
    data = _generated_csv(300)
    import_pledges(data)
    updates = StatusUpdate.objects.count()
    again = import_pledges(data)
    assert again.bulk  # still few pledges: every row is known, nothing is written
    assert (again.created, again.updated, again.unchanged) == (0, 0, 300)
    assert (again.companies_created, again.sources_created) == (0, 0)
    assert StatusUpdate.objects.count() == updates
    assert _export().encode() == data


def test_bulk_load_of_a_bad_file_imports_nothing(bulk: None) -> None:
    data = _generated_csv(300)
    before = _schema()
    bad = data + b"zz-last,Acme,US,Title,2017-02-30,,,5,direct,,,,,,,https://x.example/\r\n"
    with pytest.raises(InvalidFile) as exc:
        import_pledges(bad)
    assert [str(e) for e in exc.value.report.errors] == [
        "line 302: announced_on: '2017-02-30' is not a real date"
    ]
    assert Pledge.objects.count() == Source.objects.count() == Company.objects.count() == 0
    assert _schema() == before


@pytest.mark.parametrize("path", ["bulk", "in_place", "batches"])
def test_file_wide_problems_named_on_every_path(path: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue(path)
    rows = list(csv.reader(io.StringIO(_generated_csv(50).decode())))
    header, body = rows[0], rows[1:]
    ref, company, country = (header.index(c) for c in ("ref", "company", "company_country"))
    body[30][ref] = body[3][ref]  # line 32 repeats line 5's ref
    body[2][company], body[2][country] = "Zed Corp", "US"  # line 4
    body[40][company], body[40][country] = "ZED  CORP", "CA"  # line 42: same company
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    with pytest.raises(InvalidFile) as exc:
        import_pledges(out.getvalue().encode())
    assert [str(e) for e in exc.value.report.errors] == [
        f"line 32: ref: {body[3][ref]!r} appears again (first on line 5)",
        "line 42: company_country: 'CA' contradicts 'US' given for 'ZED CORP' on line 4",
    ]
    assert Pledge.objects.count() == 0


@pytest.mark.parametrize("path", ["bulk", "in_place", "batches"])
def test_a_company_takes_the_first_country_its_rows_give(
    path: str, request: pytest.FixtureRequest
) -> None:
    """Rows without a country say nothing; the first row that gives one decides, on every
    path (`_settle_countries`), also for a company the database knew without one."""
    request.getfixturevalue(path)
    Company.objects.create(name="Known Co", slug="known-co")
    rows = list(csv.reader(io.StringIO(_generated_csv(60).decode())))
    header, body = rows[0], rows[1:]
    company, country = header.index("company"), header.index("company_country")
    for index, (name, given) in {
        5: ("Late Co", ""),
        9: ("late co", "DE"),
        20: ("Late Co", "DE"),
        7: ("Known Co", ""),
        30: ("KNOWN CO", "FR"),
        11: ("Never Co", ""),
    }.items():
        body[index][company], body[index][country] = name, given
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    report = import_pledges(out.getvalue().encode())
    assert report.bulk is (path == "bulk")
    countries = dict(
        Company.objects.filter(name__in=["Late Co", "Known Co", "Never Co"]).values_list(
            "name", "country"
        )
    )
    assert countries == {"Late Co": "DE", "Known Co": "FR", "Never Co": ""}


@pytest.mark.parametrize("path", ["bulk", "in_place"])
def test_refs_that_slugify_alike_get_free_slugs(path: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue(path)
    template = ",Acme,US,Title {n},2017-01-0{n},,,5,direct,,,,,,,https://x.example/{n}"
    import_pledges(
        ("\r\n".join([",".join(COLUMNS), "abc" + template.format(n=1)]) + "\r\n").encode()
    )
    refs = ["ABC", "a.b.c", "abc-2", "Abc-2", "zz"]
    lines = [ref + template.format(n=i + 2) for i, ref in enumerate(refs)]
    report = import_pledges(("\r\n".join([",".join(COLUMNS), *lines]) + "\r\n").encode())
    assert report.created == 5
    slugs = dict(Pledge.objects.values_list("ref", "slug"))
    assert slugs["abc"] == "abc" and slugs["zz"] == "zz"
    assert len(set(slugs.values())) == 6
    assert all(slugs[ref].startswith(("abc", "zz")) for ref in refs)


def test_dry_run_counts_what_the_import_then_does() -> None:
    data = _generated_csv(200)
    import_pledges(data)
    rows = list(csv.reader(io.StringIO(data.decode())))
    header, body = rows[0], rows[1:]
    title, urls, status = (header.index(c) for c in ("title", "source_urls", "status"))
    for row in body[:20]:
        row[title] += " (revised)"
    for row in body[20:30]:
        row[urls] += " https://new.example/" + row[0]
    for row in body[30:80]:
        if row[status] == "announced":
            row[status], row[status + 1] = "kept", "2030-01-01"
    for n in range(15):
        body.append([f"new-{n}", f"Brand New {n}", "", "Fresh", "2020-01-01", "", "", "7",
                     "", "", "", "", "", "", "", f"https://fresh.example/{n}"])  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    changed = out.getvalue().encode()

    def counts(report: imports.ImportReport) -> tuple[int, ...]:
        return (
            report.created,
            report.updated,
            report.unchanged,
            report.companies_created,
            report.sources_created,
            report.status_updates_created,
        )

    dry = import_pledges(changed, dry_run=True)
    real = import_pledges(changed)
    assert counts(dry) == counts(real)
    assert real.created == 15 and real.updated >= 30 and real.companies_created == 15


def test_query_count_does_not_grow_with_the_file(bulk: None) -> None:
    counts = []
    for rows in (100, 400):
        _clear()
        counter = _Counter()
        with connection.execute_wrapper(counter):
            import_pledges(_generated_csv(rows))
        counts.append(counter.calls)
    assert counts[0] == counts[1]


class _Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, execute: Callable, sql: str, params: object, many: bool, context: dict):  # type: ignore[no-untyped-def]
        self.calls += 1
        return execute(sql, params, many, context)


def _held_locks() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relation::regclass::text, mode FROM pg_locks"
            " WHERE pid = pg_backend_pid() AND locktype = 'relation'"
            " AND relation = ANY(%s::regclass[])",
            [BULK_TABLES],
        )
        return set(cursor.fetchall())


@pytest.mark.parametrize("path", ["bulk", "in_place"])
def test_only_the_bulk_variant_locks_readers_out(
    path: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    request.getfixturevalue(path)
    seen: list[set[tuple[str, str]]] = []
    write = import_staged.StagedImport.write

    def spying_write(self: import_staged.StagedImport, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(_held_locks())
        return write(self, **kwargs)

    monkeypatch.setattr(import_staged.StagedImport, "write", spying_write)
    import_pledges(_generated_csv(50))
    exclusive = {table for table, mode in seen[0] if mode == "AccessExclusiveLock"}
    assert exclusive == (set(BULK_TABLES) if path == "bulk" else set())


@pytest.mark.parametrize("held", ["pledges_pledge", "pledges_sourcecheck"])
def test_bulk_variant_gives_way_to_readers(
    held: str, bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader holding the pledge table, or a table whose keys refer to the load's tables
    (the load drops those keys too), makes the import take the in-place way instead of
    waiting (and making every later reader wait behind it)."""
    monkeypatch.setattr(import_staged, "BULK_LOCK_TIMEOUT", "200ms")
    settings = connection.settings_dict
    reader = psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        reader.execute(f"SELECT count(*) FROM {held}")  # holds ACCESS SHARE till rollback
        report = import_pledges(_generated_csv(50))
    finally:
        reader.rollback()
        reader.close()
    assert not report.bulk and report.created == 50


def _big_file(path: Path, rows: int, *, distinct_urls: bool) -> None:
    """`rows` rows, the last one bad."""
    row = _generated_csv(1).decode().split("\r\n")[1].split(",", 1)[1]
    with path.open("w", newline="") as out:
        out.write(",".join(COLUMNS) + "\r\n")
        for n in range(rows):
            url = f"https://n{n}.x/" if distinct_urls else f"https://n{n % 100}.x/"
            out.write(f"R{n:07d},{row}\r\n".replace("https://n.example/", url))
        out.write("R-bad,Acme,,Title,2017-13-01,,,5,,,,,,,,https://x.example/\r\n")


def _peak_of_failing_import(path: Path, rows: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        with pytest.raises(InvalidFile) as exc:
            import_pledges(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(e) for e in exc.value.report.errors] == [
        f"line {rows + 2}: announced_on: '2017-13-01' is not a real date"
    ]
    assert exc.value.report.rows == rows
    assert Pledge.objects.count() == 0
    return peak


def test_memory_does_not_grow_with_the_file(tmp_path: Path, in_place: None) -> None:
    """200,000 rows, the last one bad: nothing is imported, the line is named, and Python's
    memory peak stays far below what holding the rows would take (about 260 MB parsed; even a
    set of their refs is 25 MB)."""
    path = tmp_path / "big.csv"
    _big_file(path, 200_000, distinct_urls=True)
    peak = _peak_of_failing_import(path, 200_000)
    assert peak < 16_000_000, f"peak {peak / 1e6:.1f} MB"


def test_bulk_memory_grows_with_the_distinct_urls_only(tmp_path: Path, bulk: None) -> None:
    """A bulk load remembers the id of every company and source URL it has seen
    (`import_bulk`), nothing per row: 200,000 rows citing 100 URLs stay within the few
    chunks in flight (about 20 MB), and distinct URLs add about 450 bytes each."""
    path = tmp_path / "big.csv"
    _big_file(path, 60_000, distinct_urls=False)
    few = _peak_of_failing_import(path, 60_000)
    _big_file(path, 60_000, distinct_urls=True)
    many = _peak_of_failing_import(path, 60_000)
    assert few < 40_000_000, f"peak {few / 1e6:.1f} MB"
    assert (many - few) / 60_000 < 700, f"{(many - few) / 60_000:.0f} bytes per URL"


def test_text_that_only_looks_neutralised_survives_the_round_trip(in_place: None) -> None:
    """A title stored as `'=x` (not a formula: it starts with an apostrophe) is exported as
    `''=x` and imported back as `'=x`, not as the formula `=x`."""
    import_pledges(_generated_csv(3))
    Pledge.objects.filter(pk=Pledge.objects.order_by("ref").first().pk).update(title="'=x")
    exported = _export()
    assert ",''=x," in exported
    _clear()
    import_pledges(exported.encode())
    assert Pledge.objects.order_by("ref").first().title == "'=x"
    assert _export() == exported


# COPY's text format gives these characters a meaning (`encode_chunk` escapes them).
AWKWARD_TEXT = "tab\there, back\\slash, \\N, \\t literally,\nnew line,\r\ncarriage, é ✓"


@pytest.mark.parametrize("path", ["bulk", "in_place"])
def test_cells_with_copy_format_characters_arrive_as_written(
    path: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue(path)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        ref="AWK-1",
        company="Back\\slash\tCo",
        title="A title with \\N in it",
        announced_on="2017-01-09",
        jobs_promised="10",
        jobs_kind="direct",
        status="announced",
        summary=AWKWARD_TEXT,
        made_to="Someone \\ else",
        source_urls="https://example.com/a?q=1\\2",
    )
    writer.writerow([row[c] for c in COLUMNS])
    report = import_pledges(out.getvalue().encode())
    assert not report.errors, report.errors
    pledge = Pledge.objects.select_related("company").get(ref="AWK-1")
    assert pledge.summary == AWKWARD_TEXT
    assert pledge.title == "A title with \\N in it"
    assert pledge.made_to == "Someone \\ else"
    assert pledge.company.name == "Back\\slash Co"  # white space in names is collapsed
    assert list(pledge.sources.values_list("url", flat=True)) == ["https://example.com/a?q=1\\2"]
    # In a bulk load the row went through a second connection's COPY both ways (`Vectoriser`).
    assert _stale_vectors() == 0


def test_encode_chunk_writes_copy_text_format() -> None:
    """Unknown values are `\\N`; tab, line breaks and backslash are escaped; dates ISO."""
    import datetime as dt

    from pledges.interchange import PledgeRecord

    record = PledgeRecord(
        ref="R-1",
        company="Co",
        company_country="",
        title="T\tab",
        announced_on=dt.date(2017, 1, 9),
        announced_by="",
        made_to="",
        jobs_promised=None,
        jobs_kind="direct",
        investment_usd=5,
        locations=("US-WI", "Mount Pleasant"),
        deadline=None,
        status="announced",
        status_on=dt.date(2018, 2, 3),
        summary="a\\b\nc\rd",
        source_urls=("https://a.example/", "https://b.example/"),
    )
    chunk = import_staged.encode_chunk([(7, record)])
    assert (chunk.first_line, chunk.last_line, chunk.rows) == (7, 7, 1)
    cells = chunk.payload.decode().removesuffix("\n").split("\t")
    assert len(cells) == len(import_staged._STAGE_COLUMNS)
    by_column = dict(zip(import_staged._STAGE_COLUMNS, cells, strict=True))
    assert by_column["line"] == "7"
    assert by_column["title"] == "T\\tab"
    assert by_column["summary"] == "a\\\\b\\nc\\rd"
    assert by_column["jobs_promised"] == "\\N"
    assert by_column["investment_usd"] == "5"
    assert by_column["deadline"] == "\\N"
    assert by_column["announced_on"] == "2017-01-09"
    assert by_column["status_on"] == "2018-02-03"
    assert by_column["locations"] == "US-WI;Mount Pleasant"
    assert by_column["source_urls"] == "https://a.example/ https://b.example/"
    assert import_staged.encode_chunk([]).payload == b""


def test_overlapping_imports_put_the_switch_interval_back() -> None:
    """The first threaded import lowers the GIL switch interval, the last one to finish puts
    the process's own value back, whatever the order they end in, errors included."""
    import sys

    original = sys.getswitchinterval()
    first = imports._short_switch_interval()
    second = imports._short_switch_interval()
    first.__enter__()
    assert sys.getswitchinterval() == imports.READER_SWITCH_INTERVAL
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert sys.getswitchinterval() == imports.READER_SWITCH_INTERVAL
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == original
    with pytest.raises(RuntimeError), imports._short_switch_interval():
        raise RuntimeError("an import that fails")
    assert sys.getswitchinterval() == original


def _stale_vectors() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pledges_pledge"
            " WHERE search_vector IS DISTINCT FROM to_tsvector('english', search_text)"
        )
        return cursor.fetchone()[0]


def _vector_triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger"
            " WHERE tgfoid = 'pledges_pledge_search_vector'::regproc"
        )
        return set(cursor.fetchall())


@pytest.mark.parametrize("path", ["bulk", "in_place"])
def test_search_vectors_are_the_texts_vectors(path: str, request: pytest.FixtureRequest) -> None:
    """A bulk load has its vectors computed on a second connection with the trigger off
    (`import_bulk.Vectoriser`); they must be what the trigger computes, and it must be on
    again after. Then the trigger (migration 0017) keeps them so, whatever writes the text."""
    request.getfixturevalue(path)
    triggers = _vector_triggers()
    assert {state for _, state in triggers} == {"O"} and len(triggers) == 2
    report = import_pledges(_generated_csv(200))
    assert report.bulk is (path == "bulk")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pledges_pledge WHERE search_vector IS NULL")
        assert cursor.fetchone()[0] == 0
    assert _stale_vectors() == 0
    assert _vector_triggers() == triggers
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pledges_pledge SET search_text = 'zebra crossing' WHERE id IN"
                       " (SELECT id FROM pledges_pledge ORDER BY id LIMIT 5)")  # fmt: skip
        cursor.execute("UPDATE pledges_pledge SET search_vector = 'forged'::tsvector WHERE id IN"
                       " (SELECT id FROM pledges_pledge ORDER BY id DESC LIMIT 5)")  # fmt: skip
        cursor.execute("SELECT count(*) FROM pledges_pledge WHERE search_vector @@ 'zebra'")
        assert cursor.fetchone()[0] == 5
    assert _stale_vectors() == 0


def test_bulk_load_without_a_second_connection_computes_vectors_itself(
    bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No second connection to be had (the server is full): the load goes on, and the
    trigger computes the vectors as the rows arrive."""
    from pledges.services import import_bulk

    monkeypatch.setattr(import_bulk.Vectoriser, "start", classmethod(lambda cls: None))
    report = import_pledges(_generated_csv(100))
    assert report.bulk and report.created == 100
    assert _stale_vectors() == 0
