"""Liveness and readiness probes for load balancers and container orchestrators.

- `/healthz`: 200 while the process can answer at all. It touches neither the database nor
  Redis, so an outage of either never gets a healthy web container restarted.
- `/readyz`: 200 when the database answers, the Celery broker is usable (Redis when `REDIS_URL`
  is set, else the embedded broker's folder) and no migration is left unapplied; otherwise 503.
  Both answer JSON naming each check, and never an error's text (it can hold host names).

`HealthCheckMiddleware`, first in `MIDDLEWARE`, answers both paths before anything else runs:
probes arrive over plain HTTP, with whatever `Host` header the orchestrator uses, every few
seconds, and must neither be redirected to HTTPS, nor refused by `ALLOWED_HOSTS`, nor fill the
access log. The URL patterns in `tracker/urls.py` name the same views for `reverse()`.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_CHECKED = "not checked"
_REDIS_TIMEOUT = 2.0

# Migrations only become unapplied when new code arrives, and new code means a new process:
# once this process has seen them all applied it stops asking (a cheap /readyz).
_migrations_seen_applied = False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok"}`: the process is alive."""
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when database, broker and migrations are ready, else 503; each check named."""
    checks = {"database": _check(_database_answers, "database")}
    checks["migrations"] = (
        _check(_migrations_applied, "migrations") if checks["database"] == OK else NOT_CHECKED
    )
    checks["broker"] = _check(_broker_usable, "broker")
    ready = all(value == OK for value in checks.values())
    response = JsonResponse(
        {"status": OK if ready else UNAVAILABLE, "checks": checks},
        status=200 if ready else 503,
    )
    # The failed check was logged above as a warning; without this Django would add an error
    # line "Service Unavailable: /readyz" for every probe during an outage.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _check(probe: Callable[[], str], name: str) -> str:
    try:
        return probe()
    except Exception as exc:  # any failure means "not ready"; the log keeps the details
        logger.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
        return UNAVAILABLE


def _database_answers() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # Drop the broken connection now rather than offer it to the next request.
        connection.close()
        raise
    return OK


def _migrations_applied() -> str:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return OK
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} unapplied"
    _migrations_seen_applied = True
    return OK


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    # One client (and connection pool) per process, not a new connection per probe.
    return redis.Redis.from_url(
        url, socket_connect_timeout=_REDIS_TIMEOUT, socket_timeout=_REDIS_TIMEOUT
    )


def _broker_usable() -> str:
    if settings.REDIS_URL:
        _redis_client(settings.REDIS_URL).ping()
        return OK
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    if not (folder.is_dir() and os.access(folder, os.W_OK)):
        raise OSError(f"embedded broker folder {folder} is missing or not writable")
    return OK


_PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthCheckMiddleware:
    """Answers `/healthz` and `/readyz` before host checks, HTTPS redirect and access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = _PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
