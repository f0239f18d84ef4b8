"""The pledge list's query parameters (the API's names, shared/spec/api.md), parsed and checked.

Pure: no database. `parse_pledge_params` turns a query string into a `PledgeParams` and an error
per bad parameter, so a reader is told "status: unknown value 'kep'" instead of silently
getting unfiltered rows. Two extras serve the HTML form only: `year` (announced that year) and
`deadline_passed` (deadline before today).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_datetime

from pledges.models import JobsKind, Status

ORDERING_FIELDS = ("announced_on", "jobs_promised", "investment_usd", "deadline", "updated_at")
ORDERINGS = frozenset(
    [*ORDERING_FIELDS, "company"] + [f"-{name}" for name in (*ORDERING_FIELDS, "company")]
)
DEFAULT_ORDERING = "-announced_on"
# Long enough for any real query; a cap so nobody feeds the tsquery parser a megabyte.
MAX_TEXT = 200
MAX_WHOLE_NUMBER = 10**12
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_LOCATION_CODE = re.compile(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")


@dataclass(frozen=True)
class PledgeParams:
    """A validated pledge list query; empty values mean "no filter"."""

    statuses: tuple[str, ...] = ()
    company: str = ""
    jobs_kinds: tuple[str, ...] = ()
    jobs_min: int | None = None
    jobs_max: int | None = None
    investment_min: int | None = None
    announced_after: dt.date | None = None
    announced_before: dt.date | None = None
    deadline_after: dt.date | None = None
    deadline_before: dt.date | None = None
    year: int | None = None
    deadline_passed: bool = False
    location: str = ""
    made_to: str = ""
    ref: str = ""
    search: str = ""
    updated_since: dt.datetime | None = None
    # The jobs ledger's: any observation at all (True/False), delivered at least, part of (ref).
    has_observation: bool | None = None
    delivered_min: int | None = None
    part_of: str = ""
    ordering: str = DEFAULT_ORDERING
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def location_is_code(self) -> bool:
        """`US-WI` or `US` is matched as an ISO code; anything else as text."""
        return bool(_LOCATION_CODE.match(self.location))


# What a parameter may be padded with. Not str.strip()'s whole set: it also drops the
# separators \x1c-\x1f and Unicode spaces, which made `has_observation=%1D` an absent filter.
PARAMETER_PADDING = " \t\r\n\x0b\x0c"


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every comma-separated value of a parameter, whether repeated or not."""
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    parts = (part.strip(PARAMETER_PADDING) for value in raw for part in str(value).split(","))
    return [part for part in parts if part]


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """In UTC (a naive time is taken as UTC): PostgreSQL refuses offsets beyond ±15:59, which
    ISO 8601 allows; OverflowError when UTC falls outside the years 1-9999."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _one(params: Mapping[str, Any], name: str) -> str:
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name, "")
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    return str(raw).strip(PARAMETER_PADDING)


def _choices(
    params: Mapping[str, Any], name: str, allowed: list[str], errors: dict[str, str]
) -> tuple[str, ...]:
    values = _values(params, name)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        errors[name] = f"unknown value {unknown[0][:40]!r}; use one of {', '.join(allowed)}"
        return ()
    return tuple(dict.fromkeys(values))


def _integer(
    params: Mapping[str, Any], name: str, errors: dict[str, str], *, grouped: bool = True
) -> int | None:
    raw = _one(params, name)
    if not raw:
        return None
    digits = raw.replace(",", "") if grouped else raw
    if not re.fullmatch(r"[0-9]{1,13}", digits):
        errors[name] = f"{raw[:40]!r} is not a whole number"
        return None
    value = int(digits)
    if value > MAX_WHOLE_NUMBER:
        errors[name] = f"{raw[:40]!r} is too large"
        return None
    return value


def _date(params: Mapping[str, Any], name: str, errors: dict[str, str]) -> dt.date | None:
    raw = _one(params, name)
    if not raw:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"{raw[:40]!r} is not a date (YYYY-MM-DD)"
        return None


def _text(params: Mapping[str, Any], name: str, errors: dict[str, str]) -> str:
    raw = _one(params, name)
    if len(raw) > MAX_TEXT:
        errors[name] = f"longer than {MAX_TEXT} characters"
        return ""
    return raw


def parse_pledge_params(params: Mapping[str, Any], *, grouped_numbers: bool = True) -> PledgeParams:
    """Read and check every known parameter of `params` (a QueryDict or a plain dict).

    Unknown parameters (`page`, `format`, ...) are ignored; bad values are reported in
    `.errors` by parameter name and leave that filter off. Whole numbers may be written with
    thousands separators (`10,000`, as people type them in the form) unless
    `grouped_numbers` is False (the API, whose schema says integer).
    """
    errors: dict[str, str] = {}
    grouped = grouped_numbers
    year = _integer(params, "year", errors)
    if year is not None and not 1900 <= year <= 2200:
        errors["year"] = f"{year} is not a plausible year"
        year = None
    ordering = _one(params, "ordering") or DEFAULT_ORDERING
    if ordering not in ORDERINGS:
        errors["ordering"] = (
            f"cannot sort by {ordering[:40]!r}; use one of "
            f"{', '.join(sorted(name for name in ORDERINGS if not name.startswith('-')))}"
            " (prefix - for descending)"
        )
        ordering = DEFAULT_ORDERING
    passed = _one(params, "deadline_passed").lower()
    if passed not in ("", "0", "1", "true", "false", "yes", "no", "on", "off"):
        errors["deadline_passed"] = f"{passed[:40]!r} is not yes or no"
    updated_raw = _one(params, "updated_since")
    updated_since = None
    if updated_raw:
        try:
            updated_since = _utc(parse_datetime(updated_raw))
        except (ValueError, OverflowError):
            updated_since = None
        if updated_since is None:
            errors["updated_since"] = f"{updated_raw[:40]!r} is not an ISO 8601 date-time"
    jobs_min = _integer(params, "jobs_min", errors, grouped=grouped)
    jobs_max = _integer(params, "jobs_max", errors, grouped=grouped)
    observed = _one(params, "has_observation").lower()
    if observed not in ("", *_YES, *_NO):
        errors["has_observation"] = f"{observed[:40]!r} is not true or false"
    return PledgeParams(
        statuses=_choices(params, "status", list(Status.values), errors),
        company=_text(params, "company", errors),
        jobs_kinds=_choices(params, "jobs_kind", list(JobsKind.values), errors),
        jobs_min=jobs_min,
        jobs_max=jobs_max,
        investment_min=_integer(params, "investment_min", errors, grouped=grouped),
        announced_after=_date(params, "announced_after", errors),
        announced_before=_date(params, "announced_before", errors),
        deadline_after=_date(params, "deadline_after", errors),
        deadline_before=_date(params, "deadline_before", errors),
        year=year,
        deadline_passed=passed in ("1", "true", "yes", "on"),
        location=_text(params, "location", errors),
        made_to=_text(params, "made_to", errors),
        ref=_text(params, "ref", errors),
        search=_text(params, "search", errors),
        updated_since=updated_since,
        has_observation=None if observed not in (*_YES, *_NO) else observed in _YES,
        delivered_min=_integer(params, "delivered_min", errors, grouped=grouped),
        part_of=_text(params, "part_of", errors),
        ordering=ordering,
        errors=errors,
    )
