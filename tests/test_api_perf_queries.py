"""Every API list runs a fixed number of queries, whatever the page size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def many_pledges() -> None:
    for i in range(200):
        make_pledge(
            ref=f"P{i:04d}",
            locations=("US-WI", "US-OH"),
            sources=2,
            status="kept" if i % 2 else None,
            status_on=dt.date(2018, 1, 1),
        )


@pytest.mark.parametrize(
    "path, params, queries",
    [
        ("/api/v1/pledges/", {}, 6),
        ("/api/v1/pledges/", {"ordering": "-jobs_promised", "status": "kept"}, 6),
        ("/api/v1/pledges/", {"search": "pledge"}, 6),
        ("/api/v1/pledges/", {"facet": "status,location"}, 8),
        ("/api/v1/companies/", {}, 3),
        ("/api/v1/sources/", {}, 3),
        ("/api/v1/status-updates/", {}, 3),
    ],
)
def test_api_list_query_count_does_not_grow_with_page_size(
    django_assert_max_num_queries, many_pledges, path, params, queries
) -> None:
    client = APIClient()
    for size in (1, 200):
        with django_assert_max_num_queries(queries):
            response = client.get(path, {**params, "page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, response.json()["count"])


def test_api_csv_query_count_is_bounded(django_assert_max_num_queries, many_pledges) -> None:
    client = APIClient()
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/pledges/", {"format": "csv"})
        lines = b"".join(response.streaming_content).splitlines()
    assert len(lines) == 201


def test_pledge_summary_query_count_is_bounded(django_assert_max_num_queries, many_pledges) -> None:
    with django_assert_max_num_queries(8):
        assert APIClient().get("/api/v1/pledges/summary/").status_code == 200
