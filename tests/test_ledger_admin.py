"""The ledger in the editors' workspace: inlines on the pledge page render and save through the
services (sources by URL, jobs delivered kept in step), claims without a pledge have a page of
their own, and a status that needs a reason cannot be recorded without one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from pledges.models import Claim, Observation, Pledge, PledgeLink, Source, StatusUpdate
from tests.factories import PledgeFactory, PledgeSourceFactory
from tests.test_admin_pledges import pledge_form, with_source

pytestmark = pytest.mark.django_db


def _change_data(pledge: Pledge) -> dict[str, Any]:
    link = pledge.pledge_sources.get()
    data = pledge_form(
        company=str(pledge.company_id),
        ref=pledge.ref,
        slug=pledge.slug,
        title=pledge.title,
        **{"pledge_sources-INITIAL_FORMS": "1", "pledge_sources-0-id": str(link.pk)},
    )
    with_source(data, 0, link.source.url)
    data["pledge_sources-0-pledge"] = str(pledge.pk)
    return data


@pytest.fixture
def pledge() -> Pledge:
    pledge = PledgeFactory(ref="foxconn-2021", slug="foxconn-2021", jobs_promised=1454)
    PledgeSourceFactory(pledge=pledge)
    return pledge


def test_ledger_inlines_render_on_the_pledge_page(
    client: Any, editor: User, pledge: Pledge
) -> None:
    client.force_login(editor)
    response = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for prefix in ("observations", "claims", "links", "prior_plans", "offsets", "subsidies"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert 'name="replies-TOTAL_FORMS"' in html
    assert "Observations of what was delivered" in html


def test_ledger_inlines_save_through_the_services(
    client: Any, editor: User, pledge: Pledge
) -> None:
    earlier = PledgeFactory(ref="foxconn-2017")
    client.force_login(editor)
    data = _change_data(pledge)
    data.update(
        {
            "observations-TOTAL_FORMS": "1",
            "observations-0-observed_on": "2022-12-31",
            "observations-0-jobs": "1036",
            "observations-0-investment_usd": "",
            "observations-0-measure": "headcount",
            "observations-0-basis": "direct",
            "observations-0-reporter_kind": "government",
            "observations-0-reporter": "WEDC",
            "observations-0-confidence": "high",
            "observations-0-source_url": "https://News.example.org/wedc-2022?utm_source=x",
            "observations-0-note": "",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "supersedes",
            "links-0-target_ref": "foxconn-2017",
            "links-0-source_url": "https://news.example.org/amended",
            "links-0-note": "",
        }
    )

    response = client.post(reverse("admin:pledges_pledge_change", args=[pledge.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    observation = Observation.objects.get()
    assert observation.source.url == "https://news.example.org/wedc-2022"
    assert observation.recorded_by == editor
    assert observation.history.get().history_user == editor
    pledge.refresh_from_db()
    assert pledge.delivered_jobs == 1036
    link = PledgeLink.objects.get()
    assert (link.pledge, link.kind, link.target) == (pledge, "supersedes", earlier)


def test_ledger_inline_refuses_an_observation_without_source(
    client: Any, editor: User, pledge: Pledge
) -> None:
    client.force_login(editor)
    data = _change_data(pledge)
    data.update(
        {
            "observations-TOTAL_FORMS": "1",
            "observations-0-observed_on": "2022-12-31",
            "observations-0-jobs": "1036",
            "observations-0-measure": "headcount",
            "observations-0-basis": "direct",
            "observations-0-reporter_kind": "government",
            "observations-0-confidence": "high",
            "observations-0-source_url": "",
        }
    )
    response = client.post(reverse("admin:pledges_pledge_change", args=[pledge.pk]), data)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Observation.objects.exists()
    assert Source.objects.count() == 1


def test_status_update_form_requires_a_reason(client: Any, editor: User, pledge: Pledge) -> None:
    client.force_login(editor)
    data = _change_data(pledge)
    data.update(
        {
            "status_updates-TOTAL_FORMS": "1",
            "status_updates-0-status": "broken",
            "status_updates-0-established_on": "2020-01-01",
            "status_updates-0-explanation": "Never built.",
            "status_updates-0-reason": "",
            "status_updates-0-cite_pledge_sources": "on",
        }
    )
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Say why the pledge is broken" in response.content.decode()
    assert not StatusUpdate.objects.exists()
    data["status_updates-0-reason"] = "market_conditions"
    assert client.post(url, data).status_code == 302
    assert StatusUpdate.objects.get().reason == "market_conditions"


def test_claim_admin_records_a_claim_without_pledge(client: Any, editor: User) -> None:
    client.force_login(editor)
    assert client.get(reverse("admin:pledges_claim_add")).status_code == 200
    response = client.post(
        reverse("admin:pledges_claim_add"),
        {
            "pledge": "",
            "company": "",
            "claimant": "Donald Trump",
            "claimant_role": "President",
            "claimant_kind": "politician",
            "stated_on": "2019-02-25",
            "venue": "White House",
            "jobs_stated": "6500000",
            "jobs_supported": "0",
            "investment_stated": "",
            "statement": "These are jobs that would not have happened.",
            "credited_to": "",
            "source_url": "https://news.example.org/fact-check",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get()
    assert (claim.pledge, claim.jobs_stated, claim.source.url) == (
        None,
        6_500_000,
        "https://news.example.org/fact-check",
    )
    listing = client.get(reverse("admin:pledges_claim_changelist"))
    assert "Donald Trump" in listing.content.decode()


def test_viewers_cannot_change_the_ledger(client: Any, pledge: Pledge) -> None:
    from django.contrib.auth.models import Group

    viewer = User.objects.create_user("viewer", "v@example.org", "correct horse battery")
    viewer.is_staff = True
    viewer.save()
    viewer.groups.add(Group.objects.get(name="Viewers"))
    client.force_login(viewer)
    assert client.get(reverse("admin:pledges_claim_changelist")).status_code == 200
    assert client.get(reverse("admin:pledges_claim_add")).status_code == 403
