"""Pledges and their status history: the rules every writer (admin, API, import) obeys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from pledges import selectors
from pledges.models import (
    STATUSES_NEEDING_EVIDENCE,
    STATUSES_NEEDING_REASON,
    Pledge,
    Source,
    Status,
    StatusUpdate,
)


def pledge_refresh_status(*, pledge: Pledge) -> Pledge:
    """Copy the latest status update onto the pledge (the denormalised current status)."""
    latest = StatusUpdate.objects.filter(pledge=pledge).order_by("-established_on", "-id").first()
    status, status_on = (
        (latest.status, latest.established_on)
        if latest
        else (
            Status.ANNOUNCED,
            None,
        )
    )
    if (pledge.status, pledge.status_on) != (status, status_on):
        pledge.status, pledge.status_on = status, status_on
        pledge.save(update_fields=["status", "status_on", "updated_at"])
    return pledge


def pledge_refresh_search_text(*, pledge: Pledge) -> None:
    aliases = list(pledge.company.aliases.values_list("name", flat=True))
    text = selectors.search_text(pledge.title, pledge.summary, pledge.company.name, aliases)
    if text != pledge.search_text:
        Pledge.objects.filter(pk=pledge.pk).update(search_text=text)
        pledge.search_text = text


@transaction.atomic
def status_update_record(
    *,
    pledge: Pledge,
    status: str,
    established_on: dt.date,
    explanation: str = "",
    evidence: Iterable[Source] = (),
    user: AbstractBaseUser | None = None,
    reason: str = "",
    require_reason: bool = True,
) -> StatusUpdate:
    """Append a status to a pledge's history and make the pledge's current status follow.

    A verdict (kept, partially kept, broken, withdrawn, superseded) needs at least one evidence
    source; stalled, broken, withdrawn and superseded need a reason code (`StatusReason`);
    a status cannot predate the announcement. `require_reason=False` is for writers whose
    input has no reason yet (the API's status write, until it takes one).
    """
    evidence = list(evidence)
    errors: dict[str, list[str]] = {}
    if status in STATUSES_NEEDING_EVIDENCE and not evidence:
        raise ValidationError(
            {
                "evidence": f"A pledge cannot be rated {status!r} without at least one evidence "
                "source."
            }
        )
    if status in STATUSES_NEEDING_REASON and not reason and require_reason:
        errors["reason"] = [f"Say why the pledge is {status.replace('_', ' ')}: choose a reason."]
    update = StatusUpdate(
        pledge=pledge,
        status=status,
        established_on=established_on,
        explanation=explanation,
        reason=reason,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        update.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    update.save()
    update.evidence.set(evidence)
    pledge_refresh_status(pledge=pledge)
    return update
