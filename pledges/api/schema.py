"""OpenAPI documentation of the list parameters, each with an example."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from pledges.api.filters import ORDERINGS
from pledges.api.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from pledges.models import JobsKind, Status

FACETS = ("status", "jobs_kind", "company", "location", "announced_year")


def _param(
    name: str, description: str, example: object, kind: object = str, **extra: object
) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        kind,  # type: ignore[arg-type]
        description=description,
        examples=[OpenApiExample(f"{name}={example}", value=example)],
        **extra,  # type: ignore[arg-type]
    )


PAGE_PARAMETERS = [
    _param("page", "1-based page number.", 2, int),
    _param(
        "page_size",
        f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}). With "
        "`format=csv`, the CSV holds only that page; without it, the whole filtered set.",
        200,
        int,
    ),
    _param("format", "`json` (default) or `csv`.", "csv", enum=["json", "csv"]),
]

PLEDGE_PARAMETERS = [
    _param(
        "status",
        "One or several status words, comma-separated or repeated: " + ", ".join(Status.values),
        "kept,broken",
    ),
    _param("company", "Company slug (Django's slugify of the name).", "foxconn"),
    _param("jobs_kind", "One or several of: " + ", ".join(JobsKind.values), "direct"),
    _param("jobs_min", "jobs_promised at least this (inclusive).", 1000, int),
    _param("jobs_max", "jobs_promised at most this (inclusive).", 50000, int),
    _param("investment_min", "investment_usd at least this (inclusive).", 1000000000, int),
    _param(
        "announced_after", "Announced on or after (YYYY-MM-DD).", "2017-01-01", OpenApiTypes.DATE
    ),
    _param(
        "announced_before", "Announced on or before (YYYY-MM-DD).", "2018-12-31", OpenApiTypes.DATE
    ),
    _param("deadline_after", "Deadline on or after (YYYY-MM-DD).", "2020-01-01", OpenApiTypes.DATE),
    _param(
        "deadline_before", "Deadline on or before (YYYY-MM-DD).", "2025-12-31", OpenApiTypes.DATE
    ),
    _param(
        "location",
        "An ISO 3166-2 code (`US-WI`: that place exactly), a country code (`US`: the country "
        "or any of its subdivisions), or other text (case-insensitive containment). Codes are "
        "recognised when written in capitals.",
        "US-WI",
    ),
    _param("made_to", "To whom the pledge was made: case-insensitive containment.", "Trump"),
    _param("ref", "Exact external id.", "P0000123"),
    _param(
        "search",
        "Full-text search over title, summary, company name and aliases (web-search syntax: "
        '"a phrase", `or`, `-word`). Without `ordering`, results come by relevance (ts_rank) '
        "when the search matches at most 1,000 pledges, otherwise by ref.",
        "semiconductor plant",
    ),
    _param(
        "ordering",
        "Sort by " + ", ".join(ORDERINGS) + "; prefix `-` for descending. Unknown (null) "
        "values come last either way; ties by ref. Default: ref (or relevance with `search`).",
        "-jobs_promised",
        enum=[*ORDERINGS, *(f"-{name}" for name in ORDERINGS)],
    ),
    _param(
        "updated_since",
        "ISO 8601 date-time: only pledges changed strictly after it.",
        "2024-01-01T00:00:00Z",
        OpenApiTypes.DATETIME,
    ),
    _param(
        "facet",
        "Comma-separated facets to count (" + ", ".join(FACETS) + "), honouring every "
        "filter but the facet's own.",
        "status,jobs_kind",
    ),
]

SUMMARY_PARAMETERS = [p for p in PLEDGE_PARAMETERS if p.name not in ("ordering", "facet")]
