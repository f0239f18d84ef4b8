"""The Redis cache degrades while Redis is away: misses and dropped writes, never an error.

Fast, in-process checks against a port where nothing answers; tests/test_faults.py stops a
real Redis under the production web server.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from pledges.api.throttling import AnonWindowThrottle
from tests.support.servers import free_port
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_away(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_cache_without_redis_misses_and_drops_writes(redis_away) -> None:  # type: ignore[no-untyped-def]
    cache.set("k", 1)
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is False
    assert cache.get_many(["k", "l"]) == {}
    assert cache.delete("k") is False
    assert cache.has_key("k") is False
    cache.set_many({"k": 1})
    cache.delete_many(["k"])
    with pytest.raises(ValueError):
        cache.incr("k")


def test_pages_and_api_answer_without_redis(client, redis_away, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(AnonWindowThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    pledge = make_pledge(locations=("US-WI",))
    for path in ("/", "/pledges/", f"/pledges/{pledge.slug}/", "/pledges/?status=announced"):
        assert client.get(path).status_code == 200, path
    api = APIClient()
    # The rate limit cannot count without Redis: it lets requests through rather than fail.
    codes = [api.get("/api/v1/pledges/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert api.get("/api/v1/pledges/summary/").status_code == 200
