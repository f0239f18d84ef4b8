#!/usr/bin/env python3
"""Follow-up report generation at scale: a weekly report over 100,000 pledges and 250,000
sources, timed against the 10-second limit of issue 7, with its query count.

    .venv/bin/python bench/report/run.py [--rows 100000] [--sources 250000] [--repeat 3]
        [--database-url postgres://postgres@127.0.0.1:5432/pt_reports_bench] [--reuse]

1. (re)creates the database, generates pledges with bench/datagen.py and imports them with
   `manage.py import_pledges`; tops sources up to --sources;
2. adds synthetic re-check history in bulk so every section has content: a check of every
   source over the last 90 days, changed/dead/gone sources this week (half archived), status
   updates with evidence this week, pending and reviewed suggestions, nested pledges, pledges
   added this week;
3. times `report_create` (build every section and store the report) for the 7 days ending
   now, --repeat times, and prints each time, the worst against the limit, the query count
   and the section counts. --reuse skips 1-2 when the database already holds the data.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent.parent
LIMIT_SECONDS = 10.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pt_reports_bench"

SYNTHETIC_SQL = [
    # The import ran today: date its pledges and status updates back to when they happened,
    # as if the tracker had been following them all along.
    """UPDATE pledges_pledge
       SET created_at = LEAST(announced_on + interval '2 days', now() - interval '60 days')""",
    """UPDATE pledges_statusupdate
       SET recorded_at = LEAST(established_on + interval '1 day', now() - interval '30 days')""",
    # Every source checked once in the last 90 days, unchanged.
    """INSERT INTO pledges_sourcecheck (source_id, checked_at, outcome, host, redirects,
           etag, last_modified, fingerprint, evidence, error, final_url)
       SELECT id, now() - random() * interval '90 days', 'unchanged', '', '[]', '', '', '',
              '[]', '', ''
       FROM pledges_source""",
    # 1% changed this week (some twice).
    """INSERT INTO pledges_sourcecheck (source_id, checked_at, outcome, host, redirects,
           etag, last_modified, fingerprint, evidence, error, final_url)
       SELECT id, now() - random() * interval '7 days', 'changed', '', '[]', '', '', '',
              '[]', '', ''
       FROM pledges_source WHERE id % 100 = 7 OR id % 1000 = 8""",
    # 0.5% dead and 0.2% gone this week; 1% dead long ago.
    """UPDATE pledges_source
       SET health = 'dead', health_since = now() - random() * interval '7 days'
       WHERE id % 200 = 11""",
    """UPDATE pledges_source
       SET health = 'gone', health_since = now() - random() * interval '7 days'
       WHERE id % 500 = 13""",
    """UPDATE pledges_source SET health = 'dead', health_since = now() - interval '200 days'
       WHERE id % 100 = 17""",
    # Archived copies of half of the troubled sources.
    """INSERT INTO pledges_snapshot (source_id, fetched_at, final_url, http_status, sha256,
           fingerprint, title, text, warc_path, notes, added_sentences, removed_sentences)
       SELECT id, now() - interval '120 days', url, 200, md5(url) || md5(url || 'x'), '',
              title, 'Archived article text.', '', '[]', '[]', '[]'
       FROM pledges_source WHERE (id % 100 = 7 OR id % 200 = 11 OR id % 500 = 13) AND id % 3 = 0""",
    # 2,000 status updates recorded this week, with one of the pledge's sources as evidence.
    """INSERT INTO pledges_statusupdate (pledge_id, status, established_on, explanation,
           recorded_at)
       SELECT id, 'in_progress', GREATEST(announced_on, current_date - 3),
              'Synthetic follow-up: hiring under way.', now() - random() * interval '7 days'
       FROM pledges_pledge WHERE id % 50 = 3""",
    """INSERT INTO pledges_statusupdate_evidence (statusupdate_id, source_id)
       SELECT su.id, MIN(ps.source_id) FROM pledges_statusupdate su
       JOIN pledges_pledgesource ps ON ps.pledge_id = su.pledge_id
       WHERE su.explanation LIKE 'Synthetic%' GROUP BY su.id""",
    """UPDATE pledges_pledge p SET status = 'in_progress',
           status_on = GREATEST(p.announced_on, current_date - 3)
       WHERE id % 50 = 3""",
    # 5,000 pending suggestions over the last 180 days; 20,000 reviewed ones.
    """INSERT INTO pledges_suggestion (kind, state, pledge_id, source_id, candidate_url,
           proposed_status, signal, sentence, created_at, dismiss_reason)
       SELECT CASE WHEN id % 2 = 0 THEN 'status_change' ELSE 'new_evidence' END,
              'pending', id, NULL, '', CASE WHEN id % 2 = 0 THEN 'kept' ELSE '' END, 'hired',
              'The company said it had hired ' || (id % 900) || ' people so far.',
              now() - random() * interval '180 days', ''
       FROM pledges_pledge WHERE id % 20 = 1""",
    """INSERT INTO pledges_suggestion (kind, state, pledge_id, source_id, candidate_url,
           proposed_status, signal, sentence, created_at, dismiss_reason)
       SELECT 'new_evidence', 'dismissed', id, NULL, '', '', '', 'Old news.',
              now() - random() * interval '365 days', 'not about this pledge'
       FROM pledges_pledge WHERE id % 5 = 2""",
    # 1,000 pledges nested in another of the same company; 1,000 added this week.
    """UPDATE pledges_pledge p SET part_of_id = (
           SELECT q.id FROM pledges_pledge q WHERE q.company_id = p.company_id AND q.id <> p.id
           ORDER BY q.id LIMIT 1)
       WHERE p.id % 100 = 5""",
    """UPDATE pledges_pledge SET created_at = now() - random() * interval '7 days'
       WHERE id % 100 = 9""",
    "ANALYZE",
]


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def load(url: str, rows: int, sources: int, env: dict[str, str]) -> None:
    server = dj_database_url.parse(url)
    admin = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{server["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{server["NAME"]}"')
    run([sys.executable, "manage.py", "migrate", "-v0"], env)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "pledges.csv"
        started = time.perf_counter()
        run([sys.executable, "bench/datagen.py", "--rows", str(rows), "--out", str(csv_path)], env)
        run([sys.executable, "manage.py", "import_pledges", str(csv_path), "--no-progress"], env)
        print(f"generated and imported {rows:,} pledges in {time.perf_counter() - started:.0f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM pledges_source").fetchone()[0]
        if have < sources:
            conn.execute(
                """INSERT INTO pledges_source (url, publisher, title, health, moved_to, etag,
                       last_modified, validator_url, fingerprint, created_at, updated_at)
                   SELECT 'https://extra.example.org/story/' || n, 'Extra', 'Extra ' || n,
                          'unknown', '', '', '', '', '', now(), now()
                   FROM generate_series(1, %s) AS n""",
                [sources - have],
            )
        started = time.perf_counter()
        for statement in SYNTHETIC_SQL:
            conn.execute(statement)
        print(f"synthetic re-check history added in {time.perf_counter() - started:.0f} s")


def measure(repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pledges.models import Pledge, Source
    from pledges.services.reports import report_create, report_period

    print(f"pledges {Pledge.objects.count():,}, sources {Source.objects.count():,}")
    times, queries, report = [], 0, None
    for _ in range(repeat):
        start, end = report_period(frequency="weekly", now=timezone.now())
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            report = report_create(frequency="weekly", period_start=start, period_end=end)
            times.append(time.perf_counter() - began)
        queries = len(captured)
    assert report is not None
    for key, count in report.counts.items():
        print(f"  {key:20} {count:>8,}")
    print("weekly report runs: " + ", ".join(f"{t:.2f} s" for t in times))
    worst = max(times)
    print(
        f"weekly report over {Pledge.objects.count():,} pledges: {worst:.2f} s worst of "
        f"{repeat} (limit {LIMIT_SECONDS:.0f} s, ratio {worst / LIMIT_SECONDS:.3f}), "
        f"{queries} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "LOG_LEVEL": "WARNING",
    }
    if not args.reuse:
        load(args.database_url, args.rows, args.sources, env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    measure(args.repeat)


if __name__ == "__main__":
    main()
