"""Rate limits for anonymous clients."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module through the settings
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AnonWindowThrottle(AnonRateThrottle):
    """AnonRateThrottle's rate and client identity, counted in fixed windows with one cache
    increment (one round trip to Redis) instead of DRF's list of timestamps, whose cost grows
    with the rate (a high limit such as the benchmark's would otherwise make every request
    slower)."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = time.time()
        window = int(self.now // self.duration)
        key = f"{key}:{window}"
        self.window_end = (window + 1) * self.duration
        return _count_hit(key, self.duration + 1) <= self.num_requests

    def wait(self) -> float | None:
        return max(0.0, self.window_end - self.now)


def _count_hit(key: str, timeout: int) -> int:
    """This request's number in the window `key`: one round trip on the Redis cache
    (`tracker.cache.DegradingRedisCache.count_hit`), add and incr on any other cache."""
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:
        return count_hit(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
