"""Editors' writes through the API: tokens, model permissions, validation, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from pledges.models import Company, Pledge, Source
from tests.factories import CompanyFactory
from tests.test_api_helpers import make_pledge, token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/pledges/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def new_pledge(**changes):  # type: ignore[no-untyped-def]
    if not Company.objects.filter(slug="foxconn").exists():
        CompanyFactory(name="Foxconn", slug="foxconn")
    return {
        "ref": "foxconn-2017-07",
        "company": "foxconn",
        "title": "Foxconn promises 13,000 jobs in Wisconsin",
        "announced_on": "2017-07-26",
        "jobs_promised": 13000,
        "jobs_kind": "direct",
        "investment_usd": 10_000_000_000,
        "locations": ["US-WI"],
        "source_urls": ["https://news.example.org/foxconn", "https://news.example.org/wi"],
        **changes,
    }


def test_pledge_create_by_an_editor_with_a_token() -> None:
    client = token_client("add_pledge")

    response = client.post(URL, new_pledge(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ref"] == "foxconn-2017-07" and body["slug"] == "foxconn-2017-07"
    assert body["status"] == "announced" and body["locations"] == ["US-WI"]
    assert [s["role"] for s in body["sources"]] == ["announcement", "follow_up"]
    assert APIClient().get(URL, {"search": "wisconsin"}).json()["count"] == 1


def test_pledge_writes_refuse_anonymous_clients() -> None:
    pledge = make_pledge()
    client = APIClient()

    assert client.post(URL, new_pledge(), format="json").status_code == 401
    assert client.patch(f"{URL}{pledge.pk}/", {"title": "x"}, format="json").status_code == 401
    status_url = f"{URL}{pledge.pk}/status-updates/"
    assert client.post(status_url, {}, format="json").status_code == 401
    assert client.post("/api/v1/sources/", {"url": "https://a.example/"}).status_code == 401


def test_pledge_writes_refuse_a_user_without_the_permission() -> None:
    pledge = make_pledge()
    client = token_client("change_pledge")

    assert client.post(URL, new_pledge(), format="json").status_code == 403
    status_url = f"{URL}{pledge.pk}/status-updates/"
    body = {"status": "in_progress", "established_on": "2018-01-01"}
    assert client.post(status_url, body, format="json").status_code == 403
    assert client.post("/api/v1/sources/", {"url": "https://a.example/"}).status_code == 403


def test_pledge_create_answers_400_field_by_field() -> None:
    client = token_client("add_pledge")

    bad = client.post(
        URL, new_pledge(title="", jobs_promised=-5, jobs_kind="lots", source_urls=[]), format="json"
    )
    rules = client.post(
        URL,
        new_pledge(jobs_promised=None, investment_usd=None, deadline="2016-01-01"),
        format="json",
    )

    assert bad.status_code == 400
    assert {"title", "jobs_promised", "jobs_kind", "source_urls"} <= set(bad.json())
    assert rules.status_code == 400
    assert {"jobs_promised", "deadline"} <= set(rules.json())
    assert not Pledge.objects.exists()


def test_pledge_update_changes_only_the_given_fields() -> None:
    pledge = make_pledge(ref="A1", jobs_promised=1000, made_to="Governor")
    client = token_client("change_pledge")

    response = client.patch(
        f"{URL}A1/", {"jobs_promised": 1500, "locations": ["US-OH"]}, format="json"
    )

    assert response.status_code == 200, response.content
    pledge.refresh_from_db()
    assert pledge.jobs_promised == 1500 and pledge.made_to == "Governor"
    assert response.json()["locations"] == ["US-OH"]


def test_status_update_is_recorded_with_evidence_and_shows_in_history() -> None:
    pledge = make_pledge(ref="A1", announced_on=dt.date(2017, 1, 1))
    client = token_client("add_statusupdate")
    etag = APIClient().get(f"{URL}A1/")["ETag"]

    response = client.post(
        f"{URL}A1/status-updates/",
        {
            "status": "broken",
            "established_on": "2020-06-01",
            "reason": "market_conditions",
            "explanation": "The plant never opened.",
            "evidence": ["https://news.example.org/closed?utm_source=x"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == ["https://news.example.org/closed"]
    assert response.json()["reason"] == "market_conditions"
    detail = APIClient().get(f"{URL}A1/", HTTP_IF_NONE_MATCH=etag)
    assert detail.status_code == 200  # the ETag moved
    body = detail.json()
    assert body["status"] == "broken" and body["status_on"] == "2020-06-01"
    assert body["status_history"][-1]["explanation"] == "The plant never opened."
    assert body["status_history"][-1]["reason"] == "market_conditions"
    assert body["status_history"][-1]["evidence"] == ["https://news.example.org/closed"]
    assert "https://news.example.org/closed" in [s["url"] for s in body["sources"]]
    assert pledge.status_updates.get().recorded_by.username == "newsroom"


def test_status_update_verdict_without_evidence_is_a_400() -> None:
    make_pledge(ref="A1")
    client = token_client("add_statusupdate")

    missing = client.post(
        f"{URL}A1/status-updates/",
        {"status": "kept", "established_on": "2018-01-01"},
        format="json",
    )
    early = client.post(
        f"{URL}A1/status-updates/",
        {"status": "in_progress", "established_on": "2000-01-01"},
        format="json",
    )
    unknown = client.post(
        f"{URL}A1/status-updates/",
        {"status": "done", "established_on": "2018-01-01"},
        format="json",
    )
    no_reason = client.post(
        f"{URL}A1/status-updates/",
        {
            "status": "broken",
            "established_on": "2018-01-01",
            "evidence": ["https://news.example.org/a"],
        },
        format="json",
    )

    assert missing.status_code == 400 and "evidence" in missing.json()
    assert early.status_code == 400 and "established_on" in early.json()
    assert unknown.status_code == 400 and "status" in unknown.json()
    assert no_reason.status_code == 400 and "reason" in no_reason.json()


def test_source_create_and_update_by_an_editor() -> None:
    client = token_client("add_source", "change_source")

    created = client.post(
        "/api/v1/sources/",
        {"url": "https://news.example.org/a?utm_medium=x", "publisher": "AP"},
        format="json",
    )
    again = client.post("/api/v1/sources/", {"url": "https://news.example.org/a"}, format="json")
    source = Source.objects.get()
    changed = client.patch(f"/api/v1/sources/{source.pk}/", {"title": "Plant opens"}, format="json")

    assert created.status_code == 201 and again.status_code == 200
    assert created.json()["url"] == "https://news.example.org/a"
    assert changed.status_code == 200 and changed.json()["title"] == "Plant opens"
    assert client.post("/api/v1/sources/", {"url": "ftp://x"}, format="json").status_code == 400
