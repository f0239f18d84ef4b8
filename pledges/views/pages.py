"""The HTML pages: home, pledge list and its CSV, pledge, company, archived copy."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.generic import DetailView, ListView, TemplateView

from pledges import charts, selectors, selectors_asof, selectors_ledger
from pledges.models import (
    FINAL_STATUSES,
    JobsKind,
    Pledge,
    Status,
)
from pledges.params import PledgeParams, parse_pledge_params
from pledges.services.exports import csv_lines
from pledges.views.ledger import funnel_figures, pledge_as_of_response
from pledges.wording import promise_sentence

# More than this many companies and the list's company control becomes a text box with
# suggestions (a <select> of thousands of options helps nobody).
COMPANY_SELECT_LIMIT = 200
# How long a rendered list page is kept at most (the key changes with the data anyway).
LIST_CACHE_SECONDS = 120
HIDDEN_PARAMS = (
    "announced_after",
    "announced_before",
    "deadline_after",
    "deadline_before",
    "investment_min",
    "ref",
    "updated_since",
)
SORT_LABELS = {
    "-announced_on": "Newest first",
    "announced_on": "Oldest first",
    "-jobs_promised": "Most jobs first",
    "jobs_promised": "Fewest jobs first",
    "-investment_usd": "Largest investment first",
    "deadline": "Earliest deadline first",
    "-deadline": "Latest deadline first",
    "-updated_at": "Recently updated first",
    "company": "Company A-Z",
}


class KnownCountPaginator(Paginator):
    """A paginator told its count, which the page's totals query already gave."""

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


def feed_links(company_slug: str | None = None) -> list[tuple[str, str]]:
    """(title, URL) of the Atom feeds a page announces."""
    if company_slug:
        kwargs = {"slug": company_slug}
        return [
            ("New pledges of this company", reverse("pledges:company-feed-pledges", kwargs=kwargs)),
            (
                "Status changes of this company",
                reverse("pledges:company-feed-status", kwargs=kwargs),
            ),
        ]
    return [
        ("New pledges", reverse("pledges:feed-pledges")),
        ("Status changes", reverse("pledges:feed-status")),
    ]


class HomeView(TemplateView):
    template_name = "pledges/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        overview = selectors.pledge_overview()
        by_status = dict(overview["by_status"])
        kept = by_status.get(Status.KEPT, selectors.PledgeTotals())
        labels = dict(Status.choices)
        context.update(
            overview=overview,
            kept=kept,
            status_rows=[
                (status, labels[status], totals) for status, totals in overview["by_status"]
            ],
            status_chart=charts.horizontal_bars(
                [
                    (labels[status], totals.jobs or 0, f"bar-{status}")
                    for status, totals in overview["by_status"]
                ]
            ),
            year_chart=charts.columns(
                [(str(year), totals.jobs or 0, "bar-year") for year, totals in overview["by_year"]]
            ),
            latest_changes=selectors.latest_status_changes(),
            recently_due=selectors.recently_due(),
            feeds=feed_links(),
            funnel=funnel_figures(overview["funnel"]),
            deduplicated=selectors_ledger.DEDUPLICATION_NOTE,
        )
        return context


class PledgeListView(ListView):
    """Pledges filtered, searched and sorted by the API's parameters, 50 a page."""

    template_name = "pledges/pledge_list.html"
    context_object_name = "pledges"
    paginate_by = 50
    params: PledgeParams
    totals: selectors.PledgeTotals
    version: str

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The page is the same for every reader, so the HTML is kept per address and data
        # version: a pledge edit shows at once, and a repeated view costs one tiny query.
        self.version = selectors.pledges_version()
        digest = hashlib.sha256(f"{request.get_full_path()}|{self.version}".encode()).hexdigest()
        key = f"pages:list-html:{digest}"
        cached = cache.get(key)
        if cached is not None:
            status, content = cached
            return HttpResponse(content, status=status)
        self.params = parse_pledge_params(request.GET)
        response = super().get(request, *args, **kwargs)
        if self.params.errors:
            response.status_code = 400
        response.render()
        cache.set(key, (response.status_code, response.content), LIST_CACHE_SECONDS)
        return response

    def get_queryset(self) -> QuerySet[Pledge]:
        queryset, _errors = selectors.filter_pledges(selectors.pledge_list(), self.params)
        self.totals = selectors.pledge_totals_cached(queryset, version=self.version)
        return queryset

    def get_paginator(self, queryset: Any, per_page: int, **kwargs: Any) -> Paginator:
        return KnownCountPaginator(queryset, per_page, count=self.totals.pledges, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        companies = selectors.company_options(limit=COMPANY_SELECT_LIMIT + 1)
        query = self.request.GET.copy()
        query.pop("page", None)
        this_year = timezone.localdate().year
        context.update(
            params=self.params,
            errors=self.params.errors,
            totals=self.totals,
            statuses=Status.choices,
            jobs_kinds=JobsKind.choices,
            # The form keeps a year or sort order given in the address even if it lists no
            # such option, so submitting it again does not change them.
            years=sorted({*range(2010, this_year + 2), *filter(None, [self.params.year])})[::-1],
            sort_labels={
                **SORT_LABELS,
                self.params.ordering: SORT_LABELS.get(
                    self.params.ordering, f"By {self.params.ordering}"
                ),
            },
            companies=companies[:COMPANY_SELECT_LIMIT],
            company_select=len(companies) <= COMPANY_SELECT_LIMIT,
            query=query.urlencode(),
            # Parameters the form has no control for, kept when it is submitted again.
            hidden=[
                (name, value)
                for name in HIDDEN_PARAMS
                for value in self.request.GET.getlist(name)[:5]
            ],
            is_filtered=any(key not in ("page", "ordering") for key in self.request.GET),
            feeds=feed_links(),
        )
        return context


def pledge_list_csv(request: HttpRequest) -> HttpResponseBase:
    """The interchange CSV of exactly the pledges the list page shows for the same query (all
    pages), streamed; 400 with the reasons when a parameter is bad."""
    queryset, errors = selectors.filter_pledges(selectors.pledge_list(), request.GET)
    if errors:
        text = "".join(f"{name}: {message}\n" for name, message in errors.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        csv_lines(selectors.export_records(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="pledges.csv"'
    return response


class PledgeDetailView(DetailView):
    template_name = "pledges/pledge_detail.html"
    context_object_name = "pledge"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "as_of" in request.GET:
            pledge = selectors_asof.published_pledge(kwargs["slug"])
            return pledge_as_of_response(request, pledge, request.GET["as_of"])
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset: Any = None) -> Pledge:
        return selectors.pledge_detail(self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pledge: Pledge = self.object
        locations = [place.name for place in pledge.locations.all()]
        links = list(pledge.pledge_sources.all())
        snapshots = selectors.latest_snapshots([link.source_id for link in links])
        for link in links:
            link.snapshot = snapshots.get(link.source_id)
        updates = list(pledge.status_updates.all())
        checked = [link.source.last_checked_at for link in links if link.source.last_checked_at]
        sentence = promise_sentence(pledge, locations)
        permalink = f"{settings.SITE_URL}{pledge.get_absolute_url()}"
        context.update(
            sentence=sentence,
            links=links,
            updates=updates,
            current=updates[0] if updates and updates[0].status == pledge.status else None,
            last_checked=max(checked) if checked else None,
            permalink=permalink,
            ledger=selectors_ledger.pledge_ledger(pledge),
            deduplicated=selectors_ledger.DEDUPLICATION_NOTE,
            claim_review=_claim_review(pledge, sentence, permalink, links),
            embed_snippet=format_html(
                '<iframe src="{}" title="{}" width="420" height="180" loading="lazy"></iframe>',
                f"{settings.SITE_URL}{reverse('pledges:pledge-embed', args=[pledge.slug])}",
                f"{pledge.company.name}: {pledge.title}, status on Pledge Tracker",
            ),
            badge_url=f"{settings.SITE_URL}{reverse('pledges:pledge-badge', args=[pledge.slug])}",
            feeds=feed_links(pledge.company.slug),
        )
        return context


# schema.org ratings: 1 (false) to 5 (true); unrated statuses get only their words.
_RATINGS = {
    Status.KEPT: 5,
    Status.PARTIALLY_KEPT: 3,
    Status.SUPERSEDED: 2,
    Status.BROKEN: 1,
    Status.WITHDRAWN: 1,
}


def _claim_review(
    pledge: Pledge, sentence: str, permalink: str, links: list[Any]
) -> dict[str, Any]:
    """schema.org ClaimReview of the pledge's current status (what fact-checkers publish)."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": pledge.get_status_display()}
    if pledge.status in _RATINGS:
        rating.update(ratingValue=_RATINGS[pledge.status], bestRating=5, worstRating=1)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": permalink,
        "datePublished": (pledge.status_on or pledge.updated_at.date()).isoformat(),
        "author": {"@type": "Organization", "name": "Pledge Tracker", "url": settings.SITE_URL},
        "claimReviewed": sentence,
        "itemReviewed": {
            "@type": "Claim",
            "datePublished": pledge.announced_on.isoformat(),
            "author": {"@type": "Organization", "name": pledge.company.name},
            "appearance": [{"@type": "CreativeWork", "url": link.source.url} for link in links[:5]],
        },
        "reviewRating": rating,
        "isFinal": pledge.status in FINAL_STATUSES,
    }


class CompanyDetailView(ListView):
    template_name = "pledges/company_detail.html"
    context_object_name = "pledges"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Pledge]:
        self.company, pledges = selectors.company_detail(self.kwargs["slug"])
        absorbed = selectors_ledger.absorbed_ids(pledges)
        self.by_status = selectors.pledge_totals_by(pledges, "status", absorbed=absorbed)
        self.totals = selectors.pledge_totals(pledges, absorbed=absorbed)
        self.funnel = selectors_ledger.funnel(pledges, absorbed=absorbed)
        return pledges

    def get_paginator(self, queryset: Any, per_page: int, **kwargs: Any) -> Paginator:
        return KnownCountPaginator(queryset, per_page, count=self.totals.pledges, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        labels = dict(Status.choices)
        context.update(
            company=self.company,
            record=[
                (status, labels[status], self.by_status[status])
                for status in Status
                if status in self.by_status
            ],
            totals=self.totals,
            feeds=feed_links(self.company.slug),
            funnel=funnel_figures(self.funnel, urlencode({"company": self.company.slug})),
            deduplicated=selectors_ledger.DEDUPLICATION_NOTE,
        )
        return context


class SourceArchiveView(TemplateView):
    """The newest archived copy of a source: its extracted text, escaped, never its HTML."""

    template_name = "pledges/source_archive.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["source"], context["snapshot"] = selectors.source_archive(kwargs["pk"])
        return context
