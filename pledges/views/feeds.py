"""Atom feeds of new pledges and of status changes, site-wide and per company.

Links are absolute on SITE_URL, the public address. Entry summaries are Atom `type="html"`,
so their text is HTML-escaped here: a feed reader shows `<script>` in a title or explanation
as text, never as markup.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from pledges import selectors
from pledges.models import Company, Pledge, StatusUpdate
from pledges.wording import jobs_phrase


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Pledge Tracker"
    # URL names of the site-wide feed and of a company's (which takes the slug).
    url_name = ""
    company_url_name = ""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Company | None:
        return get_object_or_404(Company, slug=slug) if slug else None

    def feed_url(self, obj: Company | None) -> str:
        if obj is None:
            return _absolute(reverse(self.url_name))
        return _absolute(reverse(self.company_url_name, kwargs={"slug": obj.slug}))

    def feed_guid(self, obj: Company | None) -> str:
        return self.feed_url(obj)

    def link(self, obj: Company | None) -> str:
        return _absolute(obj.get_absolute_url() if obj else reverse("pledges:pledge-list"))


class NewPledgesFeed(_AtomFeed):
    url_name = "pledges:feed-pledges"
    company_url_name = "pledges:company-feed-pledges"

    def title(self, obj: Company | None) -> str:
        return (
            f"New pledges of {obj.name} · Pledge Tracker" if obj else "New pledges · Pledge Tracker"
        )

    def subtitle(self, obj: Company | None) -> str:
        return "Job pledges as they are added to the database, newest first."

    def items(self, obj: Company | None) -> list[Pledge]:
        return selectors.feed_pledges(company=obj)

    def item_title(self, item: Pledge) -> str:
        return f"{item.company.name}: {item.title}"

    def item_description(self, item: Pledge) -> str:
        text = f"{item.company.name} promised {jobs_phrase(item)} on {item.announced_on:%Y-%m-%d}."
        if item.summary:
            text += f" {item.summary}"
        return escape(text)

    def item_link(self, item: Pledge) -> str:
        return _absolute(item.get_absolute_url())

    def item_pubdate(self, item: Pledge) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Pledge) -> dt.datetime:
        return item.updated_at


class StatusChangesFeed(_AtomFeed):
    url_name = "pledges:feed-status"
    company_url_name = "pledges:company-feed-status"

    def title(self, obj: Company | None) -> str:
        if obj:
            return f"Status changes of {obj.name}'s pledges · Pledge Tracker"
        return "Status changes · Pledge Tracker"

    def subtitle(self, obj: Company | None) -> str:
        return "What became of job pledges, each change with its evidence, newest first."

    def items(self, obj: Company | None) -> list[StatusUpdate]:
        return selectors.feed_status_changes(company=obj)

    def item_title(self, item: StatusUpdate) -> str:
        return f"{item.get_status_display()}: {item.pledge.company.name}, {item.pledge.title}"

    def item_description(self, item: StatusUpdate) -> str:
        text = f"Since {item.established_on:%Y-%m-%d}: {item.get_status_display()}."
        if item.explanation:
            text += f" {item.explanation}"
        return escape(text)

    def item_link(self, item: StatusUpdate) -> str:
        return _absolute(f"{item.pledge.get_absolute_url()}#update-{item.pk}")

    def item_pubdate(self, item: StatusUpdate) -> dt.datetime:
        return item.recorded_at

    def item_updateddate(self, item: StatusUpdate) -> dt.datetime:
        return item.recorded_at
