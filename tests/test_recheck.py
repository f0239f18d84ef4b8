"""Re-check jobs: extraction, evidence, politeness, classification, health, scheduling,
discovery, archive and the recheck command, against real local HTTP servers."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from pledges import selectors
from pledges.models import (
    CheckOutcome,
    CompanyAlias,
    LinkHealth,
    NewsFeed,
    Snapshot,
    Source,
    SourceCheck,
    SourceRole,
    Suggestion,
    SuggestionKind,
)
from pledges.services import (
    archive,
    checks,
    discovery,
    evidence,
    extraction,
    politeness,
    scheduling,
)
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory, SourceFactory
from tests.support.httpserver import Response, serve

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><header><a href="/">The Courier</a> <p class="ticker">posted {ago} minutes ago</p></header>
<div class="ad">Advertisement <span>ref {nonce}</span></div>
<main><article><h1>{title}</h1>
<p>Acme Motors said on Monday it would invest $2.1 billion in a new battery plant in Lordstown,
Ohio, creating 1,500 jobs over the next five years.</p>
<p>State officials said the incentive package was worth about $90 million in tax credits and
road improvements, tied to hiring targets that the company must meet each year.</p>
<p>Local leaders welcomed the news. The mayor said the plant would draw suppliers to the area
and would need new housing, training programmes and better transit.</p>
{extra}
</article></main><footer>© 2026 The Courier</footer></body></html>"""


def page(extra: str = "", *, title: str = "Acme pledges 1,500 jobs", ago: int = 5,
         nonce: str = "9f3ab27c11de40aa") -> str:  # fmt: skip
    return ARTICLE.format(title=title, extra=extra, ago=ago, nonce=nonce)


@pytest.fixture(autouse=True)
def _fast_polite(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.FETCH_PER_HOST_INTERVAL = 0
    settings.FETCH_DEADLINE = 5
    settings.MEDIA_ROOT = tmp_path
    settings.RECHECK_RETRIES = 1
    settings.RECHECK_MAX_RETRY_AFTER = 1
    settings.EVIDENCE_COMPANY_MATCH = "strict"


def test_extraction_fingerprint_ignores_ads_clocks_and_nonces() -> None:
    first = extraction.extract(page(ago=5, nonce="9f3ab27c11de40aa"))
    again = extraction.extract(page(ago=17, nonce="0c1d2e3f4a5b6c7d"))
    edited = extraction.extract(page("<p>Update: The company has scrapped the plan.</p>"))
    assert first.fingerprint == again.fingerprint
    assert edited.fingerprint != first.fingerprint
    assert edited.notes == ("Update: The company has scrapped the plan.",)


def test_extraction_sentence_diff_lists_added_and_removed_verbatim() -> None:
    added, removed = extraction.sentence_diff(
        "Acme will hire. Mr. Smith said so.", "Acme will hire. The plant opened in March."
    )
    assert added == ["The plant opened in March."]
    assert removed == ["Mr. Smith said so."]


def test_extraction_soft_404_and_parked_pages_are_recognised() -> None:
    missing = "<html><head><title>Page not found</title></head><body><h1>Sorry</h1></body></html>"
    parked = "<html><head><title>acme.example</title></head><body>This domain is for sale!</body>"
    assert extraction.extract(missing).soft_404
    assert extraction.extract(parked + "</html>").parked
    assert not extraction.extract(page()).soft_404
    assert extraction.is_home_page("http://x.example/", "http://x.example/a/1.html")
    assert not extraction.is_home_page("http://x.example/", "http://x.example/")


def test_extraction_decode_refuses_garbage_but_reads_legacy_charsets() -> None:
    assert extraction.decode_body("café".encode("cp1252"), "windows-1252") == "café"
    with pytest.raises(extraction.UndecodableBody):
        extraction.decode_body(b'<meta charset="utf-8">' + bytes(range(128, 256)) * 4, None)


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("The company has scrapped the plan.", "scrapped"),
        ("The project was abandoned last month.", "abandoned"),
        ("The plant has now hired 1,200 workers.", "hired"),
        ("Officials confirmed the factory opened in March.", "opened"),
        ("The expansion is on hold indefinitely.", "on hold"),
        ("Hiring was scaled back to a few hundred jobs.", "scaled back"),
        ("The company announced layoffs at the site.", "layoffs"),
        ("Acme withdrew the proposal on Friday.", "withdrawn"),
        ("The plant began production in May.", "opened"),
        ("The company has not abandoned the plan.", None),
        ("Officials denied reports that the factory was scrapped.", None),
        ("The plant has not cut any jobs.", None),
        ("The project could be cancelled next year.", None),
        ("The weather was fine.", None),
    ],
)
def test_evidence_find_signals_flags_fate_but_not_negation(
    sentence: str, signal: str | None
) -> None:
    found = evidence.find_signals([sentence])
    assert [f.signal for f in found] == ([signal] if signal else [])
    assert all(f.sentence == sentence for f in found)


def test_politeness_books_turns_and_refuses_far_waits() -> None:
    limits = politeness.Limits(interval=100.0, concurrency=1, lease=5.0)
    slept: list[float] = []
    host = f"polite-{uuid.uuid4().hex}.example"  # Redis keeps bookings between test runs
    with (
        politeness.host_slot(host, limits=limits, max_wait=1, sleep=slept.append),
        pytest.raises(politeness.HostBusy) as busy,
        politeness.host_slot(host, limits=limits, max_wait=1),
    ):
        pass  # pragma: no cover - never entered
    assert slept == [] and busy.value.wait > 90


def test_politeness_concurrency_limit_holds_second_request() -> None:
    limits = politeness.Limits(interval=0.0, concurrency=1, lease=5.0)
    store, host = politeness.backend(), f"polite-{uuid.uuid4().hex}.example"
    assert store.start(host, limits, "one") == 0
    assert store.start(host, limits, "two") > 0
    store.release(host, "one")
    assert store.start(host, limits, "two") == 0
    store.release(host, "two")


def _linked_source(
    url: str, *, company_name: str = "Acme Motors", role: str = SourceRole.FOLLOW_UP
):  # type: ignore[no-untyped-def]
    company = CompanyFactory(name=company_name)
    pledge = PledgeFactory(company=company)
    link = PledgeSourceFactory(pledge=pledge, source=SourceFactory(url=url), role=role)
    return link.source, pledge


@pytest.mark.django_db
def test_checks_ok_unchanged_changed_with_archive_and_evidence(tmp_path: Path) -> None:
    state = {"extra": "", "etag": '"v1"'}

    def article(req):  # type: ignore[no-untyped-def]
        if req.headers.get("if-none-match") == state["etag"]:
            return Response(304, b"", headers={"ETag": state["etag"]})
        return Response(body=page(state["extra"]), headers={"ETag": state["etag"]})

    with serve({"/a/1.html": article}) as base:
        source, pledge = _linked_source(base + "/a/1.html")
        first = checks.check_source(source_id=source.pk)
        second = checks.check_source(source_id=source.pk)
        state.update(extra="<p>Update: The company has scrapped the plan.</p>", etag='"v2"')
        third = checks.check_source(source_id=source.pk)
        conditional = [r.headers.get("if-none-match") for r in base.stats.requests[1:]]
    assert [first.outcome, second.outcome, third.outcome] == ["ok", "unchanged", "changed"]
    assert conditional == [None, '"v1"', '"v1"']  # robots.txt first, then the article
    source.refresh_from_db()
    assert source.health == LinkHealth.CHANGED and source.next_check_at > timezone.now()
    snaps = list(Snapshot.objects.filter(source=source).order_by("fetched_at"))
    assert len(snaps) == 2 and snaps[1].added_sentences == [
        "Update: The company has scrapped the plan."
    ]
    with open(tmp_path / snaps[1].warc_path, "rb") as fh:
        record = next(iter(ArchiveIterator(fh)))
        assert b"scrapped the plan" in record.content_stream().read()
    suggestion = Suggestion.objects.get(source=source)
    assert suggestion.pledge == pledge and suggestion.snapshot == snaps[1]
    assert suggestion.sentence == "Update: The company has scrapped the plan."  # verbatim
    assert suggestion.proposed_status == "withdrawn" and third.evidence == [suggestion.sentence]
    pledge.refresh_from_db()
    assert pledge.status == "announced"  # nothing changes without an editor


@pytest.mark.django_db
def test_evidence_needs_the_company_named_in_strict_mode(settings) -> None:  # type: ignore[no-untyped-def]
    bodies = iter([page(), page("<p>The company has scrapped the plan.</p>")])
    with serve({"/a/2.html": lambda req: Response(body=next(bodies))}) as base:
        source, pledge = _linked_source(base + "/a/2.html", company_name="Globex Corp")
        checks.check_source(source_id=source.pk)
        checks.check_source(source_id=source.pk)
    assert not Suggestion.objects.exists()
    CompanyAlias.objects.create(company=pledge.company, name="Acme Motors")
    settings.EVIDENCE_COMPANY_MATCH = "strict"
    snapshot = Snapshot.objects.filter(source=source).latest()
    found = evidence.propose(
        source=source,
        snapshot=snapshot,
        article_text=snapshot.text,
        sentences=["The company has scrapped the plan."],
        first_capture=False,
    )
    assert found == ["The company has scrapped the plan."]


def _to(location: str, status: int = 302):  # type: ignore[no-untyped-def]
    return lambda req: Response(status, headers={"Location": location})


def _say(status: int, body: str = "", **headers: str):  # type: ignore[no-untyped-def]
    return lambda req: Response(status, body, headers=headers)


def _article(req):  # type: ignore[no-untyped-def]
    return Response(body=page())


ROBOTS_NO_A = "User-agent: *\nDisallow: /a\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("routes", "outcome", "health"),
    [
        ({"/a": _to("/b", 301), "/b": _article}, "moved", "moved"),
        ({"/a": _to("/b"), "/b": _article}, "redirected", "alive"),
        ({"/a": _to("/"), "/": _article}, "soft_404", "suspect"),
        ({"/a": _say(200, "<title>Page not found</title><h1>404</h1>")}, "soft_404", "suspect"),
        ({"/a": _say(410, "gone")}, "gone", "gone"),
        ({"/a": _say(403, "<title>Just a moment...</title>")}, "blocked", "blocked"),
        ({"/a": _say(503, "busy", **{"Retry-After": "0"})}, "server_error", "suspect"),
        ({"/a": _to("http://127.0.0.1:9/x", 301)}, "refused", "suspect"),
        ({"/robots.txt": _say(200, ROBOTS_NO_A)}, "disallowed", "blocked"),
    ],
)
def test_checks_classify_outcomes_in_contract_words(routes, outcome: str, health: str) -> None:  # type: ignore[no-untyped-def]
    with serve(routes) as base:
        source, _ = _linked_source(base + "/a")
        check = checks.check_source(source_id=source.pk)
        paths = [r.path for r in base.stats.requests]
    assert check.outcome == outcome
    source.refresh_from_db()
    assert source.health == health
    if outcome == "moved":
        assert source.moved_to == base + "/b"
    if outcome == "server_error":
        assert paths.count("/a") == 2  # retried once (RECHECK_RETRIES=1)
    if outcome == "disallowed":
        assert "/a" not in paths


@pytest.mark.django_db
def test_health_dead_only_after_repeated_failures_spread_over_days(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINK_DEAD_AFTER_FAILURES, settings.LINK_DEAD_AFTER_DAYS = 3, 3
    with serve({"/a": lambda r: Response(404, "no")}) as base:
        source, _ = _linked_source(base + "/a")
        healths = []
        start = timezone.now()
        for days in (0, 0.1, 0.2, 2, 4):
            with time_machine.travel(start + dt.timedelta(days=days), tick=False):
                checks.check_source(source_id=source.pk)
            healths.append(Source.objects.get(pk=source.pk).health)
    assert healths == ["suspect", "suspect", "suspect", "suspect", "dead"]


@pytest.mark.django_db
def test_checks_claim_makes_a_run_check_each_source_once() -> None:
    with serve({"/a": lambda r: Response(body=page())}) as base:
        source, _ = _linked_source(base + "/a")
        run = checks.start_run(kind="selected", source_ids=[source.pk])
        assert checks.check_source(source_id=source.pk, run_id=run.pk) is not None
        assert checks.check_source(source_id=source.pk, run_id=run.pk) is None
    assert SourceCheck.objects.filter(run=run).count() == 1


@pytest.mark.django_db
def test_scheduling_claim_due_is_fair_across_hosts_and_leases(
    settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    settings.FETCH_PER_HOST_INTERVAL = 30  # two checks per host and minute
    past = timezone.now() - dt.timedelta(hours=1)
    big = [SourceFactory(url=f"https://big.example.com/{i}", next_check_at=past) for i in range(5)]
    small = SourceFactory(url="https://www.small.example.org/1", next_check_at=past)
    with django_assert_max_num_queries(4):
        ids = scheduling.claim_due(limit=10)
    assert ids == [big[0].pk, small.pk, big[1].pk]
    assert scheduling.claim_due(limit=10) == [big[2].pk, big[3].pk]
    assert Source.objects.get(pk=small.pk).next_check_at > timezone.now()


@pytest.mark.django_db
def test_scheduling_interval_adapts_to_age_change_and_deadline(settings) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    young = SourceFactory(published_on=now.date())
    old = SourceFactory(published_on=now.date() - dt.timedelta(days=2000))
    short = dt.timedelta(hours=settings.RECHECK_MIN_HOURS)
    assert scheduling.interval_for(source=young, outcome="unchanged", now=now) == short
    assert scheduling.interval_for(source=old, outcome="unchanged", now=now) > 20 * short
    assert scheduling.interval_for(source=old, outcome="changed", now=now) == short
    PledgeSourceFactory(
        source=old, pledge=PledgeFactory(deadline=now.date() + dt.timedelta(days=10))
    )
    assert scheduling.interval_for(source=old, outcome="unchanged", now=now) <= dt.timedelta(days=7)


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Biz</title>
<item><title>Acme Motors to add 300 jobs in Ohio</title>
<link>{base}/news/1?utm_source=rss</link></item>
<item><title>Weather turns cold</title><link>{base}/news/2</link></item>
</channel></rss>"""


@pytest.mark.django_db
def test_discovery_proposes_matching_articles_once_with_conditional_get() -> None:
    def feed(req):  # type: ignore[no-untyped-def]
        if req.headers.get("if-none-match") == '"f1"':
            return Response(304, b"", headers={"ETag": '"f1"'})
        return Response(body=FEED.format(base=base), headers={"ETag": '"f1"'},
                        content_type="application/rss+xml")  # fmt: skip

    with serve({"/feed.xml": feed}) as base:
        CompanyFactory(name="Acme Motors Inc.")
        news = NewsFeed.objects.create(url=base + "/feed.xml", name="Biz")
        assert discovery.poll_feed(feed=news) == 1
        news.refresh_from_db()
        assert discovery.poll_feed(feed=news) == 0  # 304
        NewsFeed.objects.filter(pk=news.pk).update(etag="")
        news.refresh_from_db()
        assert discovery.poll_feed(feed=news) == 0  # same URL: deduplicated
    candidate = Suggestion.objects.get(kind=SuggestionKind.CANDIDATE_SOURCE)
    assert candidate.candidate_url == base + "/news/1"
    assert candidate.sentence == "Acme Motors to add 300 jobs in Ohio"


@pytest.mark.django_db
def test_archive_wayback_submission_is_off_by_default_and_rate_limited(settings) -> None:  # type: ignore[no-untyped-def]
    assert archive.submit_to_wayback(url="https://example.org/a") == "disabled"
    with serve({"*": lambda r: Response(200, "saved")}) as fake:
        settings.WAYBACK_SUBMIT, settings.WAYBACK_ENDPOINT = True, fake + "/save/"
        settings.WAYBACK_INTERVAL = 0
        assert archive.submit_to_wayback(url="https://example.org/a") == "ok"
        assert fake.stats.requests[0].path == "/save/https:/example.org/a" or \
            fake.stats.requests[0].path.startswith("/save/")  # fmt: skip


@pytest.mark.django_db
def test_recheck_command_writes_contract_json(
    tmp_path: Path, monkeypatch, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    def run_inline(ids: list[int], run_id: int, *, queue: str | None = None) -> None:
        for source_id in ids:  # what a worker does with each message
            checks.check_source(source_id=source_id, run_id=run_id)

    monkeypatch.setattr("pledges.management.commands.recheck.enqueue_checks", run_inline)
    with serve(
        {"/a": lambda r: Response(body=page()), "/b": lambda r: Response(404, "no")}
    ) as base:
        ok, _ = _linked_source(base + "/a")
        gone, _ = _linked_source(base + "/b", company_name="Other Co")
        out = tmp_path / "r.json"
        call_command(
            "recheck",
            "--all",
            "--wait",
            "--json",
            str(out),
            "--timeout",
            "30",
            stdout=io.StringIO(),
        )
    rows = {row["url"]: row for row in json.loads(out.read_text())}
    assert rows[ok.url] == {"url": ok.url, "outcome": "ok", "http_status": 200,
                            "final_url": ok.url, "evidence": []}  # fmt: skip
    assert rows[gone.url]["outcome"] == "not_found" and rows[gone.url]["http_status"] == 404
    with django_assert_max_num_queries(2):
        stats = selectors.recheck_host_stats(since=timezone.now() - dt.timedelta(hours=1))
    assert sum(row["checks"] for row in stats) == 2
    with django_assert_max_num_queries(2):
        assert selectors.recheck_queue_lag(now=timezone.now())["checked_last_hour"] == 2
    assert CheckOutcome.NOT_FOUND in selectors.recheck_run_progress(
        SourceCheck.objects.first().run_id
    )
