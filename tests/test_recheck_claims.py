"""Claims of a re-check run when a task comes back: a retry or a delivery again after its
worker died takes its own claim over; a duplicate of a task in progress does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pledges.models import Source
from pledges.services import checks
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_claim_resumed_task_takes_over_its_runs_claim_but_not_anothers() -> None:
    source = SourceFactory()
    run = checks.start_run(kind="selected", source_ids=[source.pk])
    other = checks.start_run(kind="selected", source_ids=[source.pk])
    now = timezone.now()
    assert checks.claim(source_id=source.pk, run_id=run.pk, now=now)
    # A duplicate message of the same run, while the first is in progress: not ours.
    assert not checks.claim(source_id=source.pk, run_id=run.pk, now=now)
    # The first attempt died (killed worker, database error): its retry carries on.
    assert checks.claim(source_id=source.pk, run_id=run.pk, now=now, resumed=True)
    # Another run's fresh claim is respected even by a resumed task.
    assert not checks.claim(source_id=source.pk, run_id=other.pk, now=now, resumed=True)
    later = now + checks.CLAIM_STALE + dt.timedelta(seconds=1)
    assert checks.claim(source_id=source.pk, run_id=other.pk, now=later)
    assert Source.objects.get(pk=source.pk).claimed_by_id == other.pk
