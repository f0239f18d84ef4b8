"""Structured logs: JSON lines or text, request ids through the web process, task ids in Celery."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from tests.support.ops_tasks import log_ids
from tracker.celery import app as celery_app
from tracker.logs import ContextFilter, JsonFormatter, RequestIdMiddleware, TextFormatter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def json_log() -> Iterator[Callable[[], list[dict]]]:
    """Captures what the root logger writes, as the JSON lines LOG_FORMAT=json produces."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _logging_view(request: HttpRequest) -> HttpResponse:
    logging.getLogger("pledges.views").info("inside the view")
    return HttpResponse("ok")


def test_request_id_from_the_proxy_is_kept_returned_and_logged(json_log) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/pledges/", HTTP_X_REQUEST_ID="proxy-7f3a.1")
    response = RequestIdMiddleware(_logging_view)(request)
    assert response["X-Request-ID"] == "proxy-7f3a.1"
    records = json_log()
    inside = next(r for r in records if r["message"] == "inside the view")
    access = next(r for r in records if r["logger"] == "tracker.request")
    assert inside["request_id"] == access["request_id"] == "proxy-7f3a.1"
    assert access["method"] == "GET"
    assert access["path"] == "/pledges/"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float)


def test_hostile_request_id_is_replaced_and_path_escaped(json_log) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get(
        "/pledges/%0AFAKE%20LINE", HTTP_X_REQUEST_ID='x" \n{"level": "CRITICAL"}'
    )
    response = RequestIdMiddleware(_logging_view)(request)
    made = response["X-Request-ID"]
    assert len(made) == 32
    assert int(made, 16) >= 0  # a fresh uuid4 hex
    access = next(r for r in json_log() if r["logger"] == "tracker.request")
    assert access["request_id"] == made
    assert "\n" not in access["path"]
    assert access["path"].startswith("/pledges/\\n")


def test_request_id_is_forgotten_after_the_request(json_log) -> None:  # type: ignore[no-untyped-def]
    RequestIdMiddleware(_logging_view)(RequestFactory().get("/"))
    logging.getLogger("pledges").info("between requests")
    after = next(r for r in json_log() if r["message"] == "between requests")
    assert "request_id" not in after


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/admin/login/")
    second = client.get("/admin/login/", HTTP_X_REQUEST_ID="abc-123")
    assert len(first["X-Request-ID"]) == 32
    assert second["X-Request-ID"] == "abc-123"


def test_task_logs_carry_the_task_arguments_by_name(json_log) -> None:  # type: ignore[no-untyped-def]
    result = log_ids.apply(args=(42,), kwargs={"pledge_id": 7})
    assert result.successful()
    line = next(r for r in json_log() if r["message"] == "checking")
    assert line["task_name"] == "tests.ops.log_ids"
    assert line["task_id"] == result.id
    assert line["task_args"] == {"source_id": 42, "pledge_id": 7}
    logging.getLogger("pledges").info("after the task")
    assert "task_id" not in next(r for r in json_log() if r["message"] == "after the task")


def test_json_formatter_keeps_extras_and_exceptions_on_one_line() -> None:
    record = logging.LogRecord("pledges", logging.ERROR, __file__, 1, "boom %s", ("x",), None)
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        record.exc_info = sys.exc_info()
    record.source_id = 5
    ContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "boom x"
    assert entry["level"] == "ERROR"
    assert entry["source_id"] == 5
    assert "ValueError: bad\nvalue" in entry["exception"]


def test_text_formatter_appends_the_request_id(json_log) -> None:  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(TextFormatter())
    logger = logging.getLogger("pledges.views")
    logger.addHandler(handler)
    try:
        RequestIdMiddleware(_logging_view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="r-1"))
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().rstrip().endswith("INFO pledges.views inside the view [request=r-1]")


def test_log_format_must_be_text_or_json(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "LOG_FORMAT": "xml",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is not one of text, json" in result.stderr


@pytest.mark.slow
def test_celery_worker_writes_json_lines_with_task_ids(tmp_path: Path) -> None:
    """A real worker (`entrypoint.sh worker`, prefork) with LOG_FORMAT=json logs the task's ids."""
    queue = f"ops-log-{uuid.uuid4().hex[:8]}"
    log_file = tmp_path / "worker.log"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LOG_FORMAT": "json",
        "SECRET_KEY": "x" * 60,
        "DEBUG": "0",
    }
    with log_file.open("w") as out:
        worker = subprocess.Popen(
            [
                str(ROOT / "docker" / "entrypoint.sh"),
                "worker",
                "--concurrency",
                "1",
                "--queues",
                queue,
                "--include",
                "tests.support.ops_tasks",
                "--hostname",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        celery_app.send_task("tests.ops.log_ids", args=[42], kwargs={"pledge_id": 7}, queue=queue)
        deadline = time.monotonic() + 60
        found = None
        while found is None and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.5)
            for line in log_file.read_text().splitlines():
                if '"checking"' in line:
                    found = json.loads(line)
        assert found is not None, log_file.read_text()[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert found["task_name"] == "tests.ops.log_ids"
    assert found["task_args"] == {"source_id": 42, "pledge_id": 7}
    assert found["logger"] == "pledges.tasks"
    # Celery's own lines go through the same formatter: every line is one JSON object.
    lines = [line for line in log_file.read_text().splitlines() if line.startswith("{")]
    assert any(json.loads(line)["logger"].startswith("celery") for line in lines)
