"""The ledger's rules, in clean() and in the database: no entry without a source, jobs
delivered follows the latest credible observation, no loops of pledges, reasons for verdicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pledges.models import (
    Claim,
    Observation,
    Pledge,
    PledgeLink,
    ReplyRequest,
    StatusUpdate,
)
from pledges.services.ledger import (
    claim_record,
    ledger_entry_delete,
    ledger_entry_save,
    observation_record,
    pledge_link_record,
)
from pledges.services.pledges import status_update_record
from tests.factories import PledgeFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_observation_without_source_is_refused_by_full_clean() -> None:
    observation = Observation(
        pledge=PledgeFactory(), observed_on=dt.date(2019, 1, 1), jobs=10, reporter_kind="union"
    )
    with pytest.raises(ValidationError) as exc:
        observation.full_clean()
    assert "without a source is refused" in str(exc.value.message_dict["source"])


def test_observation_without_source_is_refused_by_the_database() -> None:
    pledge = PledgeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            pledge=pledge, observed_on=dt.date(2019, 1, 1), jobs=10, reporter_kind="union"
        )


def test_observation_without_source_is_refused_by_the_service() -> None:
    pledge = PledgeFactory()
    with pytest.raises((ValidationError, TypeError)):
        observation_record(  # type: ignore[call-arg]
            pledge=pledge, observed_on=dt.date(2019, 1, 1), jobs=10, reporter_kind="union"
        )
    with pytest.raises(ValidationError):
        ledger_entry_save(
            entry=Observation(
                pledge=pledge, observed_on=dt.date(2019, 1, 1), jobs=10, reporter_kind="union"
            )
        )
    assert not Observation.objects.exists()


def test_observation_needs_a_figure() -> None:
    with pytest.raises(ValidationError, match="jobs or the investment"):
        observation_record(
            pledge=PledgeFactory(),
            observed_on=dt.date(2019, 1, 1),
            source=SourceFactory(),
            reporter_kind="company",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            pledge=PledgeFactory(),
            observed_on=dt.date(2019, 1, 1),
            source=SourceFactory(),
            reporter_kind="company",
        )


def test_jobs_delivered_is_the_latest_credible_observation() -> None:
    pledge = PledgeFactory(jobs_promised=13_000)
    early = observation_record(
        pledge=pledge,
        observed_on=dt.date(2018, 12, 31),
        source=SourceFactory(),
        reporter_kind="company",
        jobs=178,
        confidence="high",
    )
    observation_record(
        pledge=pledge,
        observed_on=dt.date(2019, 6, 1),
        source=SourceFactory(),
        reporter_kind="journalist",
        jobs=5_000,
        confidence="low",  # a guess never becomes "delivered"
    )
    pledge.refresh_from_db()
    assert (pledge.delivered_jobs, pledge.delivered_on) == (178, dt.date(2018, 12, 31))
    later = observation_record(
        pledge=pledge,
        observed_on=dt.date(2020, 1, 1),
        source=SourceFactory(),
        reporter_kind="government",
        jobs=281,
    )
    pledge.refresh_from_db()
    assert pledge.delivered_observation_id == later.pk
    ledger_entry_delete(entry=later)
    pledge.refresh_from_db()
    assert (pledge.delivered_jobs, pledge.delivered_observation_id) == (178, early.pk)
    assert pledge.history.first().delivered_jobs == 178  # the history keeps every step


def test_claim_needs_no_pledge_but_a_source_and_something_said() -> None:
    claim = claim_record(
        claimant="Donald Trump",
        claimant_kind="politician",
        stated_on=dt.date(2019, 2, 25),
        source=SourceFactory(),
        jobs_stated=6_500_000,
    )
    assert claim.pledge is None
    with pytest.raises(ValidationError, match="number stated or the statement"):
        claim_record(
            claimant="Someone",
            claimant_kind="official",
            stated_on=dt.date(2019, 2, 25),
            source=SourceFactory(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            claimant="x", claimant_kind="official", stated_on=dt.date(2019, 1, 1), jobs_stated=1
        )


def test_claim_about_a_pledge_takes_its_company() -> None:
    pledge = PledgeFactory()
    claim = claim_record(
        pledge=pledge,
        claimant="Governor",
        claimant_kind="official",
        stated_on=dt.date(2018, 1, 1),
        source=SourceFactory(),
        jobs_stated=3_000,
    )
    assert claim.company_id == pledge.company_id


def test_lineage_loops_are_refused() -> None:
    source = SourceFactory()
    a = PledgeFactory(ref="a")
    b = PledgeFactory(ref="b")
    pledge_link_record(pledge=b, kind="supersedes", target=a, source=source)
    with pytest.raises(ValidationError, match="loop"):
        pledge_link_record(pledge=a, kind="supersedes", target=b, source=source)
    # Through the foreign keys too: a part of b cannot be re-announced... into a loop.
    c = PledgeFactory(ref="c", part_of=a)
    b.part_of = c
    with pytest.raises(ValidationError, match="loop"):
        b.full_clean()
    with pytest.raises(ValidationError):
        pledge_link_record(pledge=a, kind="reverses", target=a, source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeLink.objects.create(pledge=a, kind="reverses", target=a, source=source)


def test_right_of_reply_answered_needs_the_answer() -> None:
    reply = ReplyRequest(
        pledge=PledgeFactory(), asked_on=dt.date(2018, 1, 1), asked_by="us", outcome="answered"
    )
    with pytest.raises(ValidationError, match="answer"):
        ledger_entry_save(entry=reply)
    reply.outcome = "declined"
    ledger_entry_save(entry=reply)
    assert reply.history.count() == 1


@pytest.mark.parametrize("status", ["stalled", "broken", "withdrawn", "superseded"])
def test_status_reason_is_required_for_these_statuses(status: str) -> None:
    pledge = PledgeFactory()
    with pytest.raises(ValidationError) as exc:
        status_update_record(
            pledge=pledge,
            status=status,
            established_on=dt.date(2018, 9, 19),
            evidence=[SourceFactory()],
        )
    assert "reason" in exc.value.message_dict
    update = status_update_record(
        pledge=pledge,
        status=status,
        established_on=dt.date(2018, 9, 19),
        evidence=[SourceFactory()],
        reason="trade_policy",
    )
    assert update.get_reason_display() == "Trade policy"


def test_status_reason_must_be_a_known_code() -> None:
    pledge = PledgeFactory()
    with pytest.raises(ValidationError):
        status_update_record(
            pledge=pledge, status="stalled", established_on=dt.date(2018, 1, 1), reason="weather"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            pledge=pledge, status="stalled", established_on=dt.date(2018, 1, 1), reason="weather"
        )


def test_ledger_changes_move_the_pledge_version() -> None:
    pledge = PledgeFactory()
    before = Pledge.objects.get(pk=pledge.pk).updated_at
    claim_record(
        pledge=pledge,
        claimant="x",
        claimant_kind="official",
        stated_on=dt.date(2018, 1, 1),
        source=SourceFactory(),
        jobs_stated=1,
    )
    assert Pledge.objects.get(pk=pledge.pk).updated_at > before
