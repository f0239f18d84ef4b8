"""Fetching pages for editors: the fetcher's settings, and an article's title, publisher and date.

Everything fetched is hostile: the page goes through the safe fetcher (`pledges.fetch`), is
parsed by lxml without network access or entity expansion, and only short plain strings come
out (white space collapsed, cut to the model's column sizes). Callers render them escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree, html

from pledges.fetch import FetchConfig, FetchOutcome, fetch
from pledges.services.probe import fetch_config as probe_fetch_config

TITLE_MAX = 500  # Source.title
PUBLISHER_MAX = 200  # Source.publisher
HEAD_BYTES = 1_000_000  # the metadata lives in <head>; no need to parse a whole huge page

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title")
_PUBLISHER_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher")
_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publish-date",
    "publishdate",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "citation_publication_date",
    "parsely-pub-date",
    "sailthru.date",
)
_SPACES = re.compile(r"\s+")


def fetch_config_from_settings() -> FetchConfig:
    """The fetcher's limits as configured by the FETCH_* settings: the very configuration the
    re-check jobs use (defined once, in `services.probe`)."""
    return probe_fetch_config()


@dataclass(frozen=True)
class PageDetails:
    """What a page says about itself; `error` is set (and the rest may be blank) on failure."""

    title: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    final_url: str = ""
    error: str = ""


def _clean(text: str | None, limit: int) -> str:
    return _SPACES.sub(" ", text or "").strip()[:limit]


def _meta(tree: html.HtmlElement) -> dict[str, str]:
    """The page's <meta> values by lower-cased property/name/itemprop; the first one wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        value = element.get("content")
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _parse_date(value: str) -> dt.date | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        date = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return date if dt.date(1990, 1, 1) <= date <= dt.date.today() else None


def _published_on(tree: html.HtmlElement, meta: dict[str, str], url: str) -> dt.date | None:
    for key in _DATE_KEYS:
        if key in meta and (date := _parse_date(meta[key])):
            return date
    for element in tree.iter("time"):
        if element.get("datetime") and (date := _parse_date(element.get("datetime", ""))):
            return date
    try:  # htmldate's heuristics (a trafilatura dependency), on the tree we already have
        from htmldate import find_date

        found = find_date(tree, url=url, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # a heuristic must never break adding a source
        return None
    return _parse_date(found) if found else None


def _publisher_from_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def parse_page_details(body: bytes, *, url: str, charset: str | None = None) -> PageDetails:
    """Title, publisher (og:site_name, else the host) and published date of an HTML page."""
    try:
        parser = html.HTMLParser(
            encoding=charset or None,
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            huge_tree=False,
        )
    except LookupError:  # the server named a charset nobody knows: let lxml guess
        parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        tree = html.document_fromstring(body[:HEAD_BYTES], parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        return PageDetails(publisher=_publisher_from_host(url), final_url=url, error="not HTML")
    meta = _meta(tree)
    title = next((meta[k] for k in _TITLE_KEYS if meta.get(k, "").strip()), "")
    if not title:
        title_element = tree.find(".//title")
        title = title_element.text_content() if title_element is not None else ""
    publisher = next((meta[k] for k in _PUBLISHER_KEYS if meta.get(k, "").strip()), "")
    return PageDetails(
        title=_clean(title, TITLE_MAX),
        publisher=_clean(publisher, PUBLISHER_MAX) or _publisher_from_host(url),
        published_on=_published_on(tree, meta, url),
        final_url=url,
    )


def page_details(url: str, *, config: FetchConfig | None = None) -> PageDetails:
    """Fetch `url` with the safe fetcher and read its details; never raises for network or
    policy trouble (`error` says what went wrong)."""
    result = fetch(url, config=config or fetch_config_from_settings())
    if result.outcome is not FetchOutcome.OK:
        reason = result.error or result.outcome.value
        return PageDetails(
            publisher=_publisher_from_host(url),
            final_url=result.final_url,
            error=f"could not read the page ({result.outcome.value}): {reason}"[:300],
        )
    if result.content_type not in ("text/html", "application/xhtml+xml"):
        return PageDetails(
            publisher=_publisher_from_host(result.final_url),
            final_url=result.final_url,
            error=f"not an HTML page ({result.content_type})",
        )
    return parse_page_details(result.body, url=result.final_url, charset=result.charset)
