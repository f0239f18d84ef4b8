"""Companies in the admin: merging duplicates keeps every pledge, name and trace."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from pledges.models import Company, CompanyAlias, Pledge, Suggestion
from pledges.services.companies import company_merge
from pledges.services.pledges import pledge_refresh_search_text
from tests.factories import CompanyFactory, PledgeFactory, SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicates(db: Any) -> tuple[Company, Company, Company]:
    target = CompanyFactory(name="Alibaba Group")
    CompanyAlias.objects.create(company=target, name="Alibaba")
    second = CompanyFactory(name="Alibaba Group Holding Ltd")
    CompanyAlias.objects.create(company=second, name="阿里巴巴")
    CompanyAlias.objects.create(company=second, name="ALIBABA GROUP")  # the target's own name
    third = CompanyFactory(name="Ali Baba")
    for company in (target, second, second, third):
        pledge_refresh_search_text(pledge=PledgeFactory(company=company))
    SuggestionFactory(pledge=None, company=third, kind="candidate_source", source=None)
    return target, second, third


def test_company_merge_action_moves_pledges_and_aliases(
    client: Any, editor: User, duplicates: tuple[Company, Company, Company]
) -> None:
    target = duplicates[0]
    client.force_login(editor)
    changelist = reverse("admin:pledges_company_changelist")
    selection = {"action": "merge_companies", "_selected_action": [c.pk for c in duplicates]}

    confirm_page = client.post(changelist, selection)
    assert confirm_page.status_code == 200
    assert "Choose the company to keep" in confirm_page.content.decode()
    assert Company.objects.count() == 3

    response = client.post(changelist, {**selection, "confirm": "1", "target": target.pk})

    assert response.status_code == 302
    assert list(Company.objects.all()) == [target]
    assert Pledge.objects.filter(company=target).count() == 4
    assert sorted(target.aliases.values_list("name", flat=True)) == [
        "Ali Baba",
        "Alibaba",
        "Alibaba Group Holding Ltd",
        "阿里巴巴",
    ]
    assert Suggestion.objects.get().company == target
    moved = Pledge.objects.filter(company=target)
    assert all("阿里巴巴" in p.search_text for p in moved)
    # Recorded in history: every moved pledge, the deleted companies, the new aliases.
    reason = f"merged into Alibaba Group (#{target.pk})"
    assert Pledge.history.filter(history_change_reason=reason, history_user=editor).count() == 3
    deleted = Company.history.filter(history_type="-", history_user=editor)
    assert {h.name for h in deleted} == {"Alibaba Group Holding Ltd", "Ali Baba"}
    assert CompanyAlias.history.filter(history_type="+", history_change_reason=reason).count() == 3
    assert target.history.first().history_change_reason.startswith("absorbed")
    assert LogEntry.objects.filter(object_id=str(target.pk), user=editor).exists()
    history = client.get(reverse("admin:pledges_company_history", args=[target.pk]))
    assert "absorbed" in history.content.decode()


def test_company_merge_needs_two_companies(client: Any, editor: User) -> None:
    company = CompanyFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:pledges_company_changelist"),
        {"action": "merge_companies", "_selected_action": [company.pk]},
        follow=True,
    )
    assert "Select at least two companies" in response.content.decode()


def test_company_merge_into_itself_changes_nothing(editor: User) -> None:
    company = CompanyFactory()
    assert company_merge(target=company, duplicates=[company], user=editor) == company
    assert Company.objects.get() == company


def test_company_rename_refreshes_pledge_search_text(client: Any, editor: User) -> None:
    pledge = PledgeFactory(company__name="Old Name")
    company = pledge.company
    client.force_login(editor)
    response = client.post(
        reverse("admin:pledges_company_change", args=[company.pk]),
        {
            "name": "New Name",
            "slug": company.slug,
            "country": "US",
            "ticker": "",
            "website": "",
            "wikidata_id": "",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "Nickname",
        },
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert "New Name" in pledge.search_text and "Nickname" in pledge.search_text
