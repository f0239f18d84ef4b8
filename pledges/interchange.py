"""The pledge interchange CSV (shared/spec/pledges-csv.md): columns, cell parsing, row format.

Pure functions, no database: `parse_record` turns one CSV record into a `PledgeRecord` or a
list of `CellError`s; `format_record` writes the canonical cells. The import service, the export
and the API's CSV all go through here, so the format is defined exactly once.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pledges.models import JobsKind, Status
from pledges.urlnorm import BadURL, normalise_url

COLUMNS: tuple[str, ...] = (
    "ref",
    "company",
    "company_country",
    "title",
    "announced_on",
    "announced_by",
    "made_to",
    "jobs_promised",
    "jobs_kind",
    "investment_usd",
    "locations",
    "deadline",
    "status",
    "status_on",
    "summary",
    "source_urls",
)
REQUIRED_COLUMNS = ("company", "title", "announced_on", "source_urls")

# Field limits mirror the model's column sizes, so a row that parses also saves.
MAX_LENGTHS = {
    "ref": 64,
    "company": 200,
    "title": 300,
    "announced_by": 200,
    "made_to": 200,
    "summary": 20_000,
}
MAX_LOCATION_LENGTH = 200
MAX_LOCATIONS = 50
MAX_SOURCES = 50
MAX_WHOLE_NUMBER = 9_000_000_000_000_000_000  # below PostgreSQL's bigint ceiling

_JOBS_KINDS = frozenset(JobsKind.values)
_STATUSES = frozenset(Status.values)
# Plain strings, not the TextChoices members: records hold the same type whatever the cell.
_UNSPECIFIED: str = JobsKind.UNSPECIFIED.value
_ANNOUNCED: str = Status.ANNOUNCED.value
_REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUL = "\x00"
_MAX_REF = MAX_LENGTHS["ref"]
_MAX_COMPANY = MAX_LENGTHS["company"]
_MAX_TITLE = MAX_LENGTHS["title"]
_MAX_ANNOUNCED_BY = MAX_LENGTHS["announced_by"]
_MAX_MADE_TO = MAX_LENGTHS["made_to"]
_MAX_SUMMARY = MAX_LENGTHS["summary"]
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
# ASCII digits only: `\d` and `int()` would also take "١٢٣" (Arabic-Indic digits).
_WHOLE_RE = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$|^[0-9]+$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(_FORMULA_START)
# Columns a spreadsheet could execute as a formula; numbers and dates are never text.
_TEXT_COLUMNS = frozenset(
    {"ref", "company", "title", "announced_by", "made_to", "locations", "summary"}
)


@dataclass(frozen=True)
class CellError:
    column: str
    message: str


class PledgeRecord(NamedTuple):
    """One valid row, with every cell in its Python type, fields in `COLUMNS` order; `None`
    means unknown. A named tuple rather than a dataclass: the importer builds one per row, and
    a tuple is built several times faster."""

    ref: str
    company: str
    company_country: str
    title: str
    announced_on: dt.date
    announced_by: str
    made_to: str
    jobs_promised: int | None
    jobs_kind: str
    investment_usd: int | None
    locations: tuple[str, ...]
    deadline: dt.date | None
    status: str
    status_on: dt.date | None
    summary: str
    source_urls: tuple[str, ...] = ()


def neutralise_formula(text: str) -> str:
    """Prefix `'` to a cell a spreadsheet would run as a formula (CSV injection); also to one
    that only looks neutralised (`'=x` stored as such), so that import gives it back whole."""
    return "'" + text if text.lstrip("'").startswith(_FORMULA_START) else text


def unneutralise_formula(text: str) -> str:
    """Undo `neutralise_formula`, so export → import → export is the identity."""
    if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_START):
        return text[1:]
    return text


def _clean_text(value: str) -> str:
    value = value.strip()
    # `unneutralise_formula`, inlined: this runs seven times per imported row.
    if value[:1] == "'" and value.lstrip("'")[:1] in _FORMULA_CHARS:
        return value[1:]
    return value


def _parse_date(value: str) -> dt.date:
    if not _DATE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def _parse_whole(value: str) -> int:
    if not _WHOLE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a whole number >= 0 (digits, optionally 1,000,000)")
    number = int(value.replace(",", ""))
    if number > MAX_WHOLE_NUMBER:
        raise ValueError(f"{value!r} is too large")
    return number


def parse_record(cells: Mapping[str, str]) -> PledgeRecord | list[CellError]:
    """Validate one record (column → raw text) against the interchange contract."""
    return parse_cells([cells.get(column) or "" for column in COLUMNS])


def parse_cells(raw: Sequence[str]) -> PledgeRecord | list[CellError]:
    """Validate one record given as its raw cells in `COLUMNS` order.

    Errors come in a fixed order: per column (NUL, length), required cells, then each rule
    below in turn. The importer calls this once per row, so it is written for speed: plain
    locals, no per-column dictionaries, the slow paths taken only when a cell needs them.
    """
    errors: list[CellError] = []
    nul_columns: frozenset[str] = frozenset()
    if _NUL in "".join(raw):
        # NUL bytes cannot be stored by PostgreSQL and never belong in a pledge.
        nul_columns = frozenset(c for c, v in zip(COLUMNS, raw, strict=True) if _NUL in v)
        raw = [v.replace(_NUL, "") for v in raw]
    (
        ref,
        company,
        company_country,
        title,
        announced_on_text,
        announced_by,
        made_to,
        jobs_text,
        jobs_kind,
        investment_text,
        locations_text,
        deadline_text,
        status,
        status_on_text,
        summary,
        urls_text,
    ) = raw
    ref = _clean_text(ref)
    company = _clean_text(company)
    company_country = company_country.strip()
    title = _clean_text(title)
    announced_on_text = announced_on_text.strip()
    announced_by = _clean_text(announced_by)
    made_to = _clean_text(made_to)
    jobs_text = jobs_text.strip()
    jobs_kind = jobs_kind.strip()
    investment_text = investment_text.strip()
    locations_text = _clean_text(locations_text)
    deadline_text = deadline_text.strip()
    status = status.strip()
    status_on_text = status_on_text.strip()
    summary = _clean_text(summary)
    urls_text = urls_text.strip()

    if (
        nul_columns
        or len(ref) > _MAX_REF
        or len(company) > _MAX_COMPANY
        or len(title) > _MAX_TITLE
        or len(announced_by) > _MAX_ANNOUNCED_BY
        or len(made_to) > _MAX_MADE_TO
        or len(summary) > _MAX_SUMMARY
    ):
        values = (ref, company, "", title, "", announced_by, made_to)
        values += ("",) * 7 + (summary, "")
        for column, value in zip(COLUMNS, values, strict=True):
            if column in nul_columns:
                errors.append(CellError(column, "contains a NUL character"))
            limit = MAX_LENGTHS.get(column)
            if limit and len(value) > limit:
                errors.append(CellError(column, f"is longer than {limit} characters"))

    if not (company and title and announced_on_text and urls_text):
        for column, value in zip(
            REQUIRED_COLUMNS, (company, title, announced_on_text, urls_text), strict=True
        ):
            if not value:
                errors.append(CellError(column, "is required"))

    if ref and not _REF_RE.fullmatch(ref):
        errors.append(
            CellError(
                "ref",
                "may contain only letters, digits, '.', '_' and '-', "
                "starting with a letter or digit",
            )
        )
    if company_country and not _COUNTRY_RE.fullmatch(company_country):
        errors.append(
            CellError(
                "company_country",
                f"{company_country!r} is not an ISO 3166-1 alpha-2 code such as US",
            )
        )

    announced_on = deadline = status_on = None
    for column, text in (
        ("announced_on", announced_on_text),
        ("deadline", deadline_text),
        ("status_on", status_on_text),
    ):
        if text:
            try:
                date = _parse_date(text)
            except ValueError as exc:
                errors.append(CellError(column, str(exc)))
                continue
            if column == "announced_on":
                announced_on = date
            elif column == "deadline":
                deadline = date
            else:
                status_on = date

    jobs_promised = investment_usd = None
    if jobs_text:
        try:
            jobs_promised = _whole(jobs_text)
        except ValueError as exc:
            errors.append(CellError("jobs_promised", str(exc)))
    if investment_text:
        try:
            investment_usd = _whole(investment_text)
        except ValueError as exc:
            errors.append(CellError("investment_usd", str(exc)))
    elif not jobs_text:
        errors.append(CellError("jobs_promised", "give jobs_promised or investment_usd (or both)"))

    jobs_kind = jobs_kind or _UNSPECIFIED
    if jobs_kind not in _JOBS_KINDS:
        errors.append(
            CellError("jobs_kind", f"{jobs_kind!r} is not one of {', '.join(JobsKind.values)}")
        )
    status = status or _ANNOUNCED
    if status not in _STATUSES:
        errors.append(CellError("status", f"{status!r} is not one of {', '.join(Status.values)}"))
    elif status != _ANNOUNCED and not status_on_text:
        errors.append(CellError("status_on", f"is required when status is {status}"))
    elif status == _ANNOUNCED and status_on_text:
        errors.append(CellError("status_on", "must be empty while status is announced"))

    if announced_on:
        if deadline and deadline < announced_on:
            errors.append(CellError("deadline", "is before announced_on"))
        if status_on and status_on < announced_on:
            errors.append(CellError("status_on", "is before announced_on"))

    locations: tuple[str, ...] = ()
    if locations_text:
        locations = tuple(part.strip() for part in locations_text.split(";") if part.strip())
        if len(locations) > MAX_LOCATIONS:
            errors.append(CellError("locations", f"has more than {MAX_LOCATIONS} places"))
        if any(len(place) > MAX_LOCATION_LENGTH for place in locations):
            errors.append(
                CellError("locations", f"a place is longer than {MAX_LOCATION_LENGTH} characters")
            )

    urls: list[str] = []
    for raw_url in urls_text.split():
        try:
            url = normalise_url(raw_url)
        except BadURL as exc:
            errors.append(CellError("source_urls", f"{raw_url[:80]!r}: {exc}"))
            continue
        if url not in urls:
            urls.append(url)
    if len(urls) > MAX_SOURCES:
        errors.append(CellError("source_urls", f"has more than {MAX_SOURCES} URLs"))

    if errors:
        return errors
    assert announced_on is not None
    return PledgeRecord(
        ref,
        " ".join(company.split()),
        company_country,
        title,
        announced_on,
        announced_by,
        made_to,
        jobs_promised,
        jobs_kind,
        investment_usd,
        locations,
        deadline,
        status,
        status_on,
        summary,
        tuple(urls),
    )


def is_ascii_number(text: str, max_digits: int) -> bool:
    """Whether `text` is a whole number written in at most `max_digits` ASCII digits.

    `str.isdigit` also takes "³" (which `int()` refuses) and "١٢٣" (which it reads): text from
    users goes through this before `int()`."""
    return text.isascii() and text.isdecimal() and len(text) <= max_digits


def _whole(text: str) -> int:
    # Plain ASCII digits (the usual cell) skip the regular expression.
    if is_ascii_number(text, 18):
        return int(text)
    return _parse_whole(text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def format_record(record: PledgeRecord) -> list[str]:
    """The canonical cells of a record, in column order, formulas neutralised."""
    cells = {
        "ref": record.ref,
        "company": record.company,
        "company_country": record.company_country,
        "title": record.title,
        "announced_on": record.announced_on,
        "announced_by": record.announced_by,
        "made_to": record.made_to,
        "jobs_promised": record.jobs_promised,
        "jobs_kind": record.jobs_kind,
        "investment_usd": record.investment_usd,
        "locations": "; ".join(record.locations),
        "deadline": record.deadline,
        "status": record.status,
        "status_on": record.status_on,
        "summary": record.summary,
        "source_urls": " ".join(record.source_urls),
    }
    return [
        neutralise_formula(_cell(cells[c])) if c in _TEXT_COLUMNS else _cell(cells[c])
        for c in COLUMNS
    ]


_TEXT_CELLS = tuple(column in _TEXT_COLUMNS for column in COLUMNS)


class _LineOut:
    """A file whose `write` gives back what it is given: a CSV writer on it returns lines."""

    def write(self, line: str) -> str:
        return line


def csv_line_writer() -> Any:
    """A CSV writer of the interchange's lines (RFC 4180, CRLF) whose `writerow` returns the
    line it writes."""
    return csv.writer(_LineOut(), lineterminator="\r\n")


def neutralise_cells(cells: list[str]) -> list[str]:
    """A row already written as text, in `COLUMNS` order (None as "", dates ISO, places and
    URLs joined), with the formulas of its text columns neutralised: what `format_record`
    gives for the same pledge (the API's CSV pages are formatted by the database)."""
    return [
        neutralise_formula(cell) if text else cell
        for cell, text in zip(cells, _TEXT_CELLS, strict=True)
    ]
