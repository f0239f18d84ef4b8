"""No data lost: a company with pledges cannot be deleted from anywhere, a pledge's status
history survives every kind of edit, and 100,000 pledges go export → fresh database →
import → export unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pledges.interchange import COLUMNS
from pledges.models import Company, Pledge, StatusUpdate
from pledges.services.companies import company_merge
from pledges.services.imports import import_pledges
from pledges.services.pledges import status_update_record
from tests.factories import CompanyFactory
from tests.test_api_helpers import make_pledge

ROOT = Path(__file__).resolve().parent.parent


# --- companies ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_company_with_pledges_is_not_deleted_by_the_admin_even_for_a_superuser(
    client, admin_user: User
) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge()
    company = pledge.company
    client.force_login(admin_user)
    page = client.get(reverse("admin:pledges_company_delete", args=[company.pk]))
    assert page.status_code == 200 and "would require deleting" in page.content.decode()
    client.post(reverse("admin:pledges_company_delete", args=[company.pk]), {"post": "yes"})
    client.post(
        reverse("admin:pledges_company_changelist"),
        {"action": "delete_selected", "_selected_action": [company.pk], "post": "yes"},
    )
    assert Company.objects.filter(pk=company.pk).exists()
    assert Pledge.objects.filter(pk=pledge.pk, company=company).exists()
    empty = CompanyFactory()  # a company without pledges may go
    client.post(reverse("admin:pledges_company_delete", args=[empty.pk]), {"post": "yes"})
    assert not Company.objects.filter(pk=empty.pk).exists()


# --- status history -------------------------------------------------------------------------


def _history(pledge: Pledge) -> list[tuple[object, ...]]:
    return [
        (u.pk, u.status, u.established_on, u.explanation, sorted(u.evidence.values_list("pk")))
        for u in StatusUpdate.objects.filter(pledge=pledge).order_by("pk")
    ]


@pytest.mark.django_db
def test_status_history_survives_every_edit(client, editor: User) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge(ref="acme-2017", sources=2, status="in_progress")
    source = pledge.pledge_sources.order_by("position").first().source
    status_update_record(
        pledge=pledge,
        status="kept",
        established_on=dt.date(2019, 3, 1),
        explanation="The plant opened.",
        evidence=[source],
    )
    history = _history(pledge)
    assert len(history) == 2
    versions = pledge.history.count()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    url = f"/api/v1/pledges/{pledge.pk}/"
    assert api.patch(url, {"title": "Acme's plant"}, format="json").status_code == 200
    assert (
        api.patch(url, {"source_urls": ["https://other.example/a"]}, format="json").status_code
        == 200
    )
    assert (
        api.patch(url, {"locations": ["US-OH"], "deadline": None}, format="json").status_code == 200
    )
    assert _history(pledge) == history

    exported = _export_row(pledge)
    exported["title"] = "Acme's plant, re-imported"
    exported["summary"] = "Changed by a spreadsheet."
    import_pledges(_csv([exported]))
    assert _history(pledge) == history

    other = CompanyFactory(name="Acme Holdings")
    company_merge(target=other, duplicates=[pledge.company], user=editor)
    pledge.refresh_from_db()
    assert pledge.company == other and _history(pledge) == history

    for published in (False, True):
        Pledge.objects.filter(pk=pledge.pk).update(is_published=published)
    assert _history(pledge) == history
    assert pledge.history.count() > versions  # and each edit left a version behind

    # Editors cannot remove a status update: not through the API, not through the admin.
    update_id = history[0][0]
    assert api.delete(f"/api/v1/status-updates/{update_id}/").status_code in (403, 405)
    client.force_login(editor)
    delete = reverse("admin:pledges_statusupdate_delete", args=[update_id])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert _history(pledge) == history


def _export_row(pledge: Pledge) -> dict[str, str]:
    from pledges.selectors import export_records
    from pledges.services.exports import csv_lines

    text = "".join(csv_lines(export_records(Pledge.objects.filter(pk=pledge.pk))))
    return next(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# --- 100,000 pledges round trip -------------------------------------------------------------

ROWS = 100_000


def _generated(rows: int, path: Path) -> None:
    """A file of bench/datagen.py, the benchmarks' own generator, in canonical order."""
    spec = importlib.util.spec_from_file_location("datagen", ROOT / "bench" / "datagen.py")
    assert spec and spec.loader
    datagen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(datagen)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(sorted(datagen.rows(rows, seed=10, news_base="https://n.example")))


@pytest.fixture
def fresh_databases() -> Iterator[list[str]]:
    """Two empty, migrated databases of their own on the test server (dropped afterwards)."""
    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    names = [f"{db['NAME']}_roundtrip_{i}_{uuid.uuid4().hex[:6]}" for i in range(2)]
    admin_url = f"{server}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        urls = [f"{server}/{name}" for name in names]
        for url in urls:
            _manage(url, "migrate", "--noinput", "-v0")
        yield urls
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(database_url: str, *args: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "test-only-secret-key")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return time.monotonic() - started


@pytest.mark.slow
def test_export_fresh_database_import_export_is_identical_at_100000_pledges(
    tmp_path: Path, fresh_databases: list[str]
) -> None:
    first_db, second_db = fresh_databases
    generated, first, second = (tmp_path / n for n in ("gen.csv", "first.csv", "second.csv"))
    _generated(ROWS, generated)
    _manage(first_db, "import_pledges", str(generated), "--no-progress")
    _manage(first_db, "export_pledges", str(first), "--no-progress")
    seconds = _manage(second_db, "import_pledges", str(first), "--no-progress")
    _manage(second_db, "export_pledges", str(second), "--no-progress")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == generated.read_bytes()  # the generator writes canonically
    assert first.read_bytes().count(b"\r\n") == ROWS + 1
    print(f"\n100,000-pledge import into a fresh database: {seconds:.1f} s")
