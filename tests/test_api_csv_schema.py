"""The API's CSV (the interchange format), the dataset download and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml
from django.core.cache import cache
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from pledges.interchange import COLUMNS
from pledges.models import Company, Pledge, Source
from pledges.selectors import export_records
from pledges.services.exports import write_csv
from pledges.services.imports import import_pledges
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db
URL = "/api/v1/pledges/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def csv_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def canonical_export() -> str:
    out = io.StringIO(newline="")
    write_csv(export_records(), out)
    return out.getvalue()


def some_pledges() -> None:
    make_pledge(
        ref="B2",
        locations=("US-WI", "Midwest"),
        sources=2,
        status="kept",
        status_on=dt.date(2019, 5, 1),
        summary="=cmd|' /C calc'!A0 looks like a formula",
    )
    make_pledge(ref="A1", jobs_promised=None, investment_usd=7_000_000, made_to="Trump")
    make_pledge(ref="a0", deadline=dt.date(2020, 1, 1), announced_by="Jack Ma, Chairman")


def test_pledge_csv_is_the_interchange_export(client) -> None:
    some_pledges()

    text = csv_text(client.get(URL, {"format": "csv"}))

    assert text == canonical_export()
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["A1", "B2", "a0"]
    assert text.endswith("\r\n")


def test_pledge_csv_is_filtered_and_paged_only_with_page_size(client) -> None:
    some_pledges()

    filtered = csv_text(client.get(URL, {"format": "csv", "status": "kept"}))
    paged = csv_text(client.get(URL, {"format": "csv", "page_size": 2, "page": 2}))

    assert [line.split(",")[0] for line in filtered.splitlines()[1:]] == ["B2"]
    assert [line.split(",")[0] for line in paged.splitlines()[1:]] == ["a0"]


def test_pledge_csv_imports_into_an_empty_database_and_exports_the_same(client) -> None:
    some_pledges()
    downloaded = csv_text(client.get(URL, {"format": "csv"}))

    Pledge.objects.all().delete()
    Source.objects.all().delete()
    Company.objects.all().delete()
    report = import_pledges(downloaded.encode("utf-8"))

    assert report.created == 3
    assert canonical_export() == downloaded
    assert csv_text(client.get(URL, {"format": "csv"})) == downloaded


def test_dataset_downloads_are_built_once_and_rebuilt_when_stale(
    client, settings, tmp_path
) -> None:
    settings.VAR_DIR = tmp_path
    some_pledges()

    first = client.get("/api/v1/dataset.csv")
    body = b"".join(first.streaming_content).decode()
    stamp = (tmp_path / "dataset" / "stamp.json").stat().st_mtime_ns
    again = client.get("/api/v1/dataset.json")
    data = __import__("json").loads(b"".join(again.streaming_content))

    assert body == canonical_export()
    assert data["count"] == 3 and [p["ref"] for p in data["pledges"]] == ["A1", "B2", "a0"]
    assert (tmp_path / "dataset" / "stamp.json").stat().st_mtime_ns == stamp  # not rebuilt
    assert client.get("/api/v1/dataset.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    make_pledge(ref="C3")
    rebuilt = b"".join(client.get("/api/v1/dataset.csv").streaming_content).decode()
    assert "C3," in rebuilt


def test_build_dataset_command_writes_both_files(settings, tmp_path) -> None:
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    some_pledges()

    call_command("build_dataset")

    assert (tmp_path / "dataset" / "pledges.csv").read_bytes().decode() == canonical_export()
    assert (tmp_path / "dataset" / "pledges.json").stat().st_size > 0


def test_schema_is_valid_openapi_with_an_example_for_each_filter(client) -> None:
    response = client.get("/api/v1/schema/")

    schema = yaml.safe_load(response.content)
    validate(schema)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/pledges/"]["get"]["parameters"]}
    for name in (
        "status",
        "company",
        "jobs_kind",
        "jobs_min",
        "jobs_max",
        "investment_min",
        "announced_after",
        "announced_before",
        "deadline_after",
        "deadline_before",
        "location",
        "made_to",
        "ref",
        "search",
        "ordering",
        "updated_since",
        "page",
        "page_size",
        "format",
        "facet",
    ):
        assert parameters[name].get("examples"), name
    assert "/api/v1/pledges/{lookup}/status-updates/" in schema["paths"]
    assert "/api/v1/pledges/summary/" in schema["paths"]


def test_docs_pages_render_without_a_third_party_cdn(client) -> None:
    swagger = client.get("/api/docs/")
    redoc = client.get("/api/docs/redoc/")

    for page in (swagger, redoc):
        assert page.status_code == 200
        html = page.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


def test_docs_pages_have_no_inline_script_for_the_csp(client) -> None:  # type: ignore[no-untyped-def]
    import re

    for url in ("/api/docs/", "/api/docs/redoc/"):
        html = client.get(url).content.decode()
        inline = [m for m in re.findall(r"<script([^>]*)>", html) if "src=" not in m]
        assert inline == [], url
        assert client.get(url)["Content-Security-Policy"]
