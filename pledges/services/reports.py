"""Follow-up reports: what needs a journalist's attention in a period, built and stored.

A report's data is plain JSON (stored on `Report.data`), so a stored report shows what was
true when it was generated, whatever changes later. Building it is a fixed number of queries
(about fifteen) whatever the number of pledges: see `pledges.selectors_reports`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from pledges import selectors
from pledges import selectors_reports as reads
from pledges.models import Company, Pledge, Status
from pledges.models_reports import PERIOD_LENGTH, Report, ReportFrequency, Subscription
from pledges.report_chart import ChartBar

DATA_VERSION = 1
ROW_LIMIT = 500  # rows kept per section; the count is always the true number

SECTIONS = {
    "deadlines_passed": "Deadlines passed, pledge not kept",
    "deadlines_upcoming": "Coming due",
    "status_changes": "Status changes",
    "suggestions": "Pending review suggestions",
    "sources": "Sources that died or changed",
    "stale": "Stale pledges",
    "new_pledges": "New pledges",
    "totals": "Totals",
}
NESTED_NOTE = (
    "Jobs are counted once: deduplicated along part of, re-announcement and supersession. A "
    "pledge that is part of another pledge in this set counts inside it; of a chain of "
    "re-announced or superseded versions only the latest in the set counts."
)


@dataclass(frozen=True)
class ReportFilters:
    """Which pledges a report is about; empty values mean any."""

    company_id: int | None = None
    location: str = ""
    status: str = ""

    @classmethod
    def of(cls, subscription: Subscription | None) -> ReportFilters:
        if subscription is None:
            return cls()
        return cls(subscription.company_id, subscription.location, subscription.status)

    @property
    def narrows_pledges(self) -> bool:
        """Whether a filter other than the company applies (company-level items drop out)."""
        return bool(self.location or self.status)

    def as_dict(self) -> dict[str, Any]:
        company = Company.objects.filter(pk=self.company_id).first() if self.company_id else None
        return {
            "company_id": self.company_id,
            "company": company.name if company else "",
            "location": self.location,
            "status": self.status,
        }


def report_period(
    *, frequency: str, now: dt.datetime, since: dt.date | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The 24 hours, 7 days or 30 days ending `now`; from local midnight of `since` instead
    when it is given."""
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        return start, now
    return now - PERIOD_LENGTH[ReportFrequency(frequency)], now


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def pledge_scope(filters: ReportFilters) -> QuerySet[Pledge]:
    """The published pledges a report with `filters` is about. Locations as on the public
    list: US-WI that place, US the country or any place in it, other text any place
    containing it."""
    scope = Pledge.objects.published()
    if filters.company_id:
        scope = scope.filter(company_id=filters.company_id)
    if filters.status:
        scope = scope.filter(status=filters.status)
    if filters.location.strip():
        scope = scope.filter(selectors.pledge_in_place(filters.location))
    return scope


def _section(key: str, found: tuple[int, list[dict[str, Any]]]) -> dict[str, Any]:
    count, rows = found
    return {"title": SECTIONS[key], "count": count, "rows": rows, "truncated": count > len(rows)}


def _totals(scope: QuerySet[Pledge]) -> dict[str, Any]:
    everything, nested = reads.totals_by_status(scope=scope)
    by_status = []
    for status in Status:
        if status not in everything:
            continue
        whole, inner = everything[status], nested.get(status, {})
        by_status.append(
            {
                "status": status.value,
                "label": status.label,
                "pledges": whole["pledges"],
                "nested": inner.get("pledges", 0),
                "jobs": whole["jobs"] - inner.get("jobs", 0),
            }
        )
    pledges = sum(row["pledges"] for row in by_status)
    nested_count = sum(row["nested"] for row in by_status)
    jobs = sum(row["jobs"] for row in by_status)
    kept = sum(row["jobs"] for row in by_status if row["status"] == Status.KEPT)
    return {
        "title": SECTIONS["totals"],
        "count": pledges,
        "pledges": pledges,
        "nested": nested_count,
        "counted": pledges - nested_count,
        "jobs_promised": jobs,
        "jobs_kept": kept,
        "kept_share": round(100 * kept / jobs, 1) if jobs else None,
        "rows": by_status,
        "truncated": False,
        "note": NESTED_NOTE,
    }


def build_report_data(
    *,
    period_start: dt.datetime,
    period_end: dt.datetime,
    filters: ReportFilters,
    limit: int = ROW_LIMIT,
) -> dict[str, Any]:
    """Every section of the report of [period_start, period_end) about the pledges `filters`
    select, as JSON-ready data. Deadlines and staleness count in local days
    (`TIME_ZONE`); everything else in exact times."""
    with transaction.atomic():
        _no_jit()
        return _build(
            period_start=period_start, period_end=period_end, filters=filters, limit=limit
        )


def _no_jit() -> None:
    # PostgreSQL's JIT compiles queries whose *estimated* cost is high; the correlated
    # sub-selects here are estimated at millions yet touch a few thousand rows, and compiling
    # them took 2.7 of 3 seconds at 100,000 pledges. Off for this transaction only.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _build(
    *, period_start: dt.datetime, period_end: dt.datetime, filters: ReportFilters, limit: int
) -> dict[str, Any]:
    scope = pledge_scope(filters)
    first_day = timezone.localdate(period_start)
    end_day = timezone.localdate(period_end)
    sections = {
        "deadlines_passed": _section(
            "deadlines_passed",
            reads.deadlines_passed(scope=scope, start=first_day, end=end_day, limit=limit),
        ),
        "deadlines_upcoming": _section(
            "deadlines_upcoming",
            reads.deadlines_upcoming(
                scope=scope,
                start=end_day,
                until=end_day + dt.timedelta(days=settings.REPORT_DUE_SOON_DAYS),
                limit=limit,
            ),
        ),
        "status_changes": _section(
            "status_changes",
            reads.status_changes(scope=scope, start=period_start, end=period_end, limit=limit),
        ),
        "suggestions": _section(
            "suggestions",
            reads.pending_suggestions(
                scope=scope,
                company_id=filters.company_id,
                pledge_filters=filters.narrows_pledges,
                limit=limit,
            ),
        ),
        "sources": _section(
            "sources",
            reads.source_troubles(scope=scope, start=period_start, end=period_end, limit=limit),
        ),
        "stale": _section(
            "stale",
            reads.stale_pledges(
                scope=scope,
                before=months_before(end_day, settings.REPORT_STALE_MONTHS),
                limit=limit,
            ),
        ),
        "new_pledges": _section(
            "new_pledges",
            reads.new_pledges(scope=scope, start=period_start, end=period_end, limit=limit),
        ),
        "totals": _totals(scope),
    }
    return {
        "version": DATA_VERSION,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "due_soon_days": settings.REPORT_DUE_SOON_DAYS,
        "stale_months": settings.REPORT_STALE_MONTHS,
        "filters": filters.as_dict(),
        "sections": sections,
    }


def report_counts(data: dict[str, Any]) -> dict[str, int]:
    return {key: section["count"] for key, section in data.get("sections", {}).items()}


def report_create(
    *,
    frequency: str,
    period_start: dt.datetime,
    period_end: dt.datetime,
    filters: ReportFilters | None = None,
) -> Report:
    """Build and store an on-demand report (not for delivery)."""
    filters = filters or ReportFilters()
    data = build_report_data(period_start=period_start, period_end=period_end, filters=filters)
    report = Report(
        frequency=frequency,
        period_start=period_start,
        period_end=period_end,
        generated_at=timezone.now(),
        filters=data["filters"],
        data=data,
        counts=report_counts(data),
    )
    report.save()  # machine-written; the database's constraints check it
    return report


def chart_bars(data: dict[str, Any]) -> tuple[str, list[ChartBar]]:
    """The totals chart's title and bars: all jobs promised, then jobs by status, kept
    highlighted (nested pledges counted once, as in the totals)."""
    totals = data["sections"]["totals"]
    share = totals.get("kept_share")
    title = f"Jobs promised: {totals['jobs_promised']:,}; in kept pledges: {totals['jobs_kept']:,}"
    if share is not None:
        title += f" ({share}%)"
    bars = [ChartBar("All pledges", totals["jobs_promised"], "total")]
    bars += [
        ChartBar(
            row["label"].split(" (")[0],  # "Announced (not yet rated)" → "Announced"
            row["jobs"],
            "highlight" if row["status"] == Status.KEPT else "plain",
        )
        for row in totals["rows"]
    ]
    return title, bars
