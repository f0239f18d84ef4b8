"""What newsrooms embed: a status badge (SVG) and a small page to show in an iframe."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as format_date
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from pledges import charts, selectors
from pledges.models import Status

# A badge may be a few minutes behind a status change; newsroom pages load it often.
BADGE_MAX_AGE = 600
# Value box colours: white 11px text on each has a contrast of at least 4.5:1.
BADGE_COLORS = {
    Status.KEPT: "#1a7f37",
    Status.PARTIALLY_KEPT: "#7d4e00",
    Status.IN_PROGRESS: "#0969da",
    Status.STALLED: "#953800",
    Status.BROKEN: "#cf222e",
    Status.WITHDRAWN: "#a40e26",
    Status.SUPERSEDED: "#57606a",
    Status.UNVERIFIABLE: "#6639ba",
}
DEFAULT_BADGE_COLOR = "#57606a"


@cache_control(public=True, max_age=BADGE_MAX_AGE)
def pledge_badge(request: HttpRequest, slug: str) -> HttpResponse:
    """An SVG badge: "jobs pledge | Withdrawn 19 Sep 2018". Text is escaped by the template."""
    pledge = selectors.pledge_badge(slug)
    value = pledge.get_status_display()
    if pledge.status_on:
        value = f"{value} {format_date(pledge.status_on, 'j M Y')}"
    layout = charts.badge("jobs pledge", value)
    return render(
        request,
        "pledges/badge.svg",
        {
            "pledge": pledge,
            "badge": layout,
            "color": BADGE_COLORS.get(pledge.status, DEFAULT_BADGE_COLOR),
        },
        content_type="image/svg+xml; charset=utf-8",
    )


# The one page other sites may frame: no X-Frame-Options, and CSP frame-ancestors any site.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cache_control(public=True, max_age=BADGE_MAX_AGE)
def pledge_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """A small card with the pledge's promise and current status, for an iframe."""
    pledge = selectors.pledge_badge(slug)
    return render(request, "pledges/embed.html", {"pledge": pledge})
