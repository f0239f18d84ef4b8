"""The read side of the REST API: lists, filters, ordering, facets, details, conditional GETs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from pledges.models import Pledge
from pledges.services.pledges import status_update_record
from tests.factories import CompanyFactory, SourceFactory
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db
URL = "/api/v1/pledges/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def refs(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [pledge["ref"] for pledge in response.json()["results"]]


# --- shape ------------------------------------------------------------------------------------


def test_pledge_list_answers_the_spec_shape(client, settings) -> None:
    settings.SITE_URL = "https://tracker.example.org"
    company = CompanyFactory(name="Foxconn", slug="foxconn", country="")
    pledge = make_pledge(
        company=company,
        ref="foxconn-2017",
        slug="foxconn-2017",
        jobs_promised=None,
        investment_usd=10_000_000_000,
        locations=("US-WI",),
        sources=2,
        status="broken",
        status_on=dt.date(2020, 1, 1),
    )

    body = client.get(URL).json()

    assert set(body) == {"count", "next", "previous", "notice", "results"}
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert "see sources" in body["notice"]
    (item,) = body["results"]
    assert item["ref"] == "foxconn-2017"
    assert item["url"] == f"http://testserver/api/v1/pledges/{pledge.pk}/"
    assert item["page_url"] == "https://tracker.example.org/pledges/foxconn-2017/"
    assert item["company"] == {
        "id": company.pk,
        "slug": "foxconn",
        "name": "Foxconn",
        "country": None,
    }
    assert item["jobs_promised"] is None  # unknown, never 0
    assert item["summary"] is None and item["announced_by"] is None and item["made_to"] is None
    assert item["deadline"] is None and item["timeframe"] is None
    assert item["locations"] == ["US-WI"]
    assert item["status"] == "broken" and item["status_on"] == "2020-01-01"
    assert [s["role"] for s in item["sources"]] == ["announcement", "follow_up"]
    assert set(item["sources"][0]) == {
        "url",
        "publisher",
        "title",
        "role",
        "health",
        "archived_url",
    }
    assert item["sources"][0]["archived_url"] is None
    (entry,) = item["status_history"]
    assert entry["status"] == "broken" and entry["established_on"] == "2020-01-01"
    assert entry["evidence"] == [item["sources"][0]["url"]]
    assert item["part_of"] is None and item["reannouncement_of"] is None


def test_pledge_json_matches_the_documented_serializer(client) -> None:
    make_pledge()
    from pledges.api.serializers import PledgeSerializer

    (item,) = client.get(URL).json()["results"]
    assert list(item) == list(PledgeSerializer().fields)


def test_pledge_detail_finds_by_id_ref_and_slug(client) -> None:
    parent = make_pledge(ref="softbank-2016", slug="softbank-2016", jobs_promised=50_000)
    pledge = make_pledge(ref="sprint.2016", slug="sprint-2016", part_of=parent)

    for lookup in (str(pledge.pk), "sprint.2016", "sprint-2016"):
        body = client.get(f"{URL}{lookup}/").json()
        assert body["ref"] == "sprint.2016", lookup
    assert body["part_of"] == {
        "ref": "softbank-2016",
        "url": f"http://testserver/api/v1/pledges/{parent.pk}/",
    }
    assert client.get(f"{URL}nope/").status_code == 404


def test_pledge_detail_hides_unpublished_pledges(client) -> None:
    pledge = make_pledge(is_published=False)

    assert client.get(f"{URL}{pledge.pk}/").status_code == 404
    assert client.get(URL).json()["count"] == 0


# --- filters ----------------------------------------------------------------------------------


def test_pledge_list_filters_by_status_one_comma_or_repeated(client) -> None:
    make_pledge(ref="A1", status="kept")
    make_pledge(ref="B1", status="broken")
    make_pledge(ref="C1")

    assert refs(client.get(URL, {"status": "kept"})) == ["A1"]
    assert refs(client.get(URL, {"status": "kept,broken"})) == ["A1", "B1"]
    assert refs(client.get(f"{URL}?status=kept&status=announced")) == ["A1", "C1"]


def test_pledge_list_filters_by_company_slug_and_jobs_kind(client) -> None:
    alibaba = CompanyFactory(name="Alibaba Group", slug="alibaba-group")
    make_pledge(ref="A1", company=alibaba, jobs_kind="indirect")
    make_pledge(ref="B1", jobs_kind="direct")

    assert refs(client.get(URL, {"company": "alibaba-group"})) == ["A1"]
    assert refs(client.get(URL, {"jobs_kind": "direct"})) == ["B1"]
    assert refs(client.get(URL, {"jobs_kind": "direct,indirect"})) == ["A1", "B1"]


def test_pledge_list_filters_by_inclusive_numeric_bounds(client) -> None:
    make_pledge(ref="A1", jobs_promised=999, investment_usd=None)
    make_pledge(ref="B1", jobs_promised=1000, investment_usd=5_000_000)
    make_pledge(ref="C1", jobs_promised=None, investment_usd=7_000_000)

    assert refs(client.get(URL, {"jobs_min": 1000})) == ["B1"]
    assert refs(client.get(URL, {"jobs_max": 1000})) == ["A1", "B1"]
    assert refs(client.get(URL, {"investment_min": 5_000_000})) == ["B1", "C1"]


def test_pledge_list_filters_by_inclusive_dates(client) -> None:
    make_pledge(ref="A1", announced_on=dt.date(2017, 1, 1), deadline=dt.date(2020, 1, 1))
    make_pledge(ref="B1", announced_on=dt.date(2018, 6, 1), deadline=dt.date(2021, 1, 1))
    make_pledge(ref="C1", announced_on=dt.date(2019, 1, 1))

    assert refs(client.get(URL, {"announced_after": "2018-06-01"})) == ["B1", "C1"]
    assert refs(client.get(URL, {"announced_before": "2018-06-01"})) == ["A1", "B1"]
    assert refs(client.get(URL, {"deadline_after": "2020-01-01"})) == ["A1", "B1"]
    assert refs(client.get(URL, {"deadline_before": "2020-01-01"})) == ["A1"]


def test_pledge_list_filters_by_location_code_country_or_text(client) -> None:
    make_pledge(ref="A1", locations=("US-WI",))
    make_pledge(ref="B1", locations=("US-OH", "Midwest"))
    make_pledge(ref="C1", locations=("US",))
    make_pledge(ref="D1", locations=("CN-GD",))

    assert refs(client.get(URL, {"location": "US-WI"})) == ["A1"]
    assert refs(client.get(URL, {"location": "US"})) == ["A1", "B1", "C1"]
    assert refs(client.get(URL, {"location": "midw"})) == ["B1"]


def test_pledge_list_filters_by_made_to_and_ref(client) -> None:
    make_pledge(ref="A1", made_to="Donald Trump (President-elect)")
    make_pledge(ref="B1", made_to="State of Wisconsin")

    assert refs(client.get(URL, {"made_to": "trump"})) == ["A1"]
    assert refs(client.get(URL, {"ref": "B1"})) == ["B1"]


def test_pledge_list_searches_full_text_with_stemming_and_company_name(client) -> None:
    make_pledge(ref="A1", title="Semiconductor factories in Arizona")
    make_pledge(ref="B1", title="Battery plant", company=CompanyFactory(name="Foxconn"))
    make_pledge(ref="C1", title="Warehouse")

    assert refs(client.get(URL, {"search": "factory"})) == ["A1"]
    assert refs(client.get(URL, {"search": "foxconn"})) == ["B1"]
    assert refs(client.get(URL, {"search": "battery or semiconductor"})) == ["A1", "B1"]


def test_pledge_list_search_ranks_by_relevance_without_ordering(client) -> None:
    make_pledge(ref="A1", title="Plant", summary="A new plant.")
    make_pledge(ref="B1", title="Plant plant plant", summary="Plant, plant and plant.")

    assert refs(client.get(URL, {"search": "plant"})) == ["B1", "A1"]
    assert refs(client.get(URL, {"search": "plant", "ordering": "updated_at"}))[0] == "A1"


def test_pledge_list_filters_by_updated_since_strictly_after(client) -> None:
    old = make_pledge(ref="A1")
    new = make_pledge(ref="B1")
    Pledge.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    stamp = timezone.now() - dt.timedelta(hours=1)
    Pledge.objects.filter(pk=new.pk).update(updated_at=stamp)

    assert refs(client.get(URL, {"updated_since": "2020-01-01T00:00:00Z"})) == ["B1"]
    assert refs(client.get(URL, {"updated_since": stamp.isoformat()})) == []


@pytest.mark.parametrize(
    "params, name",
    [
        ({"status": "kept,maybe"}, "status"),
        ({"jobs_kind": "lots"}, "jobs_kind"),
        ({"jobs_min": "ten"}, "jobs_min"),
        ({"jobs_max": "1e3"}, "jobs_max"),
        ({"investment_min": "-5"}, "investment_min"),
        ({"announced_after": "2017-13-01"}, "announced_after"),
        ({"announced_before": "01/02/2017"}, "announced_before"),
        ({"deadline_after": "soon"}, "deadline_after"),
        ({"deadline_before": "2017-02-30"}, "deadline_before"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"ordering": "title"}, "ordering"),
        ({"ordering": "-"}, "ordering"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "two"}, "page"),
        ({"facet": "colour"}, "facet"),
        ({"format": "xml"}, "format"),
        ({"stauts": "kept"}, "stauts"),
    ],
)
def test_pledge_list_refuses_a_bad_parameter_by_name(client, params, name) -> None:
    make_pledge()

    response = client.get(URL, params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert name in response.json()


def test_pledge_list_bad_parameter_with_csv_is_still_a_json_400(client) -> None:
    response = client.get(URL, {"format": "csv", "status": "maybe"})

    assert response.status_code == 400
    assert "status" in response.json()


# --- ordering ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, values",
    [
        ("jobs_promised", {"A1": 10, "B1": None, "C1": 30, "D1": 10}),
        ("investment_usd", {"A1": 5, "B1": None, "C1": 9, "D1": 5}),
        ("deadline", {"A1": "2020-01-01", "B1": None, "C1": "2024-01-01", "D1": "2020-01-01"}),
    ],
)
def test_pledge_list_orders_with_nulls_last_either_way_and_ties_by_ref(
    client, field, values
) -> None:
    for ref, value in values.items():
        extra = {"investment_usd": 1} if field == "jobs_promised" and value is None else {}
        if field == "deadline" and value:
            value = dt.date.fromisoformat(value)
        make_pledge(ref=ref, **{field: value}, **extra)

    assert refs(client.get(URL, {"ordering": field})) == ["A1", "D1", "C1", "B1"]
    assert refs(client.get(URL, {"ordering": f"-{field}"})) == ["C1", "A1", "D1", "B1"]


def test_pledge_list_orders_by_announcement_company_and_update(client) -> None:
    zed = CompanyFactory(name="Zed Corp")
    acme = CompanyFactory(name="Acme Inc.")
    make_pledge(ref="A1", company=zed, announced_on=dt.date(2018, 1, 1))
    make_pledge(ref="B1", company=acme, announced_on=dt.date(2017, 1, 1))
    make_pledge(ref="C1", company=acme, announced_on=dt.date(2018, 1, 1))

    assert refs(client.get(URL, {"ordering": "announced_on"})) == ["B1", "A1", "C1"]
    assert refs(client.get(URL, {"ordering": "-announced_on"})) == ["A1", "C1", "B1"]
    assert refs(client.get(URL, {"ordering": "company"})) == ["B1", "C1", "A1"]
    assert refs(client.get(URL, {"ordering": "-company"})) == ["A1", "B1", "C1"]
    assert refs(client.get(URL, {"ordering": "-updated_at"})) == ["C1", "B1", "A1"]
    assert refs(client.get(URL)) == ["A1", "B1", "C1"]


# --- pages, facets ----------------------------------------------------------------------------


def test_pledge_list_pages_with_links_and_link_header(client) -> None:
    for i in range(5):
        make_pledge(ref=f"P{i}")

    first = client.get(URL, {"page_size": 2})
    second = client.get(first.json()["next"])
    last = client.get(URL, {"page_size": 2, "page": 3})

    assert refs(first) == ["P0", "P1"] and refs(second) == ["P2", "P3"] and refs(last) == ["P4"]
    assert first.json()["count"] == 5
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    assert 'rel="next"' in second["Link"] and 'rel="prev"' in second["Link"]
    assert last.json()["next"] is None and "page=2" in last.json()["previous"]
    assert client.get(URL, {"page_size": 2, "page": 4}).status_code == 404


def test_pledge_list_facets_honour_the_other_filters(client) -> None:
    make_pledge(
        ref="A1",
        status="kept",
        jobs_kind="direct",
        announced_on=dt.date(2017, 1, 1),
        locations=("US-WI",),
    )
    make_pledge(
        ref="B1",
        status="broken",
        jobs_kind="direct",
        announced_on=dt.date(2018, 1, 1),
        locations=("US-WI", "US-OH"),
    )
    make_pledge(ref="C1", status="kept", jobs_kind="retained", announced_on=dt.date(2018, 1, 1))

    body = client.get(
        URL,
        {"status": "kept", "facet": "status,jobs_kind,location,announced_year,company"},
    ).json()

    facets = body["facets"]
    assert body["count"] == 2
    # status ignores its own filter: the other statuses one could pick are shown
    assert facets["status"] == [{"value": "kept", "count": 2}, {"value": "broken", "count": 1}]
    assert facets["jobs_kind"] == [
        {"value": "direct", "count": 1},
        {"value": "retained", "count": 1},
    ]
    assert facets["announced_year"] == [{"value": 2017, "count": 1}, {"value": 2018, "count": 1}]
    assert facets["location"] == [{"value": "US-WI", "count": 1}]
    assert sum(f["count"] for f in facets["company"]) == 2


# --- summary ----------------------------------------------------------------------------------


def test_pledge_summary_never_double_counts_nested_pledges(client) -> None:
    softbank = CompanyFactory(name="SoftBank", slug="softbank")
    parent = make_pledge(
        ref="softbank",
        company=softbank,
        jobs_promised=50_000,
        locations=("US",),
        announced_on=dt.date(2016, 12, 6),
    )
    make_pledge(
        ref="sprint",
        jobs_promised=5_000,
        part_of=parent,
        locations=("US",),
        announced_on=dt.date(2017, 7, 1),
    )
    make_pledge(ref="oneweb", jobs_promised=3_000, part_of=parent, announced_on=dt.date(2017, 3, 1))
    make_pledge(ref="other", jobs_promised=100, status="kept")

    body = client.get(f"{URL}summary/").json()

    assert "deduplicated" in body and "part of" in body["deduplicated"]
    assert body["total"] == {
        "pledges": 4,
        "counted_pledges": 2,
        "jobs_promised": 50_100,
        "investment_usd": None,
    }
    by_status = {g["key"]: g for g in body["by_status"]}
    assert by_status["announced"]["jobs_promised"] == 50_000
    assert by_status["announced"]["pledges"] == 3
    years = {g["key"]: (g["pledges"], g["jobs_promised"]) for g in body["by_announced_year"]}
    assert years == {2016: (1, 50_000), 2017: (3, 100)}
    assert {g["key"]: g["jobs_promised"] for g in body["by_location"]} == {"US": 50_000}
    assert body["by_company"][0]["key"] == "softbank"

    # Without SoftBank's own pledge in the selection, its parts count.
    parts = client.get(f"{URL}summary/", {"jobs_max": 5_000}).json()
    assert parts["total"]["jobs_promised"] == 8_100


# --- conditional GETs, caching, CORS, throttling ----------------------------------------------


def test_pledge_list_and_detail_answer_304_when_unchanged(client) -> None:
    pledge = make_pledge()

    for url in (URL + "?status=announced", f"{URL}{pledge.pk}/"):
        first = client.get(url)
        etag = first["ETag"]
        assert first["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304

    Pledge.objects.filter(pk=pledge.pk).update(
        title="Changed", updated_at=timezone.now() + dt.timedelta(seconds=2)
    )
    assert client.get(URL + "?status=announced", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_pledge_list_etag_depends_on_the_query(client) -> None:
    make_pledge()

    assert client.get(URL)["ETag"] != client.get(URL, {"page_size": 10})["ETag"]


def test_api_reads_are_publicly_cacheable_and_open_to_other_origins(client) -> None:
    make_pledge()

    response = client.get(URL, HTTP_ORIGIN="https://newsroom.example")
    preflight = client.options(
        URL,
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_api_throttles_anonymous_clients(client, monkeypatch) -> None:
    from pledges.api.throttling import AnonWindowThrottle

    monkeypatch.setattr(AnonWindowThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    codes = [client.get("/api/v1/companies/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]


# --- companies, sources, status updates -------------------------------------------------------


def test_company_list_and_detail(client) -> None:
    company = CompanyFactory(name="Foxconn", slug="foxconn", country="TW")
    make_pledge(company=company)
    make_pledge(company=company, is_published=False)

    body = client.get("/api/v1/companies/").json()
    by_slug = client.get("/api/v1/companies/foxconn/").json()
    by_id = client.get(f"/api/v1/companies/{company.pk}/").json()

    (item,) = body["results"]
    assert item["name"] == "Foxconn" and item["pledges_count"] == 1
    assert item["ticker"] is None
    assert by_slug == by_id == item
    assert client.get("/api/v1/companies/", {"country": "TW"}).json()["count"] == 1


def test_source_list_and_detail(client) -> None:
    pledge = make_pledge(ref="A1")
    source = pledge.sources.get()

    body = client.get("/api/v1/sources/").json()
    detail = client.get(f"/api/v1/sources/{source.pk}/").json()

    assert body["count"] == 1
    assert detail["url"] == source.url and detail["pledges"] == ["A1"]
    assert detail["archived_url"] is None
    assert client.get("/api/v1/sources/", {"pledge": "nope"}).json()["count"] == 0


def test_status_update_list_and_detail(client) -> None:
    pledge = make_pledge(ref="A1", status="kept", status_on=dt.date(2019, 1, 1))
    update = pledge.status_updates.get()

    body = client.get("/api/v1/status-updates/", {"pledge": "A1"}).json()
    detail = client.get(f"/api/v1/status-updates/{update.pk}/").json()

    assert body["count"] == 1
    assert detail["status"] == "kept" and detail["pledge"]["ref"] == "A1"
    assert detail["evidence"] == [pledge.sources.get().url]


@pytest.mark.parametrize("path", ["companies", "sources", "status-updates"])
def test_flat_lists_answer_csv(client, path) -> None:
    make_pledge(ref="A1", status="kept")

    response = client.get(f"/api/v1/{path}/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("id,") and len(lines) == 2


def test_status_history_appears_in_order(client) -> None:
    pledge = make_pledge(announced_on=dt.date(2017, 1, 1))
    evidence = SourceFactory()
    status_update_record(pledge=pledge, status="in_progress", established_on=dt.date(2018, 1, 1))
    status_update_record(
        pledge=pledge, status="kept", established_on=dt.date(2019, 1, 1), evidence=[evidence]
    )

    body = client.get(f"{URL}{pledge.pk}/").json()

    assert [e["status"] for e in body["status_history"]] == ["in_progress", "kept"]
    assert body["status_history"][1]["evidence"] == [evidence.url]
    assert body["status"] == "kept"
