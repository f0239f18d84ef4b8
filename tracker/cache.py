"""The Redis cache, degrading instead of failing while Redis is away.

Everything the cache holds can be computed again (page fragments, totals, rate-limit counts),
so an unreachable Redis must cost speed, never a page: reads miss, writes are dropped, and a
rate-limit counter reads as new (the limit is not enforced until Redis is back). Each failure
is logged, at most once a minute per process.
"""

from __future__ import annotations

import atexit
import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
LOG_EVERY = 60.0  # seconds between two warnings of one process


class _DegradingClient(RedisCacheClient):
    _last_warning = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        # Let them go while the interpreter still works: redis.Redis.__del__ at shutdown
        # fails noisily once the os module is gone.
        atexit.register(self._clients.clear)

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django builds a new redis.Redis for every operation, whose table of response
        # callbacks alone costs more than the round trip; one per connection pool serves
        # them all (redis.Redis is thread-safe).
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - _DegradingClient._last_warning >= LOG_EVERY:
            _DegradingClient._last_warning = now
            log.warning("cache unavailable (%s: %s); serving without it", operation, exc)

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return super().add(key, value, timeout)
        except RedisError as exc:
            self._failed("add", exc)
            return False

    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except RedisError as exc:
            self._failed("get", exc)
            return default

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except RedisError as exc:
            self._failed("set", exc)

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return super().touch(key, timeout)
        except RedisError as exc:
            self._failed("touch", exc)
            return False

    def delete(self, key: Any) -> bool:
        try:
            return super().delete(key)
        except RedisError as exc:
            self._failed("delete", exc)
            return False

    def get_many(self, keys: Any) -> dict[Any, Any]:
        try:
            return super().get_many(keys)
        except RedisError as exc:
            self._failed("get_many", exc)
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return super().has_key(key)
        except RedisError as exc:
            self._failed("has_key", exc)
            return False

    def incr(self, key: Any, delta: int) -> Any:
        try:
            return super().incr(key, delta)
        except RedisError as exc:
            self._failed("incr", exc)
            # As if the key were missing: what Django's incr says then.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def set_many(self, data: Any, timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except RedisError as exc:
            self._failed("set_many", exc)

    def delete_many(self, keys: Any) -> None:
        try:
            super().delete_many(keys)
        except RedisError as exc:
            self._failed("delete_many", exc)

    def clear(self) -> bool:
        try:
            return super().clear()
        except RedisError as exc:
            self._failed("clear", exc)
            return False


class DegradingRedisCache(RedisCache):
    """Django's RedisCache whose operations survive Redis being down (see module doc)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _DegradingClient

    def count_hit(self, key: str, timeout: int) -> int:
        """Add one to the counter `key` (created with this timeout, in seconds, if missing)
        and return it, in one round trip: a rate limit's cost on every API request. While
        Redis is away every hit reads as the first."""
        key = self.make_and_validate_key(key)
        client = self._cache
        try:
            pipe = client.get_client(key, write=True).pipeline(transaction=False)
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
            return int(pipe.execute()[1])
        except RedisError as exc:
            client._failed("count_hit", exc)
            return 1
