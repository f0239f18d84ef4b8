"""One polite look at a URL: robots.txt, the host's turn, redirects hop by hop, retries.

The fetcher is asked for one hop at a time (``max_redirects=0``) so that every hop, on
whatever host it lands, waits for that host's turn like any other request; the wall-clock
deadline covers the network time of all hops together. No ORM here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from django.conf import settings

from pledges.fetch import FetchConfig, FetchOutcome, FetchResult, check_url, fetch
from pledges.fetch import registrable_domain as host_key
from pledges.services import politeness

DISALLOWED = "disallowed"  # not a fetcher outcome: robots.txt said no before any request
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Probe:
    url: str
    outcome: str  # a FetchOutcome value, or DISALLOWED
    result: FetchResult | None  # of the last request made
    final_url: str
    redirects: list[tuple[int, str, str]] = field(default_factory=list)
    error: str = ""
    elapsed: float = 0.0  # network seconds, politeness waits excluded
    requests: int = 0

    @property
    def http_status(self) -> int | None:
        return self.result.http_status if self.result else None


def fetch_config(**overrides: object) -> FetchConfig:
    """The operator's fetch settings (tracker/settings.py FETCH_*)."""
    config = FetchConfig(
        allow_networks=tuple(settings.FETCH_ALLOW_NETWORKS),
        deadline=settings.FETCH_DEADLINE,
        max_bytes=settings.FETCH_MAX_BYTES,
        max_redirects=settings.FETCH_MAX_REDIRECTS,
        user_agent=settings.FETCH_USER_AGENT,
    )
    return replace(config, **overrides) if overrides else config  # type: ignore[arg-type]


def probe(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    validator_url: str = "",
    config: FetchConfig | None = None,
    fetcher: Callable[..., FetchResult] = fetch,
    max_wait: float | None = None,
) -> Probe:
    """GET ``url`` politely and follow its redirects; validators are sent to ``validator_url``
    (the URL they came from). 429/5xx are retried ``RECHECK_RETRIES`` times after their
    Retry-After (which also holds back every other request to that host). Raises
    politeness.HostBusy when a host's turn is further away than ``max_wait``."""
    config = config or fetch_config()
    max_wait = settings.RECHECK_MAX_HOST_WAIT if max_wait is None else max_wait
    state = Probe(url=url, outcome=str(FetchOutcome.OK), result=None, final_url=url)
    attempts = 0
    while True:
        _follow(state, config, fetcher, max_wait, {"etag": etag, "lm": last_modified,
                                                   "for": validator_url or url})  # fmt: skip
        retry_after = state.result.retry_after if state.result else None
        retryable = state.outcome in (FetchOutcome.RATE_LIMITED, FetchOutcome.SERVER_ERROR)
        if not retryable or attempts >= settings.RECHECK_RETRIES:
            return state
        wait = retry_after if retry_after is not None else 2.0**attempts
        if wait > settings.RECHECK_MAX_RETRY_AFTER:
            return state
        attempts += 1
        state.redirects, state.final_url = [], url


def _follow(
    state: Probe,
    config: FetchConfig,
    fetcher: Callable[..., FetchResult],
    max_wait: float,
    validators: dict[str, str],
) -> None:
    current, seen = state.url, {state.url}
    hop_config = replace(config, max_redirects=0)
    while True:
        if reason := check_url(current, config):
            state.outcome, state.error, state.final_url = str(FetchOutcome.REFUSED), reason, current
            return
        host = host_key(urlsplit(current).hostname or "")
        rules = politeness.robots_for(current, config=config, host=host, max_wait=max_wait)
        if not rules.can_fetch(current):
            state.outcome, state.final_url = DISALLOWED, current
            state.error = "robots.txt disallows this path"
            return
        left = config.deadline - state.elapsed
        if left <= 0:
            state.outcome, state.error = str(FetchOutcome.TIMEOUT), "deadline passed in redirects"
            return
        send = current == validators["for"]
        limits = politeness.default_limits(crawl_delay=rules.crawl_delay)
        with politeness.host_slot(host, limits=limits, max_wait=max_wait):
            started = time.monotonic()
            result = fetcher(
                current,
                config=replace(hop_config, deadline=left),
                etag=validators["etag"] if send else None,
                last_modified=validators["lm"] if send else None,
            )
            state.elapsed += time.monotonic() - started
        state.requests += 1
        state.result, state.final_url = result, result.final_url
        if result.outcome in (FetchOutcome.RATE_LIMITED, FetchOutcome.SERVER_ERROR):
            # Hold back the whole host, not only this check: Retry-After is about the server.
            politeness.back_off(host, result.retry_after or limits.interval)
        hop = result.http_status in _REDIRECTS and len(result.redirects) == 1
        if not (hop and result.outcome is FetchOutcome.TOO_MANY_REDIRECTS):
            state.outcome, state.error = str(result.outcome), result.error
            return
        status, _, following = result.redirects[0]
        state.redirects.append((status, current, following))
        if following in seen:
            state.outcome, state.error = str(FetchOutcome.TOO_MANY_REDIRECTS), "redirect loop"
            return
        if len(state.redirects) > config.max_redirects:
            state.outcome = str(FetchOutcome.TOO_MANY_REDIRECTS)
            state.error = f"more than {config.max_redirects} redirects"
            return
        seen.add(following)
        current = following
