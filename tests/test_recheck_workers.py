"""Integration: real `celery -A tracker worker` processes, Redis and PostgreSQL.

Two worker processes check sources of one host; the server records when each request
started, and the per-host interval must hold between every two starts, and every source must
be checked exactly once in the run even though each check is enqueued twice.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from pledges.models import SourceCheck
from pledges.services import checks
from pledges.tasks import enqueue_checks
from tests.factories import SourceFactory
from tests.support.httpserver import Response, serve

ROOT = Path(__file__).resolve().parent.parent
INTERVAL = 0.5  # FETCH_PER_HOST_INTERVAL given to the workers
SOURCES = 8


def _start_workers(queue: str, tmp_path: Path) -> list[subprocess.Popen[bytes]]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
        "FETCH_PER_HOST_INTERVAL": str(INTERVAL),
        "FETCH_ALLOW_NETWORKS": "127.0.1.0/24,127.0.2.0/24",
        "MEDIA_ROOT": str(tmp_path),
        "DATABASE_CONN_MAX_AGE": "0",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only"),
    }
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "-P",
                "threads",
                "-c",
                "4",
                "-Q",
                queue,
                "-n",
                f"w{i}-{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"worker{i}.log", "wb"),
        )
        for i in range(2)
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_workers_two_processes_keep_the_host_interval_and_check_each_source_once(
    tmp_path: Path,
) -> None:
    if not django_settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs Redis and PostgreSQL")
    starts: list[tuple[float, str]] = []
    lock = threading.Lock()

    def article(req):  # type: ignore[no-untyped-def]
        with lock:
            starts.append((time.monotonic(), req.path))
        return Response(
            body=f"<html><title>a</title><body><p>Article {req.path}.</p></body></html>"
        )

    queue = f"recheck-test-{uuid.uuid4().hex[:8]}"
    with serve({"*": article}) as base:
        ids = [SourceFactory(url=f"{base}/a/{i}.html").pk for i in range(SOURCES)]
        run = checks.start_run(kind="selected", source_ids=ids)
        workers = _start_workers(queue, tmp_path)
        try:
            enqueue_checks(ids + ids, run.pk, queue=queue)  # every check delivered twice
            deadline = time.monotonic() + 60
            while SourceCheck.objects.filter(run=run).count() < SOURCES:
                assert time.monotonic() < deadline, (tmp_path / "worker0.log").read_text()[-2000:]
                assert all(w.poll() is None for w in workers), "a worker died"
                time.sleep(0.2)
            time.sleep(INTERVAL * 2)  # a duplicate would show up now
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(20)
    per_source = list(SourceCheck.objects.filter(run=run).values_list("source_id", flat=True))
    assert sorted(per_source) == sorted(ids)
    article_starts = sorted(t for t, path in starts if path.startswith("/a/"))
    assert len(article_starts) == SOURCES
    gaps = [b - a for a, b in itertools.pairwise(article_starts)]
    all_starts = sorted(t for t, _ in starts)  # robots.txt counts as a request too
    all_gaps = [b - a for a, b in itertools.pairwise(all_starts)]
    assert min(gaps) >= INTERVAL and min(all_gaps) >= INTERVAL, all_gaps
