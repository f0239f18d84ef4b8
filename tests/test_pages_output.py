"""What the pages hand out: hostile text stays text (HTML, feeds, badge, JSON-LD), feeds are
Atom, the badge is SVG, and the Content-Security-Policy holds."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from lxml import etree, html

from pledges.models import Snapshot, Status, StatusUpdate
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings, request):  # type: ignore[no-untyped-def]
    # Page figures are cached; each test gets an empty cache of its own.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"
EVIL_EXCERPT = '<b>Bold</b> <img src=x onerror="alert(2)"> & </textarea>'


@pytest.fixture
def hostile():  # type: ignore[no-untyped-def]
    company = CompanyFactory(name=EVIL, slug="evil")
    pledge = PledgeFactory(
        company=company, slug="evil-pledge", title=EVIL, summary=EVIL_EXCERPT, made_to=EVIL
    )
    link = PledgeSourceFactory(pledge=pledge, quote=EVIL_EXCERPT)
    link.source.title = EVIL_EXCERPT
    link.source.publisher = EVIL
    link.source.save()
    update = StatusUpdate.objects.create(
        pledge=pledge, status=Status.BROKEN, established_on=dt.date(2018, 1, 1), explanation=EVIL
    )
    update.evidence.set([link.source])
    pledge.status, pledge.status_on = Status.BROKEN, dt.date(2018, 1, 1)
    pledge.save()
    Snapshot.objects.create(
        source=link.source,
        fetched_at=timezone.now(),
        final_url=link.source.url,
        sha256="a" * 64,
        title=EVIL,
        text=EVIL_EXCERPT,
    )
    return pledge


def _assert_text_only(body: str) -> None:
    assert "<script>alert(1)" not in body
    assert "<b>Bold</b>" not in body
    assert "<img src=x" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/pledges/",
        "/pledges/?search=alert",
        "/pledges/evil-pledge/",
        "/companies/evil/",
        "/pledges/evil-pledge/embed/",
        "/sources/{source}/archive/",
    ],
)
def test_hostile_text_renders_as_text_on_pages(client, hostile, path) -> None:  # type: ignore[no-untyped-def]
    source_id = hostile.pledge_sources.get().source_id
    response = client.get(path.format(source=source_id))
    assert response.status_code == 200
    body = response.content.decode()
    _assert_text_only(body)
    tree = html.fromstring(body)
    # The hostile strings arrive as text nodes, whole.
    assert EVIL in tree.text_content() or path == "/pledges/?search=alert"
    # The only script element is the JSON-LD data block.
    for script in tree.iter("script"):
        assert script.get("type") == "application/ld+json"


def test_json_ld_is_claim_review_that_parses_and_keeps_hostile_text_inert(client, hostile) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/pledges/evil-pledge/")
    body = response.content.decode()
    scripts = re.findall(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', body
    )
    assert len(scripts) == 1
    nonce, payload = scripts[0]
    assert "<" not in payload  # not even inside strings: \u003C
    data = json.loads(payload)
    assert data["@type"] == "ClaimReview"
    assert data["itemReviewed"]["author"]["name"] == EVIL
    assert data["reviewRating"]["alternateName"] == "Broken"
    assert data["reviewRating"]["ratingValue"] == 1
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def _atom(client, path: str):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def _assert_atom(feed) -> list:  # type: ignore[no-untyped-def]
    """RFC 4287's required structure; returns the entries."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
        dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)
    return entries


def test_feeds_are_atom_and_keep_hostile_text_as_text(client, hostile) -> None:  # type: ignore[no-untyped-def]
    other = PledgeFactory(title="Another company's pledge")
    pledges = _assert_atom(_atom(client, "/feeds/pledges/"))
    titles = [entry.findtext(f"{ATOM}title") for entry in pledges]
    assert f"{EVIL}: {EVIL}" in titles and any(other.title in t for t in titles)
    summary = pledges[titles.index(f"{EVIL}: {EVIL}")].find(f"{ATOM}summary")
    # type="html": once XML-decoded, the HTML must still be escaped.
    assert summary.get("type") == "html"
    assert "&lt;b&gt;Bold&lt;/b&gt;" in summary.text and "<b>" not in summary.text

    changes = _assert_atom(_atom(client, "/feeds/status-changes/"))
    assert changes[0].findtext(f"{ATOM}title") == f"Broken: {EVIL}, {EVIL}"
    assert "&lt;script&gt;" in changes[0].findtext(f"{ATOM}summary")

    company_feed = _assert_atom(_atom(client, "/companies/evil/feeds/pledges/"))
    assert [entry.findtext(f"{ATOM}title") for entry in company_feed] == [f"{EVIL}: {EVIL}"]
    _assert_atom(_atom(client, "/companies/evil/feeds/status-changes/"))
    assert client.get("/companies/nobody/feeds/pledges/").status_code == 404


def test_pages_announce_their_feeds(client, hostile) -> None:  # type: ignore[no-untyped-def]
    for path, feed in (
        ("/", "/feeds/status-changes/"),
        ("/pledges/", "/feeds/pledges/"),
        ("/pledges/evil-pledge/", "/companies/evil/feeds/status-changes/"),
        ("/companies/evil/", "/companies/evil/feeds/pledges/"),
    ):
        tree = html.fromstring(client.get(path).content)
        hrefs = tree.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
        assert feed in hrefs, path


def test_badge_is_valid_svg_with_escaped_text_and_cache_headers(client, hostile) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/pledges/evil-pledge/badge.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "max-age=600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    svg = etree.fromstring(response.content)
    assert svg.tag == f"{SVG}svg"
    assert svg.find(f"{SVG}script") is None
    assert svg.findtext(f"{SVG}title") == f"{EVIL}: {EVIL}: Broken 1 Jan 2018"
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts == ["jobs pledge", "Broken 1 Jan 2018"]
    assert int(svg.get("width")) > 100


def test_only_the_embed_may_be_framed(client, hostile) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/pledges/evil-pledge/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    embed = client.get("/pledges/evil-pledge/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    body = embed.content.decode()
    assert 'target="_blank" rel="noopener"' in body


def test_csp_is_strict_and_pages_load_nothing_from_elsewhere(client, hostile) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/pledges/", "/pledges/evil-pledge/", "/companies/evil/"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        tree = html.fromstring(response.content)
        for url in tree.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src"):
            assert url.startswith("/"), url
        assert not tree.xpath("//*[@style]"), "inline style attributes break style-src 'self'"
    snippet = html.fromstring(client.get("/pledges/evil-pledge/").content).get_element_by_id(
        "embed-code"
    )
    # The copy-paste snippet is one iframe whose title attribute holds the hostile name.
    iframe = html.fragment_fromstring(snippet.text_content())
    assert iframe.tag == "iframe" and iframe.get("title").startswith(EVIL)
