"""The ledger on the public pages: the funnel (home, company) with each number leading to its
sources, the pledge page's lineage and ledger sections, all escaped, in bounded queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache

from pledges.models import OffsetEvent, PriorPlan, ReplyRequest, Subsidy
from pledges.services.ledger import (
    claim_record,
    ledger_entry_save,
    observation_record,
    pledge_link_record,
)
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory, SourceFactory

pytestmark = pytest.mark.django_db
EVIL = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def ledger_world() -> dict[str, Any]:
    company = CompanyFactory(name="Carrier", slug="carrier")
    carrier = PledgeFactory(
        company=company, ref="carrier", slug="carrier", jobs_promised=1_069, jobs_kind="direct"
    )
    PledgeSourceFactory(pledge=carrier)
    observation_record(
        pledge=carrier,
        observed_on=dt.date(2018, 1, 11),
        source=SourceFactory(url="https://news.example.org/remain", publisher="WTHR"),
        reporter_kind="journalist",
        reporter=EVIL,
        jobs=800,
        basis="direct",
        note=EVIL,
    )
    claim_record(
        pledge=carrier,
        claimant="Donald Trump",
        claimant_kind="politician",
        stated_on=dt.date(2016, 12, 1),
        source=SourceFactory(url="https://news.example.org/claim"),
        jobs_stated=1_100,
        jobs_supported=730,
        statement=EVIL,
    )
    claim_record(
        pledge=carrier,
        claimant="Carrier",
        claimant_kind="company",
        stated_on=dt.date(2016, 11, 30),
        source=SourceFactory(url="https://news.example.org/credit"),
        statement="The incentives were an important consideration.",
        credits_politician=True,
        credited_to="the governor",
    )
    for entry in (
        OffsetEvent(
            pledge=carrier,
            kind="layoff",
            occurred_on=dt.date(2017, 7, 20),
            jobs_lost=338,
            site="Indianapolis",
            source=SourceFactory(url="https://news.example.org/layoffs"),
        ),
        Subsidy(
            pledge=carrier,
            granting_body="Indiana Economic Development Corporation",
            kind="package",
            value_usd=7_000_000,
            state="awarded",
            conditions=EVIL,
            source=SourceFactory(url="https://news.example.org/subsidy"),
        ),
        ReplyRequest(
            pledge=carrier,
            asked_on=dt.date(2018, 1, 2),
            asked_by="Pledge Tracker",
            outcome="declined",
            note=EVIL,
        ),
        PriorPlan(
            pledge=carrier,
            description="Planned before the election.",
            source=SourceFactory(url="https://news.example.org/plan"),
        ),
    ):
        ledger_entry_save(entry=entry)
    old = PledgeFactory(company=company, ref="carrier-old", slug="carrier-old", title="Old plan")
    pledge_link_record(
        pledge=carrier,
        kind="supersedes",
        target=old,
        source=SourceFactory(url="https://news.example.org/link"),
        note="Replaces the old plan.",
    )
    return {"carrier": carrier, "old": old}


def test_home_page_shows_the_funnel_with_links_to_sources(client: Any, ledger_world: Any) -> None:
    html = client.get("/").content.decode()
    assert "Delivered (observed)".lower() in html.lower()
    assert 'href="/funnel/delivered/"' in html and 'href="/funnel/credited/"' in html
    assert "1,069" in html  # promised: the old plan counts inside the pledge that supersedes it
    assert "deduplicated along every lineage edge" in html


def test_company_page_shows_its_funnel(client: Any, ledger_world: Any) -> None:
    html = client.get("/companies/carrier/").content.decode()
    assert 'href="/funnel/delivered/?company=carrier"' in html
    assert "800" in html


def test_funnel_stage_page_lists_the_pledges_and_their_sources(
    client: Any, ledger_world: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        pledge = PledgeFactory(ref=f"x{i}", jobs_promised=100)
        observation_record(
            pledge=pledge,
            observed_on=dt.date(2019, 1, 1),
            source=SourceFactory(),
            reporter_kind="company",
            jobs=50,
        )
    with django_assert_max_num_queries(10):
        response = client.get("/funnel/delivered/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "https://news.example.org/remain" in html
    assert "31 pledges" in html
    # The new stage: the pledge has planned-before evidence, so only the others are new.
    assert "https://news.example.org/remain" not in client.get("/funnel/new/").content.decode()
    assert client.get("/funnel/nonsense/").status_code == 404
    assert client.get("/funnel/promised/", {"status": "nope"}).status_code == 400


def test_pledge_page_shows_lineage_and_ledger_escaped(
    client: Any, ledger_world: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(16):
        response = client.get("/pledges/carrier/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Supersedes" in html and "Old plan" in html and "https://news.example.org/link" in html
    assert "Observations of what was delivered" in html and "(counts as delivered)" in html
    assert "370 more claimed" in html  # 1,100 claimed against the 730 the sources support
    assert "Credits the governor" in html
    assert "Net new jobs since the pledge: 462" in html  # 800 new jobs delivered - 338 lost
    assert "Indiana Economic Development Corporation" in html
    assert "declined to comment" in html
    assert "Planned before the announcement" in html
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    old = client.get("/pledges/carrier-old/").content.decode()
    assert "Superseded by" in old


def test_dump_pages_list_versions_and_refuse_other_files(client: Any, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DUMP_DIR = tmp_path
    assert "No dump has been written yet" in client.get("/dumps/").content.decode()
    assert client.get("/dumps/latest/pledges.csv").status_code == 404
    assert client.get("/dumps/latest/..%2Fsecret").status_code == 404
