"""The pledge interchange CSV (shared/spec/pledges-csv.md): columns, cell parsing, row format.

Pure functions, no database: `parse_record` turns one CSV record into a `PledgeRecord` or a
list of `CellError`s; `format_record` writes the canonical cells. The import service, the export
and the API's CSV all go through here, so the format is defined exactly once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
_REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_WHOLE_RE = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Columns a spreadsheet could execute as a formula; numbers and dates are never text.
_TEXT_COLUMNS = frozenset(
    {"ref", "company", "title", "announced_by", "made_to", "locations", "summary"}
)


@dataclass(frozen=True)
class CellError:
    column: str
    message: str


@dataclass(frozen=True)
class PledgeRecord:
    """One valid row, with every cell in its Python type; `None` means unknown."""

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
    source_urls: tuple[str, ...] = field(default=())


def neutralise_formula(text: str) -> str:
    """Prefix `'` to a cell a spreadsheet would run as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unneutralise_formula(text: str) -> str:
    """Undo `neutralise_formula`, so export → import → export is the identity."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _clean_text(value: str) -> str:
    # NUL bytes cannot be stored by PostgreSQL and never belong in a pledge.
    return unneutralise_formula(value.strip())


def _parse_date(value: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
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


def parse_record(cells: dict[str, str]) -> PledgeRecord | list[CellError]:
    """Validate one record (column → raw text) against the interchange contract."""
    errors: list[CellError] = []
    text: dict[str, str] = {}
    for column in COLUMNS:
        raw = cells.get(column) or ""
        if "\x00" in raw:
            errors.append(CellError(column, "contains a NUL character"))
            raw = raw.replace("\x00", "")
        value = _clean_text(raw) if column in _TEXT_COLUMNS else raw.strip()
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            errors.append(CellError(column, f"is longer than {limit} characters"))
        text[column] = value

    for column in REQUIRED_COLUMNS:
        if not text[column]:
            errors.append(CellError(column, "is required"))

    if text["ref"] and not _REF_RE.fullmatch(text["ref"]):
        errors.append(
            CellError(
                "ref",
                "may contain only letters, digits, '.', '_' and '-', "
                "starting with a letter or digit",
            )
        )
    if text["company_country"] and not _COUNTRY_RE.fullmatch(text["company_country"]):
        errors.append(
            CellError(
                "company_country",
                f"{text['company_country']!r} is not an ISO 3166-1 alpha-2 code such as US",
            )
        )

    dates: dict[str, dt.date | None] = {}
    for column in ("announced_on", "deadline", "status_on"):
        dates[column] = None
        if text[column]:
            try:
                dates[column] = _parse_date(text[column])
            except ValueError as exc:
                errors.append(CellError(column, str(exc)))

    numbers: dict[str, int | None] = {}
    for column in ("jobs_promised", "investment_usd"):
        numbers[column] = None
        if text[column]:
            try:
                numbers[column] = _parse_whole(text[column])
            except ValueError as exc:
                errors.append(CellError(column, str(exc)))
    if not text["jobs_promised"] and not text["investment_usd"]:
        errors.append(CellError("jobs_promised", "give jobs_promised or investment_usd (or both)"))

    jobs_kind = text["jobs_kind"] or JobsKind.UNSPECIFIED
    if jobs_kind not in _JOBS_KINDS:
        errors.append(
            CellError("jobs_kind", f"{jobs_kind!r} is not one of {', '.join(JobsKind.values)}")
        )
    status = text["status"] or Status.ANNOUNCED
    if status not in _STATUSES:
        errors.append(CellError("status", f"{status!r} is not one of {', '.join(Status.values)}"))
    elif status != Status.ANNOUNCED and not text["status_on"]:
        errors.append(CellError("status_on", f"is required when status is {status}"))
    elif status == Status.ANNOUNCED and text["status_on"]:
        errors.append(CellError("status_on", "must be empty while status is announced"))

    announced_on = dates["announced_on"]
    if announced_on:
        if dates["deadline"] and dates["deadline"] < announced_on:
            errors.append(CellError("deadline", "is before announced_on"))
        if dates["status_on"] and dates["status_on"] < announced_on:
            errors.append(CellError("status_on", "is before announced_on"))

    locations = tuple(part.strip() for part in text["locations"].split(";") if part.strip())
    if len(locations) > MAX_LOCATIONS:
        errors.append(CellError("locations", f"has more than {MAX_LOCATIONS} places"))
    if any(len(place) > MAX_LOCATION_LENGTH for place in locations):
        errors.append(
            CellError("locations", f"a place is longer than {MAX_LOCATION_LENGTH} characters")
        )

    urls: list[str] = []
    for raw_url in text["source_urls"].split():
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
        ref=text["ref"],
        company=" ".join(text["company"].split()),
        company_country=text["company_country"],
        title=text["title"],
        announced_on=announced_on,
        announced_by=text["announced_by"],
        made_to=text["made_to"],
        jobs_promised=numbers["jobs_promised"],
        jobs_kind=jobs_kind,
        investment_usd=numbers["investment_usd"],
        locations=locations,
        deadline=dates["deadline"],
        status=status,
        status_on=dates["status_on"],
        summary=text["summary"],
        source_urls=tuple(urls),
    )


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
