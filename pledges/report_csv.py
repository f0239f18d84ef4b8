"""The sections of a stored report as CSV tables (pure functions over `Report.data`).

Every text cell is treated as hostile: a cell a spreadsheet would run as a formula gets a
leading `'` (the interchange CSV's rule), and links are made absolute with `SITE_URL`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from pledges.interchange import neutralise_formula

Column = tuple[str, Callable[[dict[str, Any]], Any]]


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


def _pledge_columns(site_url: str, *extra: str) -> list[Column]:
    return [
        ("ref", _key("ref")),
        ("company", _key("company")),
        ("title", _key("title")),
        ("status", _key("status")),
        ("jobs_promised", _key("jobs_promised")),
        ("deadline", _key("deadline")),
        *[(name, _key(name)) for name in extra],
        ("url", lambda row: site_url + row["url"] if row.get("url") else ""),
    ]


def section_columns(section: str, site_url: str) -> list[Column]:
    """The CSV columns of a section: (header, value of a row)."""
    link = lambda row: site_url + row["url"] if row.get("url") else ""  # noqa: E731
    tables: dict[str, list[Column]] = {
        "deadlines_passed": _pledge_columns(site_url),
        "deadlines_upcoming": _pledge_columns(site_url),
        "stale": _pledge_columns(site_url, "last_evidence_on"),
        "new_pledges": _pledge_columns(site_url, "announced_on", "created_at"),
        "status_changes": [
            ("recorded_at", _key("recorded_at")),
            ("ref", _key("ref")),
            ("company", _key("company")),
            ("title", _key("title")),
            ("previous_status", _key("previous_status")),
            ("status", _key("status")),
            ("established_on", _key("established_on")),
            ("explanation", _key("explanation")),
            ("evidence_urls", lambda row: " ".join(e["url"] for e in row.get("evidence", []))),
            ("url", link),
        ],
        "suggestions": [
            ("created_at", _key("created_at")),
            ("kind", _key("kind")),
            ("ref", _key("ref")),
            ("company", _key("company")),
            ("title", _key("title")),
            ("proposed_status", _key("proposed_status")),
            ("signal", _key("signal")),
            ("sentence", _key("sentence")),
            ("source_url", _key("source_url")),
            ("has_snapshot", _key("has_snapshot")),
            ("url", link),
        ],
        "sources": [
            ("event", _key("event")),
            ("since", _key("since")),
            ("source_url", _key("source_url")),
            ("source_title", _key("source_title")),
            ("publisher", _key("publisher")),
            ("changes", _key("changes")),
            ("has_archive", _key("has_archive")),
            ("archived_at", _key("archived_at")),
            ("moved_to", _key("moved_to")),
            ("pledge_refs", lambda row: " ".join(p["ref"] for p in row.get("pledges", []))),
            (
                "pledge_urls",
                lambda row: " ".join(site_url + p["url"] for p in row.get("pledges", [])),
            ),
        ],
        "totals": [
            ("status", _key("status")),
            ("pledges", _key("pledges")),
            ("nested_pledges", _key("nested")),
            ("jobs_counted", _key("jobs")),
        ],
    }
    return tables[section]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(str(value))


def section_csv(data: dict[str, Any], section: str, *, site_url: str) -> str:
    """One section of a report's data as CSV text (header first). KeyError: no such section."""
    block = data["sections"][section]
    columns = section_columns(section, site_url)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in columns])
    for row in block["rows"]:
        writer.writerow([_cell(value(row)) for _, value in columns])
    if section == "totals":
        writer.writerow(["all", block["pledges"], block["nested"], block["jobs_promised"]])
    return out.getvalue()
