"""Structured logs: text or JSON lines, with the request id or the Celery task in every record.

`LOG_FORMAT=json` writes one JSON object per line (for a log shipper); `text` (the default) one
readable line. Either way a `ContextFilter` on the handler adds what the process is working on:

- in the web process, `RequestIdMiddleware` takes the caller's `X-Request-ID` (or makes one),
  returns it on the response and puts it on every record logged while the request runs, then
  logs one line per request (the access log: method, path, status, duration);
- in a Celery worker, the `task_prerun`/`task_postrun` signals put the task's name, id and
  arguments (by parameter name: `source_id`, `pledge_id`, ...) on every record the task logs.

Named `logs`, not `logging`, so that no script run from this folder shadows the standard module.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import inspect
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only when it looks like an id: no spaces, quotes or control characters
# that could forge log lines, and short enough not to bloat every record.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")
_MAX_VALUE_CHARS = 200

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_task: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("task", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
) | {"message", "asctime", "request_id", "task_id", "task_name", "task_args"}
# Extras Django attaches that are objects, not data (the request is summarised by our own line).
_SKIPPED_EXTRAS = frozenset({"request", "server_time"})


def current_request_id() -> str | None:
    """The id of the request this code runs for, if any."""
    return _request_id.get()


class ContextFilter(logging.Filter):
    """Adds `request_id`, `task_id`, `task_name` and `task_args` to every record (None if none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        task = _task.get()
        record.task_id = task["id"] if task else None
        record.task_name = task["name"] if task else None
        record.task_args = task["args"] if task else None
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _RECORD_ATTRS and key not in _SKIPPED_EXTRAS and not key.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, context, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id", "task_name", "task_args"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        entry.update(_extras(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines and quotes, so a hostile value cannot start a new record.
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message [request=…]` or `[task=name id=… args]`, for people."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        if getattr(record, "request_id", None):
            line += f" [request={record.request_id}]"
        if getattr(record, "task_id", None):
            args = json.dumps(record.task_args, default=str)
            line += f" [task={record.task_name} id={record.task_id} args={args}]"
        return line


def printable(text: str, limit: int = _MAX_VALUE_CHARS) -> str:
    """`text` with control and non-ASCII characters escaped and cut to `limit` characters."""
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


class RequestIdMiddleware:
    """Gives each request an id, returns it as `X-Request-ID` and logs one line per request.

    The caller's `X-Request-ID` (from the reverse proxy) is kept when it is a plausible id, so
    one id follows a request through proxy, web and logs; otherwise a new one is made.
    """

    access_log = logging.getLogger("tracker.request")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _REQUEST_ID_RE.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            path = printable(request.path)
            self.access_log.info(
                "%s %s %s %sms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _request_id.reset(token)


def _named_arguments(task: Any, args: Any, kwargs: Any) -> dict[str, Any]:
    """The task's arguments by parameter name (positional ones too), values capped."""
    args = list(args or ())
    kwargs = dict(kwargs or {})
    try:
        named = dict(inspect.signature(task.run).bind_partial(*args, **kwargs).arguments)
    except (TypeError, ValueError):
        named = {"args": args, **kwargs}
    return {key: _capped(value) for key, value in named.items()}


def _capped(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else repr(value)
    return printable(text)


def _task_started(task_id: str, task: Any, args: Any = None, kwargs: Any = None, **_: Any) -> None:
    _task.set({"id": task_id, "name": task.name, "args": _named_arguments(task, args, kwargs)})


def _task_finished(**_: Any) -> None:
    # A worker runs one task at a time per process or thread: clearing is enough.
    _task.set(None)


def _use_django_logging(**_: Any) -> None:
    # Connected to celery's setup_logging: Celery then leaves logging alone (no root-logger
    # hijack, no format of its own) and the worker and beat log exactly as the web process.
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def connect_celery_signals() -> None:
    """Make Celery use Django's LOGGING and put each task's context on its records."""
    from celery import signals

    signals.setup_logging.connect(_use_django_logging, weak=False)
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
