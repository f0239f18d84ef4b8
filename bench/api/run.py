"""Throughput of /api/v1/pledges/ against Datasette serving the same pledges, seven questions.

    .venv/bin/python bench/api/run.py [--pledges 100000] [--seconds 8] [--connections 8]

Writes a deterministic interchange CSV (own generator, seeded), imports it into a PostgreSQL
database of its own (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pt_apibench_own;
created if missing, re-imported only when the CSV changed), builds a SQLite copy for Datasette
(typed columns, empty cells as NULL, full-text index), starts `make serve` (gunicorn) and
Datasette, checks that both answer each question alike (same counts, same sorted values), then
runs wrk on each pair and prints requests/s, p50/p99 and the ratio, then the geometric mean.
The anonymous throttle is set out of reach (API_ANON_THROTTLE) so that it never answers 429.
Needs: datasette and sqlite-utils (pip), wrk and psql (apt).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"


def generate(path: Path, pledges: int) -> None:
    """The benchmarks' deterministic interchange CSV (bench/datagen.py)."""
    subprocess.run(
        [
            str(VENV_BIN / "python"),
            str(ROOT / "bench" / "datagen.py"),
            "--rows",
            str(pledges),
            "--out",
            str(path),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def slugify(name: str) -> str:
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", name.lower())).strip("-_")


def questions(company: str, ref: str) -> list[tuple[str, str, str]]:
    o, t, q = "/api/v1/pledges/", "/bench/pledges", urllib.parse.quote
    return [
        (
            "newest 50",
            f"{o}?ordering=-announced_on&page_size=50",
            f"{t}.json?_sort_desc=announced_on&_size=50&_shape=objects",
        ),
        (
            "status + sort",
            f"{o}?status=broken&ordering=-jobs_promised&page_size=50",
            f"{t}.json?status=broken&_sort_desc=jobs_promised&_size=50&_shape=objects",
        ),
        (
            "one company",
            f"{o}?company={slugify(company)}&page_size=50",
            f"{t}.json?company={q(company)}&_size=50&_shape=objects",
        ),
        (
            "full-text",
            f"{o}?search=semiconductor&page_size=50",
            f"{t}.json?_search=semiconductor&_size=50&_shape=objects",
        ),
        (
            "ranges",
            f"{o}?jobs_min=10000&announced_after=2020-01-01&page_size=50",
            f"{t}.json?jobs_promised__gte=10000&announced_on__gte=2020-01-01&_size=50&_shape=objects",
        ),
        ("by ref", f"{o}?ref={ref}", f"{t}.json?ref={ref}&_shape=objects"),
        (
            "csv 500",
            f"{o}?status=kept&announced_after=2024-01-01&page_size=500&format=csv",
            f"{t}.csv?status=kept&announced_on__gte=2024-01-01&_size=500",
        ),
    ]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:  # loopback only
        return response.read().decode("utf-8-sig")


def same_answer(name: str, ours: str, peer: str, columns: list[str]) -> str | None:
    if name == "csv 500":
        o, p = list(csv.DictReader(ours.splitlines())), list(csv.DictReader(peer.splitlines()))
        if o and list(o[0]) != columns:
            return "CSV columns differ from the interchange format"
        return None if len(o) == len(p) else f"{len(o)} rows, peer {len(p)}"
    o, p = json.loads(ours), json.loads(peer)
    if o["count"] != p["filtered_table_rows_count"]:
        return f"count {o['count']}, peer {p['filtered_table_rows_count']}"
    column = {"newest 50": "announced_on", "status + sort": "jobs_promised"}.get(name)
    if column and [r[column] for r in o["results"]] != [r[column] for r in p["rows"]]:
        return f"{column} order differs"
    return None


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: non-2xx answers under load:\n{out}")
    return rps, ms("50"), ms("99")


def wait_for(url: str, what: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            get(url)
            return
        time.sleep(0.5)
    raise SystemExit(f"{what} did not start ({url})")


def prepare(a: argparse.Namespace) -> Path:
    data = Path(a.data)
    data.mkdir(parents=True, exist_ok=True)
    source = data / "pledges.csv"
    generate(source, a.pledges)
    db_url = a.database_url
    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "0", "SECRET_KEY": "bench-only"}
    stamp = data / "imported.txt"
    digest = f"{db_url} {source.stat().st_size} {a.pledges}"
    manage = [str(VENV_BIN / "python"), "manage.py"]
    if not stamp.exists() or stamp.read_text() != digest:
        name = urllib.parse.urlparse(db_url).path.lstrip("/")
        admin = db_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "import_pledges", "--no-progress", str(source)], cwd=ROOT, env=env, check=True
        )
        sqlite = data / "bench.db"
        sqlite.unlink(missing_ok=True)
        utils = str(VENV_BIN / "sqlite-utils")
        subprocess.run(
            [
                utils,
                "insert",
                str(sqlite),
                "pledges",
                str(source),
                "--csv",
                "--detect-types",
                "--empty-null",
            ],
            check=True,
        )
        for column in ("status", "company", "announced_on", "jobs_promised", "ref"):
            subprocess.run([utils, "create-index", str(sqlite), "pledges", column], check=True)
        subprocess.run(
            [
                utils,
                "enable-fts",
                str(sqlite),
                "pledges",
                "title",
                "summary",
                "company",
                "--create-triggers",
            ],
            check=True,
        )
        stamp.write_text(digest)
    else:
        # The data is there; the schema may have moved on since (new indexes, columns).
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    # What the beat task does within a minute of an import: the pledges' API documents.
    subprocess.run(
        [*manage, "build_pledge_documents", "--no-progress"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(["psql", db_url, "-qc", "VACUUM ANALYZE"], check=True)
    return source


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pledges", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--data", default="/tmp/pt-bench-api")
    ap.add_argument("--port", type=int, default=8097)
    ap.add_argument("--peer-port", type=int, default=18097)
    ap.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pt_apibench_own"
        ),
    )
    a = ap.parse_args()
    source = prepare(a)
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["company"]] = counts.get(row["company"], 0) + 1
    company = sorted(counts, key=lambda c: (-counts[c], c))[len(counts) // 50]
    ref = rows[len(rows) // 3]["ref"]

    env = {
        **os.environ,
        "DATABASE_URL": a.database_url,
        "PORT": str(a.port),
        "API_ANON_THROTTLE": "1000000/second",
        "SECRET_KEY": "bench-only",
    }
    servers = [
        subprocess.Popen(
            ["make", "-s", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
        subprocess.Popen(
            [
                str(VENV_BIN / "datasette"),
                "serve",
                "-i",
                str(Path(a.data) / "bench.db"),
                "-h",
                "127.0.0.1",
                "-p",
                str(a.peer_port),
                "--setting",
                "suggest_facets",
                "off",
                "--setting",
                "sql_time_limit_ms",
                "10000",
                "--setting",
                "max_returned_rows",
                "1000",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
    ]
    ours_base, peer_base = f"http://127.0.0.1:{a.port}", f"http://127.0.0.1:{a.peer_port}"
    try:
        wait_for(ours_base + "/api/v1/", "the project's server")
        wait_for(peer_base + "/bench.json", "Datasette")
        ratios = []
        print(
            f"{'query':14} {'ours rps':>9} {'peer rps':>9} {'ratio':>6} "
            f"{'ours p50/p99 ms':>16} {'peer p50/p99 ms':>16}"
        )
        for name, ours, peer in questions(company, ref):
            why = same_answer(
                name, get(ours_base + ours), get(peer_base + peer), csv_header(source)
            )
            if why:
                raise SystemExit(f"{name}: the answers differ: {why}")
            o = wrk(ours_base + ours, a.seconds, a.connections)
            p = wrk(peer_base + peer, a.seconds, a.connections)
            ratios.append(o[0] / p[0])
            print(
                f"{name:14} {o[0]:9.1f} {p[0]:9.1f} {o[0] / p[0]:6.2f} "
                f"{o[1]:7.1f}/{o[2]:<8.1f} {p[1]:7.1f}/{p[2]:<8.1f}"
            )
        mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"geometric mean ours/peer requests per second: {mean:.2f}")
    finally:
        for server in servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
