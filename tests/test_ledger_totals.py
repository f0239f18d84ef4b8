"""Totals never count a job twice: one rule (selectors_ledger.countable) along every lineage
edge, used by the pages, the API summary and the reports; and the funnel built on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from pledges import selectors, selectors_ledger, selectors_reports
from pledges.models import Pledge, PriorPlan, Status
from pledges.services.ledger import (
    claim_record,
    ledger_entry_save,
    observation_record,
    pledge_link_record,
)
from tests.factories import PledgeFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _softbank() -> tuple[Pledge, Pledge, Pledge]:
    softbank = PledgeFactory(ref="softbank", jobs_promised=50_000, investment_usd=50_000_000_000)
    sprint = PledgeFactory(ref="sprint", jobs_promised=5_000, part_of=softbank)
    oneweb = PledgeFactory(ref="oneweb", jobs_promised=3_000, part_of=softbank)
    return softbank, sprint, oneweb


def _published() -> object:
    return Pledge.objects.published()


def test_ledger_totals_count_softbank_sprint_and_oneweb_as_50000_not_58000() -> None:
    _softbank()
    totals = selectors.pledge_totals(_published())
    assert (totals.pledges, totals.counted, totals.jobs) == (3, 1, 50_000)
    summary = selectors.pledge_summary(_published())
    assert summary["total"]["jobs_promised"] == 50_000
    assert summary["total"]["counted_pledges"] == 1
    assert summary["funnel"]["promised"]["jobs"] == 50_000
    everything, nested = selectors_reports.totals_by_status(scope=_published())
    assert everything["announced"]["jobs"] - nested["announced"]["jobs"] == 50_000


def test_ledger_totals_count_the_parts_when_the_whole_is_not_selected() -> None:
    _softbank()
    parts = _published().filter(ref__in=["sprint", "oneweb"])
    assert selectors.pledge_totals(parts).jobs == 8_000


def test_ledger_totals_follow_nesting_through_several_levels() -> None:
    _, sprint, _ = _softbank()
    PledgeFactory(ref="sprint-kansas", jobs_promised=500, part_of=sprint)
    # Sprint itself is filtered out: its own part still counts inside SoftBank.
    chosen = _published().exclude(ref="sprint")
    assert selectors.pledge_totals(chosen).jobs == 50_000
    assert selectors.pledge_totals(chosen).counted == 1


def test_ledger_totals_count_only_the_latest_reannouncement() -> None:
    # Intel's Fab 42: $5B in 2011 (no job figure), $7B and 3,000 jobs in 2017.
    old = PledgeFactory(ref="intel-2011", jobs_promised=None, investment_usd=5_000_000_000)
    new = PledgeFactory(
        ref="intel-2017", jobs_promised=3_000, investment_usd=7_000_000_000, reannouncement_of=old
    )
    totals = selectors.pledge_totals(_published())
    assert (totals.counted, totals.jobs, totals.investment) == (1, 3_000, 7_000_000_000)
    assert selectors_ledger.countable_ids(_published()) == [new.pk]


def test_ledger_totals_count_only_the_latest_of_a_superseded_chain() -> None:
    source = SourceFactory()
    first = PledgeFactory(ref="foxconn-2017", jobs_promised=13_000, status=Status.SUPERSEDED)
    second = PledgeFactory(ref="foxconn-2019", jobs_promised=5_000)
    third = PledgeFactory(ref="foxconn-2021", jobs_promised=1_454)
    pledge_link_record(pledge=second, kind="supersedes", target=first, source=source)
    pledge_link_record(pledge=third, kind="supersedes", target=second, source=source)
    assert selectors.pledge_totals(_published()).jobs == 1_454
    # Transitive: without the middle version, the 2017 contract still counts in 2021's.
    chosen = _published().exclude(pk=second.pk)
    assert selectors.pledge_totals(chosen).jobs == 1_454
    by_status = selectors.pledge_totals_by(_published(), "status")
    assert (by_status[Status.SUPERSEDED].pledges, by_status[Status.SUPERSEDED].jobs) == (1, 0)


def test_ledger_totals_keep_a_reversed_pledge() -> None:
    later = PledgeFactory(ref="fca-2019", jobs_promised=6_500)
    reversed_one = PledgeFactory(ref="fca-2018", jobs_promised=2_500)
    pledge_link_record(pledge=later, kind="reverses", target=reversed_one, source=SourceFactory())
    assert selectors.pledge_totals(_published()).jobs == 9_000


def test_ledger_totals_of_an_empty_selection_are_empty() -> None:
    _softbank()
    assert selectors.pledge_totals(_published().none()).pledges == 0
    assert selectors_ledger.funnel(_published().none())["promised"]["jobs"] == 0


def test_ledger_summary_query_count_does_not_grow(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        parent = PledgeFactory(ref=f"p{i}")
        PledgeFactory(ref=f"c{i}", part_of=parent)
    # One for the lineage (edges and which of them are selected), six aggregates.
    with django_assert_max_num_queries(7):
        selectors.pledge_summary(_published())


# --- the funnel ----------------------------------------------------------------------------


def _observe(pledge: Pledge, jobs: int, **details: object) -> None:
    observation_record(
        pledge=pledge,
        observed_on=details.pop("observed_on", dt.date(2019, 1, 1)),  # type: ignore[arg-type]
        source=SourceFactory(),
        reporter_kind="journalist",
        jobs=jobs,
        **details,
    )


def test_ledger_funnel_counts_delivered_new_and_credited() -> None:
    new = PledgeFactory(ref="new", jobs_promised=1_000)
    _observe(new, 600, basis="direct")
    claim_record(
        pledge=new,
        claimant="The company",
        claimant_kind="company",
        stated_on=dt.date(2018, 1, 1),
        source=SourceFactory(),
        statement="Thanks to the president's tax cuts.",
        credits_politician=True,
        credited_to="the president",
    )
    planned = PledgeFactory(ref="planned", jobs_promised=500)
    _observe(planned, 900, basis="direct")  # more than promised: counts 500
    ledger_entry_save(
        entry=PriorPlan(pledge=planned, description="Announced in 2015.", source=SourceFactory())
    )
    retained = PledgeFactory(ref="retained", jobs_promised=800, jobs_kind="retained")
    _observe(retained, 800, basis="retained")
    _observe(PledgeFactory(ref="guess", jobs_promised=100), 100, confidence="low")

    funnel = selectors_ledger.funnel(_published())

    assert funnel["promised"]["jobs"] == 2_400
    assert (funnel["delivered"]["jobs"], funnel["delivered"]["pledges"]) == (1_900, 3)
    assert (funnel["new"]["jobs"], funnel["new"]["pledges"]) == (600, 1)
    assert (funnel["credited"]["jobs"], funnel["credited"]["pledges"]) == (600, 1)
    assert "deduplicated" in funnel["deduplicated"]


def test_ledger_funnel_a_politician_crediting_himself_is_not_credited() -> None:
    pledge = PledgeFactory(jobs_promised=1_000)
    _observe(pledge, 1_000, basis="direct")
    claim_record(
        pledge=pledge,
        claimant="A politician",
        claimant_kind="politician",
        stated_on=dt.date(2018, 1, 1),
        source=SourceFactory(),
        jobs_stated=5_000,
        credits_politician=True,
        credited_to="himself",
    )
    funnel = selectors_ledger.funnel(_published())
    assert (funnel["new"]["jobs"], funnel["credited"]["jobs"]) == (1_000, 0)


def test_ledger_funnel_deduplicates_delivery_like_promises() -> None:
    softbank, sprint, _ = _softbank()
    _observe(sprint, 5_000, basis="direct")
    _observe(softbank, 20_000, basis="direct")
    funnel = selectors_ledger.funnel(_published())
    assert funnel["delivered"]["jobs"] == 20_000  # Sprint's delivery is inside SoftBank's


def test_ledger_funnel_stage_pledges_are_the_countable_ones() -> None:
    _, sprint, _ = _softbank()
    _observe(sprint, 5_000)
    stage = selectors_ledger.funnel_stage_pledges(_published(), "delivered")
    assert list(stage) == []
    alone = selectors_ledger.funnel_stage_pledges(_published().filter(pk=sprint.pk), "delivered")
    assert list(alone) == [sprint]
