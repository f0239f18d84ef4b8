"""The review queue: editors accept or dismiss what the re-check jobs suggested.

Nothing a job finds changes a pledge by itself. Accepting a suggestion records what it proposed
as the editor's own act: the article becomes evidence on the pledge and, when a status is
chosen, a status update through `status_update_record` (so every status rule applies).
Dismissing needs a reason. Both are saved with a change reason, so they show in the history.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pledges.models import (
    PledgeSource,
    Source,
    SourceRole,
    Suggestion,
    SuggestionState,
)
from pledges.services.pledges import status_update_record
from pledges.services.sources import source_get_or_create

QUOTE_MAX = 2000


def suggestion_default_date(*, suggestion: Suggestion) -> dt.date:
    """The day the suggested fact was seen: the snapshot's page date, its fetch date, or the
    day the suggestion was made."""
    snapshot = suggestion.snapshot
    if snapshot is not None:
        return snapshot.page_modified_on or timezone.localdate(snapshot.fetched_at)
    return timezone.localdate(suggestion.created_at) if suggestion.created_at else dt.date.today()


def _require_pending(suggestion: Suggestion) -> None:
    if suggestion.state != SuggestionState.PENDING:
        raise ValidationError(f"This suggestion was already {suggestion.get_state_display()}.")


def _evidence_source(suggestion: Suggestion) -> Source | None:
    if suggestion.source is not None:
        return suggestion.source
    if suggestion.candidate_url:
        source, _ = source_get_or_create(url=suggestion.candidate_url)
        return source
    return None


def _mark_reviewed(suggestion: Suggestion, *, user: AbstractBaseUser, reason: str) -> None:
    suggestion.reviewed_by = user
    suggestion.reviewed_at = timezone.now()
    suggestion._history_user = user  # type: ignore[attr-defined]
    suggestion._change_reason = reason  # type: ignore[attr-defined]
    suggestion.full_clean()
    suggestion.save()


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    user: AbstractBaseUser,
    status: str | None = None,
    established_on: dt.date | None = None,
    explanation: str = "",
    reason: str = "",
) -> Suggestion:
    """Accept a pending suggestion as `user`.

    The suggestion's article (its source, or its candidate URL made a source) is linked to the
    pledge as evidence, quoting the suggested sentence. `status` (default: the proposed one;
    "" for none) is recorded as a status update dated `established_on` (default: the day the
    snapshot saw it) with that article as evidence, and `reason` (a `StatusReason`, required
    for stalled, broken, withdrawn and superseded). Raises ValidationError for a suggestion
    that is not pending or has no pledge, and for anything the status rules refuse.
    """
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _require_pending(suggestion)
    pledge = suggestion.pledge
    if pledge is None:
        raise ValidationError("This suggestion names no pledge; add the source to one by hand.")
    status = suggestion.proposed_status if status is None else status
    source = _evidence_source(suggestion)
    if source is not None:
        link, created = PledgeSource.objects.get_or_create(
            pledge=pledge,
            source=source,
            defaults={
                "role": SourceRole.EVIDENCE,
                "quote": suggestion.sentence[:QUOTE_MAX],
                "position": pledge.pledge_sources.count(),
            },
        )
        if not created and not link.quote and suggestion.sentence:
            link.quote = suggestion.sentence[:QUOTE_MAX]
            link.save(update_fields=["quote"])
    if status:
        sentence = suggestion.sentence.strip()
        suggestion.status_update = status_update_record(
            pledge=pledge,
            status=status,
            established_on=established_on or suggestion_default_date(suggestion=suggestion),
            explanation=explanation.strip()
            or (f"The article says: “{sentence[:QUOTE_MAX]}”" if sentence else ""),
            evidence=[source] if source is not None else [],
            user=user,
            reason=reason,
        )
    suggestion.state = SuggestionState.ACCEPTED
    _mark_reviewed(
        suggestion,
        user=user,
        reason=f"accepted{f' as {status}' if status else ''}",
    )
    return suggestion


@transaction.atomic
def suggestion_dismiss(
    *, suggestion: Suggestion, user: AbstractBaseUser, reason: str
) -> Suggestion:
    """Dismiss a pending suggestion as `user`, saying why (required)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"dismiss_reason": "Say why the suggestion is dismissed."})
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _require_pending(suggestion)
    suggestion.state = SuggestionState.DISMISSED
    suggestion.dismiss_reason = reason
    _mark_reviewed(suggestion, user=user, reason=f"dismissed: {reason}"[:100])
    return suggestion
