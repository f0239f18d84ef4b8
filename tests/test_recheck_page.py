"""The staff page of the re-check jobs: per-host statistics, politeness state and queue lag."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from pledges.models import CheckRun, SourceCheck
from pledges.services import politeness
from pledges.views_recheck import DEFAULT_HOURS, MAX_HOURS, window_hours
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
URL = "/recheck/"


@pytest.fixture
def staff_client(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    return client


def _checks(host: str, outcomes: list[str], run: CheckRun | None = None) -> None:
    now = timezone.now()
    for i, outcome in enumerate(outcomes):
        source = SourceFactory(url=f"https://{host}/a/{uuid.uuid4().hex}")
        SourceCheck.objects.create(
            source=source,
            run=run,
            checked_at=now - dt.timedelta(minutes=i + 1),
            host=host,
            outcome=outcome,
            http_status=200,
            elapsed_ms=100 + i,
        )


def test_recheck_page_is_at_recheck() -> None:
    assert reverse("pledges:recheck") == URL


def test_recheck_page_sends_anonymous_visitors_to_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


def test_recheck_page_refuses_users_who_are_not_staff(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.create_user("reader", "r@example.org", "x-long-password"))
    assert client.get(URL).status_code == 403


def test_recheck_page_shows_hosts_outcomes_and_run_progress(staff_client) -> None:  # type: ignore[no-untyped-def]
    run = CheckRun.objects.create(kind="all", total=5, requested_by="manage.py recheck")
    _checks("example.com", ["ok", "ok", "not_found"], run)
    _checks("example.org", ["blocked"], run)
    SourceFactory(
        url="https://due.example.net/x", next_check_at=timezone.now() - dt.timedelta(hours=2)
    )

    response = staff_client.get(URL)

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["pledges/recheck.html", "pledges/base.html"]
    hosts = {row["host"]: row for row in response.context["hosts"]}
    assert hosts["example.com"]["checks"] == 3
    assert hosts["example.com"]["outcomes"] == [("ok", 2), ("not_found", 1)]
    assert hosts["example.org"]["blocked"] == 1
    page = response.content.decode()
    assert "ok 2, not_found 1" in page
    assert "4 / 5" in page  # the run's progress: 4 checks of 5 recorded
    assert response.context["lag"]["due"] == 1
    assert response.context["lag"]["lag_seconds"] >= 7000


def test_recheck_page_escapes_hosts(staff_client) -> None:  # type: ignore[no-untyped-def]
    _checks("<script>alert(1)</script>", ["ok"])
    page = staff_client.get(URL).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_recheck_page_query_count_does_not_grow_with_hosts(
    staff_client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    run = CheckRun.objects.create(kind="all", total=60)
    for i in range(30):
        _checks(f"site{i}.example.com", ["ok", "changed"], run)
    CheckRun.objects.create(kind="due", total=3)
    with django_assert_max_num_queries(7):
        response = staff_client.get(URL)
    assert len(response.context["hosts"]) == 30
    assert len(response.context["runs"]) == 2


def test_recheck_page_shows_a_host_held_back(staff_client) -> None:  # type: ignore[no-untyped-def]
    if not settings.REDIS_URL:
        pytest.skip("the politeness state lives in Redis")
    host = f"held-{uuid.uuid4().hex[:12]}.example"
    _checks(host, ["rate_limited"])
    politeness.back_off(host, 120)

    response = staff_client.get(URL)

    row = next(r for r in response.context["hosts"] if r["host"] == host)
    assert 100 < row["wait"] <= 120
    assert row["held"]
    assert "(held back)" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "hours"),
    [(None, DEFAULT_HOURS), ("", DEFAULT_HOURS), ("6", 6), ("0", 1), ("-3", 1),
     ("99999", MAX_HOURS), ("1e9", DEFAULT_HOURS), ("six", DEFAULT_HOURS)],
)  # fmt: skip
def test_recheck_page_window_hours_is_clamped(raw: str | None, hours: int) -> None:
    assert window_hours(raw) == hours
