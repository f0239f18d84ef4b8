"""Inputs the API fuzzing (test_api_fuzz.py) found to end in a 500, each now a 400 naming the
problem: a NUL byte (which PostgreSQL cannot store or compare) in a URL or in a looked-up
field, and date-times whose offset PostgreSQL refuses or that leave the calendar in UTC."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import CompanyFactory
from tests.test_api_helpers import make_pledge, token_client

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/pledges/?company=a%00b",
    "/api/v1/pledges/?search=a%00b",
    "/api/v1/pledges/?ref=a%00b",
    "/api/v1/pledges/?made_to=a%00b",
    "/api/v1/pledges/?location=a%00b",
    "/api/v1/pledges/summary/?search=a%00b",
    "/api/v1/pledges/a%00b/",
    "/api/v1/companies/a%00b/",
    "/api/v1/sources/?pledge=a%00b",
    "/api/v1/companies/?search=%00",
    "/pledges/?search=a%00b",
    "/pledges/?company=a%00b",
    "/pledges/?location=a%00b",
    "/pledges.csv?search=a%00b",
    "/pledges/a%00b/",
    "/companies/a%00b/",
    "/feeds/pledges/?x=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_nul_in_a_url_is_a_400(url: str) -> None:
    make_pledge()
    client = APIClient(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert b"NUL" in response.content
    if url.startswith("/api/"):
        assert response.json()["detail"].startswith("The address contains a NUL")


@pytest.mark.parametrize("field", ["company", "part_of", "reannouncement_of"])
def test_nul_in_a_looked_up_field_is_a_400(field: str) -> None:
    CompanyFactory(slug="acme")
    client = token_client("add_pledge")
    client.raise_request_exception = False
    data = {
        "ref": "acme-1",
        "company": "acme",
        "title": "Acme promises jobs",
        "announced_on": "2017-01-01",
        "jobs_promised": 10,
        "source_urls": ["https://news.example.org/acme"],
        field: "a\x00b",
    }
    response = client.post("/api/v1/pledges/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {field: ["Null characters are not allowed."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pledges/?updated_since=2320-09-13T11:10:20%2B21:19",
        "/api/v1/status-updates/?recorded_since=2320-09-13T11:10:20%2B21:19",
        "/pledges/?updated_since=2020-01-01T00:00:00-23:59",
    ],
)
def test_offsets_postgresql_refuses_are_compared_in_utc(url: str) -> None:
    make_pledge()
    assert APIClient(raise_request_exception=False).get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pledges/?updated_since=0001-01-01T00:00:00%2B01:00",
        "/api/v1/pledges/summary/?updated_since=9999-12-31T23:59:59-23:59",
        "/api/v1/status-updates/?recorded_since=0001-01-01T00:00:00%2B01:00",
    ],
)
def test_date_times_outside_the_calendar_in_utc_are_a_400(url: str) -> None:
    response = APIClient(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert set(response.json()) & {"updated_since", "recorded_since"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pledges/0%C2%B3/",  # "0³": a digit to str.isdigit, not to int()
        "/api/v1/pledges/%D9%A1%D9%A2/",  # Arabic-Indic "١٢"
        "/api/v1/pledges/99999999999999999999999/",  # beyond a bigint
        "/api/v1/companies/0%C2%B3/",
        "/api/v1/companies/99999999999999999999999/",
    ],
)
def test_lookups_that_only_look_like_ids_are_a_404(url: str) -> None:
    make_pledge()
    client = APIClient(raise_request_exception=False)
    assert client.get(url).status_code == 404


def test_whole_numbers_and_dates_in_other_scripts_are_refused_by_the_import() -> None:
    from pledges.interchange import parse_cells
    from tests.test_import_properties import row

    for column, value in [
        ("jobs_promised", "١٢٣"),
        ("investment_usd", "１２３"),
        ("announced_on", "２０１７-01-09"),
    ]:
        cells = list(row(1, **{column: value}).values())
        problems = parse_cells(cells)
        assert isinstance(problems, list) and {p.column for p in problems} == {column}, value


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pledges/summary/?has_observation=%1D",
        "/api/v1/pledges/?has_observation=%1F",
        "/api/v1/pledges/?status=%1D",
    ],
)
def test_separator_characters_are_not_taken_for_blank_filters(url: str) -> None:
    make_pledge()
    assert APIClient().get(url).status_code == 400


HUGE_PAGE = "100322761505987999359106485616319140072"


@pytest.mark.parametrize("endpoint", ["pledges", "companies", "sources", "status-updates"])
@pytest.mark.parametrize(
    "query",
    [
        f"page={HUGE_PAGE}",
        f"page={HUGE_PAGE}&page_size=200&format=csv",
        "page=1000000001",
        "page=%D9%A3",  # Arabic-Indic three: int() reads it
        "page=1_0",  # int() reads it as 10
        "page_size=%D9%A3",
    ],
)
def test_page_numbers_beyond_any_list_or_in_other_scripts_are_a_400(
    endpoint: str, query: str
) -> None:
    """A 39-digit page reached PostgreSQL as an OFFSET beyond bigint (a 500 on every list
    with `format=csv`, and on the pledges' JSON)."""
    make_pledge()
    response = APIClient(raise_request_exception=False).get(f"/api/v1/{endpoint}/?{query}")
    assert response.status_code == 400, response.content[:300]
    name = "page_size" if query.startswith("page_size") else "page"
    assert name in response.json()
    if HUGE_PAGE in query:  # a whole number, out of range
        assert response.json()["page"] == ["Must be between 1 and 1000000000."]


@pytest.mark.parametrize("endpoint", ["pledges", "status-updates"])
def test_the_last_allowed_page_is_an_empty_page_or_a_404(endpoint: str) -> None:
    make_pledge()
    client = APIClient(raise_request_exception=False)
    assert client.get(f"/api/v1/{endpoint}/?page=1000000000").status_code == 404
    csv = client.get(f"/api/v1/{endpoint}/?page=1000000000&page_size=500&format=csv")
    assert csv.status_code == 200
    assert len(b"".join(csv.streaming_content).splitlines()) == 1  # the header alone
