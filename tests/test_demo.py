from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pledges.models import STATUSES_NEEDING_EVIDENCE, Pledge, StatusUpdate

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_sourced() -> None:
    call_command("load_demo", stdout=io.StringIO())
    counts = (Pledge.objects.count(), StatusUpdate.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Pledge.objects.count(), StatusUpdate.objects.count()) == counts
    assert counts[0] >= 16
    alibaba = Pledge.objects.get(ref="alibaba-2017-01")
    assert (alibaba.jobs_promised, alibaba.jobs_kind, alibaba.status) == (
        1_000_000,
        "indirect",
        "withdrawn",
    )
    assert str(alibaba.status_on) == "2018-09-19"
    assert alibaba.made_to == "Donald Trump (President-elect)"
    for pledge in Pledge.objects.prefetch_related("pledge_sources", "status_updates__evidence"):
        assert pledge.pledge_sources.exists(), pledge.ref
        for update in pledge.status_updates.all():
            if update.status in STATUSES_NEEDING_EVIDENCE:
                assert update.evidence.exists(), (pledge.ref, update.status)


def test_load_demo_nests_sprint_in_softbank() -> None:
    call_command("load_demo", stdout=io.StringIO())
    sprint = Pledge.objects.get(ref__startswith="sprint-")
    assert sprint.part_of is not None and sprint.part_of.ref.startswith("softbank-")


def test_demo_pages_render(client) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", stdout=io.StringIO())
    alibaba = Pledge.objects.get(ref="alibaba-2017-01")
    assert client.get("/").status_code == 200
    response = client.get(alibaba.get_absolute_url())
    assert response.status_code == 200
    assert b"Withdrawn" in response.content
    assert client.get(alibaba.company.get_absolute_url()).status_code == 200
    assert client.get("/pledges/?status=withdrawn").status_code == 200
