"""/healthz and /readyz: alive vs. ready, 503 on each outage, never redirected nor refused."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracker import health

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_migration_state(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test starts as a newly started process: migrations not yet seen applied.
    monkeypatch.setattr(health, "_migrations_seen_applied", False)


def test_healthz_answers_ok_without_touching_the_database(client) -> None:  # type: ignore[no-untyped-def]
    # No django_db mark: pytest-django makes any database access an error here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_ok_when_database_broker_and_migrations_are_ready(
    client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
    }
    # Once migrations were seen applied, a probe costs one query.
    with django_assert_max_num_queries(1):
        assert client.get("/readyz").status_code == 200


def test_readyz_answers_503_when_the_database_is_unreachable(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    broken = connection.__class__(
        {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": str(_closed_port())},
        alias="default",
    )
    monkeypatch.setattr(health, "connections", {"default": broken})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "migrations": "not checked", "broker": "ok"},
    }
    assert b"127.0.0.1" not in response.content  # no error text leaks out
    assert client.get("/healthz").status_code == 200  # alive all the same


@pytest.mark.django_db
def test_readyz_answers_503_while_a_migration_is_unapplied(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class OneBehind(MigrationExecutor):
        def migration_plan(self, targets, clean_start=False):  # type: ignore[no-untyped-def]
            return [(self.loader.graph.nodes[targets[0]], False)]

    monkeypatch.setattr(health, "MigrationExecutor", OneBehind)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "1 unapplied",
        "broker": "ok",
    }


@pytest.mark.django_db
def test_readyz_answers_503_when_redis_is_unreachable(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"


@pytest.mark.django_db
def test_readyz_checks_the_embedded_broker_folder_without_redis(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "out")}
    assert client.get("/readyz").json()["checks"]["broker"] == "unavailable"
    (tmp_path / "out").mkdir()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_probes_skip_https_redirect_and_host_check(client, settings) -> None:  # type: ignore[no-untyped-def]
    # As in production: HTTPS forced, one public host name; probes come over plain HTTP with
    # the container's address as Host.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["pledges.example.org"]
    response = client.get("/healthz", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200
    # Everything else is still redirected to HTTPS.
    other = client.get("/pledges/", HTTP_HOST="pledges.example.org")
    assert other.status_code == 301
    assert other["Location"] == "https://pledges.example.org/pledges/"


def test_probes_refuse_writes(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def web_without_database(tmp_path: Path) -> Iterator[str]:
    """The production web process (`entrypoint.sh web`, gunicorn) with PostgreSQL unreachable."""
    port = _closed_port()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/pledges",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "ALLOWED_HOSTS": "pledges.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "VAR_DIR": str(tmp_path),
        "WEB_WORKERS": "1",
        "PORT": str(port),
    }
    process = subprocess.Popen(
        [str(ENTRYPOINT), "web", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_web_process_starts_and_reports_not_ready_while_the_database_is_down(
    web_without_database: str,
) -> None:
    status, body = _get(web_without_database + "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, body = _get(web_without_database + "/readyz")
    assert status == 503
    assert json.loads(body)["checks"]["database"] == "unavailable"
    # The image's HEALTHCHECK command agrees: the process is alive.
    port = web_without_database.rsplit(":", 1)[1]
    probe = subprocess.run(
        [str(ENTRYPOINT), "healthcheck"],
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PORT": port},
        capture_output=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr


def test_image_healthcheck_fails_when_nothing_answers() -> None:
    probe = subprocess.run(
        [str(ENTRYPOINT), "healthcheck"],
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PORT": str(_closed_port())},
        capture_output=True,
        check=False,
    )
    assert probe.returncode != 0
