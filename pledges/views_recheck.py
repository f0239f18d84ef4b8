"""Staff-only page of the re-check jobs: per-host statistics and queue lag, at /recheck/.

Anonymous visitors are sent to the login page; signed-in users who are not staff get 403.
Everything comes from selectors (a fixed number of queries whatever the number of hosts) plus
one Redis round trip for each host's politeness state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.views.generic import TemplateView

from pledges import selectors
from pledges.services import politeness
from pledges.views_reports import StaffOnlyMixin

DEFAULT_HOURS = 24
MAX_HOURS = 24 * 90
MAX_HOSTS = 200


def window_hours(raw: str | None) -> int:
    """The ``hours`` parameter: a whole number of hours, clamped to 1..MAX_HOURS."""
    try:
        hours = int(raw or DEFAULT_HOURS)
    except ValueError:
        return DEFAULT_HOURS
    return min(max(hours, 1), MAX_HOURS)


class RecheckStatusView(StaffOnlyMixin, TemplateView):
    template_name = "pledges/recheck.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        hours = window_hours(self.request.GET.get("hours"))
        since = now - dt.timedelta(hours=hours)
        hosts = selectors.recheck_host_stats(since=since, limit=MAX_HOSTS)
        names = [row["host"] for row in hosts]
        outcomes = selectors.recheck_host_outcomes(since=since, hosts=names)
        waits = politeness.host_waits(names) if names else {}
        interval = politeness.default_limits().interval
        for row in hosts:
            row["outcomes"] = sorted(outcomes.get(row["host"], {}).items(), key=lambda kv: -kv[1])
            row["wait"] = None if waits is None else waits.get(row["host"], 0.0)
            row["held"] = row["wait"] is not None and row["wait"] > interval
        runs = selectors.recheck_recent_runs(limit=5)
        for run in runs:
            run.percent = round(100 * run.done / run.total) if run.total else 100
        context.update(
            hours=hours,
            hosts=hosts,
            host_limit=MAX_HOSTS,
            lag=selectors.recheck_queue_lag(now=now),
            runs=runs,
            interval=interval,
            concurrency=settings.FETCH_PER_HOST_CONCURRENCY,
            redis_state=waits is not None,
        )
        return context
