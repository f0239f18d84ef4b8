#!/usr/bin/env python3
"""Re-check jobs end to end: real Celery workers, Redis and PostgreSQL against the project's own
fake news web (bench/recheck/newsserver.py), scored against its truth table.

    .venv/bin/python bench/recheck/run.py [--hosts 20] [--articles 8] [--interval 1]
        [--deadline 5] [--workers 2] [--threads 16]
        [--database-url postgres://postgres@127.0.0.1:5432/pt_rbench]
        [--redis-url redis://127.0.0.1:6379/6]

1. serves the fake web on 127.0.1.1..N, writes a pledges CSV citing its URLs (the companies the
   articles name; a follow-up article as second source of one pledge), recreates the database
   and imports the CSV with `manage.py import_pledges`;
2. starts --workers `celery -A tracker worker` processes (thread pool) with
   FETCH_PER_HOST_INTERVAL=--interval, FETCH_DEADLINE=--deadline, FETCH_ALLOW_NETWORKS=127.0.1.0/24;
3. runs `manage.py recheck --all --wait --json`, switches the web to epoch 1 (pages change,
   move, die), runs it again;
4. measures the raw-fetch ceiling in the same run: the same URLs with `pledges.fetch.fetch`,
   one thread per host, one request at a time, starts --interval apart (robots.txt first,
   Crawl-delay and Retry-After honoured, redirect hops as separate requests), no Celery or
   database;
5. prints sources/s of each run, the ceiling and the ratio, politeness violations seen by the
   servers (gaps between request starts to one host shorter than its interval; more than one
   request in flight; connections to the forbidden 127.0.0.1), verdict accuracy, false
   "dead"/"gone", evidence recall/precision and negated sentences flagged.
Workers, servers, the database and the Redis db are cleaned up at the end, also on Ctrl-C.
The Redis db is flushed before and after: give the bench a db of its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402

from bench.recheck.newsserver import CRAWL_DELAY, NewsWeb  # noqa: E402
from pledges.fetch import FetchConfig, FetchOutcome, fetch, parse_robots, robots_url  # noqa: E402

ALLOW = "127.0.1.0/24"
MAX_BYTES = 2_000_000
RATE = re.compile(r"in ([\d.]+) s \(([\d.]+) sources/s\)")
SLACK = 0.02  # seconds the ceiling adds to each gap, so clock jitter never makes it rude
DEAD_WORDS = {"not_found", "gone", "dns_error"}


def _stop_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def write_csv(web: NewsWeb, path: Path) -> int:
    """One pledge per article (its only source), except follow-ups: the second source of the
    pledge of the article they follow. Returns the number of pledges."""
    truth = web.truth()
    extra: dict[str, list[str]] = {}
    for url, row in truth.items():
        if row["paired_with"]:
            extra.setdefault(str(row["paired_with"]), []).append(url)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["ref", "company", "title", "announced_on", "jobs_promised", "source_urls"])
        for url, row in truth.items():
            if row["paired_with"]:
                continue
            rows += 1
            company = str(row["company"])
            out.writerow(
                [
                    f"bench-{rows}",
                    company,
                    f"{company} promises jobs",
                    "2021-03-01",
                    str(100 + rows),
                    " ".join([url, *extra.get(url, [])]),
                ]
            )
    return rows


def start_workers(
    procs: list[Any], count: int, threads: int, env: dict[str, str], tmp: Path
) -> None:
    """Start the workers into ``procs`` (registered for cleanup before this is called, so a
    worker that started is stopped whatever happens next) and wait for each to log "ready."
    (LOG_LEVEL INFO for that line)."""
    env = {**env, "LOG_LEVEL": "INFO"}
    for i in range(count):
        log = (tmp / f"worker{i}.log").open("wb")
        cmd = [
            sys.executable, "-m", "celery", "-A", "tracker", "worker", "-P", "threads",
            "-c", str(threads), "-n", f"rbench{i}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-l", "INFO",
        ]  # fmt: skip
        procs.append(
            subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )
    deadline = time.monotonic() + 60
    for i, proc in enumerate(procs):
        while "ready." not in (tmp / f"worker{i}.log").read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (tmp / f"worker{i}.log").read_text(errors="replace")[-3000:]
                sys.exit(f"worker {i} did not start:\n{log}")
            time.sleep(0.2)


def stop_workers(procs: list[Any]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def recheck(env: dict[str, str], out: Path) -> tuple[float, float, str]:
    """One `recheck --all --wait --json`: (seconds, sources/s) as the command reports them."""
    done = subprocess.run(
        [sys.executable, "manage.py", "recheck", "--all", "--wait", "--json", str(out),
         "--timeout", "600"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = RATE.search(done.stdout)
    if done.returncode or not found:
        sys.exit(f"recheck failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    return float(found[1]), float(found[2]), done.stdout


def fetch_ceiling(web: NewsWeb, *, interval: float, deadline: float, redirects: int) -> float:
    """Seconds to fetch every URL once with the same politeness, one thread per host."""
    config = FetchConfig(
        allow_networks=(ALLOW,), deadline=deadline, max_bytes=MAX_BYTES, max_redirects=0
    )

    def host_worker(urls: list[str]) -> None:
        last = [0.0]
        gap = interval

        def polite_fetch(url: str, **kwargs: Any) -> Any:
            wait = last[0] + gap + SLACK - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            last[0] = time.monotonic()
            return fetch(url, **kwargs)

        robots = polite_fetch(robots_url(urls[0]), config=config)
        if robots.outcome is FetchOutcome.OK:
            rules = parse_robots(robots.body, config.user_agent)
            gap = max(interval, rules.crawl_delay or 0.0)
        else:
            rules = parse_robots(b"", config.user_agent)
        for url in urls:
            current, seen = url, {url}
            while rules.can_fetch(current):
                result = polite_fetch(current, config=config)
                if result.retry_after:  # the server asked for a pause: the next start waits
                    last[0] = max(last[0], time.monotonic() + result.retry_after - gap)
                hops = result.redirects
                if result.outcome is not FetchOutcome.TOO_MANY_REDIRECTS or len(hops) != 1:
                    break
                current = hops[0][2]
                if current in seen or len(seen) > redirects:
                    break
                seen.add(current)

    started = time.monotonic()
    threads = [
        threading.Thread(target=host_worker, args=(urls,), daemon=True)
        for _, urls in web.urls_by_host()
        if urls
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def score(truth: dict[str, dict[str, Any]], results: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Verdicts, false dead, evidence against the truth table, over both epochs."""
    right, total, wrong, false_dead = 0, 0, [], []
    expected_ev, proposed_ev, hit_ev, negated_flagged = 0, 0, 0, []
    for epoch, rows in enumerate(results):
        by_url = {row["url"]: row for row in rows}
        for url, want in truth.items():
            total += 1
            got = by_url.get(url)
            outcome = got["outcome"] if got else "(missing)"
            good = outcome == want["outcome"][epoch]
            if good and outcome in ("moved", "redirected"):
                good = got is not None and got["final_url"] == want["final_url"][epoch]
            right += good
            if not good:
                wrong.append((epoch, want["kind"], want["outcome"][epoch], outcome, url))
            if outcome in DEAD_WORDS and want["outcome"][epoch] not in DEAD_WORDS:
                false_dead.append((epoch, want["kind"], outcome, url))
            expected = set(want["evidence"][epoch])
            proposed = set(got["evidence"]) if got else set()
            expected_ev += len(expected)
            proposed_ev += len(proposed)
            hit_ev += len(expected & proposed)
            negated_flagged += sorted(proposed & set(want["negated"]))
    return {
        "right": right,
        "total": total,
        "wrong": wrong,
        "false_dead": false_dead,
        "evidence_expected": expected_ev,
        "evidence_proposed": proposed_ev,
        "evidence_hits": hit_ev,
        "negated_flagged": negated_flagged,
    }


def health_false_dead(dsn: dict[str, Any], truth: dict[str, dict[str, Any]]) -> list[str]:
    """Sources whose health is dead/gone although the truth says they are not gone for good."""
    with psycopg.connect(**dsn) as conn:
        rows = conn.execute(
            "SELECT url, health FROM pledges_source WHERE health IN ('dead', 'gone')"
        ).fetchall()
    return [f"{url} ({health})" for url, health in rows if truth[url]["outcome"][1] != "gone"]


def report_politeness(name: str, seen: dict[str, Any]) -> None:
    short = seen["short_gaps"]
    print(
        f"  {name}: {seen['requests']} requests, {len(short)} short gaps "
        f"(min gap {seen['min_gap'] or 0:.3f} s), max in flight per host {seen['max_in_flight']}"
        f", connections to 127.0.0.1: {seen['forbidden_connections']}; last host to finish "
        f"{seen['last_host']['host']} ({seen['last_host']['requests']} requests)"
    )
    last = seen["last_host"]
    print("    its request starts (s): " + ", ".join(f"+{t} {p}" for t, p in last["timeline"]))
    for gap in short[:10]:
        print(f"    short gap: {gap}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--articles", type=int, default=8, help="per host")
    parser.add_argument("--interval", type=float, default=1.0, help="FETCH_PER_HOST_INTERVAL")
    parser.add_argument("--deadline", type=float, default=5.0, help="FETCH_DEADLINE")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--threads", type=int, default=16, help="threads per worker")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pt_rbench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
    )
    args = parser.parse_args()
    _stop_on_sigterm()

    pg = dj_database_url.parse(args.database_url)
    dbname = pg["NAME"]
    server = {
        "host": pg["HOST"] or "127.0.0.1",
        "port": pg["PORT"] or 5432,
        "user": pg["USER"] or "postgres",
        "password": pg["PASSWORD"] or None,
        "autocommit": True,
    }
    broker = redis.Redis.from_url(args.redis_url)
    with tempfile.TemporaryDirectory(prefix="rbench-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        web = stack.enter_context(NewsWeb(hosts=args.hosts, articles=args.articles))
        truth = web.truth()
        pledges = write_csv(web, tmp / "pledges.csv")
        print(
            f"fake web: {len(web.pages)} URLs on {len(web.servers)} hosts "
            f"(Crawl-delay {CRAWL_DELAY} s on {web.delay_host}); {pledges} pledges",
            flush=True,
        )

        def drop() -> None:
            with psycopg.connect(dbname="postgres", **server) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')

        drop()
        with psycopg.connect(dbname="postgres", **server) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        stack.callback(drop)
        broker.flushdb()  # leftover tasks of an interrupted run would check the wrong sources
        stack.callback(broker.flushdb)

        env = {k: v for k, v in os.environ.items() if not k.startswith(("FETCH_", "RECHECK_"))}
        env.update(
            DATABASE_URL=args.database_url,
            REDIS_URL=args.redis_url,
            FETCH_ALLOW_NETWORKS=ALLOW,
            FETCH_PER_HOST_INTERVAL=str(args.interval),
            FETCH_DEADLINE=str(args.deadline),
            FETCH_MAX_BYTES=str(MAX_BYTES),
            MEDIA_ROOT=str(tmp / "media"),
            VAR_DIR=str(tmp),
            DATABASE_CONN_MAX_AGE="0",
            DEBUG="0",
            SECRET_KEY="bench-only",
        )
        for cmd in (
            ["migrate", "-v0"],
            ["import_pledges", str(tmp / "pledges.csv"), "--no-progress"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *cmd],
                cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip

        print(f"starting {args.workers} workers x {args.threads} threads ...", flush=True)
        workers: list[Any] = []
        stack.callback(stop_workers, workers)
        start_workers(workers, args.workers, args.threads, env, tmp)

        runs, results, seen = [], [], []
        for epoch in (0, 1):
            web.set_epoch(epoch)
            web.reset_log()
            out = tmp / f"run{epoch}.json"
            seconds, rate, stdout = recheck(env, out)
            seen.append(web.politeness(interval=args.interval))
            results.append(json.loads(out.read_text()))
            runs.append((seconds, rate))
            summary = [line for line in stdout.splitlines() if line.strip()]
            print(f"\nrun {epoch + 1} (epoch {epoch}):")
            for line in summary[1:]:
                print(f"  {line}")

        web.reset_log()
        ceiling_seconds = fetch_ceiling(
            web, interval=args.interval, deadline=args.deadline, redirects=5
        )
        ceiling_seen = web.politeness(interval=args.interval)
        ceiling = len(web.pages) / ceiling_seconds
        scored = score(truth, results)
        false_health = health_false_dead(dict(server, dbname=dbname), truth)

        print("\n=== re-check bench ===")
        print(
            f"sources: {len(web.pages)} on {len(web.servers)} hosts; interval {args.interval} s, "
            f"deadline {args.deadline} s, {args.workers} workers x {args.threads} threads"
        )
        print(
            f"raw-fetch ceiling: {ceiling:.2f} sources/s ({ceiling_seconds:.1f} s; one thread "
            "per host, same interval, Crawl-delay and Retry-After)"
        )
        for i, (seconds, rate) in enumerate(runs):
            print(
                f"run {i + 1} (epoch {i}): {rate:.2f} sources/s ({seconds:.1f} s), "
                f"ratio to ceiling {rate / ceiling:.2f}"
            )
        print("politeness (as the servers saw it):")
        for i, s in enumerate(seen):
            report_politeness(f"run {i + 1}", s)
        report_politeness("ceiling", ceiling_seen)
        violations = sum(len(s["short_gaps"]) + (s["max_in_flight"] > 1) for s in seen)
        print(f"politeness violations in the runs: {violations}")
        print(
            f"verdicts: {scored['right']}/{scored['total']} right "
            f"({100 * scored['right'] / scored['total']:.1f}%)"
        )
        for epoch, kind, want, got, url in scored["wrong"]:
            print(f"  wrong (epoch {epoch}): {kind}: expected {want}, got {got}  {url}")
        print(
            f"false dead/gone: {len(scored['false_dead'])} verdicts, "
            f"{len(false_health)} source health"
        )
        for row in scored["false_dead"] + false_health:
            print(f"  {row}")
        hits, want, got = (
            scored["evidence_hits"],
            scored["evidence_expected"],
            scored["evidence_proposed"],
        )
        print(
            f"evidence: recall {hits}/{want} = {hits / want if want else 1:.2f}, "
            f"precision {hits}/{got} = {hits / got if got else 1:.2f}"
        )
        negated = sum(len(t["negated"]) for t in truth.values())
        print(f"negated sentences flagged: {len(scored['negated_flagged'])} of {negated}")
        for sentence in scored["negated_flagged"]:
            print(f"  {sentence}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted; workers stopped, database dropped")
