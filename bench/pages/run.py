#!/usr/bin/env python3
"""Public pages throughput: our filtered pledge list against Datasette's HTML table page.

    .venv/bin/python bench/pages/run.py [--rows 100000] [--seconds 10] [--connections 8]
        [--repeat 2] [--database-url postgres://postgres@127.0.0.1:5432/postgres]

In one run, on the same generated file (bench/datagen.py):
  ours:  `manage.py import_pledges` into a fresh PostgreSQL database, served by `make serve`
         (gunicorn, DEBUG off), page 2 of /pledges/?status=broken
  peer:  `sqlite-utils insert` of the same CSV into SQLite (plus an index on status, which a
         Datasette publisher would add), served by Datasette 0.65, page 2 of
         /bench/pledges?status=broken&_size=50
The fresh database is VACUUM ANALYZEd after the import, as autovacuum would soon do.
Both answers are checked first (HTTP 200, 50 rows of broken pledges), then wrk (Debian package
`wrk`) loads each in turn; the best of --repeat rounds counts. Prints requests/s of each and
ours/peer (target: at least 5). A third measure loads our page with a new address on every
request, so none comes from the page cache (each rendering queries and renders afresh; the
totals cache still helps), for what a first view costs. Servers are stopped and the
database dropped at the end.
Needs: `pip install datasette==0.65.5` (pinned in requirements.txt), `apt-get install wrk`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
TARGET = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], **kwargs) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, **kwargs)


@contextmanager
def server(cmd: list[str], url: str, env: dict[str, str], log: Path) -> Iterator[None]:
    """Start `cmd` in its own process group, wait until `url` answers, stop it afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{cmd[0]} did not start; see {log}") from None
                time.sleep(0.5)
        yield
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        return response.read().decode("utf-8")


# A new address for every request (an ignored parameter), so no page comes from the cache.
UNIQUE_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&uncached=" .. counter)
end
"""


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> float:
    extra = ["-s", str(script)] if script else []
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"errors while loading {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2, help="rounds of A then B; best counts")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()

    pg = dj_database_url.parse(args.database_url)
    dbname = f"bench_pages_{os.getpid()}"
    admin = {
        "host": pg["HOST"],
        "port": pg["PORT"] or 5432,
        "user": pg["USER"],
        "password": pg["PASSWORD"] or None,
        "dbname": pg["NAME"] or "postgres",
        "autocommit": True,
    }
    with tempfile.TemporaryDirectory() as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        csv_path = tmp / "pledges.csv"
        print(f"generating {args.rows:,} pledges ...", flush=True)
        run([sys.executable, "bench/datagen.py", "--rows", str(args.rows), "--out", str(csv_path)])

        print("peer: sqlite-utils insert ...", flush=True)
        sqlite_path = tmp / "bench.db"
        run(
            [
                str(BIN / "sqlite-utils"),
                "insert",
                str(sqlite_path),
                "pledges",
                str(csv_path),
                "--csv",
            ]
        )
        run([str(BIN / "sqlite-utils"), "create-index", str(sqlite_path), "pledges", "status"])

        print("ours: import_pledges into PostgreSQL ...", flush=True)
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')

        def drop() -> None:
            with psycopg.connect(**admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')

        stack.callback(drop)
        url = f"postgres://{pg['USER']}@{pg['HOST']}:{pg['PORT'] or 5432}/{dbname}"
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
        env.update(DATABASE_URL=url, SECRET_KEY="bench-only", VAR_DIR=str(tmp), DEBUG="0")
        run([sys.executable, "manage.py", "migrate", "-v0"], env=env)
        run(
            [sys.executable, "manage.py", "import_pledges", str(csv_path), "--no-progress"], env=env
        )
        # What autovacuum does within a minute of a bulk load on a live server: without
        # statistics the planner takes 5,890 broken pledges for 36 and sorts them all.
        with psycopg.connect(**{**admin, "dbname": dbname}) as conn:
            conn.execute("VACUUM ANALYZE")

        ours_port, peer_port = free_port(), free_port()
        stack.enter_context(
            server(
                ["make", "serve"],
                f"http://127.0.0.1:{ours_port}/pledges/",
                {**env, "PORT": str(ours_port)},
                tmp / "ours.log",
            )
        )
        stack.enter_context(
            server(
                [
                    str(BIN / "datasette"),
                    "serve",
                    "-i",
                    str(sqlite_path),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(peer_port),
                    "--setting",
                    "suggest_facets",
                    "off",
                    "--setting",
                    "sql_time_limit_ms",
                    "10000",
                ],
                f"http://127.0.0.1:{peer_port}/",
                env,
                tmp / "peer.log",
            )
        )

        ours = f"http://127.0.0.1:{ours_port}/pledges/?status=broken&page=2"
        first = json.loads(
            fetch(f"http://127.0.0.1:{peer_port}/bench/pledges.json?status=broken&_size=50")
        )
        peer = (
            f"http://127.0.0.1:{peer_port}/bench/pledges?status=broken&_size=50"
            f"&_next={first['next']}"
        )

        # Same question, same answer: 50 broken pledges on page 2, out of the same total.
        page = fetch(ours)
        total = first["filtered_table_rows_count"]
        assert page.count('<span class="badge status-broken">') == 50, "ours: not 50 rows"
        assert f"<strong>{total} pledges</strong>" in page, "ours: another total than the peer's"
        assert fetch(peer).count("<tr") >= 51, "peer: not 50 rows"

        unique = tmp / "unique.lua"
        unique.write_text(UNIQUE_LUA)
        best_ours = best_peer = best_cold = 0.0
        for round_ in range(args.repeat):
            o = wrk(ours, args.seconds, args.connections)
            p = wrk(peer, args.seconds, args.connections)
            c = wrk(ours, args.seconds, args.connections, unique)
            print(
                f"round {round_ + 1}: ours {o:8.1f} req/s   peer {p:8.1f} req/s   "
                f"ours uncached {c:8.1f} req/s",
                flush=True,
            )
            best_ours, best_peer, best_cold = (
                max(best_ours, o),
                max(best_peer, p),
                max(best_cold, c),
            )
        print(
            f"data: {args.rows:,} pledges, {total:,} broken; page 2 of 50 rows; "
            f"wrk -c{args.connections} -d{args.seconds}s, best of {args.repeat}"
        )
        print(f"ours  /pledges/?status=broken&page=2 (gunicorn)   {best_ours:8.1f} req/s")
        print(f"ours  the same, every address new (no page cache) {best_cold:8.1f} req/s")
        print(f"peer  Datasette 0.65 table page                   {best_peer:8.1f} req/s")
        print(
            f"ratio ours/peer                                   {best_ours / best_peer:8.2f}"
            f"  (target >= {TARGET})"
        )
        print(f"ratio ours uncached/peer                          {best_cold / best_peer:8.2f}")


if __name__ == "__main__":
    main()
