"""Faults, with real servers: Celery worker processes killed with SIGKILL, Redis restarted,
PostgreSQL stopped, Redis down under the web server.

Each test starts a private Redis (and PostgreSQL where it stops it) in a temporary folder:
the machine's servers are never touched. The re-check tests count `SourceCheck` rows: a run
must end with exactly one check per source whatever was killed or restarted on the way.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from django.db import connection

from pledges.models import SourceCheck
from pledges.services import checks
from tests.factories import SourceFactory
from tests.support.httpserver import Response, serve
from tests.support.servers import (
    PrivatePostgres,
    PrivateRedis,
    free_port,
    http_get,
    manage,
    project_env,
    start_web,
    start_worker,
    stop_process,
    wait_until,
)

pytestmark = pytest.mark.slow

HOSTS = ("127.0.1.1", "127.0.1.2", "127.0.1.3", "127.0.1.4")
PER_HOST = 4
VISIBILITY = 8  # seconds before a dead worker's task is delivered again (CELERY_VISIBILITY_TIMEOUT)
WORKER_SETTINGS = {
    "FETCH_PER_HOST_INTERVAL": "0.2",
    # A killed worker's host slots are freed after FETCH_DEADLINE + 10 s.
    "FETCH_DEADLINE": "3",
    "CELERY_WORKER_CONCURRENCY": "4",
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
    "LOG_LEVEL": "INFO",
}


class SlowNewsSites:
    """Articles on several hosts that take a while to answer, so that checks are in flight
    when a fault strikes; counts requests started and in flight."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.started: list[str] = []
        self.in_flight = 0

    def article(self, request):  # type: ignore[no-untyped-def]
        if request.path == "/robots.txt":
            return Response(404, body="no robots")
        with self.lock:
            self.started.append(request.path)
            self.in_flight += 1
        try:
            time.sleep(self.delay)
            return Response(body=f"<html><title>t</title><body><p>Jobs {request.path}.</p>")
        finally:
            with self.lock:
                self.in_flight -= 1

    def article_requests(self) -> int:
        with self.lock:
            return len(self.started)


@pytest.fixture
def news_sites() -> Iterator[tuple[SlowNewsSites, list[str]]]:
    sites = SlowNewsSites(delay=0.6)
    servers = [serve({"*": sites.article}, host=host) for host in HOSTS]
    bases = [server.__enter__() for server in servers]
    try:
        yield sites, [f"{base}/story/{i}" for i in range(PER_HOST) for base in bases]
    finally:
        for server in servers:
            server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    folder = tmp_path_factory.mktemp("redis")
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def worker_database_env() -> dict[str, str]:
    db = connection.settings_dict
    return {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}


def nothing_left_to_deliver(redis_url: str, queue: str) -> bool:
    """No message waiting in the queue, none taken and unacknowledged: no duplicate can come."""
    client = redis.Redis.from_url(redis_url)
    try:
        return client.llen(queue) == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def checks_of(run_id: int) -> list[int]:
    return sorted(SourceCheck.objects.filter(run_id=run_id).values_list("source_id", flat=True))


def enqueue(env: dict[str, str], ids: list[int], run_id: int, queue: str) -> None:
    """Enqueue from a process of its own, as the `recheck` command or beat would."""
    manage(
        env,
        "shell",
        "-v0",
        "-c",
        f"from pledges.tasks import enqueue_checks; enqueue_checks({ids!r}, {run_id}, "
        f"queue={queue!r})",
    )


@pytest.mark.django_db(transaction=True)
def test_faults_worker_killed_mid_run_a_new_worker_checks_every_source_exactly_once(
    tmp_path: Path, redis_server: PrivateRedis, news_sites: tuple[SlowNewsSites, list[str]]
) -> None:
    sites, urls = news_sites
    ids = [SourceFactory(url=url).pk for url in urls]
    run = checks.start_run(kind="selected", source_ids=ids)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = project_env(**WORKER_SETTINGS, **worker_database_env(), REDIS_URL=redis_server.url())
    first = start_worker(env, "first", tmp_path / "first.log", "-Q", queue)
    second = None
    try:
        enqueue(env, ids + ids, run.pk, queue)  # every check delivered twice, too
        wait_until(
            lambda: len(checks_of(run.pk)) >= 2 and sites.in_flight >= 2,
            60,
            "checks recorded and others in flight",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        in_flight_when_killed = len(ids) - len(checks_of(run.pk))
        # A starting worker hands back the tasks that have been taken longer than the
        # visibility timeout (later, a running one does so only every 100 s or so).
        time.sleep(VISIBILITY + 1)
        second = start_worker(env, "second", tmp_path / "second.log", "-Q", queue)
        wait_until(lambda: len(checks_of(run.pk)) >= len(ids), 120, "every source checked")
        wait_until(lambda: nothing_left_to_deliver(redis_server.url(), queue), 60, "an empty queue")
        assert second.poll() is None, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        for worker in (first, second):
            if worker is not None:
                stop_process(worker)
    assert in_flight_when_killed > 0
    assert checks_of(run.pk) == sorted(ids)
    assert SourceCheck.objects.filter(source_id__in=ids).count() == len(ids)
    # The checks the killed worker had started were fetched again by the new one.
    assert sites.article_requests() > len(ids)


@pytest.mark.django_db(transaction=True)
def test_faults_redis_restarted_mid_run_the_run_completes_exactly_once(
    tmp_path: Path, redis_server: PrivateRedis, news_sites: tuple[SlowNewsSites, list[str]]
) -> None:
    _, urls = news_sites
    ids = [SourceFactory(url=url).pk for url in urls]
    run = checks.start_run(kind="selected", source_ids=ids)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = project_env(**WORKER_SETTINGS, **worker_database_env(), REDIS_URL=redis_server.url())
    worker = start_worker(env, "w", tmp_path / "worker.log", "-Q", queue)
    try:
        enqueue(env, ids, run.pk, queue)
        wait_until(lambda: len(checks_of(run.pk)) >= 2, 60, "the first checks")
        redis_server.restart()
        restarted_with = len(checks_of(run.pk))
        wait_until(lambda: len(checks_of(run.pk)) >= len(ids), 120, "every source checked")
        # Acknowledgements lost with the connection leave messages taken: delivered again
        # after the visibility timeout (up to ~100 s later), they find the check done.
        time.sleep(2)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        stop_process(worker)
    assert restarted_with < len(ids)
    assert checks_of(run.pk) == sorted(ids)
    assert SourceCheck.objects.filter(source_id__in=ids).count() == len(ids)


# --- PostgreSQL stopped, Redis down: a private database under the production processes ----


@pytest.fixture(scope="module")
def private_site(
    tmp_path_factory: pytest.TempPathFactory, redis_server: PrivateRedis
) -> Iterator[tuple[PrivatePostgres, dict[str, str], str]]:
    """A migrated private PostgreSQL with a few pledges, and gunicorn serving it."""
    tmp_path = tmp_path_factory.mktemp("site")
    postgres = PrivatePostgres()
    postgres.start()
    try:
        postgres.create_database()
        var = tmp_path / "var"
        env = project_env(
            **WORKER_SETTINGS,
            DATABASE_URL=postgres.url(),
            REDIS_URL=redis_server.url(),
            VAR_DIR=str(var),
            WEB_WORKERS="2",
            API_ANON_THROTTLE="off",
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        rows = tmp_path / "pledges.csv"
        rows.write_text(
            "ref,company,company_country,title,announced_on,jobs_promised,source_urls\r\n"
            + "".join(
                f"p{i},Company {i % 3},US,Company {i % 3} promises {i}00 jobs,2017-0{1 + i % 9}"
                f"-09,{i}00,https://news.example.org/{i}\r\n"
                for i in range(1, 20)
            )
        )
        manage(env, "import_pledges", str(rows), "--no-progress")
        port = free_port()
        # The web server keeps its database connections as in production; workers do not.
        web_env = {**env, "DATABASE_CONN_MAX_AGE": "60"}
        web = start_web(web_env, port, tmp_path / "web.log")
        try:
            yield postgres, env, f"http://127.0.0.1:{port}"
        finally:
            stop_process(web)
    finally:
        postgres.remove()


def checks_in_private_database(url: str, run_id: int) -> list[int]:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            rows = conn.execute(
                "SELECT source_id FROM pledges_sourcecheck WHERE run_id = %s", (run_id,)
            ).fetchall()
    except psycopg.OperationalError:
        return []
    return sorted(source_id for (source_id,) in rows)


PUBLIC_PATHS = (
    "/",
    "/pledges/",
    "/pledges/?status=announced&ordering=-jobs_promised",
    "/pledges/p1/",
    "/companies/company-1/",
    "/feeds/pledges/",
    "/api/v1/pledges/",
    "/api/v1/pledges/p1/",
    "/api/v1/pledges/summary/",
    "/api/v1/companies/",
    "/api/v1/pledges/?format=csv",
)


def test_faults_postgres_stopped_tasks_retry_and_readyz_answers_503(
    tmp_path: Path,
    private_site: tuple[PrivatePostgres, dict[str, str], str],
    news_sites: tuple[SlowNewsSites, list[str]],
) -> None:
    postgres, env, web = private_site
    sites, urls = news_sites
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    created = manage(
        env,
        "shell",
        "-v0",
        stdin=(
            "from pledges.models import Source\n"
            "from pledges.services import checks\n"
            f"ids = [Source.objects.create(url=u).pk for u in {urls!r}]\n"
            "run = checks.start_run(kind='selected', source_ids=ids)\n"
            "print(run.pk, *ids)\n"
        ),
    )
    run_id, *ids = (int(word) for word in created.splitlines()[-1].split())
    worker = start_worker(env, "w", tmp_path / "worker.log", "-Q", queue)
    try:
        enqueue(env, ids, run_id, queue)
        wait_until(
            lambda: checks_in_private_database(postgres.url(), run_id) and sites.in_flight,
            60,
            "a check recorded and others in flight",
        )
        for _ in range(3):  # every web thread holds a database connection now
            assert all(http_get(web + path)[0] == 200 for path in PUBLIC_PATHS)
        postgres.stop()
        down_since = time.monotonic()
        status, body = http_get(web + "/readyz")
        assert status == 503, body
        assert b'"database": "unavailable"' in body
        for path in ("/pledges/", "/api/v1/pledges/"):
            status, body = http_get(web + path)
            assert status == 500 and b"Traceback" not in body and b"psycopg" not in body, body
        time.sleep(max(0.0, 4 - (time.monotonic() - down_since)))
        postgres.start()
        wait_until(lambda: http_get(web + "/readyz")[0] == 200, 30, "/readyz to recover")
        wait_until(
            lambda: len(checks_in_private_database(postgres.url(), run_id)) >= len(ids),
            150,
            "every source checked after the outage",
        )
        time.sleep(3)
    finally:
        stop_process(worker)
    log = (tmp_path / "worker.log").read_text()
    assert "Retry in" in log, log[-3000:]  # tasks met the outage and were retried
    assert checks_in_private_database(postgres.url(), run_id) == sorted(ids)
    for _ in range(3):  # kept connections are checked before reuse: no 500 after a restart
        for path in PUBLIC_PATHS:
            assert http_get(web + path)[0] == 200, path


def test_faults_postgres_restart_costs_no_request(
    private_site: tuple[PrivatePostgres, dict[str, str], str],
) -> None:
    """The web server keeps database connections (DATABASE_CONN_MAX_AGE): after PostgreSQL
    restarts, each is checked before reuse instead of failing a request with a 500."""
    postgres, _, web = private_site
    path = web + "/api/v1/companies/"
    assert [http_get(path)[0] for _ in range(40)] == [200] * 40  # every thread connected
    postgres.stop()
    postgres.start()
    assert [http_get(path)[0] for _ in range(40)] == [200] * 40


def test_faults_redis_down_public_pages_and_api_still_answer(
    private_site: tuple[PrivatePostgres, dict[str, str], str], redis_server: PrivateRedis
) -> None:
    _, _, web = private_site
    for path in PUBLIC_PATHS:  # warm: the cache holds pages and totals now
        assert http_get(web + path)[0] == 200, path
    redis_server.stop()
    try:
        for path in PUBLIC_PATHS:
            status, body = http_get(web + path)
            assert status == 200, (path, body[:500])
        status, body = http_get(web + "/readyz")
        assert status == 503 and b'"broker": "unavailable"' in body, body
    finally:
        redis_server.start()
    wait_until(lambda: http_get(web + "/readyz")[0] == 200, 30, "/readyz to recover")
