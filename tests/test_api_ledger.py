"""The jobs ledger in the API: pledge fields, filters, `as_of`, the summary's funnel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from pledges.models import Pledge
from pledges.services.ledger import observation_record
from tests.factories import SourceFactory
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db
URL = "/api/v1/pledges/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def ledger() -> dict[str, Pledge]:
    whole = make_pledge(ref="W1", jobs_promised=50_000, announced_on=dt.date(2016, 12, 6))
    part = make_pledge(ref="P1", jobs_promised=5_000, part_of=whole)
    quiet = make_pledge(ref="Q1", jobs_promised=1_000)
    observation_record(
        pledge=whole,
        observed_on=dt.date(2019, 1, 1),
        source=SourceFactory(url="https://news.example.org/count"),
        reporter_kind="journalist",
        jobs=3_000,
        basis="direct",
    )
    whole.refresh_from_db()
    return {"whole": whole, "part": part, "quiet": quiet}


def refs(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [pledge["ref"] for pledge in response.json()["results"]]


def test_pledge_list_shows_delivered_jobs(ledger) -> None:
    by_ref = {p["ref"]: p for p in APIClient().get(URL).json()["results"]}

    assert by_ref["W1"]["delivered_jobs"] == 3_000
    assert by_ref["W1"]["delivered_on"] == "2019-01-01"
    assert by_ref["Q1"]["delivered_jobs"] is None and by_ref["Q1"]["delivered_on"] is None


def test_pledge_detail_carries_its_ledger_in_bounded_queries(
    ledger, django_assert_max_num_queries
) -> None:
    from pledges.api.serializers import PledgeDetailSerializer

    client = APIClient()
    client.get(URL)  # the connection's first API statement also sets it up (once)
    with django_assert_max_num_queries(12):
        body = client.get(f"{URL}W1/").json()

    assert list(body) == list(PledgeDetailSerializer().fields)
    (observation,) = body["ledger"]["observations"]
    assert observation["jobs"] == 3_000
    assert observation["source_url"] == "https://news.example.org/count"
    assert body["ledger"]["claims"] == [] and body["ledger"]["lineage"] == []


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"has_observation": "true"}, ["W1"]),
        ({"has_observation": "false"}, ["P1", "Q1"]),
        ({"delivered_min": "3000"}, ["W1"]),
        ({"delivered_min": "3001"}, []),
        ({"part_of": "W1"}, ["P1"]),
    ],
)
def test_pledge_list_filters_by_the_ledger(ledger, params, expected) -> None:
    assert refs(APIClient().get(URL, params)) == expected


@pytest.mark.parametrize(
    "params, name",
    [
        ({"has_observation": "maybe"}, "has_observation"),
        ({"delivered_min": "-1"}, "delivered_min"),
        ({"delivered_min": "1,000"}, "delivered_min"),
    ],
)
def test_pledge_list_refuses_bad_ledger_filters(ledger, params, name) -> None:
    response = APIClient().get(URL, params)

    assert response.status_code == 400 and name in response.json()


def test_pledge_detail_as_of_a_day(ledger) -> None:
    client = APIClient()
    today = dt.date.today().isoformat()

    body = client.get(f"{URL}W1/", {"as_of": today}).json()
    assert body["as_of"] == today and body["ref"] == "W1"
    assert body["delivered_jobs"] == 3_000

    for unknown in ("2000-01-01", "2999-01-01"):  # before the pledge; not yet
        response = client.get(f"{URL}W1/", {"as_of": unknown})
        assert response.status_code == 404 and "as_of" in response.json(), unknown
    for bad in ("yesterday", "2019-1-1"):
        response = client.get(f"{URL}W1/", {"as_of": bad})
        assert response.status_code == 400 and "as_of" in response.json(), bad
    assert client.get(f"{URL}W1/", {"as_of": ""}).json()["ref"] == "W1"


def test_pledge_summary_has_the_deduplicated_funnel(ledger) -> None:
    body = APIClient().get(f"{URL}summary/").json()

    assert "part of" in body["deduplicated"]
    funnel = body["funnel"]
    assert set(funnel) == {"deduplicated", "promised", "delivered", "new", "credited"}
    # Sprint-style: the part's 5,000 count inside the whole's 50,000.
    assert funnel["promised"]["jobs"] == 51_000
    assert funnel["delivered"]["jobs"] == 3_000
    assert body["total"]["jobs_promised"] == 51_000
