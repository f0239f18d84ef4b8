"""The API's pages built by PostgreSQL (selectors_api) say exactly what the portable builders
say: the JSON of `selectors.api_pledge_dicts`, the CSV cells of `interchange.format_record`,
the full-text matches of the stored search vector."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from pledges import selectors, selectors_api
from pledges.interchange import format_record
from pledges.models import Pledge, Source
from pledges.services.pledges import pledge_refresh_search_text, status_update_record
from tests.factories import CompanyFactory
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db
URL = "/api/v1/pledges/"
API, PAGE = "http://testserver/api/v1/pledges/", "https://tracker.example.org/pledges/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def varied() -> list[Pledge]:
    """Pledges with every kind of value: unknowns, blanks, formulas, non-ASCII, nesting,
    several places, sources and status updates with and without evidence."""
    company = CompanyFactory(name="Zürich Énergie", slug="zurich-energie", country="")
    parent = make_pledge(ref="P1", company=company, jobs_promised=50_000, locations=("US-WI",))
    child = make_pledge(
        ref="P2",
        company=company,
        title='=HYPERLINK("x") "quoted", comma',
        summary="Line one\nline two",
        announced_by="-Chief",
        made_to="@someone",
        jobs_promised=None,
        investment_usd=7_000_000,
        deadline=dt.date(2030, 1, 1),
        timeframe="over five years",
        locations=("US-OH", "Guangzhou, China"),
        sources=3,
        part_of=parent,
        status="in_progress",
        status_on=dt.date(2021, 5, 1),
    )
    status_update_record(
        pledge=child,
        status="broken",
        established_on=dt.date(2022, 2, 1),
        explanation="",
        evidence=list(Source.objects.filter(pledges=child)[:2]),
        reason="other",
    )
    again = make_pledge(ref="P3", company=company, reannouncement_of=parent, sources=0, summary="")
    # A timestamp without microseconds, written as isoformat() writes it.
    Pledge.objects.filter(pk=again.pk).update(
        updated_at=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    )
    return list(Pledge.objects.order_by("ref"))


def test_sql_json_is_the_json_of_the_portable_builder(varied) -> None:
    ids = [pledge.pk for pledge in reversed(varied)]

    page = selectors_api.api_pledge_page(
        Pledge.objects.filter(pk__in=ids),
        ordering=["-ref"],
        offset=0,
        limit=10,
        api_prefix=API,
        page_prefix=PAGE,
    )
    rows = selectors_api.api_pledge_json(ids, api_prefix=API, page_prefix=PAGE)
    expected = selectors.api_pledge_dicts(ids, api_prefix=API, page_prefix=PAGE)

    assert json.loads(page.results) == expected
    assert [json.loads(row) for row in rows] == expected
    assert page.count == 3
    assert page.last_updated == max(p.updated_at for p in varied)
    assert expected[0]["updated_at"] == "2024-01-02T03:04:05+00:00"
    assert expected[1]["status_history"][-1]["explanation"] is None


def test_sql_csv_cells_are_the_interchange_cells(varied) -> None:
    rows = selectors_api.api_pledge_csv_rows(
        Pledge.objects.all(), ordering=["-ref"], offset=0, limit=2
    )

    expected = [format_record(r) for r in selectors.export_records(Pledge.objects.all())]
    # The page is the two last refs (ordering), written in ref order as every export.
    assert rows == expected[1:]
    assert rows[0][3].startswith("'=HYPERLINK") and rows[0][5] == "'-Chief"


def test_pledge_csv_page_matches_the_full_export(varied) -> None:
    client = APIClient()
    whole = b"".join(client.get(URL, {"format": "csv"}).streaming_content).decode()
    paged = b"".join(
        client.get(URL, {"format": "csv", "page_size": 500}).streaming_content
    ).decode()

    assert paged == whole


def test_search_follows_changes_of_the_searched_text(varied) -> None:
    client = APIClient()
    pledge = varied[0]
    assert client.get(URL, {"search": "semiconductors"}).json()["count"] == 0

    Pledge.objects.filter(pk=pledge.pk).update(title="Semiconductor fab", updated_at=timezone.now())
    pledge.refresh_from_db()
    pledge_refresh_search_text(pledge=pledge)

    body = client.get(URL, {"search": "semiconductors"}).json()
    assert [p["ref"] for p in body["results"]] == [pledge.ref]


def test_search_reads_the_stored_vector_in_subqueries_too(varied) -> None:
    # The vector is found through the alias the query gives the pledge table (U0 here).
    inside = selectors.pledge_search(Pledge.objects.all(), "Zürich").values("pk")
    with CaptureQueriesContext(connection) as queries:
        found = list(Pledge.objects.filter(pk__in=inside).values_list("ref", flat=True))
    assert sorted(found) == ["P1", "P2", "P3"]
    assert 'U0."search_vector" @@' in queries.captured_queries[0]["sql"]


def test_pledge_list_is_two_statements_whatever_the_page_size(
    django_assert_max_num_queries, varied
) -> None:
    client = APIClient()
    client.get(URL)  # the connection's first API statement also sets it up (once)
    for size in (1, 3):
        # A conditional GET or a search without ordering reads the count first: one more.
        with django_assert_max_num_queries(2):
            assert client.get(URL, {"page_size": size, "status": "announced"}).status_code == 200
        with django_assert_max_num_queries(3):
            assert client.get(URL, {"page_size": size, "search": "Zürich"}).status_code == 200
        # Pledges without a document yet have their CSV lines written: one more
        # (test_pledge_documents has the two statements of documented pledges).
        with django_assert_max_num_queries(3):
            assert client.get(URL, {"page_size": size, "format": "csv"}).status_code == 200
