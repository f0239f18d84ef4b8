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
_MAX_JOBS = 10**12
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
    ordering: str = DEFAULT_ORDERING
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def location_is_code(self) -> bool:
        """`US-WI` or `US` is matched as an ISO code; anything else as text."""
        return bool(_LOCATION_CODE.match(self.location))


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every comma-separated value of a parameter, whether repeated or not."""
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]


def _one(params: Mapping[str, Any], name: str) -> str:
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name, "")
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    return str(raw).strip()


def _choices(
    params: Mapping[str, Any], name: str, allowed: list[str], errors: dict[str, str]
) -> tuple[str, ...]:
    values = _values(params, name)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        errors[name] = f"unknown value {unknown[0][:40]!r}; use one of {', '.join(allowed)}"
        return ()
    return tuple(dict.fromkeys(values))


def _integer(params: Mapping[str, Any], name: str, errors: dict[str, str]) -> int | None:
    raw = _one(params, name)
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,13}", raw.replace(",", "")):
        errors[name] = f"{raw[:40]!r} is not a whole number"
        return None
    value = int(raw.replace(",", ""))
    if value > _MAX_JOBS:
        errors[name] = f"{raw[:40]!r} is too large"
        return None
    return value


def _date(params: Mapping[str, Any], name: str, errors: dict[str, str]) -> dt.date | None:
    raw = _one(params, name)
    if not raw:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
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


def parse_pledge_params(params: Mapping[str, Any]) -> PledgeParams:
    """Read and check every known parameter of `params` (a QueryDict or a plain dict).

    Unknown parameters (`page`, `format`, ...) are ignored; bad values are reported in
    `.errors` by parameter name and leave that filter off.
    """
    errors: dict[str, str] = {}
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
            updated_since = parse_datetime(updated_raw)
        except ValueError:
            updated_since = None
        if updated_since is None:
            errors["updated_since"] = f"{updated_raw[:40]!r} is not an ISO 8601 date-time"
    jobs_min, jobs_max = _integer(params, "jobs_min", errors), _integer(params, "jobs_max", errors)
    return PledgeParams(
        statuses=_choices(params, "status", list(Status.values), errors),
        company=_text(params, "company", errors),
        jobs_kinds=_choices(params, "jobs_kind", list(JobsKind.values), errors),
        jobs_min=jobs_min,
        jobs_max=jobs_max,
        investment_min=_integer(params, "investment_min", errors),
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
        ordering=ordering,
        errors=errors,
    )
