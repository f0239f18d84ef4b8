"""The number of published pledges that PostgreSQL keeps (migration 0013) stays exact through
every kind of write, and the API's unfiltered list reads it instead of counting."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pledges import selectors
from pledges.models import Pledge
from pledges.services.exports import write_csv
from pledges.services.imports import import_pledges
from tests.test_api_helpers import make_pledge


def kept_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pledges FROM pledges_published_count")
        return cursor.fetchone()[0]


def assert_exact() -> None:
    assert kept_count() == Pledge.objects.filter(is_published=True).count()


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.mark.django_db
def test_inserts_updates_and_deletes_keep_the_count_exact() -> None:
    assert_exact()
    first = make_pledge(ref="C1")
    second = make_pledge(ref="C2")
    make_pledge(ref="C3", is_published=False)
    assert kept_count() == 2
    Pledge.objects.filter(pk=first.pk).update(is_published=False)
    assert kept_count() == 1
    Pledge.objects.filter(ref="C3").update(is_published=True)
    assert kept_count() == 2
    Pledge.objects.filter(pk=second.pk).update(title="Only the title changes")
    assert kept_count() == 2
    Pledge.objects.filter(is_published=True).delete()
    assert kept_count() == 0
    assert_exact()


@pytest.mark.django_db
def test_an_import_and_a_rolled_back_write_keep_the_count_exact() -> None:
    make_pledge(ref="C1")
    out = io.StringIO()
    write_csv(selectors.export_records(Pledge.objects.all()), out)
    text = out.getvalue()
    Pledge.objects.all().delete()
    report = import_pledges(text.encode())
    assert not report.errors, report.errors
    assert kept_count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Pledge.objects.update(is_published=False)
        assert kept_count() == 0
        raise RuntimeError("roll back")
    assert kept_count() == 1
    assert_exact()


@pytest.mark.django_db(transaction=True)
def test_truncate_resets_the_count() -> None:
    make_pledge(ref="C1")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE pledges_pledge CASCADE")
    assert kept_count() == 0


@pytest.mark.django_db
def test_the_unfiltered_list_reads_the_kept_count_and_filtered_lists_count() -> None:
    make_pledge(ref="C1", status="kept")
    make_pledge(ref="C2")
    make_pledge(ref="C3", is_published=False)
    client = APIClient()
    with CaptureQueriesContext(connection) as unfiltered:
        body = client.get("/api/v1/pledges/?ordering=-announced_on").json()
    assert body["count"] == 2
    assert any("pledges_published_count" in (q["sql"] or "") for q in unfiltered.captured_queries)
    with CaptureQueriesContext(connection) as filtered:
        body = client.get("/api/v1/pledges/?status=kept").json()
    assert body["count"] == 1
    assert not any("pledges_published_count" in (q["sql"] or "") for q in filtered.captured_queries)


def _scans_of_pledges() -> int:
    """Scans of the pledge table so far in this transaction (seq and index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
            " WHERE relid = 'pledges_pledge'::regclass"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_write_does_not_count_the_whole_table() -> None:
    """Migration 0014: the trigger adds the statement's delta to the counter; it used to count
    every published pledge on every statement that changed the number."""
    pledge = make_pledge(ref="C1")
    make_pledge(ref="C2")
    before = _scans_of_pledges()
    Pledge.objects.filter(pk=pledge.pk).update(is_published=False)  # one scan: the pk lookup
    assert _scans_of_pledges() - before == 1
    assert kept_count() == 1


@pytest.mark.django_db
def test_a_missing_counter_row_is_recounted_exactly() -> None:
    make_pledge(ref="C1")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pledges_published_count")
    make_pledge(ref="C2")
    assert kept_count() == 2
    assert_exact()
