"""The nightly bulk dump: every published pledge and its ledger, versioned, with a changelog.

`dump_write()` writes a new folder `DUMP_DIR/<version>/` (the version is the UTC time,
`20261125T033000Z`, so names sort in time order) holding:

- `pledges.csv`: the interchange CSV (shared/spec/pledges-csv.md), exactly `export_pledges`'s
  output for the published pledges, so it imports again with `import_pledges`;
- `pledges.ndjson`: one JSON object per line, in ref order: each pledge as the API shows it
  plus its ledger (`"type": "pledge"`), then the claims no pledge stands behind
  (`"type": "claim"`);
- `dump.sqlite`: the same as tables with foreign keys (pledges, companies, sources,
  status_updates, observations, claims, pledge_links, planned_before, offsets, subsidies,
  right_of_reply, funnel, meta), for `datasette dump.sqlite`;
- `changelog.json` and `CHANGELOG.md`: what changed since the previous version (pledges added,
  removed, changed and which of their fields);
- `manifest.json`: version, time, counts, SHA-256 of each file, previous version.

The folder is built under a temporary name and renamed when complete; `DUMP_DIR/LATEST` names
the newest version. When the data are exactly those of the previous version no new version is
written (unless forced). A file lock keeps two writers apart. Versions beyond `DUMP_KEEP` are
deleted, oldest first.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pledges import selectors, selectors_ledger
from pledges.models import Claim
from pledges.selectors_ledger_json import claim_dict, ledger_dicts
from pledges.services.exports import csv_lines

CSV_NAME = "pledges.csv"
NDJSON_NAME = "pledges.ndjson"
SQLITE_NAME = "dump.sqlite"
CHANGELOG_JSON = "changelog.json"
CHANGELOG_MD = "CHANGELOG.md"
MANIFEST_NAME = "manifest.json"
FILES = (CSV_NAME, NDJSON_NAME, SQLITE_NAME, CHANGELOG_JSON, CHANGELOG_MD, MANIFEST_NAME)
VERSION_PATTERN = re.compile(r"^\d{8}T\d{6}Z$")
LATEST_NAME = "LATEST"
CHANGELOG_LIST_LIMIT = 1000  # refs listed per kind of change in the changelog


@dataclass(frozen=True)
class Dump:
    directory: Path
    version: str
    created: bool  # False: the data had not changed, this is the previous version

    def path(self, name: str) -> Path:
        return self.directory / name


def dump_root() -> Path:
    return Path(settings.DUMP_DIR)


def dump_versions(root: Path | None = None) -> list[str]:
    """The complete versions on disk, oldest first."""
    root = root or dump_root()
    if not root.is_dir():
        return []
    return sorted(
        entry.name
        for entry in root.iterdir()
        if VERSION_PATTERN.match(entry.name) and (entry / MANIFEST_NAME).is_file()
    )


def dump_latest(root: Path | None = None) -> str | None:
    root = root or dump_root()
    try:
        version = (root / LATEST_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        version = ""
    if VERSION_PATTERN.match(version) and (root / version / MANIFEST_NAME).is_file():
        return version
    versions = dump_versions(root)
    return versions[-1] if versions else None


def dump_manifest(version: str, root: Path | None = None) -> dict[str, Any]:
    root = root or dump_root()
    return json.loads((root / version / MANIFEST_NAME).read_text(encoding="utf-8"))


# --- writing the files -------------------------------------------------------------------------


def _pledge_lines() -> Iterator[tuple[str, dict[str, Any]]]:
    """(ref, JSON object) of every published pledge with its ledger, in ref order."""
    api_prefix = settings.SITE_URL + reverse("api:pledge-list")
    page_prefix = settings.SITE_URL + reverse("pledges:pledge-list")
    published = selectors.api_pledges()
    counted = set(selectors_ledger.countable_ids(published))
    for ids in selectors.api_pledge_ids_in_ref_order(published):
        ledgers = ledger_dicts(ids)
        for pledge in selectors.api_pledge_dicts(
            ids, api_prefix=api_prefix, page_prefix=page_prefix
        ):
            record = {"type": "pledge", **pledge, **ledgers.get(pledge["id"], {})}
            record["counts_in_totals"] = pledge["id"] in counted
            yield pledge["ref"], record


def _loose_claims() -> list[dict[str, Any]]:
    claims = Claim.objects.filter(pledge__isnull=True).select_related("source", "company")
    result = []
    for claim in claims.order_by("stated_on", "id"):
        view = selectors_ledger.claim_inflation(claim, promised=None, delivered=None)
        entry = {"type": "claim", "id": claim.pk, **claim_dict(view, claim.source.url)}
        entry["company"] = claim.company.name if claim.company else None
        result.append(entry)
    return result


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE companies (id INTEGER PRIMARY KEY, slug TEXT, name TEXT, country TEXT);
CREATE TABLE pledges (
    id INTEGER PRIMARY KEY, ref TEXT UNIQUE, slug TEXT,
    company_id INTEGER REFERENCES companies(id), title TEXT, summary TEXT, announced_on TEXT,
    announced_by TEXT, made_to TEXT, jobs_promised INTEGER, jobs_kind TEXT,
    investment_usd INTEGER, locations TEXT, deadline TEXT, timeframe TEXT, status TEXT,
    status_on TEXT, part_of_ref TEXT, reannouncement_of_ref TEXT, delivered_jobs INTEGER,
    delivered_on TEXT, counts_in_totals INTEGER, jobs_lost_since_pledge INTEGER,
    net_since_pledge INTEGER, page_url TEXT, updated_at TEXT
);
CREATE TABLE sources (
    pledge_id INTEGER REFERENCES pledges(id), url TEXT, publisher TEXT, title TEXT,
    role TEXT, health TEXT
);
CREATE TABLE status_updates (
    pledge_id INTEGER REFERENCES pledges(id), status TEXT, established_on TEXT, reason TEXT,
    explanation TEXT, evidence TEXT
);
CREATE TABLE observations (
    pledge_id INTEGER REFERENCES pledges(id), observed_on TEXT, jobs INTEGER,
    investment_usd INTEGER, measure TEXT, basis TEXT, reporter_kind TEXT, reporter TEXT,
    confidence TEXT, is_delivered_figure INTEGER, note TEXT, source_url TEXT
);
CREATE TABLE claims (
    pledge_id INTEGER REFERENCES pledges(id), company TEXT, claimant TEXT, claimant_role TEXT,
    claimant_kind TEXT, stated_on TEXT, venue TEXT, jobs_stated INTEGER,
    jobs_supported INTEGER, investment_stated INTEGER, statement TEXT,
    credits_politician INTEGER, credited_to TEXT, versus_promise INTEGER,
    versus_supported INTEGER, versus_delivered INTEGER, source_url TEXT
);
CREATE TABLE pledge_links (
    pledge_id INTEGER REFERENCES pledges(id), relation TEXT, other_ref TEXT, note TEXT,
    source_url TEXT
);
CREATE TABLE planned_before (
    pledge_id INTEGER REFERENCES pledges(id), planned_on TEXT, description TEXT, source_url TEXT
);
CREATE TABLE offsets (
    pledge_id INTEGER REFERENCES pledges(id), kind TEXT, occurred_on TEXT, period_end TEXT,
    site TEXT, by_company TEXT, jobs_lost INTEGER, description TEXT, source_url TEXT
);
CREATE TABLE subsidies (
    pledge_id INTEGER REFERENCES pledges(id), granting_body TEXT, program TEXT, kind TEXT,
    value_usd INTEGER, awarded_on TEXT, state TEXT, conditions TEXT, clawbacks TEXT,
    clawed_back_usd INTEGER, source_url TEXT
);
CREATE TABLE right_of_reply (
    pledge_id INTEGER REFERENCES pledges(id), asked_on TEXT, asked_by TEXT, outcome TEXT,
    answered_on TEXT, answer TEXT, answer_url TEXT, note TEXT, source_url TEXT
);
CREATE TABLE funnel (
    stage TEXT PRIMARY KEY, label TEXT, jobs INTEGER, pledges INTEGER, definition TEXT
);
"""


def _insert(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def _sqlite_rows(db: sqlite3.Connection, record: dict[str, Any]) -> None:
    """The rows of one pledge record (and its company, once)."""
    pid, company = record["id"], record["company"]
    db.execute(
        "INSERT OR IGNORE INTO companies (id, slug, name, country) VALUES (?, ?, ?, ?)",
        [company["id"], company["slug"], company["name"], company["country"]],
    )
    _insert(
        db,
        "pledges",
        {
            "id": pid,
            "ref": record["ref"],
            "slug": record["slug"],
            "company_id": company["id"],
            **{
                name: record[name]
                for name in (
                    "title",
                    "summary",
                    "announced_on",
                    "announced_by",
                    "made_to",
                    "jobs_promised",
                    "jobs_kind",
                    "investment_usd",
                    "deadline",
                    "timeframe",
                    "status",
                    "status_on",
                    "delivered_jobs",
                    "delivered_on",
                    "jobs_lost_since_pledge",
                    "net_since_pledge",
                    "page_url",
                    "updated_at",
                )
            },
            "locations": "; ".join(record["locations"]),
            "part_of_ref": (record["part_of"] or {}).get("ref"),
            "reannouncement_of_ref": (record["reannouncement_of"] or {}).get("ref"),
            "counts_in_totals": int(record["counts_in_totals"]),
        },
    )
    for source in record["sources"]:
        _insert(db, "sources", {"pledge_id": pid, **{k: source[k] for k in (
            "url", "publisher", "title", "role", "health")}})  # fmt: skip
    for update in record["status_history"]:
        _insert(
            db,
            "status_updates",
            {
                "pledge_id": pid,
                "status": update["status"],
                "established_on": update["established_on"],
                "reason": update.get("reason"),
                "explanation": update["explanation"],
                "evidence": " ".join(update["evidence"]),
            },
        )
    for item in record.get("observations", []):
        _insert(db, "observations", {"pledge_id": pid, **item})
    for item in record.get("claims", []):
        _insert(db, "claims", {"pledge_id": pid, "company": company["name"], **_flat_claim(item)})
    for item in record.get("lineage", []):
        _insert(
            db,
            "pledge_links",
            {
                "pledge_id": pid,
                "relation": item["relation"],
                "other_ref": item["ref"],
                "note": item["note"],
                "source_url": item["source_url"],
            },
        )
    for table, key in (
        ("planned_before", "planned_before"),
        ("offsets", "offsets"),
        ("subsidies", "subsidies"),
        ("right_of_reply", "right_of_reply"),
    ):
        for item in record.get(key, []):
            row = dict(item)
            if "by" in row:
                row["by_company"] = row.pop("by")
            _insert(db, table, {"pledge_id": pid, **row})


def _flat_claim(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in item.items() if k != "inflation"}
    inflation = item["inflation"]
    row.update(
        versus_promise=inflation["versus_promise"],
        versus_supported=inflation["versus_supported"],
        versus_delivered=inflation["versus_delivered"],
    )
    return row


def _write_files(directory: Path, version: str) -> dict[str, int]:
    """Write the CSV, the NDJSON and the SQLite file; counts of what they hold."""
    published = selectors.api_pledges()
    with (directory / CSV_NAME).open("w", encoding="utf-8", newline="") as out:
        for chunk in csv_lines(selectors.export_records(published)):
            out.write(chunk)
    db = sqlite3.connect(directory / SQLITE_NAME)
    counts = {"pledges": 0, "claims_without_pledge": 0}
    try:
        db.executescript(_SCHEMA)
        with (directory / NDJSON_NAME).open("w", encoding="utf-8") as out:
            for _ref, record in _pledge_lines():
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                _sqlite_rows(db, record)
                counts["pledges"] += 1
            for claim in _loose_claims():
                out.write(json.dumps(claim, ensure_ascii=False, sort_keys=True) + "\n")
                _insert(db, "claims", {"pledge_id": None, **_flat_claim(
                    {k: v for k, v in claim.items() if k not in ("type", "id")})})  # fmt: skip
                counts["claims_without_pledge"] += 1
        funnel = selectors_ledger.funnel(published)
        for stage in selectors_ledger.FUNNEL_STAGES:
            _insert(db, "funnel", {"stage": stage, **{k: funnel[stage][k] for k in (
                "label", "jobs", "pledges", "definition")}})  # fmt: skip
        for key, value in (
            ("version", version),
            ("generated_at", timezone.now().isoformat()),
            ("notice", selectors.API_NOTICE),
            ("deduplicated", selectors_ledger.DEDUPLICATION_NOTE),
            ("site", settings.SITE_URL),
        ):
            _insert(db, "meta", {"key": key, "value": value})
        db.commit()
    finally:
        db.close()
    return counts


# --- the changelog -----------------------------------------------------------------------------


def _records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, record) of an NDJSON dump, in file order (pledges by ref, then claims)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            key = record.get("ref") if record.get("type") == "pledge" else f"claim:{record['id']}"
            yield str(key), record


def _pledges_then_claims(
    records: Iterator[tuple[str, dict[str, Any]]], claims: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The pledge records of a dump, in ref order; its (few) claims are put into `claims`."""
    for key, record in records:
        if record.get("type") == "pledge":
            yield key, record
        else:
            claims[key] = record


def changelog(previous: Path | None, current: Path) -> dict[str, Any]:
    """What changed between two NDJSON dumps: pledges (and loose claims) added, removed and
    changed, each changed one with the names of its fields that differ (`updated_at` aside).

    Both files list their pledges in the same (ref code-point) order, so they are merged side
    by side with one record of each in memory: 100,000 pledges take a few MB, not a GB.
    """
    log: dict[str, Any] = {"added": [], "removed": [], "changed": []}
    totals = {"added": 0, "removed": 0, "changed": 0}

    def note(kind: str, key: str, old: dict[str, Any] | None = None, new: Any = None) -> None:
        totals[kind] += 1
        if len(log[kind]) >= CHANGELOG_LIST_LIMIT:
            return
        if kind == "changed" and old is not None:
            fields = sorted(
                name
                for name in set(old) | set(new)
                if old.get(name) != new.get(name) and name != "updated_at"
            )
            log[kind].append({"key": key, "fields": fields})
        else:
            log[kind].append(key)

    old_claims: dict[str, dict[str, Any]] = {}
    new_claims: dict[str, dict[str, Any]] = {}
    olds = _pledges_then_claims(_records(previous) if previous else iter(()), old_claims)
    news = _pledges_then_claims(_records(current), new_claims)
    old, new = next(olds, None), next(news, None)
    while old is not None or new is not None:
        if new is None or (old is not None and old[0] < new[0]):
            note("removed", old[0])  # type: ignore[index]
            old = next(olds, None)
        elif old is None or new[0] < old[0]:
            note("added", new[0])
            new = next(news, None)
        else:
            if old[1] != new[1]:
                note("changed", new[0], old[1], new[1])
            old, new = next(olds, None), next(news, None)
    for key, record in new_claims.items():
        if key not in old_claims:
            note("added", key)
        elif old_claims[key] != record:
            note("changed", key, old_claims[key], record)
    for key in old_claims.keys() - new_claims.keys():
        note("removed", key)
    return {"totals": totals, **log}


def _changelog_markdown(version: str, previous: str | None, log: dict[str, Any]) -> str:
    lines = [f"# Pledge Tracker dump {version}", ""]
    if previous is None:
        lines.append("The first dump: everything is new.")
    else:
        lines.append(f"Changes since {previous}:")
    totals = log["totals"]
    lines += [
        "",
        f"- {totals['added']} added, {totals['changed']} changed, {totals['removed']} removed.",
        "",
    ]
    for title, key in (("Added", "added"), ("Removed", "removed")):
        if log[key]:
            lines += [f"## {title}", "", *(f"- {ref}" for ref in log[key]), ""]
    if log["changed"]:
        lines += ["## Changed", ""]
        lines += [f"- {item['key']}: {', '.join(item['fields'])}" for item in log["changed"]]
        lines.append("")
    return "\n".join(lines)


# --- the version -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _new_version(root: Path, now: dt.datetime) -> str:
    version = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    while (root / version).exists():  # two dumps in one second: the next free second
        now += dt.timedelta(seconds=1)
        version = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return version


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def dump_write(
    *, root: Path | None = None, force: bool = False, now: dt.datetime | None = None
) -> Dump:
    """Write a new dump version under `root` (default `DUMP_DIR`) unless the data are those of
    the latest version (then that version is returned, `created=False`), or `force`."""
    root = root or dump_root()
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous = dump_latest(root)
        version = _new_version(root, now or timezone.now())
        building = root / f".building-{version}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        try:
            counts = _write_files(building, version)
            previous_ndjson = root / previous / NDJSON_NAME if previous else None
            if (
                previous
                and not force
                and previous_ndjson is not None
                and previous_ndjson.is_file()
                and _sha256(previous_ndjson) == _sha256(building / NDJSON_NAME)
            ):
                shutil.rmtree(building)
                return Dump(root / previous, previous, created=False)
            log = changelog(previous_ndjson, building / NDJSON_NAME)
            _write_text(
                building / CHANGELOG_JSON,
                json.dumps({"version": version, "previous": previous, **log}, indent=1),
            )
            _write_text(building / CHANGELOG_MD, _changelog_markdown(version, previous, log))
            manifest = {
                "version": version,
                "generated_at": timezone.now().isoformat(),
                "previous": previous,
                "counts": counts,
                "changes": log["totals"],
                "files": {
                    name: {
                        "bytes": (building / name).stat().st_size,
                        "sha256": _sha256(building / name),
                    }
                    for name in FILES
                    if name != MANIFEST_NAME
                },
            }
            _write_text(building / MANIFEST_NAME, json.dumps(manifest, indent=1))
            os.replace(building, root / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _write_text(root / LATEST_NAME, version + "\n")
        _prune(root, keep=settings.DUMP_KEEP)
        return Dump(root / version, version, created=True)


def _prune(root: Path, *, keep: int) -> None:
    for version in dump_versions(root)[:-keep]:
        shutil.rmtree(root / version, ignore_errors=True)


def dump_file(version: str, name: str, root: Path | None = None) -> Path | None:
    """The path of a file of a dump version ("latest" for the newest), or None when there is
    no such version or file. Only the dump's own file names are ever served."""
    root = root or dump_root()
    if version == "latest":
        version = dump_latest(root) or ""
    if not VERSION_PATTERN.match(version) or name not in FILES:
        return None
    path = root / version / name
    return path if path.is_file() else None


def pledge_refs_in(path: Path) -> list[str]:
    """The refs of the pledges of a dump's NDJSON (for checks and tests)."""
    return [key for key, record in _records(path) if record.get("type") == "pledge"]
