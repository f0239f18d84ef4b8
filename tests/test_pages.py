"""The public pages: filters, totals, CSV, pledge page, company page, query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pledges import selectors
from pledges.interchange import COLUMNS
from pledges.models import LinkHealth, PledgeLocation, Snapshot, Status, StatusUpdate
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings, request):  # type: ignore[no-untyped-def]
    # Page figures are cached; each test gets an empty cache of its own.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


def _refs(queryset) -> list[str]:  # type: ignore[no-untyped-def]
    return list(queryset.values_list("ref", flat=True))


def test_filter_pledges_status_accepts_commas_and_repeats() -> None:
    kept = PledgeFactory(status=Status.KEPT)
    broken = PledgeFactory(status=Status.BROKEN)
    PledgeFactory(status=Status.ANNOUNCED)
    from django.http import QueryDict

    for query in ("status=kept,broken", "status=kept&status=broken"):
        queryset, errors = selectors.filter_pledges(selectors.pledge_list(), QueryDict(query))
        assert errors == {}
        assert sorted(_refs(queryset)) == sorted([kept.ref, broken.ref])


def test_filter_pledges_reports_bad_values_and_returns_nothing() -> None:
    PledgeFactory()
    queryset, errors = selectors.filter_pledges(
        selectors.pledge_list(),
        {"status": "kep", "jobs_min": "many", "announced_after": "2017-13-01", "ordering": "x"},
    )
    assert set(errors) == {"status", "jobs_min", "announced_after", "ordering"}
    assert "kep" in errors["status"]
    assert list(queryset) == []


def test_filter_pledges_ranges_company_location_and_deadline() -> None:
    company = CompanyFactory(slug="foxconn")
    wisconsin = PledgeFactory(
        company=company,
        jobs_promised=13000,
        announced_on=dt.date(2017, 7, 26),
        deadline=dt.date(2020, 1, 1),
    )
    PledgeLocation.objects.create(pledge=wisconsin, position=0, name="US-WI")
    other = PledgeFactory(jobs_promised=500, announced_on=dt.date(2019, 1, 1))
    PledgeLocation.objects.create(pledge=other, position=0, name="Mount Pleasant, Wisconsin")

    def refs(**params: str) -> list[str]:
        queryset, errors = selectors.filter_pledges(selectors.pledge_list(), params)
        assert errors == {}
        return sorted(_refs(queryset))

    assert refs(company="foxconn") == [wisconsin.ref]
    assert refs(jobs_min="1000", jobs_max="13000") == [wisconsin.ref]
    assert refs(announced_after="2018-01-01") == [other.ref]
    assert refs(year="2017") == [wisconsin.ref]
    assert refs(location="US-WI") == [wisconsin.ref]
    assert refs(location="US") == [wisconsin.ref]
    assert refs(location="wisconsin") == [other.ref]
    assert refs(deadline_passed="1") == [wisconsin.ref]


def test_filter_pledges_ordering_puts_unknown_last_and_breaks_ties_by_ref() -> None:
    PledgeFactory(ref="P3", jobs_promised=None, investment_usd=10)
    PledgeFactory(ref="P2", jobs_promised=50)
    PledgeFactory(ref="P1", jobs_promised=50)
    PledgeFactory(ref="P4", jobs_promised=900)
    for ordering, expected in (
        ("-jobs_promised", ["P4", "P1", "P2", "P3"]),
        ("jobs_promised", ["P1", "P2", "P4", "P3"]),
    ):
        queryset, _ = selectors.filter_pledges(selectors.pledge_list(), {"ordering": ordering})
        assert _refs(queryset) == expected


def test_filter_pledges_search_uses_the_indexed_vector() -> None:
    match = PledgeFactory(title="Battery plant in Georgia", search_text="Battery plant in Georgia")
    PledgeFactory(title="Call center", search_text="Call center in Ohio")
    queryset, errors = selectors.filter_pledges(
        selectors.pledge_list(), {"search": "batteries Georgia"}
    )
    assert errors == {}
    with CaptureQueriesContext(connection) as queries:
        assert _refs(queryset) == [match.ref]
    sql = queries.captured_queries[0]["sql"]
    assert '"pledges_pledge"."search_vector" @@ websearch_to_tsquery(\'english\'::regconfig' in sql


def test_pledge_totals_count_nested_pledges_once() -> None:
    softbank = PledgeFactory(jobs_promised=50000, status=Status.UNVERIFIABLE)
    PledgeFactory(jobs_promised=5000, part_of=softbank, status=Status.UNVERIFIABLE)
    original = PledgeFactory(jobs_promised=13000, status=Status.SUPERSEDED)
    PledgeFactory(jobs_promised=1454, reannouncement_of=original, status=Status.KEPT)
    totals = selectors.pledge_totals(selectors.pledge_list())
    # Of a re-announced promise only the latest version counts (issue #8): 50,000 + 1,454.
    assert (totals.pledges, totals.counted, totals.jobs) == (4, 2, 51454)
    # A set without the parent counts the part in full.
    alone = selectors.pledge_totals(selectors.pledge_list().filter(jobs_promised=5000))
    assert (alone.pledges, alone.counted, alone.jobs) == (1, 1, 5000)
    # By status, after deduplicating the whole set: the superseded original adds nothing.
    by_status = selectors.pledge_totals_by(selectors.pledge_list(), "status")
    assert by_status[Status.UNVERIFIABLE].jobs == 50000
    assert by_status[Status.KEPT].jobs == 1454
    assert (by_status[Status.SUPERSEDED].pledges, by_status[Status.SUPERSEDED].jobs) == (1, 0)


def test_pledge_list_page_shows_totals_and_says_what_is_counted_once(client) -> None:  # type: ignore[no-untyped-def]
    softbank = PledgeFactory(jobs_promised=50000)
    PledgeFactory(jobs_promised=5000, part_of=softbank)
    response = client.get("/pledges/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2 pledges</strong>, 50,000 jobs promised" in html
    assert "counted once" in html


def test_pledge_list_page_answers_400_with_the_bad_parameter(client) -> None:  # type: ignore[no-untyped-def]
    PledgeFactory(title="Must not be listed")
    response = client.get("/pledges/?status=kep")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "kep" in html
    assert "Must not be listed" not in html


def test_pledge_list_csv_is_exactly_the_filtered_view(client) -> None:  # type: ignore[no-untyped-def]
    wanted = [PledgeFactory(status=Status.BROKEN) for _ in range(3)]
    PledgeFactory(status=Status.KEPT)
    PledgeFactory(status=Status.BROKEN, is_published=False)
    response = client.get("/pledges.csv?status=broken&page=2")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert sorted(row[0] for row in rows[1:]) == sorted(p.ref for p in wanted)
    assert client.get("/pledges.csv?jobs_min=x").status_code == 400


def test_pledge_list_query_count_is_bounded(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    companies = [CompanyFactory() for _ in range(5)]
    for index in range(120):
        PledgeFactory(
            company=companies[index % 5], status=Status.BROKEN, search_text="a new pledge"
        )
    url = "/pledges/?status=broken&page=2&search=pledge&ordering=-deadline"
    # Cold: data version, the two totals queries, company options, the page's rows.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert "Page 2 of 3" in response.content.decode()
    # Warm: the data version alone; the page is the cached one.
    with django_assert_max_num_queries(1):
        assert "Page 2 of 3" in client.get(url).content.decode()
    # A change to any pledge is a new data version: page and totals are read again.
    PledgeFactory(status=Status.BROKEN, search_text="a new pledge")
    assert "121 pledges" in client.get(url).content.decode()
    # Other filters of the same data are other pages.
    assert "0 pledges" in client.get(url.replace("broken&page=2", "kept")).content.decode()


def test_home_and_company_query_counts_are_bounded(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    company = CompanyFactory(slug="acme")
    for index in range(30):
        pledge = PledgeFactory(company=company, status=Status.KEPT)
        StatusUpdate.objects.create(
            pledge=pledge, status=Status.KEPT, established_on=dt.date(2018, 1, index % 28 + 1)
        )
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/companies/acme/")
    assert response.status_code == 200
    assert '30</span><span class="what">kept' in response.content.decode()


def _rich_pledge():  # type: ignore[no-untyped-def]
    parent = PledgeFactory(slug="softbank", title="SoftBank's 50,000")
    pledge = PledgeFactory(slug="sprint", title="Sprint's 5,000", part_of=parent)
    PledgeFactory(reannouncement_of=pledge)
    sources = [PledgeSourceFactory(pledge=pledge, position=n).source for n in range(5)]
    dead = sources[0]
    dead.health = LinkHealth.DEAD
    dead.health_since = dt.datetime(2024, 3, 3, 12, tzinfo=dt.UTC)
    dead.last_checked_at = timezone.now()
    dead.save()
    for source in sources[:2]:
        Snapshot.objects.create(
            source=source,
            fetched_at=timezone.now(),
            final_url=source.url,
            sha256="0" * 64,
            text="kept text",
        )
    for index, status in enumerate([Status.IN_PROGRESS, Status.STALLED, Status.BROKEN]):
        update = StatusUpdate.objects.create(
            pledge=pledge, status=status, established_on=dt.date(2018, 1 + index, 1)
        )
        update.evidence.set(sources[index : index + 2])
    pledge.status, pledge.status_on = Status.BROKEN, dt.date(2018, 3, 1)
    pledge.save()
    PledgeLocation.objects.create(pledge=pledge, position=0, name="US-KS")
    return pledge, dead


def test_pledge_page_shows_promise_status_evidence_and_link_health(
    client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    pledge, dead = _rich_pledge()
    # 9 for the page, 6 for the ledger sections (one per kind of entry; claims' inflation,
    # lineage and the status reason come from the same rows).
    with django_assert_max_num_queries(15):
        response = client.get(pledge.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "promised 1,000 jobs" in html and "in US-KS" in html
    assert "badge big status-broken" in html and "since <time" in html
    assert "link dead since 3 March 2024" in html
    assert html.count("archived copy of") == 2
    assert f"/sources/{dead.pk}/archive/" in html
    assert "Part of <a" in html and "Re-announced as <a" in html
    assert "Links last checked" in html
    assert '<meta property="og:title"' in html and 'name="twitter:card"' in html


def test_pledge_page_works_without_snapshots_or_checks(client) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory()
    PledgeSourceFactory(pledge=pledge)
    html = client.get(pledge.get_absolute_url()).content.decode()
    assert "not checked yet" in html and "archived copy" not in html


def test_unpublished_pledge_is_not_found_anywhere(client) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory(is_published=False, slug="hidden")
    assert client.get("/pledges/hidden/").status_code == 404
    assert client.get("/pledges/hidden/badge.svg").status_code == 404
    assert client.get("/pledges/hidden/embed/").status_code == 404
    assert pledge.title not in client.get("/feeds/pledges/").content.decode()


def test_source_archive_shows_the_newest_snapshot_or_says_there_is_none(client) -> None:  # type: ignore[no-untyped-def]
    link = PledgeSourceFactory()
    response = client.get(f"/sources/{link.source_id}/archive/")
    assert "No copy of this page has been archived yet" in response.content.decode()
    Snapshot.objects.create(
        source=link.source,
        fetched_at=timezone.now() - dt.timedelta(days=2),
        final_url=link.source.url,
        sha256="1" * 64,
        text="old",
    )
    Snapshot.objects.create(
        source=link.source,
        fetched_at=timezone.now(),
        final_url=link.source.url,
        sha256="2" * 64,
        text="newest copy",
    )
    html = client.get(f"/sources/{link.source_id}/archive/").content.decode()
    assert "newest copy" in html and ">old<" not in html
    assert 'content="noindex"' in html
    orphan = SourceFactory()
    assert client.get(f"/sources/{orphan.pk}/archive/").status_code == 404
