"""Reads of the follow-up reports: one function per section, each a fixed number of queries.

Every function takes `scope`, the published pledges the report is about (filters applied), as
an unevaluated queryset the database uses as a sub-select, and returns `(count, rows)`: the
true number of items and at most `limit` rows of plain JSON-ready dicts. Counts come from
`COUNT(*) OVER ()` on the row query itself, so a section is one query plus, for sections with
nested lists, one per list (never one per row).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import NoReverseMatch, reverse

from pledges import selectors_ledger
from pledges.models import (
    FINAL_STATUSES,
    CheckOutcome,
    LinkHealth,
    Pledge,
    PledgeSource,
    Snapshot,
    Source,
    SourceCheck,
    Status,
    StatusUpdate,
    Suggestion,
    SuggestionState,
)

Rows = tuple[int, list[dict[str, Any]]]
TEXT_CAP = 500  # characters of free text (explanations, sentences) kept in a report row
PLEDGES_PER_SOURCE = 20

_PLEDGE_COLUMNS = ("ref", "title", "slug", "company__name", "status", "jobs_promised", "deadline")


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _cap(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= TEXT_CAP else text[: TEXT_CAP - 1] + "…"


def pledge_path(slug: str) -> str:
    return reverse("pledges:pledge-detail", kwargs={"slug": slug})


def _counted(queryset: QuerySet, limit: int) -> Rows:
    """Rows of a `.values()` queryset with the total count, in one query."""
    rows = list(queryset.annotate(_total=Window(Count("*")))[:limit])
    total = rows[0].pop("_total") if rows else 0
    for row in rows[1:]:
        row.pop("_total")
    return total, rows


def _pledge_row(row: dict[str, Any]) -> dict[str, Any]:
    """A pledge's identifying columns, JSON-ready, with the path of its page."""
    return {
        "ref": row["ref"],
        "title": row["title"],
        "company": row["company__name"],
        "url": pledge_path(row["slug"]),
        "status": row["status"],
        "jobs_promised": row["jobs_promised"],
        "deadline": _iso(row["deadline"]),
    }


def deadlines_passed(*, scope: QuerySet[Pledge], start: dt.date, end: dt.date, limit: int) -> Rows:
    """Pledges whose deadline fell on a day of [start, end) and that are not kept."""
    rows = (
        scope.filter(deadline__gte=start, deadline__lt=end)
        .exclude(status=Status.KEPT)
        .order_by("deadline", "ref")
        .values(*_PLEDGE_COLUMNS)
    )
    total, found = _counted(rows, limit)
    return total, [_pledge_row(row) for row in found]


def deadlines_upcoming(
    *, scope: QuerySet[Pledge], start: dt.date, until: dt.date, limit: int
) -> Rows:
    """Pledges due on a day of [start, until] that are not in a final status yet."""
    rows = (
        scope.filter(deadline__gte=start, deadline__lte=until)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("deadline", "ref")
        .values(*_PLEDGE_COLUMNS)
    )
    total, found = _counted(rows, limit)
    return total, [_pledge_row(row) for row in found]


def status_changes(
    *, scope: QuerySet[Pledge], start: dt.datetime, end: dt.datetime, limit: int
) -> Rows:
    """Status updates recorded in [start, end), oldest first, each with the status it replaced
    and its evidence. Three queries: updates, earlier history of those pledges, evidence."""
    updates = (
        StatusUpdate.objects.filter(pledge__in=scope, recorded_at__gte=start, recorded_at__lt=end)
        .order_by("recorded_at", "id")
        .values(
            "id",
            "pledge_id",
            "status",
            "established_on",
            "recorded_at",
            "explanation",
            *[f"pledge__{name}" for name in _PLEDGE_COLUMNS],
        )
    )
    total, found = _counted(updates, limit)
    if not found:
        return total, []
    ids = [row["id"] for row in found]
    previous: dict[int, str] = {}
    last_by_pledge: dict[int, str] = {}
    for update_id, pledge_id, status in (
        StatusUpdate.objects.filter(pledge_id__in={row["pledge_id"] for row in found})
        .order_by("pledge_id", "established_on", "id")
        .values_list("id", "pledge_id", "status")
    ):
        previous[update_id] = last_by_pledge.get(pledge_id, Status.ANNOUNCED)
        last_by_pledge[pledge_id] = status
    evidence: dict[int, list[dict[str, str]]] = defaultdict(list)
    for update_id, url, title, publisher in (
        StatusUpdate.evidence.through.objects.filter(statusupdate_id__in=ids)
        .order_by("statusupdate_id", "source__url")
        .values_list("statusupdate_id", "source__url", "source__title", "source__publisher")
    ):
        evidence[update_id].append({"url": url, "title": title, "publisher": publisher})
    result = []
    for row in found:
        pledge = _pledge_row({name: row[f"pledge__{name}"] for name in _PLEDGE_COLUMNS})
        pledge["status"] = row["status"]  # the status this update gave, not today's
        result.append(
            {
                **pledge,
                "previous_status": previous.get(row["id"], Status.ANNOUNCED),
                "established_on": _iso(row["established_on"]),
                "recorded_at": _iso(row["recorded_at"]),
                "explanation": _cap(row["explanation"]),
                "evidence": evidence[row["id"]],
            }
        )
    return total, result


def _suggestion_admin_path(pk: int) -> str | None:
    try:
        return reverse("admin:pledges_suggestion_change", args=[pk])
    except NoReverseMatch:  # the review queue is not in this admin
        return None


def pending_suggestions(
    *, scope: QuerySet[Pledge], company_id: int | None, pledge_filters: bool, limit: int
) -> Rows:
    """Suggestions waiting for review, oldest first. Suggestions about a company rather than a
    pledge (candidate sources) belong to a report filtered by nothing or by that company only."""
    about = Q(pledge__in=scope)
    if not pledge_filters:
        about |= Q(pledge__isnull=True, **({"company_id": company_id} if company_id else {}))
    rows = (
        Suggestion.objects.filter(about, state=SuggestionState.PENDING)
        .order_by("created_at", "id")
        .values(
            "id",
            "created_at",
            "kind",
            "proposed_status",
            "signal",
            "sentence",
            "candidate_url",
            "snapshot_id",
            "pledge__ref",
            "pledge__title",
            "pledge__slug",
            "source__url",
            company_name=Coalesce(F("pledge__company__name"), F("company__name")),
        )
    )
    total, found = _counted(rows, limit)
    has_admin = bool(found) and _suggestion_admin_path(found[0]["id"]) is not None
    return total, [
        {
            "id": row["id"],
            "created_at": _iso(row["created_at"]),
            "kind": row["kind"],
            "ref": row["pledge__ref"],
            "title": row["pledge__title"],
            "company": row["company_name"],
            "url": pledge_path(row["pledge__slug"]) if row["pledge__slug"] else None,
            "source_url": row["source__url"] or row["candidate_url"] or None,
            "proposed_status": row["proposed_status"],
            "signal": row["signal"],
            "sentence": _cap(row["sentence"]),
            "has_snapshot": row["snapshot_id"] is not None,
            "admin_url": _suggestion_admin_path(row["id"]) if has_admin else None,
        }
        for row in found
    ]


def source_troubles(
    *, scope: QuerySet[Pledge], start: dt.datetime, end: dt.datetime, limit: int
) -> Rows:
    """Sources of the scope's pledges that died (dead: repeated 404s; gone: 410 or the domain
    gone) or whose article changed, in [start, end): with the pledges they support and their
    latest archived copy. Two queries."""
    changes = SourceCheck.objects.filter(
        outcome=CheckOutcome.CHANGED, checked_at__gte=start, checked_at__lt=end
    )
    died = Q(
        health__in=[LinkHealth.DEAD, LinkHealth.GONE],
        health_since__gte=start,
        health_since__lt=end,
    )
    rows = (
        Source.objects.filter(died | Q(pk__in=changes.values("source_id")))
        # EXISTS, not IN: the few troubled sources are looked up in pledge_source by index,
        # instead of hashing every cited source of the scope.
        .filter(Exists(PledgeSource.objects.filter(source_id=OuterRef("pk"), pledge__in=scope)))
        .annotate(
            changed_count=Coalesce(
                Subquery(
                    changes.filter(source_id=OuterRef("pk"))
                    .order_by()
                    .values("source_id")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            ),
            last_changed_at=Subquery(
                changes.filter(source_id=OuterRef("pk"))
                .order_by("-checked_at")
                .values("checked_at")[:1]
            ),
            archived_at=Subquery(
                Snapshot.objects.filter(source_id=OuterRef("pk"))
                .order_by("-fetched_at")
                .values("fetched_at")[:1]
            ),
            has_died=Exists(Source.objects.filter(died, pk=OuterRef("pk"))),
        )
        .annotate(at=Coalesce("last_changed_at", "health_since"))
        .order_by("at", "id")
        .values(
            "id",
            "url",
            "title",
            "publisher",
            "health",
            "health_since",
            "moved_to",
            "changed_count",
            "last_changed_at",
            "archived_at",
            "has_died",
        )
    )
    total, found = _counted(rows, limit)
    supported: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for source_id, ref, title, slug in (
        PledgeSource.objects.filter(source_id__in=[row["id"] for row in found], pledge__in=scope)
        .order_by("source_id", "pledge__ref")
        .values_list("source_id", "pledge__ref", "pledge__title", "pledge__slug")
    ):
        if len(supported[source_id]) < PLEDGES_PER_SOURCE:
            supported[source_id].append({"ref": ref, "title": title, "url": pledge_path(slug)})
    return total, [
        {
            "source_url": row["url"],
            "source_title": row["title"],
            "publisher": row["publisher"],
            "event": row["health"] if row["has_died"] else "changed",
            "health": row["health"],
            "since": _iso(row["health_since"] if row["has_died"] else row["last_changed_at"]),
            "changes": row["changed_count"],
            "moved_to": row["moved_to"],
            "has_archive": row["archived_at"] is not None,
            "archived_at": _iso(row["archived_at"]),
            "pledges": supported[row["id"]],
        }
        for row in found
    ]


def stale_pledges(*, scope: QuerySet[Pledge], before: dt.date, limit: int) -> Rows:
    """Pledges not in a final status whose latest evidence (the announcement, the latest
    status's date, the newest article cited) is older than `before`, stalest first."""
    rows = (
        scope.exclude(status__in=FINAL_STATUSES)
        .annotate(newest_article=Max("pledge_sources__source__published_on"))
        .annotate(
            last_evidence_on=Greatest(
                "announced_on",
                Coalesce("status_on", "announced_on"),
                Coalesce("newest_article", "announced_on"),
            )
        )
        .filter(last_evidence_on__lt=before)
        .order_by("last_evidence_on", "ref")
        .values(*_PLEDGE_COLUMNS, last_evidence=F("last_evidence_on"))
    )
    total, found = _counted(rows, limit)
    return total, [
        {**_pledge_row(row), "last_evidence_on": _iso(row["last_evidence"])} for row in found
    ]


def new_pledges(
    *, scope: QuerySet[Pledge], start: dt.datetime, end: dt.datetime, limit: int
) -> Rows:
    """Pledges added to the database in [start, end), oldest first."""
    rows = (
        scope.filter(created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "ref")
        .values(*_PLEDGE_COLUMNS, announced=F("announced_on"), added=F("created_at"))
    )
    total, found = _counted(rows, limit)
    return total, [
        {
            **_pledge_row(row),
            "announced_on": _iso(row["announced"]),
            "created_at": _iso(row["added"]),
        }
        for row in found
    ]


def totals_by_status(
    *, scope: QuerySet[Pledge]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Pledges and jobs by status, of the whole scope and of its nested pledges: those another
    pledge of the scope counts (`selectors_ledger.countable`: part of it, or an earlier version
    re-announced or superseded). Two queries."""
    pledges = scope.order_by()
    absorbed = selectors_ledger.absorbed_ids(pledges)
    sums: dict[str, Any] = {"n": Count("pk"), "jobs": Sum("jobs_promised")}
    if absorbed:
        nested = Q(pk__in=selectors_ledger.id_set(absorbed))
        sums["nested_n"] = Count("pk", filter=nested)
        sums["nested_jobs"] = Sum("jobs_promised", filter=nested)
    everything: dict[str, dict[str, int]] = {}
    inside: dict[str, dict[str, int]] = {}
    for row in pledges.values("status").annotate(**sums):
        everything[row["status"]] = {"pledges": row["n"], "jobs": row["jobs"] or 0}
        if row.get("nested_n"):
            inside[row["status"]] = {"pledges": row["nested_n"], "jobs": row["nested_jobs"] or 0}
    return everything, inside
