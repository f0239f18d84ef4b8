"""An editor's first minute, in a real browser: log in, add a company, then a pledge with one
source given by URL alone (its title read from a local test page) and a status update, save,
and find the pledge on its public page. Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections

from pledges.models import Pledge
from tests.support.httpserver import Response, serve

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the Editors group comes from a data migration.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARTICLE = """<!doctype html><html><head>
<meta property="og:title" content="Jack Ma: Alibaba will create 1 million US jobs">
<meta property="og:site_name" content="Test Gazette">
<meta property="article:published_time" content="2017-01-09T16:00:00Z">
</head><body><p>Jack Ma met the President-elect.</p></body></html>"""


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Any:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # around it are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        yield page
        browser.close()
        # ORM calls made while Playwright's loop runs get connections of their own context.
        connections.close_all()


def _choose_autocomplete(page: Any, field: str, text: str) -> None:
    """Pick `text` in the admin's select2 autocomplete for `field`."""
    page.click(f"span[aria-labelledby='select2-id_{field}-container']")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_editor_adds_pledge_with_source_by_url_in_browser(
    live_server: Any, browser_page: Any, editor: User, settings: Any
) -> None:
    settings.FETCH_ALLOW_NETWORKS = ["127.0.1.0/24"]
    settings.FETCH_DEADLINE = 10.0
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    admin = live_server.url + "/admin/"

    page.goto(admin)
    assert "/admin/login/" in page.url
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(admin)

    page.goto(admin + "pledges/company/add/")
    page.fill("#id_name", "Alibaba Group")
    page.fill("#id_country", "CN")
    assert page.input_value("#id_slug") == "alibaba-group"  # prepopulated as typed
    page.click("input[name=_save]")
    page.wait_for_url(admin + "pledges/company/")

    with serve({"/jack-ma": lambda request: Response(body=ARTICLE)}) as base:
        page.goto(admin + "pledges/pledge/add/")
        _choose_autocomplete(page, "company", "Alibaba Group")
        page.fill("#id_title", "Alibaba promises 1 million US jobs")
        page.fill("#id_ref", "alibaba-2017-01")
        page.fill("#id_announced_on", "2017-01-09")
        page.fill("#id_jobs_promised", "1000000")
        page.select_option("#id_jobs_kind", "indirect")
        page.fill("#id_pledge_sources-0-url", base + "/jack-ma")
        page.press("#id_pledge_sources-0-url", "Tab")  # the change event fetches the page
        title = page.locator("#id_pledge_sources-0-title")
        page.wait_for_function("el => el.value !== ''", arg=title.element_handle(), timeout=15_000)
        assert title.input_value() == "Jack Ma: Alibaba will create 1 million US jobs"
        assert page.input_value("#id_pledge_sources-0-publisher") == "Test Gazette"
        assert page.input_value("#id_pledge_sources-0-published_on") == "2017-01-09"
        page.select_option("#id_pledge_sources-0-role", "announcement")
        page.select_option("#id_status_updates-0-status", "withdrawn")
        page.fill("#id_status_updates-0-established_on", "2018-09-19")
        page.select_option("#id_status_updates-0-reason", "trade_policy")  # required: withdrawn
        page.fill("#id_status_updates-0-explanation", "Jack Ma said it could not be kept.")
        page.screenshot(path=str(ARTIFACTS / "admin-pledge-change-form.png"), full_page=True)
        page.click("input[name=_save]")
        page.wait_for_url(admin + "pledges/pledge/")

    assert page.locator(".messagelist .success").count() == 1
    page.screenshot(path=str(ARTIFACTS / "admin-pledge-changelist.png"), full_page=True)
    pledge = Pledge.objects.get(ref="alibaba-2017-01")
    assert pledge.status == "withdrawn"
    assert pledge.status_updates.get().reason == "trade_policy"
    assert pledge.pledge_sources.get().source.title.startswith("Jack Ma: Alibaba")

    page.goto(live_server.url + pledge.get_absolute_url())
    assert "Alibaba promises 1 million US jobs" in page.content()
    assert "Jack Ma: Alibaba will create 1 million US jobs" in page.content()
