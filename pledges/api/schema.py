"""OpenAPI documentation of the list parameters, each with an example."""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from pledges.api.filters import ORDERINGS
from pledges.api.listing import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE
from pledges.models import JobsKind, LinkHealth, Status
from pledges.params import MAX_TEXT, MAX_WHOLE_NUMBER

FACETS = ("status", "jobs_kind", "company", "location", "announced_year")
WHOLE_NUMBER = {"type": "integer", "minimum": 0, "maximum": MAX_WHOLE_NUMBER}
# The pledge filters' texts (pledges.params reads at most this many characters).
TEXT = {"type": "string", "maxLength": MAX_TEXT}


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


def _words(words: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A string of these words, comma-separated (blanks around them and empty parts are
    ignored, as the filters read them)."""
    word = "(" + "|".join(re.escape(w) for w in words) + ")?"
    return {"type": "string", "pattern": rf"^\s*{word}\s*(,\s*{word}\s*)*$"}


PAGE_PARAMETERS = [
    _param(
        "page", "1-based page number.", 2, {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
    ),
    _param(
        "page_size",
        f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}). With "
        "`format=csv`, the CSV holds only that page; without it, the whole filtered set.",
        200,
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
    _param("format", "`json` (default) or `csv`.", "csv", enum=["json", "csv"]),
]

PLEDGE_PARAMETERS = [
    _param(
        "status",
        "One or several status words, comma-separated or repeated: " + ", ".join(Status.values),
        "kept,broken",
        _words(Status.values),
    ),
    _param("company", "Company slug (Django's slugify of the name).", "foxconn", TEXT),
    _param(
        "jobs_kind",
        "One or several of: " + ", ".join(JobsKind.values),
        "direct",
        _words(JobsKind.values),
    ),
    _param("jobs_min", "jobs_promised at least this (inclusive).", 1000, WHOLE_NUMBER),
    _param("jobs_max", "jobs_promised at most this (inclusive).", 50000, WHOLE_NUMBER),
    _param("investment_min", "investment_usd at least this (inclusive).", 1000000000, WHOLE_NUMBER),
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
        TEXT,
    ),
    _param("made_to", "To whom the pledge was made: case-insensitive containment.", "Trump", TEXT),
    _param("ref", "Exact external id.", "P0000123", TEXT),
    _param(
        "search",
        "Full-text search over title, summary, company name and aliases (web-search syntax: "
        '"a phrase", `or`, `-word`). Without `ordering`, results come by relevance (ts_rank) '
        "when the search matches at most 1,000 pledges, otherwise by ref.",
        "semiconductor plant",
        TEXT,
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
        "has_observation",
        "`true`: pledges with at least one observation of their jobs in the ledger; `false`: "
        "none yet.",
        "true",
        {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no", "on", "off"]},
    ),
    _param(
        "delivered_min",
        "delivered_jobs (the latest credible observation) at least this (inclusive).",
        1000,
        WHOLE_NUMBER,
    ),
    _param("part_of", "Pledges counted inside the pledge with this ref.", "softbank-2016", TEXT),
    _param(
        "facet",
        "Comma-separated facets to count (" + ", ".join(FACETS) + "), honouring every "
        "filter but the facet's own.",
        "status,jobs_kind",
        _words(FACETS),
    ),
]

AS_OF_PARAMETER = _param(
    "as_of",
    "YYYY-MM-DD, today or earlier: the pledge as the database held it at the end of that day "
    "(404 when it did not hold it yet, or holds no history of it).",
    "2019-01-01",
    OpenApiTypes.DATE,
)

SUMMARY_PARAMETERS = [p for p in PLEDGE_PARAMETERS if p.name not in ("ordering", "facet")]

COMPANY_PARAMETERS = [
    _param("country", "ISO 3166-1 alpha-2 code of the company's country.", "US"),
    _param("search", "Part of the company's name (case-insensitive).", "fox"),
]
SOURCE_PARAMETERS = [
    _param(
        "health",
        "One or several link health words: " + ", ".join(LinkHealth.values),
        "dead,moved",
        _words(LinkHealth.values),
    ),
    _param("pledge", "Sources cited by the pledge with this ref.", "foxconn-2017-07"),
]
STATUS_UPDATE_PARAMETERS = [
    _param("status", "One or several status words.", "broken", _words(Status.values)),
    _param("pledge", "Status updates of the pledge with this ref.", "foxconn-2017-07"),
    _param(
        "recorded_since",
        "ISO 8601 date-time: only updates recorded strictly after it.",
        "2024-01-01T00:00:00Z",
        OpenApiTypes.DATETIME,
    ),
]

# --- answers other than success, added to every operation by a postprocessing hook ---------

ERROR_SCHEMA = {
    "type": "object",
    "description": "What went wrong: `detail` (a sentence), or each parameter or field named "
    'with a list of its problems (`{"page_size": ["Must be between 1 and 500."]}`).',
    "additionalProperties": True,
}
_ERROR = {
    "description": "",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
READ_ERRORS = {
    "304": "Not modified: the copy named by `If-None-Match` or `If-Modified-Since` is current.",
    "400": "A parameter is unknown or its value cannot be understood (named in the answer).",
    "401": "The `Authorization` token is invalid.",
    "404": "No such object (or page).",
    "406": "The `Accept` header asks for something the API cannot answer.",
    "429": "Too many requests from this anonymous client; `Retry-After` says when to come back.",
}
WRITE_ERRORS = {
    "400": "A field is missing or invalid (each named in the answer).",
    "401": "No valid token (`Authorization: Token ...`).",
    "403": "The token's user lacks the model permission.",
    "404": "No such object.",
    "406": "The `Accept` header asks for something the API cannot answer.",
    "415": "The body is not JSON, a form or multipart.",
}


def document_errors(result: dict, generator: object, request: object, public: bool) -> dict:
    """What drf-spectacular cannot see: the error answers every view gives, that reads need
    no authentication (`DjangoModelPermissionsOrAnonReadOnly`, which it does not recognise),
    the page envelope of the lists (paginated by hand, not by a DRF paginator) and what the
    dataset files hold."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            _document_pages(schemas, operation)
            _document_empty_values(operation)
            _document_no_nul(operation)
            _document_dataset(path, operation)
            reading = method in ("get", "head")
            security = operation.setdefault("security", [])
            if reading and {} not in security:
                security.append({})
            responses = operation.setdefault("responses", {})
            for code, description in (READ_ERRORS if reading else WRITE_ERRORS).items():
                if code in responses:
                    continue
                if code == "304":
                    responses[code] = {"description": description}
                else:
                    responses[code] = {**_ERROR, "description": description}
    return result


def _document_pages(schemas: dict, operation: dict) -> None:
    """A list answers `{count, next, previous, notice, results: [...]}`, not a bare array."""
    if not any(p.get("name") == "page" for p in operation.get("parameters", [])):
        return
    content = operation["responses"].get("200", {}).get("content", {}).get("application/json")
    schema = (content or {}).get("schema", {})
    if schema.get("type") != "array" or "$ref" not in schema.get("items", {}):
        return
    name = "Paginated" + schema["items"]["$ref"].rsplit("/", 1)[-1]
    schemas[name] = {
        "type": "object",
        "required": ["count", "next", "previous", "notice", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "notice": {"type": "string"},
            "results": schema,
        },
    }
    content["schema"] = {"$ref": f"#/components/schemas/{name}"}


def _document_dataset(path: str, operation: dict) -> None:
    if path.endswith("/dataset.json"):
        media = {"application/json": {"schema": {"type": "object"}}}
    elif path.endswith("/dataset.csv"):
        media = {"text/csv": {"schema": {"type": "string"}}}
    else:
        return
    operation["responses"]["200"]["content"] = media


def _document_no_nul(operation: dict) -> None:
    """A NUL is refused in every URL (tracker.nul_bytes): free-text parameters say so."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if schema.get("type") == "string" and not ({"pattern", "enum", "format"} & set(schema)):
            schema["pattern"] = "^[^\\u0000]*$"


def _document_empty_values(operation: dict) -> None:
    """`?status=&page=` is the same as leaving them out (as an HTML form sends them); only
    `format` must be json or csv when given."""
    for parameter in operation.get("parameters", []):
        if (
            parameter["in"] == "query"
            and not parameter.get("required")
            and parameter["name"] != "format"
        ):
            parameter["allowEmptyValue"] = True
