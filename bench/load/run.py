"""Load: the API and the public pages under 32 concurrent clients for 60 seconds, on 100,000
pledges, served by `make serve` exactly as in production (gunicorn, DEBUG off). No errors
allowed.

    .venv/bin/python bench/load/run.py [--pledges 100000] [--seconds 60] [--connections 32]

Generates the benchmarks' pledges (bench/datagen.py, through bench/api/run.py's helper),
imports them with `manage.py import_pledges` into a PostgreSQL database of its own
(BENCH_LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pt_bench_load; re-imported
only when the file changed), starts `make serve` (with REDIS_URL when it is set, as in
production; the anonymous rate limit off, as a reverse proxy's would be the limit), checks
that each URL answers 200, then runs one `wrk` per URL at the same time, the connections shared
out among them, so the server sees the whole mix at once. Prints requests/s, p50/p99 latency
and errors (non-2xx answers, connection errors, timeouts past --timeout) per URL and in total;
exits 1 when there was any error.
Needs: wrk and psql (apt).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib.util
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"


def _api_bench():  # type: ignore[no-untyped-def]
    """bench/api/run.py, for its data generator and its waiting and fetching helpers."""
    spec = importlib.util.spec_from_file_location("bench_api_run", ROOT / "bench/api/run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


api_bench = _api_bench()


def load_database(source: Path, database_url: str, data: Path) -> None:
    """A fresh database with the file imported, unless this file is already in it."""
    stamp = data / "imported.txt"
    digest = f"{database_url} {source.stat().st_size}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": "bench-only"}
    manage = [str(VENV_BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "import_pledges", "--no-progress", str(source)], cwd=ROOT, env=env, check=True
    )
    # What the beat task does within a minute of an import: the pledges' API documents.
    subprocess.run(
        [*manage, "build_pledge_documents", "--no-progress"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(["psql", database_url, "-qc", "VACUUM ANALYZE"], check=True)
    stamp.write_text(digest)


def slugify(name: str) -> str:
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", name.lower())).strip("-_")


def urls(source: Path) -> list[tuple[str, str]]:
    """(name, path): what readers, journalists and their scripts ask for most."""
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["company"]] = counts.get(row["company"], 0) + 1
    company = slugify(sorted(counts, key=lambda c: (-counts[c], c))[len(counts) // 50])
    ref = rows[len(rows) // 3]["ref"]
    api = "/api/v1/pledges/"
    return [
        ("page: home", "/"),
        ("page: list", "/pledges/"),
        ("page: broken, p2", "/pledges/?status=broken&page=2"),
        ("page: search", "/pledges/?search=semiconductor"),
        ("page: pledge", f"/pledges/{slugify(ref)}/"),
        ("page: company", f"/companies/{company}/"),
        ("feed: pledges", "/feeds/pledges/"),
        ("api: newest", f"{api}?ordering=-announced_on&page_size=50"),
        ("api: status+sort", f"{api}?status=broken&ordering=-jobs_promised"),
        ("api: search", f"{api}?search=semiconductor"),
        ("api: one pledge", f"{api}{ref}/"),
        ("api: summary", f"/api/v1/pledges/summary/?company={company}"),
        ("api: csv 500", f"{api}?status=kept&page_size=500&format=csv"),
        ("api: companies", "/api/v1/companies/?page_size=100"),
    ]


@dataclass
class Load:
    name: str
    requests: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    non_2xx: int = 0
    socket_errors: int = 0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def _ms(out: str, percentile: str) -> float:
    match = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)\b", out)
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(name: str, out: str) -> Load:
    load = Load(name)
    done = re.search(r"(\d+) requests in", out)
    load.requests = int(done.group(1)) if done else 0
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    load.rps = float(rate.group(1)) if rate else 0.0
    load.p50, load.p99 = _ms(out, "50"), _ms(out, "99")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    load.non_2xx = int(non_2xx.group(1)) if non_2xx else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    load.socket_errors = sum(map(int, sockets.groups())) if sockets else 0
    return load


def run_mix(
    base: str, targets: list[tuple[str, str]], seconds: int, connections: int, timeout: int
) -> list[Load]:
    """One wrk per URL, all at once; `connections` shared out round-robin."""
    shares = [connections // len(targets)] * len(targets)
    for i in range(connections % len(targets)):
        shares[i] += 1
    runs = [
        (
            name,
            subprocess.Popen(
                [
                    *("wrk", "-t1", f"-c{share}", f"-d{seconds}s", f"--timeout={timeout}s"),
                    *("--latency", base + path),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            ),
        )
        for (name, path), share in zip(targets, shares, strict=True)
        if share > 0
    ]
    return [parse_wrk(name, process.communicate()[0]) for name, process in runs]


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pledges", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--timeout", type=int, default=30, help="seconds before wrk gives up")
    ap.add_argument("--data", default="/tmp/pt-bench-load")
    ap.add_argument("--port", type=int, default=8098)
    ap.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pt_bench_load"
        ),
    )
    a = ap.parse_args()
    data = Path(a.data)
    data.mkdir(parents=True, exist_ok=True)
    source = data / "pledges.csv"
    api_bench.generate(source, a.pledges)
    load_database(source, a.database_url, data)
    targets = urls(source)

    env = {
        **os.environ,
        "DATABASE_URL": a.database_url,
        "PORT": str(a.port),
        "API_ANON_THROTTLE": "off",
        "SECRET_KEY": "bench-only",
    }
    server = subprocess.Popen(
        ["make", "-s", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(data / "serve.log", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{a.port}"
    try:
        api_bench.wait_for(base + "/healthz", "make serve")
        for _, path in targets:  # every URL answers, and each is warm
            try:
                api_bench.get(base + path)
            except OSError as exc:
                raise SystemExit(f"{path}: {exc}") from None
        redis = "with Redis" if os.environ.get("REDIS_URL") else "without Redis (local caches)"
        print(
            f"{a.pledges:,} pledges, make serve {redis}, {a.connections} connections "
            f"for {a.seconds} s over {len(targets)} URLs at once"
        )
        loads = run_mix(base, targets, a.seconds, a.connections, a.timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(f"{'url':18} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for load in loads:
        print(
            f"{load.name:18} {load.requests:9d} {load.rps:8.1f} {load.p50:8.1f} "
            f"{load.p99:8.1f} {load.errors:7d}"
        )
    total = sum(load.requests for load in loads)
    errors = sum(load.errors for load in loads)
    print(
        f"{'total':18} {total:9d} {sum(load.rps for load in loads):8.1f} {'':8} {'':8} {errors:7d}"
    )
    print("zero errors" if errors == 0 else f"{errors} errors under load")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
