"""Time travel: `?as_of=YYYY-MM-DD` answers what the database said on that day, from the
history, so a story written then can be reproduced after the numbers and the status changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from pledges import selectors_asof
from pledges.models import Pledge
from pledges.services.ledger import claim_record, ledger_entry_save, observation_record
from pledges.services.pledges import status_update_record
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def foxconn() -> Pledge:
    """A pledge whose numbers and status changed over three years, each change recorded on
    its own day."""
    with time_machine.travel(at("2017-07-27"), tick=False):
        company = CompanyFactory(name="Foxconn", slug="foxconn")
        pledge = PledgeFactory(
            company=company,
            ref="foxconn-2017-07",
            slug="foxconn-2017-07",
            title="Foxconn promises 13,000 jobs in Wisconsin",
            announced_on=dt.date(2017, 7, 26),
            jobs_promised=13_000,
        )
        link = PledgeSourceFactory(pledge=pledge)
    with time_machine.travel(at("2019-01-18"), tick=False):
        observation_record(
            pledge=pledge,
            observed_on=dt.date(2018, 12, 31),
            source=SourceFactory(url="https://news.example.org/178"),
            reporter_kind="company",
            jobs=178,
            confidence="high",
        )
        status_update_record(
            pledge=pledge,
            status="stalled",
            established_on=dt.date(2019, 1, 17),
            explanation="178 qualifying jobs at the end of 2018.",
            reason="market_conditions",
        )
    with time_machine.travel(at("2021-04-21"), tick=False):
        pledge.refresh_from_db()
        pledge.jobs_promised = 1_454
        pledge.title = "Foxconn's amended contract: 1,454 jobs"
        pledge.save()
        observation_record(
            pledge=pledge,
            observed_on=dt.date(2020, 12, 31),
            source=SourceFactory(url="https://news.example.org/281"),
            reporter_kind="government",
            jobs=281,
        )
        status_update_record(
            pledge=pledge,
            status="superseded",
            established_on=dt.date(2021, 4, 20),
            evidence=[link.source],
            reason="political_change",
        )
    pledge.refresh_from_db()
    return pledge


def test_as_of_reproduces_a_status_and_numbers_later_changed(foxconn: Pledge) -> None:
    assert (foxconn.status, foxconn.jobs_promised, foxconn.delivered_jobs) == (
        "superseded",
        1_454,
        281,
    )

    before = selectors_asof.pledge_as_of(foxconn, dt.date(2018, 6, 1))
    assert (before.pledge.status, before.pledge.jobs_promised, before.delivered_jobs) == (
        "announced",
        13_000,
        None,
    )
    assert before.observations == []

    stalled = selectors_asof.pledge_as_of(foxconn, dt.date(2019, 6, 30))
    assert (stalled.pledge.status, stalled.pledge.jobs_promised, stalled.delivered_jobs) == (
        "stalled",
        13_000,
        178,
    )
    assert stalled.pledge.title == "Foxconn promises 13,000 jobs in Wisconsin"
    assert [(u.status, u.reason) for u, _ in stalled.status_updates] == [
        ("stalled", "market_conditions")
    ]
    data = selectors_asof.as_of_dict(stalled)
    assert data["status"] == "stalled" and data["jobs_promised"] == 13_000
    assert [o["jobs"] for o in data["observations"]] == [178]

    today = selectors_asof.pledge_as_of(foxconn, dt.date(2021, 5, 1))
    assert (today.pledge.status, today.pledge.jobs_promised, today.delivered_jobs) == (
        "superseded",
        1_454,
        281,
    )
    assert [u.status for u, _ in today.status_updates] == ["superseded", "stalled"]
    assert today.status_updates[0][1] == [foxconn.pledge_sources.get().source.url]


def test_as_of_page_shows_the_old_values(client: Any, foxconn: Pledge) -> None:
    response = client.get(f"/pledges/{foxconn.slug}/", {"as_of": "2019-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Foxconn promises 13,000 jobs in Wisconsin" in html
    assert "13,000" in html and "178" in html
    assert "Stalled" in html and "Market conditions" in html
    assert "1,454" not in html
    assert "What the database said at the end of" in html
    # Today's page is unchanged.
    assert "1,454" in client.get(f"/pledges/{foxconn.slug}/").content.decode()


@pytest.mark.parametrize(
    "value, message",
    [
        ("yesterday", "YYYY-MM-DD"),
        ("2019-02-30", "YYYY-MM-DD"),
        ("20190630", "YYYY-MM-DD"),
        ("<script>", "YYYY-MM-DD"),
        ("2999-01-01", "in the future"),
    ],
)
def test_as_of_bad_values_answer_400_with_a_message(
    client: Any, foxconn: Pledge, value: str, message: str
) -> None:
    response = client.get(f"/pledges/{foxconn.slug}/", {"as_of": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_as_of_before_the_pledge_existed_answers_404(client: Any, foxconn: Pledge) -> None:
    response = client.get(f"/pledges/{foxconn.slug}/", {"as_of": "2016-01-01"})
    assert response.status_code == 404
    assert "not in the database yet" in response.content.decode()


def test_as_of_page_query_count_is_bounded(
    client: Any, foxconn: Pledge, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        with time_machine.travel(at("2019-03-01"), tick=False):
            claim_record(
                pledge=foxconn,
                claimant=f"Official {i}",
                claimant_kind="official",
                stated_on=dt.date(2019, 3, 1),
                source=SourceFactory(),
                jobs_stated=i,
            )
    with django_assert_max_num_queries(20):
        response = client.get(f"/pledges/{foxconn.slug}/", {"as_of": "2019-06-30"})
    assert response.status_code == 200
    assert "Official 19" in response.content.decode()


def test_as_of_sees_deleted_entries_while_they_existed(foxconn: Pledge) -> None:
    from pledges.models import Claim
    from pledges.services.ledger import ledger_entry_delete

    with time_machine.travel(at("2019-02-01"), tick=False):
        claim = ledger_entry_save(
            entry=Claim(
                pledge=foxconn,
                claimant="Governor",
                claimant_kind="official",
                stated_on=dt.date(2019, 2, 1),
                source=SourceFactory(),
                jobs_stated=13_000,
            )
        )
    with time_machine.travel(at("2019-03-01"), tick=False):
        ledger_entry_delete(entry=claim)
    seen = selectors_asof.pledge_as_of(foxconn, dt.date(2019, 2, 15))
    assert [view.claim.claimant for view in seen.claims] == ["Governor"]
    assert selectors_asof.pledge_as_of(foxconn, dt.date(2019, 3, 15)).claims == []
