"""The demo's ledger: real, sourced entries for the real pledges, loaded idempotently, and the
demo's totals deduplicated (SoftBank + Sprint + OneWeb = 50,000; Foxconn's 2021 amendment
supersedes its 2017 contract; Intel's Fab 42 counted once)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pledges import demo_ledger, selectors, selectors_ledger
from pledges.models import (
    STATUSES_NEEDING_REASON,
    Claim,
    Observation,
    OffsetEvent,
    Pledge,
    PledgeLink,
    PriorPlan,
    ReplyRequest,
    StatusUpdate,
    Subsidy,
)

pytestmark = pytest.mark.django_db
LEDGER = (Observation, Claim, PledgeLink, PriorPlan, OffsetEvent, Subsidy, ReplyRequest)


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in LEDGER) + tuple(
        model.history.count() for model in LEDGER
    )


def test_demo_ledger_loads_idempotently_with_sources_everywhere() -> None:
    call_command("load_demo", stdout=io.StringIO())
    counts = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == counts  # nothing added, not even history
    assert Observation.objects.count() == len(demo_ledger.OBSERVATIONS)
    assert OffsetEvent.objects.count() == len(demo_ledger.OFFSETS)
    for model in (Observation, Claim, PledgeLink, PriorPlan, OffsetEvent, Subsidy):
        for entry in model.objects.select_related("source"):
            assert entry.source.url.startswith(("http://", "https://")), entry
    for update in StatusUpdate.objects.filter(status__in=STATUSES_NEEDING_REASON):
        assert update.reason, (update.pledge.ref, update.status)


def test_demo_totals_are_deduplicated() -> None:
    call_command("load_demo", stdout=io.StringIO())
    published = Pledge.objects.published()
    softbank = published.filter(ref__in=["softbank-2016-12", "sprint-2016-12", "oneweb-2016-12"])
    assert selectors.pledge_totals(softbank).jobs == 50_000
    foxconn = published.filter(ref__startswith="foxconn-")
    assert selectors.pledge_totals(foxconn).jobs == 1_454
    intel = published.filter(ref__startswith="intel-")
    assert selectors.pledge_totals(intel).jobs == 3_000
    assert PledgeLink.objects.get(kind="supersedes").target.ref == "foxconn-2017-07"
    assert PledgeLink.objects.get(kind="reverses").target.ref == "fca-2018-01"
    assert Pledge.objects.get(ref="foxconn-2021-04").reannouncement_of is None
    funnel = selectors_ledger.funnel(published)
    assert funnel["delivered"]["jobs"] == 1_069 + 3_000  # Carrier (capped), Intel


def test_demo_pages_show_the_ledger(client) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", stdout=io.StringIO())
    carrier = client.get("/pledges/carrier-2016-12/").content.decode()
    assert "So the 1,100 is going to be a minimum number." in carrier
    assert "Jobs lost since the pledge: 553" in carrier
    assert "Indiana Economic Development Corporation" in carrier
    walmart = client.get("/pledges/walmart-2017-01/").content.decode()
    assert "9,450 jobs lost" in walmart
    foxconn = client.get("/pledges/foxconn-2021-04/").content.decode()
    assert "Supersedes" in foxconn
    home = client.get("/").content.decode()
    assert "/funnel/delivered/" in home
