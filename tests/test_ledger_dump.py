"""The nightly bulk dump: versioned CSV / NDJSON / SQLite with a changelog; the CSV round-trips
through import_pledges, and Datasette serves the SQLite file."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from pledges.models import Claim, Company, Pledge, Source
from pledges.services import bulk_dump
from pledges.services.ledger import claim_record, observation_record, pledge_link_record
from pledges.tasks_ledger import write_bulk_dump
from tests.factories import SourceFactory
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db
DATASETTE = Path(sys.executable).parent / "datasette"


@pytest.fixture
def world() -> dict[str, Pledge]:
    softbank = make_pledge(
        ref="softbank-2016-12",
        jobs_promised=50_000,
        investment_usd=50_000_000_000,
        locations=("US",),
        sources=2,
        status="unverifiable",
        status_on=dt.date(2019, 12, 10),
    )
    sprint = make_pledge(ref="sprint-2016-12", jobs_promised=5_000, part_of=softbank)
    old = make_pledge(ref="foxconn-2017-07", jobs_promised=13_000, locations=("US-WI",))
    new = make_pledge(ref="foxconn-2021-04", jobs_promised=1_454, locations=("US-WI",))
    pledge_link_record(pledge=new, kind="supersedes", target=old, source=SourceFactory())
    observation_record(
        pledge=old,
        observed_on=dt.date(2018, 12, 31),
        source=SourceFactory(url="https://news.example.org/178"),
        reporter_kind="company",
        jobs=178,
    )
    claim_record(
        claimant="Donald Trump",
        claimant_kind="politician",
        stated_on=dt.date(2019, 2, 25),
        source=SourceFactory(url="https://news.example.org/claim"),
        jobs_stated=6_500_000,
        statement='He said "millions".',
    )
    return {"softbank": softbank, "sprint": sprint, "old": old, "new": new}


def _export() -> str:
    out = io.StringIO()
    call_command("export_pledges", stdout=out)
    return out.getvalue()


def test_dump_csv_round_trips_through_import_pledges(world: Any, tmp_path: Path) -> None:
    dump = bulk_dump.dump_write(root=tmp_path)
    csv_bytes = dump.path("pledges.csv").read_bytes()
    assert csv_bytes.decode("utf-8") == _export().replace("\n", "\r\n").replace("\r\r\n", "\r\n")

    # Into an empty database, and out again: the same file.
    Claim.objects.all().delete()
    Pledge.objects.all().delete()
    Source.objects.all().delete()
    Company.objects.all().delete()
    call_command("import_pledges", str(dump.path("pledges.csv")), stdout=io.StringIO())
    again = bulk_dump.dump_write(root=tmp_path / "again")
    assert again.path("pledges.csv").read_bytes() == csv_bytes


def test_dump_holds_ndjson_sqlite_changelog_and_manifest(world: Any, tmp_path: Path) -> None:
    dump = bulk_dump.dump_write(root=tmp_path)
    lines = [json.loads(line) for line in dump.path("pledges.ndjson").read_text().splitlines()]
    pledges = [line for line in lines if line["type"] == "pledge"]
    assert [p["ref"] for p in pledges] == sorted(p["ref"] for p in pledges)
    by_ref = {p["ref"]: p for p in pledges}
    assert by_ref["foxconn-2017-07"]["delivered_jobs"] == 178
    assert by_ref["foxconn-2017-07"]["counts_in_totals"] is False
    assert by_ref["foxconn-2021-04"]["lineage"][0]["relation"] == "supersedes"
    assert [line["jobs_stated"] for line in lines if line["type"] == "claim"] == [6_500_000]

    db = sqlite3.connect(dump.path("dump.sqlite"))
    assert db.execute("SELECT count(*) FROM pledges").fetchone() == (4,)
    assert db.execute(
        "SELECT ref FROM pledges JOIN companies ON companies.id = pledges.company_id "
        "WHERE counts_in_totals = 1 ORDER BY ref"
    ).fetchall() == [("foxconn-2021-04",), ("softbank-2016-12",)]
    assert db.execute("SELECT jobs FROM funnel WHERE stage = 'promised'").fetchone() == (51_454,)
    assert db.execute("SELECT count(*) FROM claims WHERE pledge_id IS NULL").fetchone() == (1,)
    db.close()

    manifest = bulk_dump.dump_manifest(dump.version, root=tmp_path)
    assert manifest["counts"] == {"pledges": 4, "claims_without_pledge": 1}
    assert manifest["previous"] is None and manifest["changes"]["added"] == 5
    assert set(manifest["files"]) == set(bulk_dump.FILES) - {"manifest.json"}
    assert (tmp_path / "LATEST").read_text().strip() == dump.version


def test_dump_versions_and_changelog(world: Any, tmp_path: Path, settings: Any) -> None:
    settings.DUMP_KEEP = 2
    first = bulk_dump.dump_write(root=tmp_path, now=dt.datetime(2026, 1, 1, 3, 30, tzinfo=dt.UTC))
    same = bulk_dump.dump_write(root=tmp_path, now=dt.datetime(2026, 1, 2, 3, 30, tzinfo=dt.UTC))
    assert (same.version, same.created) == (first.version, False)

    sprint = world["sprint"]
    sprint.jobs_promised = 5_500
    sprint.save()
    make_pledge(ref="new-2026")
    second = bulk_dump.dump_write(root=tmp_path, now=dt.datetime(2026, 1, 3, 3, 30, tzinfo=dt.UTC))
    assert second.created and second.version == "20260103T033000Z"
    log = json.loads(second.path("changelog.json").read_text())
    assert log["previous"] == first.version
    assert log["added"] == ["new-2026"]
    assert log["changed"] == [{"key": "sprint-2016-12", "fields": ["jobs_promised"]}]
    assert "- sprint-2016-12: jobs_promised" in second.path("CHANGELOG.md").read_text()

    make_pledge(ref="another-2026")
    third = bulk_dump.dump_write(root=tmp_path, now=dt.datetime(2026, 1, 4, 3, 30, tzinfo=dt.UTC))
    assert bulk_dump.dump_versions(tmp_path) == [second.version, third.version]  # kept 2


def test_dump_opens_in_datasette(world: Any, tmp_path: Path) -> None:
    dump = bulk_dump.dump_write(root=tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(DATASETTE), "serve", str(dump.path("dump.sqlite")), "-h", "127.0.0.1", "-p",
         str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/dump/pledges.json?_shape=array&_sort=ref"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert [row["ref"] for row in rows] == [
            "foxconn-2017-07",
            "foxconn-2021-04",
            "softbank-2016-12",
            "sprint-2016-12",
        ]
        funnel = f"http://127.0.0.1:{port}/dump/funnel.json?_shape=array"
        with urllib.request.urlopen(funnel, timeout=5) as response:
            stages = {row["stage"]: row["jobs"] for row in json.load(response)}
        assert stages["promised"] == 51_454
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_dump_command_task_and_download(
    world: Any, tmp_path: Path, settings: Any, client: Any
) -> None:
    settings.DUMP_DIR = tmp_path
    out = io.StringIO()
    call_command("bulk_dump", stdout=out)
    assert "4 pledges" in out.getvalue() and "5 added" in out.getvalue()
    assert write_bulk_dump() == bulk_dump.dump_latest(tmp_path)  # unchanged: same version
    call_command("bulk_dump", "--force", stdout=io.StringIO())
    assert len(bulk_dump.dump_versions(tmp_path)) == 2

    index = client.get("/dumps/").content.decode()
    assert "4</td>" in index and "dump.sqlite" in index
    response = client.get("/dumps/latest/pledges.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"ref,company,company_country,title")
    assert client.get("/dumps/latest/secret.txt").status_code == 404
    assert client.get("/dumps/20260101T000000Z/pledges.csv").status_code == 404
