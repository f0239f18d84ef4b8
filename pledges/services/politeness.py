"""Politeness across every worker and process: one host, one request at a time, a gap between
request starts, robots.txt obeyed.

The host key is the registrable domain (`fetch.registrable_domain`), so www.example.com and
news.example.com share one budget. Celery's `rate_limit` is per worker, so the state lives in
Redis and is changed only by atomic Lua scripts that read Redis' own clock (no skew between
machines). Without Redis (the embedded demo) a process-local table gives the same rules for the
one worker process there is.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from pledges.fetch import FetchConfig, FetchOutcome, RobotsRules, fetch, parse_robots, robots_url

KEY_PREFIX = "pt:polite"
ROBOTS_TTL = 24 * 3600  # seconds a robots.txt is trusted
ROBOTS_ERROR_TTL = 600  # an unreachable robots.txt is retried sooner
POLL = 0.05  # seconds between two tries for a busy host
# Added to every interval: the grant is taken a moment before the request reaches the server
# (a busy interpreter can delay that by a tenth of a second or more), and the server's clock
# is the one that counts.
START_MARGIN = 0.25

# Two steps, so waiting workers queue in order instead of racing for each opening:
# RESERVE books the next free start time (KEYS: horizon; ARGV: interval ms, max wait ms) and
# returns ms to wait for it, or -ms when that is beyond the caller's max wait (nothing booked).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
if at - now > tonumber(ARGV[2]) then return -(at - now) end
redis.call('SET', KEYS[1], at + tonumber(ARGV[1]), 'PX', at - now + tonumber(ARGV[1]) + 60000)
return at - now
"""
# START (KEYS: next-start, in-flight set, horizon, last start; ARGV: interval ms, concurrency,
# lease ms, token) takes a slot when the CALLER's interval since the last actual start has
# passed (a longer Crawl-delay learnt after the previous request must count from that request),
# no back-off holds the host, and fewer than `concurrency` requests are in flight: 0, else ms
# to wait (-1: at the concurrency limit).
_START = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local wait = tonumber(redis.call('GET', KEYS[1]) or '0') - now
local last = tonumber(redis.call('GET', KEYS[4]) or '-1')
if last >= 0 then wait = math.max(wait, tonumber(ARGV[1]) - (now - last)) end
if wait > 0 then return wait end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
redis.call('SET', KEYS[4], now, 'PX', tonumber(ARGV[1]) + 3600000)
redis.call('SET', KEYS[1], now + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + 60000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) + 60000)
local horizon = tonumber(redis.call('GET', KEYS[3]) or '0')
if horizon < now + tonumber(ARGV[1]) then
  redis.call('SET', KEYS[3], now + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + 60000)
end
return 0
"""
# KEYS: next-start, horizon. ARGV: ms from now. Pushes both later, never earlier.
_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local want = now + tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local cur = tonumber(redis.call('GET', key) or '0')
  if want > cur then redis.call('SET', key, want, 'PX', tonumber(ARGV[1]) + 60000) end
end
return 0
"""


class HostBusy(Exception):
    """The host's turn is further away than the caller wants to wait: re-queue the work."""

    def __init__(self, host: str, wait: float) -> None:
        super().__init__(f"{host} is busy for another {wait:.1f}s")
        self.host, self.wait = host, wait


@dataclass(frozen=True)
class Limits:
    interval: float  # seconds between request starts
    concurrency: int
    lease: float  # seconds after which a crashed holder's slot is freed


class _Backend:
    def reserve(self, host: str, limits: Limits, max_wait: float) -> float:
        """Book the host's next free start: seconds to wait for it, or -seconds when that is
        more than ``max_wait`` away (nothing booked)."""
        raise NotImplementedError

    def start(self, host: str, limits: Limits, token: str) -> float:
        """Take a slot now: 0.0, else seconds to wait before trying again."""
        raise NotImplementedError

    def release(self, host: str, token: str) -> None:
        raise NotImplementedError

    def defer(self, host: str, seconds: float) -> None:
        raise NotImplementedError

    def get(self, key: str) -> str | None:
        raise NotImplementedError

    def set(self, key: str, value: str, ttl: int, *, only_new: bool = False) -> bool:
        raise NotImplementedError


def _keys(host: str) -> tuple[str, str, str, str]:
    return (
        f"{KEY_PREFIX}:{host}:next",
        f"{KEY_PREFIX}:{host}:busy",
        f"{KEY_PREFIX}:{host}:booked",
        f"{KEY_PREFIX}:{host}:last",
    )


class _RedisBackend(_Backend):
    def __init__(self, url: str) -> None:
        import redis  # imported here: the embedded demo runs without Redis

        self.client = redis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)
        self._reserve = self.client.register_script(_RESERVE)
        self._start = self.client.register_script(_START)
        self._defer = self.client.register_script(_DEFER)

    def reserve(self, host: str, limits: Limits, max_wait: float) -> float:
        args = [int(limits.interval * 1000), int(max_wait * 1000)]
        return int(self._reserve(keys=[_keys(host)[2]], args=args)) / 1000

    def start(self, host: str, limits: Limits, token: str) -> float:
        args = [int(limits.interval * 1000), limits.concurrency, int(limits.lease * 1000), token]
        wait = int(self._start(keys=list(_keys(host)), args=args))
        return POLL if wait < 0 else wait / 1000

    def release(self, host: str, token: str) -> None:
        self.client.zrem(_keys(host)[1], token)

    def defer(self, host: str, seconds: float) -> None:
        next_key, _, booked, _ = _keys(host)
        self._defer(keys=[next_key, booked], args=[int(seconds * 1000)])

    def get(self, key: str) -> str | None:
        value = self.client.get(key)
        return value.decode("utf-8") if value is not None else None

    def set(self, key: str, value: str, ttl: int, *, only_new: bool = False) -> bool:
        return bool(self.client.set(key, value, ex=ttl, nx=only_new))


class _LocalBackend(_Backend):
    """One process's table; the same rules as the Lua scripts, under a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.booked: dict[str, float] = {}
        self.busy: dict[str, dict[str, float]] = {}
        self.values: dict[str, tuple[str, float]] = {}

    def reserve(self, host: str, limits: Limits, max_wait: float) -> float:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.booked.get(host, 0.0))
            if at - now > max_wait:
                return -(at - now)
            self.booked[host] = at + limits.interval
            return at - now

    def start(self, host: str, limits: Limits, token: str) -> float:
        with self.lock:
            now = time.monotonic()
            busy = {t: end for t, end in self.busy.get(host, {}).items() if end > now}
            wait = max(
                self.next.get(host, 0.0) - now,
                limits.interval - (now - self.last.get(host, float("-inf"))),
            )
            if wait > 0:
                return wait
            if len(busy) >= limits.concurrency:
                return POLL
            self.last[host] = now
            self.next[host] = now + limits.interval
            self.booked[host] = max(self.booked.get(host, 0.0), now + limits.interval)
            busy[token] = now + limits.lease
            self.busy[host] = busy
            return 0.0

    def release(self, host: str, token: str) -> None:
        with self.lock:
            self.busy.get(host, {}).pop(token, None)

    def defer(self, host: str, seconds: float) -> None:
        with self.lock:
            until = time.monotonic() + seconds
            self.next[host] = max(self.next.get(host, 0.0), until)
            self.booked[host] = max(self.booked.get(host, 0.0), until)

    def get(self, key: str) -> str | None:
        with self.lock:
            value, expires = self.values.get(key, ("", 0.0))
            return value if expires > time.monotonic() else None

    def set(self, key: str, value: str, ttl: int, *, only_new: bool = False) -> bool:
        with self.lock:
            now = time.monotonic()
            if only_new and self.values.get(key, ("", 0.0))[1] > now:
                return False
            self.values[key] = (value, now + ttl)
            return True


@functools.cache
def _backend_for(redis_url: str) -> _Backend:
    return _RedisBackend(redis_url) if redis_url else _LocalBackend()


def backend() -> _Backend:
    return _backend_for(settings.REDIS_URL or "")


def default_limits(*, crawl_delay: float | None = None) -> Limits:
    """The operator's limits; a robots.txt Crawl-delay can only make the interval longer."""
    interval = max(settings.FETCH_PER_HOST_INTERVAL, crawl_delay or 0.0)
    if interval > 0:
        interval += START_MARGIN
    return Limits(interval, settings.FETCH_PER_HOST_CONCURRENCY, settings.FETCH_DEADLINE + 10)


@contextmanager
def host_slot(
    host: str,
    *,
    limits: Limits,
    max_wait: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold one of ``host``'s request slots for the ``with`` block, which must start exactly one
    request. Waits for the host's turn; raises HostBusy when that is more than ``max_wait``
    seconds away (so a worker is not parked for long), without taking the slot."""
    store, token = backend(), uuid.uuid4().hex
    booked = store.reserve(host, limits, max_wait)
    if booked < 0:
        raise HostBusy(host, -booked)
    if booked > 0:
        sleep(booked)
    # The booked time is normally free; a long request in flight (or a Retry-After) can still
    # hold the host, and then we wait for it, up to max_wait more plus one fetch.
    give_up = time.monotonic() + max_wait + limits.lease
    poll = POLL
    while (wait := store.start(host, limits, token)) > 0:
        if time.monotonic() + wait > give_up:
            raise HostBusy(host, wait)
        sleep(wait if wait > POLL else poll)
        poll = min(poll * 2, 1.0) if wait <= POLL else POLL
    try:
        yield
    finally:
        store.release(host, token)


def back_off(host: str, seconds: float) -> None:
    """No request to ``host`` starts for ``seconds`` (a Retry-After, a 429, a 503)."""
    if seconds > 0:
        backend().defer(host, seconds)


# --------------------------------------------------------------------------------- robots.txt


@functools.lru_cache(maxsize=2048)
def _parsed(body: bytes, user_agent: str) -> RobotsRules:
    return parse_robots(body, user_agent)


def robots_for(
    url: str,
    *,
    config: FetchConfig,
    host: str,
    max_wait: float,
    fetcher: Callable[..., object] = fetch,
) -> RobotsRules:
    """The robots.txt rules for ``url``'s site, cached in Redis for a day (shared by workers).
    The robots.txt request itself goes through ``host``'s slot. A missing robots.txt (4xx) allows
    everything; one that cannot be read (5xx, timeout) allows everything for ten minutes only."""
    key, store = f"{KEY_PREFIX}:robots:{robots_url(url)}", backend()
    deadline = time.monotonic() + max_wait + config.deadline
    while (cached := store.get(key)) is None:
        if store.set(f"{key}:lock", "1", int(config.deadline) + 30, only_new=True):
            break
        if time.monotonic() > deadline:  # the fetching worker died: fetch it ourselves
            break
        time.sleep(0.1)
    if cached is None:
        robots_config = FetchConfig(
            allow_networks=config.allow_networks,
            deadline=min(config.deadline, 10.0),
            max_bytes=500 * 1024,
            max_redirects=config.max_redirects,
            user_agent=config.user_agent,
            allowed_content_types=frozenset(
                {"text/plain", "text/html", "application/octet-stream"}
            ),
        )
        with host_slot(host, limits=default_limits(), max_wait=max_wait):
            result = fetcher(robots_url(url), config=robots_config)
        status = getattr(result, "http_status", None) or 0
        outcome = getattr(result, "outcome", None)
        if outcome is FetchOutcome.OK and 200 <= status < 300:
            body, ttl = bytes(getattr(result, "body", b"")), ROBOTS_TTL
        elif 400 <= status < 500:
            body, ttl = b"", ROBOTS_TTL
        else:
            body, ttl = b"", ROBOTS_ERROR_TTL
        cached = json.dumps({"body": body.decode("utf-8", "replace")})
        store.set(key, cached, ttl)
    return _parsed(json.loads(cached)["body"].encode("utf-8"), config.user_agent)


def host_waits(hosts: list[str]) -> dict[str, float] | None:
    """Seconds until each host's next request may start (0.0 when it may start now), read from
    the shared state in one Redis round trip: more than the interval means the host is backed
    off (Retry-After, 429/503, Crawl-delay) or has requests queued. None without Redis (the
    embedded demo keeps the state in each process) or when Redis does not answer."""
    store = backend()
    if not isinstance(store, _RedisBackend):
        return None
    import redis

    pipe = store.client.pipeline(transaction=False)
    pipe.time()
    for host in hosts:
        next_key, _, booked, _ = _keys(host)
        pipe.mget([next_key, booked])
    try:
        (seconds, micros), *values = pipe.execute()
    except redis.RedisError:
        return None
    now = seconds * 1000 + micros // 1000
    waits = {}
    for host, pair in zip(hosts, values, strict=True):
        horizon = max(int(v) for v in [*filter(None, pair), b"0"])
        waits[host] = max(0, horizon - now) / 1000
    return waits
