"""The per-host politeness gate, on Redis and in-process: the caller's interval counts from the
last actual start, even when a longer interval (a Crawl-delay) is learnt after it."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from pledges.services.politeness import Limits, _Backend, _LocalBackend, _RedisBackend


def _backends() -> list[_Backend]:
    backends: list[_Backend] = [_LocalBackend()]
    if settings.REDIS_URL:
        backends.append(_RedisBackend(settings.REDIS_URL))
    return backends


@pytest.mark.parametrize("store", _backends(), ids=lambda b: type(b).__name__)
def test_politeness_longer_interval_counts_from_last_start(store: _Backend) -> None:
    host = f"polite-{uuid.uuid4().hex}.example"
    short, long = Limits(interval=1.0, concurrency=1, lease=30), Limits(2.0, 1, 30)
    assert store.start(host, short, "robots") == 0.0
    store.release(host, "robots")
    wait = store.start(host, long, "article")
    # robots.txt started a moment ago; the Crawl-delay of 2 s must count from it, not 1 s.
    assert 1.5 < wait <= 2.0


@pytest.mark.parametrize("store", _backends(), ids=lambda b: type(b).__name__)
def test_politeness_concurrency_limit_holds(store: _Backend) -> None:
    host = f"polite-{uuid.uuid4().hex}.example"
    limits = Limits(interval=0.0, concurrency=1, lease=30)
    assert store.start(host, limits, "a") == 0.0
    assert store.start(host, limits, "b") > 0.0
    store.release(host, "a")
    assert store.start(host, limits, "b") == 0.0
