"""Follow-up report data: every section's rows and counts over a fixed world, a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.report_chart import ChartBar, chart_png, chart_svg
from pledges.services.reports import (
    ReportFilters,
    build_report_data,
    months_before,
    report_create,
    report_period,
)
from tests.factories import PledgeFactory, PledgeSourceFactory
from tests.support.report_world import NOW, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _weekly(filters: ReportFilters | None = None) -> dict:
    start, end = report_period(frequency="weekly", now=NOW)
    with time_machine.travel(NOW, tick=False):
        return build_report_data(
            period_start=start, period_end=end, filters=filters or ReportFilters()
        )


def _refs(data: dict, section: str) -> list[str]:
    return [row["ref"] for row in data["sections"][section]["rows"]]


def test_report_period_is_the_days_before_now_or_since() -> None:
    assert report_period(frequency="daily", now=NOW) == (NOW - dt.timedelta(days=1), NOW)
    assert report_period(frequency="monthly", now=NOW)[0] == NOW - dt.timedelta(days=30)
    start, end = report_period(frequency="weekly", now=NOW, since=dt.date(2025, 5, 20))
    assert (start, end) == (dt.datetime(2025, 5, 20, tzinfo=dt.UTC), NOW)


def test_months_before_clamps_to_the_end_of_shorter_months() -> None:
    assert months_before(dt.date(2025, 6, 9), 12) == dt.date(2024, 6, 9)
    assert months_before(dt.date(2025, 3, 31), 1) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2025, 1, 15), 13) == dt.date(2023, 12, 15)


def test_report_deadlines_passed_lists_unkept_pledges_due_in_the_period(world: World) -> None:
    section = _weekly()["sections"]["deadlines_passed"]
    # B's deadline also passed, but B is kept.
    assert [row["ref"] for row in section["rows"]] == ["REF-D", "REF-A"]
    assert section["count"] == 2
    first = section["rows"][0]
    assert first == {
        "ref": "REF-D",
        "title": "Pledge D of Globex",
        "company": "Globex",
        "url": "/pledges/pledge-d/",
        "status": "broken",
        "jobs_promised": 400,
        "deadline": "2025-06-03",
    }


def test_report_deadlines_upcoming_skips_final_and_far_pledges(world: World) -> None:
    section = _weekly()["sections"]["deadlines_upcoming"]
    # E is due in December (past the 90 days); D is already broken.
    assert _refs(_weekly(), "deadlines_upcoming") == ["REF-F", "REF-C"]
    assert section["count"] == 2


def test_report_status_changes_recorded_in_the_period_with_evidence(world: World) -> None:
    section = _weekly()["sections"]["status_changes"]
    assert section["count"] == 2
    first, second = section["rows"]
    assert (first["ref"], first["previous_status"], first["status"]) == (
        "REF-A",
        "announced",
        "in_progress",
    )
    assert first["established_on"] == "2025-06-02"
    assert first["explanation"] == "Plant opened; 300 hired so far."
    assert first["evidence"] == [
        {"url": "https://news.example.org/a", "title": "A hires", "publisher": "Example News"}
    ]
    assert (second["ref"], second["status"]) == ("REF-B", "kept")
    assert second["evidence"][0]["url"] == "https://news.example.org/b"


def test_report_suggestions_pending_oldest_first(world: World) -> None:
    section = _weekly()["sections"]["suggestions"]
    assert section["count"] == 3
    rows = section["rows"]
    assert [row["kind"] for row in rows] == ["status_change", "candidate_source", "new_evidence"]
    assert rows[0]["ref"] == "REF-A" and rows[0]["proposed_status"] == "kept"
    assert rows[0]["admin_url"] == f"/admin/pledges/suggestion/{world.suggestions['s1'].pk}/change/"
    assert rows[1]["company"] == "Globex" and rows[1]["url"] is None
    assert rows[1]["source_url"] == "https://news.example.org/globex-new"
    assert rows[2]["ref"] == "REF-C"


def test_report_sources_that_died_or_changed_in_the_period(world: World) -> None:
    section = _weekly()["sections"]["sources"]
    assert section["count"] == 2
    dead, changed = section["rows"]
    assert dead["source_url"] == "https://gone.example.org/a"
    assert (dead["event"], dead["since"], dead["has_archive"]) == (
        "dead",
        "2025-06-05T10:00:00+00:00",
        True,
    )
    assert dead["pledges"] == [
        {"ref": "REF-A", "title": "Pledge A of Acme", "url": "/pledges/pledge-a/"}
    ]
    # Changed in the period (and once before it, not counted), no archived copy.
    assert (changed["event"], changed["changes"], changed["has_archive"]) == ("changed", 1, False)
    assert changed["pledges"][0]["ref"] == "REF-C"


def test_report_stale_pledges_have_no_evidence_for_twelve_months(world: World) -> None:
    section = _weekly()["sections"]["stale"]
    # H is as old as G but has a 2025 article.
    assert _refs(_weekly(), "stale") == ["REF-G"]
    assert section["rows"][0]["last_evidence_on"] == "2023-02-01"


def test_report_stale_months_is_configurable(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_STALE_MONTHS = 4
    # A, B and C have statuses of April or later, D is final; E, F and H date from January.
    assert _refs(_weekly(), "stale") == ["REF-G", "REF-E", "REF-F", "REF-H"]


def test_report_new_pledges_added_in_the_period(world: World) -> None:
    section = _weekly()["sections"]["new_pledges"]
    assert _refs(_weekly(), "new_pledges") == ["REF-E", "REF-H"]
    assert section["rows"][0]["created_at"] == "2025-06-04T09:00:00+00:00"


def test_report_totals_count_nested_pledges_once(world: World) -> None:
    totals = _weekly()["sections"]["totals"]
    # F (500 jobs) is part of C: its jobs are inside C's 2,000.
    assert (totals["pledges"], totals["nested"], totals["counted"]) == (8, 1, 7)
    assert totals["jobs_promised"] == 7400
    assert totals["jobs_kept"] == 3000
    assert totals["kept_share"] == 40.5
    by_status = {
        row["status"]: (row["pledges"], row["nested"], row["jobs"]) for row in totals["rows"]
    }
    assert by_status == {
        "announced": (4, 1, 1000),
        "in_progress": (1, 0, 1000),
        "stalled": (1, 0, 2000),
        "kept": (1, 0, 3000),
        "broken": (1, 0, 400),
    }
    assert "counted once" in totals["note"]


def test_report_nested_pledge_outside_the_set_counts_fully(world: World) -> None:
    # Filtered to F's status only, C is not in the set: F's 500 jobs count.
    totals = _weekly(ReportFilters(status="announced", company_id=world.pledges["F"].company_id))
    assert totals["sections"]["totals"]["jobs_promised"] == 500
    assert totals["sections"]["totals"]["nested"] == 0


def test_report_filtered_to_a_company_has_only_its_rows(world: World) -> None:
    data = _weekly(ReportFilters(company_id=world.pledges["A"].company_id))
    assert data["filters"]["company"] == "Acme"
    for key, section in data["sections"].items():
        for row in section["rows"]:
            if "company" in row:
                assert row["company"] == "Acme", key
    assert _refs(data, "deadlines_passed") == ["REF-A"]
    assert _refs(data, "deadlines_upcoming") == []
    assert _refs(data, "status_changes") == ["REF-A", "REF-B"]
    assert _refs(data, "suggestions") == ["REF-A"]
    assert [r["source_url"] for r in data["sections"]["sources"]["rows"]] == [
        "https://gone.example.org/a"
    ]
    assert data["sections"]["totals"]["jobs_promised"] == 5000


def test_report_location_filter_uses_places(world: World) -> None:
    world.pledges["A"].locations.create(name="US-WI")
    world.pledges["C"].locations.create(name="Mexico City")
    assert _refs(_weekly(ReportFilters(location="US")), "deadlines_passed") == ["REF-A"]
    assert _refs(_weekly(ReportFilters(location="mexico")), "deadlines_upcoming") == ["REF-C"]
    # Company-level suggestions do not belong to a report about places.
    assert _refs(_weekly(ReportFilters(location="US")), "suggestions") == ["REF-A"]


def test_report_rows_are_capped_but_counts_are_true(world: World) -> None:
    start, end = report_period(frequency="weekly", now=NOW)
    with time_machine.travel(NOW, tick=False):
        data = build_report_data(
            period_start=start, period_end=end, filters=ReportFilters(), limit=1
        )
    section = data["sections"]["suggestions"]
    assert (section["count"], len(section["rows"]), section["truncated"]) == (3, 1, True)


def test_report_build_query_count_does_not_grow_with_pledges(world: World) -> None:
    with CaptureQueriesContext(connection) as small:
        _weekly()
    for _ in range(30):
        pledge = PledgeFactory(
            company=world.pledges["A"].company, deadline=dt.date(2025, 6, 6), jobs_promised=10
        )
        PledgeSourceFactory(pledge=pledge, source=world.sources["dead"])
    with CaptureQueriesContext(connection) as large:
        data = _weekly()
    assert data["sections"]["deadlines_passed"]["count"] == 32
    assert len(large) == len(small) <= 16  # savepoint, SET, 12 reads, release


def test_report_create_stores_data_and_counts(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    start, end = report_period(frequency="weekly", now=NOW)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(16):
        report = report_create(frequency="weekly", period_start=start, period_end=end)
    report.refresh_from_db()
    assert report.generated_at == NOW
    assert report.counts == {
        "deadlines_passed": 2,
        "deadlines_upcoming": 2,
        "status_changes": 2,
        "suggestions": 3,
        "sources": 2,
        "stale": 1,
        "new_pledges": 2,
        "totals": 8,
    }
    assert report.data["sections"]["stale"]["rows"][0]["ref"] == "REF-G"


def test_chart_svg_escapes_text_and_png_is_an_image() -> None:
    bars = [ChartBar("<script>x</script>", 10, "plain"), ChartBar("Kept", 5, "highlight")]
    svg = chart_svg(title='Jobs "&" more', bars=bars)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Jobs &quot;&amp;&quot; more" in svg
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    png = chart_png(title="Jobs", bars=bars)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
