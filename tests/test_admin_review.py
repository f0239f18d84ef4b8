"""The review queue: editors accept (a status update with evidence) or dismiss (with a reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from pledges.models import PledgeSource, StatusUpdate, Suggestion
from pledges.services.review import suggestion_accept, suggestion_dismiss
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def _review(client: Any, suggestion: Suggestion, **data: str) -> Any:
    return client.post(reverse("admin:pledges_suggestion_change", args=[suggestion.pk]), data)


def test_review_queue_lists_pending_with_excerpt_and_snapshot_link(
    client: Any, editor: User, django_assert_max_num_queries: Any
) -> None:
    pending = SuggestionFactory.create_batch(200)
    done = SuggestionFactory(state="dismissed", dismiss_reason="old news")
    client.force_login(editor)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("admin:pledges_suggestion_changelist"))
    page = response.content.decode()
    assert response.context["cl"].result_count == 200
    assert "Jack Ma said the promise of one million jobs" in page
    assert reverse("admin:pledges_snapshot_change", args=[pending[0].snapshot_id]) in page
    everything = client.get(reverse("admin:pledges_suggestion_changelist") + "?state=all")
    assert everything.context["cl"].result_count == 201
    assert done.pk not in [s.pk for s in response.context["cl"].result_list]


def test_review_accept_records_status_update_with_evidence_as_the_editor(
    client: Any, editor: User, django_assert_max_num_queries: Any
) -> None:
    suggestion = SuggestionFactory()
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        form = client.get(reverse("admin:pledges_suggestion_change", args=[suggestion.pk]))
    assert form.status_code == 200

    response = _review(
        client, suggestion, decision="accept", status="withdrawn", status_reason="trade_policy"
    )

    assert response.status_code == 302
    suggestion.refresh_from_db()
    update = StatusUpdate.objects.get(pledge=suggestion.pledge)
    assert (suggestion.state, suggestion.reviewed_by, suggestion.status_update) == (
        "accepted",
        editor,
        update,
    )
    assert (update.status, update.recorded_by, update.reason) == (
        "withdrawn",
        editor,
        "trade_policy",
    )
    assert update.established_on == dt.date(2018, 9, 20)  # when the snapshot saw it
    assert list(update.evidence.all()) == [suggestion.source]
    assert "can no longer be kept" in update.explanation
    link = PledgeSource.objects.get(pledge=suggestion.pledge, source=suggestion.source)
    assert (link.role, link.quote) == ("evidence", suggestion.sentence)
    suggestion.pledge.refresh_from_db()
    assert suggestion.pledge.status == "withdrawn"
    entry = suggestion.history.first()
    assert (entry.history_user, entry.history_change_reason) == (editor, "accepted as withdrawn")
    assert update.history.earliest().history_user == editor
    assert suggestion.pledge.history.first().history_user == editor
    history = client.get(reverse("admin:pledges_suggestion_history", args=[suggestion.pk]))
    assert "accepted as withdrawn" in history.content.decode()
    again = _review(client, suggestion, decision="dismiss", reason="changed my mind")
    assert again.status_code == 403  # a decision is final


def test_review_dismiss_needs_and_records_a_reason(client: Any, editor: User) -> None:
    suggestion = SuggestionFactory()
    client.force_login(editor)

    refused = _review(client, suggestion, decision="dismiss", reason="  ")
    assert refused.status_code == 200
    assert "Say why the suggestion is dismissed." in refused.content.decode()

    response = _review(
        client, suggestion, decision="dismiss", reason="The article is about Amazon."
    )

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.dismiss_reason, suggestion.reviewed_by) == (
        "dismissed",
        "The article is about Amazon.",
        editor,
    )
    assert not StatusUpdate.objects.exists()
    entry = suggestion.history.first()
    assert entry.history_user == editor
    assert entry.history_change_reason == "dismissed: The article is about Amazon."
    history = client.get(reverse("admin:pledges_suggestion_history", args=[suggestion.pk]))
    assert "The article is about Amazon." in history.content.decode()


def test_review_accept_refuses_a_date_before_the_announcement(client: Any, editor: User) -> None:
    suggestion = SuggestionFactory()
    client.force_login(editor)
    response = _review(
        client, suggestion, decision="accept", status="broken", established_on="2016-01-01"
    )
    assert response.status_code == 200
    assert "before the announcement" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_review_services_refuse_decided_suggestions(editor: User) -> None:
    suggestion = SuggestionFactory()
    suggestion_dismiss(suggestion=suggestion, user=editor, reason="duplicate")
    with pytest.raises(ValidationError, match="already Dismissed"):
        suggestion_accept(suggestion=suggestion, user=editor)
    with pytest.raises(ValidationError):
        suggestion_dismiss(suggestion=SuggestionFactory(), user=editor, reason="")


def test_review_accept_without_status_only_adds_evidence(editor: User) -> None:
    suggestion = SuggestionFactory(kind="new_evidence", proposed_status="")
    suggestion_accept(suggestion=suggestion, user=editor)
    assert not StatusUpdate.objects.exists()
    assert suggestion.pledge.pledge_sources.get().source == suggestion.source


def test_viewer_cannot_review(client: Any, editor: User) -> None:
    suggestion = SuggestionFactory()
    editor.groups.clear()
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Viewers"))
    client.force_login(editor)
    assert _review(client, suggestion, decision="dismiss", reason="no").status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.state == "pending"
