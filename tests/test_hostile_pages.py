"""Hostile articles, end to end: a re-check fetches a page full of scripts, event handlers,
`javascript:` links, a huge or deeply nested DOM or broken encodings from a real local server;
the check ends in one of the contract's words, and whatever the page's words became (snapshot
title and text, suggestion sentences, checks) is inert wherever it is shown: public pages, the
admin, the API, the reports and their CSV.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from pledges.models import CheckOutcome, Snapshot, SourceCheck, Suggestion
from pledges.services import checks
from pledges.services.reports import report_create
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory, SourceFactory
from tests.support.httpserver import Response, serve

pytestmark = pytest.mark.django_db

HOSTILE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>&lt;script&gt;alert('title')&lt;/script&gt; Acme Motors scraps plant</title>
<script>alert('head')</script><meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<base href="javascript:alert('base')//"><link rel="stylesheet" href="javascript:alert('css')">
</head><body onload="alert('body')"><main><article>
<h1 onmouseover="alert('h1')">&lt;script&gt;alert('h1')&lt;/script&gt;Acme Motors scraps its
Lordstown plant &lt;img src=x onerror=alert('h1img')&gt;</h1>
<p>Acme Motors has scrapped the plan for the Lordstown battery plant, the company said on
Friday. <img src=x onerror="alert('img')"> <a href="javascript:alert('link')">Read more</a></p>
<p>&lt;img src=x onerror=alert('entity')&gt; The 1,500 jobs promised in 2017 will not come,
officials confirmed, and the site &lt;/textarea&gt;&lt;script&gt;alert('x')&lt;/script&gt; is
for sale.</p>
<svg onload="alert('svg')"><script>alert('svg script')</script></svg>
<iframe src="javascript:alert('frame')"></iframe><object data="javascript:alert('obj')"></object>
<p style="background:url(javascript:alert('style'))">State officials said the incentive package
of about $90 million in tax credits would be withdrawn as the hiring targets were not met.</p>
<form action="javascript:alert('form')"><input onfocus="alert('input')" autofocus></form>
<a href="  JaVaScRiPt:alert('spaced')">Comment</a>
<a href="data:text/html,<script>alert(1)</script>">x</a>
</article></main></body></html>"""


def _huge_dom() -> bytes:
    paragraph = "<div class='c'><span>Acme Motors has scrapped the plan.</span></div>"
    return (HOSTILE.replace("</article>", paragraph * 3_000 + "</article>")).encode()


def _deep_nesting() -> bytes:
    return HOSTILE.replace(
        "</article>",
        "<div>" * 50_000 + "Acme Motors scrapped it." + "</div>" * 50_000 + "</article>",
    ).encode()


BODIES = {
    "scripts-handlers-links": (HOSTILE.encode(), "text/html; charset=utf-8"),
    "huge-dom": (_huge_dom(), "text/html; charset=utf-8"),
    "deep-nesting": (_deep_nesting(), "text/html; charset=utf-8"),
    "invalid-utf8": (HOSTILE.encode().replace(b"Friday", b"Fr\xff\xfe\xc3day"), "text/html"),
    "unknown-charset": (HOSTILE.encode(), "text/html; charset=x-evil-1"),
    "utf16-declared-utf8": (HOSTILE.encode("utf-16-le"), "text/html; charset=utf-8"),
    "nul-bytes": (HOSTILE.encode().replace(b"Acme", b"Ac\x00me"), "text/html; charset=utf-8"),
    "binary-as-html": (bytes(range(256)) * 200, "text/html"),
    "overlong-title": (
        HOSTILE.replace("Acme Motors scraps plant", "<script>" * 5000).encode(),
        "text/html; charset=utf-8",
    ),
}


@pytest.fixture(autouse=True)
def _fast_polite(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.FETCH_PER_HOST_INTERVAL = 0
    settings.FETCH_DEADLINE = 20
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_COMPANY_MATCH = "cited"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def assert_inert(page: str, where: str) -> None:
    """No script from the article can run: no inline script, handler or javascript: URL."""
    tree = lxml_html.fromstring(page)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, element.tag, name, value)
            if name.lower() in ("href", "src", "action", "data", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), (
                    where,
                    element.tag,
                    value,
                )
        if element.tag == "script":
            kind = element.get("type", "")
            assert element.get("src") or kind in ("application/ld+json", "application/json"), (
                where,
                lxml_html.tostring(element)[:200],
            )
            assert "alert(" not in (element.text or ""), where
        assert element.tag not in ("iframe", "object", "embed", "base"), (where, element.tag)


@pytest.mark.parametrize("name", list(BODIES))
def test_hostile_article_is_checked_and_shown_inert_everywhere(
    name: str, client, admin_user
) -> None:  # type: ignore[no-untyped-def]
    body, content_type = BODIES[name]

    def article(request):  # type: ignore[no-untyped-def]
        return Response(body=body, content_type=content_type)

    company = CompanyFactory(name="Acme Motors", slug="acme-motors")
    pledge = PledgeFactory(company=company, slug="acme-lordstown", announced_on=dt.date(2017, 1, 1))
    with serve({"/a/1.html": article}) as base:
        link = PledgeSourceFactory(
            pledge=pledge, source=SourceFactory(url=base + "/a/1.html"), role="follow_up"
        )
        check = checks.check_source(source_id=link.source_id)
    assert check is not None and check.outcome in CheckOutcome.values
    assert SourceCheck.objects.filter(source=link.source).count() == 1

    client.force_login(admin_user)
    report = report_create(
        frequency="weekly",
        period_start=timezone.now() - dt.timedelta(days=7),
        period_end=timezone.now() + dt.timedelta(minutes=1),
    )
    pages = [
        "/",
        f"/pledges/{pledge.slug}/",
        f"/sources/{link.source_id}/archive/",
        "/admin/pledges/suggestion/",
        f"/admin/pledges/source/{link.source_id}/change/",
        "/admin/pledges/sourcecheck/",
        f"/admin/pledges/sourcecheck/{check.pk}/change/",
        f"/reports/{report.pk}/",
    ]
    snapshot = Snapshot.objects.filter(source=link.source).first()
    if snapshot:
        pages += ["/admin/pledges/snapshot/", f"/admin/pledges/snapshot/{snapshot.pk}/change/"]
    for suggestion in Suggestion.objects.filter(source=link.source):
        pages.append(f"/admin/pledges/suggestion/{suggestion.pk}/change/")
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_inert(response.content.decode(), path)
    if Suggestion.objects.filter(source=link.source).exists():
        # The article's markup is there, as text an editor can read.
        queue = client.get("/admin/pledges/suggestion/").content.decode()
        assert "<script>alert('h1')</script>" in lxml_html.fromstring(queue).text_content()
    api = client.get(f"/api/v1/sources/{link.source_id}/")
    assert api["Content-Type"] == "application/json"
    json.loads(api.content)
    section = client.get(f"/reports/{report.pk}/suggestions.csv")
    assert section.status_code == 200
    for line in section.content.decode().splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@")), line


def test_hostile_deflate_bomb_is_cut_at_the_cap() -> None:
    """The gzip bombs are in test_fetch.py; a raw and a zlib deflate bomb end the same way."""
    from pledges.fetch import FetchConfig, FetchOutcome, fetch

    config = FetchConfig(
        allow_networks=FetchConfig.parse_networks("127.0.1.0/24"), deadline=5, max_bytes=100_000
    )
    compressor = zlib.compressobj(9)
    bomb = b"".join(compressor.compress(b"\0" * 1_000_000) for _ in range(50)) + compressor.flush()
    for body in (bomb, bomb[2:-4]):  # zlib-wrapped, and raw deflate as some servers send
        response = Response(body=body, headers={"Content-Encoding": "deflate"})
        with serve({"/": lambda request, r=response: r}) as base:
            result = fetch(base + "/", config=config)
        assert result.outcome == FetchOutcome.TOO_LARGE and result.body == b""
