"""The public pages in a real browser (Debian's chromium through Playwright, headless), over
the demo data: screenshots at phone and desktop widths, no CSP violation or script error, and
axe-core finds no serious or critical accessibility violation.

Needs `apt-get install chromium` and axe-core from npm at a fixed path:
    npm install --prefix var/node axe-core@4.14.1 --no-save --no-audit --no-fund
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = {"phone": 390, "desktop": 1280}
HTML_PAGES = {
    "home": "/",
    "list-filtered": "/pledges/?status=broken,withdrawn,superseded&ordering=-jobs_promised",
    "pledge-alibaba": "/pledges/alibaba-2017-01/",
    "company-foxconn": "/companies/foxconn/",
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed at {AXE_JS} (see this module's docstring)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, settings):  # type: ignore[no-untyped-def]
    from pledges.services.demo import load_demo

    load_demo()
    settings.SITE_URL = live_server.url
    # Playwright's own event loop runs in this thread; the ORM is done with by then.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield live_server.url
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@contextlib.contextmanager
def _newsroom(body: str) -> Iterator[str]:
    """A one-page web server on another loopback port: a third-party page that frames us."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = f"<!doctype html><title>Newsroom</title>{body}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article"
    finally:
        server.shutdown()
        server.server_close()


def _axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    # evaluate() runs through the DevTools protocol, so the page's strict CSP (which rightly
    # refuses injected <script> elements) does not have to be loosened for the audit.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_pages_render_accessibly_at_phone_and_desktop_widths(demo_site, browser) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    problems: dict[str, list] = {}
    console: list[str] = []
    for width_name, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and console.append(message.text))
        page.on("pageerror", lambda error: console.append(str(error)))
        for name, path in HTML_PAGES.items():
            response = page.goto(demo_site + path)
            assert response is not None and response.status == 200, path
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width_name}.png"), full_page=True)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px"
            violations = _axe_violations(page)
            if violations:
                problems[f"{name}@{width}"] = violations
        assert console == [], console  # CSP refusals and script errors are console errors
        context.close()
    assert problems == {}


def test_pages_skip_link_and_keyboard_focus_work(demo_site, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo_site + "/pledges/alibaba-2017-01/")
    assert page.locator("h1").inner_text().startswith("Alibaba promises 1 million US jobs")
    assert "Withdrawn" in page.locator(".verdict").inner_text()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_feed_and_badge_open_in_the_browser(demo_site, browser) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    feed = page.goto(demo_site + "/feeds/status-changes/")
    assert feed is not None and feed.status == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "Withdrawn" in feed.text()
    page.screenshot(path=str(ARTIFACTS / "feed-status-changes-desktop.png"))
    badge = page.goto(demo_site + "/pledges/alibaba-2017-01/badge.svg")
    assert badge is not None and badge.status == 200
    assert page.evaluate("() => document.documentElement.namespaceURI") == (
        "http://www.w3.org/2000/svg"
    )
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 600})
        page.screenshot(path=str(ARTIFACTS / f"badge-{width_name}.png"))
    # The embed card is the page newsrooms frame: it renders inside an iframe of another
    # origin, here a made-up newsroom article served on another loopback port.
    with _newsroom(
        f'<iframe src="{demo_site}/pledges/alibaba-2017-01/embed/" title="card"></iframe>'
    ) as article:
        page.goto(article)
        frame = page.frame_locator("iframe")
        assert "Withdrawn" in frame.locator(".embed-card").inner_text()
