#!/usr/bin/env python3
"""The project's own fake news web for the re-check bench: many loopback hosts, every case.

    from bench.recheck.newsserver import NewsWeb
    with NewsWeb(hosts=20, articles=8) as web:
        web.pages            # every URL with its scenario and company
        web.truth()          # expected outcome, final URL and evidence per URL per epoch
        web.set_epoch(1)     # pages change
        web.politeness(interval=1.0, crawl_delay={...})   # violations seen by the servers

    .venv/bin/python bench/recheck/newsserver.py [--hosts 20] [--articles 8]
        serves until Ctrl-C; GET /_bench/truth, /_bench/epoch?n=1 and /_bench/stats on any host.

Each host is its own threaded HTTP/1.1 server on 127.0.1.<n> (all of 127/8 is loopback on Linux;
127.0.1.0/24 is what FETCH_ALLOW_NETWORKS opens). Every request's start and end are recorded per
host, so gaps between starts and requests in flight can be checked afterwards. Scenarios: plain
articles, noisy articles (rotating ads, clocks, "minutes ago", nonces: none of it a change),
ETag/Last-Modified pages answering 304, edits, new evidence sentences, negated and denied ones,
a follow-up article with evidence at first sight, 301/302 redirects, moves and deaths at epoch
1, 404, 410, soft 404s (a 200 "not found" page, a redirect to the front page), a redirect into
127.0.0.1 (forbidden; a listener there counts connections), a redirect loop, a drip-fed page,
a huge page, a gzip bomb, 429 and 503 with Retry-After, a 503 that recovers, a bot challenge,
a 403, a malformed response, a windows-1252 page, and a host whose robots.txt sets Crawl-delay
and disallows a path. Content is deterministic (seeded), so two runs serve the same web.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import select
import socket
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

NETWORK = "127.0.1"  # hosts are 127.0.1.1 ... 127.0.1.N
FORBIDDEN_HOST = "127.0.0.1"  # must stay unreachable for the fetcher
RETRY_AFTER = 1  # seconds, on 429 / 503
DRIP_SECONDS = 60  # a drip page would take this long; the fetch deadline must cut it
HUGE_BYTES = 8_000_000
BOMB_BYTES = 100_000_000  # inflated size of the gzip bomb (about 100 KB on the wire)
CRAWL_DELAY = 2  # seconds, in the robots.txt of the last host

# (kind, outcome at epoch 0, outcome at epoch 1). The first ones are spread one per host, so
# every host serves some trouble; the rest of each host's articles are plain, noisy or ETag.
SCENARIOS: tuple[tuple[str, str, str], ...] = (
    ("evidence", "ok", "changed"),
    ("negated", "ok", "changed"),
    ("moved", "moved", "moved"),
    ("temporary", "redirected", "redirected"),
    ("not_found", "not_found", "not_found"),
    ("gone", "gone", "gone"),
    ("soft_404", "soft_404", "soft_404"),
    ("home_redirect", "soft_404", "soft_404"),
    ("forbidden_redirect", "refused", "refused"),
    ("drip", "timeout", "timeout"),
    ("huge", "too_large", "too_large"),
    ("gzip_bomb", "too_large", "too_large"),
    ("rate_limited", "rate_limited", "rate_limited"),
    ("unavailable", "server_error", "server_error"),
    ("challenge", "blocked", "blocked"),
    ("malformed", "protocol_error", "protocol_error"),
    ("legacy_charset", "ok", "unchanged"),
    ("hired", "ok", "changed"),
    ("denied", "ok", "changed"),
    ("edited", "ok", "changed"),
    ("moves_later", "ok", "moved"),
    ("dies_later", "ok", "not_found"),
    ("gone_later", "ok", "gone"),
    ("flaky", "ok", "unchanged"),
    ("forbidden", "blocked", "blocked"),
    ("loop", "too_many_redirects", "too_many_redirects"),
    ("followup", "ok", "unchanged"),
)
FILLERS = (("plain", "ok", "unchanged"), ("noisy", "ok", "unchanged"), ("etag", "ok", "unchanged"))

PREFIXES = (
    "Norvik", "Calder", "Brightwater", "Hollis", "Ostrava", "Pemberton", "Quillon", "Redfern",
    "Sablon", "Tamsin", "Ulverston", "Varga", "Westmark", "Yarrow", "Zenith", "Ashgrove",
    "Bellmont", "Corran", "Dunmore", "Elsworth", "Fairhaven", "Glenrock", "Harrowgate", "Ingram",
)  # fmt: skip
SUFFIXES = (
    "Batteries", "Steelworks", "Semiconductors", "Motors", "Logistics", "Pharma", "Solar",
    "Aerospace", "Textiles", "Foods", "Robotics", "Glassworks",
)  # fmt: skip
CITIES = ("Dayton", "Tulsa", "Spokane", "Akron", "Macon", "Fresno", "Provo", "Laredo", "Erie")

# Sentences with no sign of a pledge's fate, so a first capture or an edit proposes nothing.
NEUTRAL = (
    "{c} announced plans for a new facility in {city} on Tuesday.",
    "The project is expected to create {n} jobs over five years, according to the company.",
    "State officials welcomed the investment and called it a milestone for the region.",
    "{c} said the site would make components for customers in North America and Europe.",
    "Local business leaders said the plan would bring suppliers and contractors to {city}.",
    "The governor's office said incentives worth ${m} million were part of the agreement.",
    "Analysts said the investment reflects growing demand across the sector.",
    "Construction is scheduled to start next spring, a spokesperson for {c} said.",
    "The company employs about {k} people at its existing plants in the state.",
    "Training programs will be run with the community college in {city}.",
)
EDIT = "A spokesperson for {c} added that the hiring plan includes apprenticeships."
EVIDENCE = {
    "evidence": "The company said on Friday that the plant was scrapped after the subsidy ended.",
    "hired": "By the end of the year the company had hired 1,200 workers at the site.",
    "followup": "{c} began production at the {city} plant in March, two months early.",
}
NEGATED = {
    "negated": "{c} has not abandoned the project, a spokesperson said on Friday.",
    "denied": "The company denied reports that the factory was scrapped.",
}
ADS = (
    "Save 20% on home insurance today",
    "Top 10 beaches you must visit this summer",
    "Refinance now: rates fall again",
    "This one trick lowers your energy bill",
)


@dataclass
class Page:
    host: str  # IP address
    path: str
    kind: str
    company: str
    city: str
    n: int  # per-page seed
    expect: tuple[str, str]
    url: str = ""
    paired_with: str = ""  # a follow-up page: the article of the same pledge

    def sentence(self, template: str) -> str:
        return template.format(c=self.company, city=self.city)


OVERLAP_SLACK = 0.05  # seconds: a handler noticing a hang-up this late is not "in flight"


@dataclass
class HostLog:
    """What one host saw: request start times and (start, end) spans, monotonic seconds."""

    starts: list[tuple[float, str]] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)

    def max_in_flight(self) -> int:
        """Most requests open at one request's start. A request whose handler ended less than
        OVERLAP_SLACK after that start does not count: the server notices a client hanging up
        (deadline, size cap) a moment after the client is gone. Requests overlapping by less
        are still caught by the gap check, which has no slack."""
        return max(
            (
                sum(1 for s, e in self.spans if s <= start < e - OVERLAP_SLACK or s == start)
                for start, _ in self.spans
            ),
            default=0,
        )


def _html_article(page: Page, *, epoch: int, noise: bool, charset: str = "utf-8") -> str:
    rng = random.Random(page.n)
    picks = [NEUTRAL[0], *rng.sample(NEUTRAL[1:], 6)]  # the first names the company
    fill = {"c": page.company, "city": page.city, "n": 200 + page.n * 7 % 900}
    fill |= {"m": 5 + page.n % 40, "k": 1000 + page.n * 13 % 4000}
    sentences = [s.format(**fill) for s in picks]
    changed = epoch >= 1 and page.kind in ("evidence", "hired", "negated", "denied", "edited")
    if changed:
        extra = {**EVIDENCE, **NEGATED, "edited": EDIT}[page.kind]
        sentences.insert(4, page.sentence(extra))
    if page.kind == "followup":
        sentences.insert(2, page.sentence(EVIDENCE["followup"]))
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    headline = f"{page.company} plans {fill['n']} jobs in {page.city}"
    if page.kind == "legacy_charset":
        headline += " \u2014 \u201cse\u00f1or\u201d caf\u00e9 deal"
    clock = time.strftime("%H:%M:%S")
    nonce = hashlib.sha1(f"{time.time_ns()}".encode()).hexdigest()
    ad = random.choice(ADS) if noise else ADS[0]
    noisy_line = (
        f'<p class="meta">Updated {random.randint(2, 59)} minutes ago · {clock} EST</p>'
        if noise
        else ""
    )
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="{charset}"><title>{headline} | News {page.host}</title>
<meta name="date" content="2021-0{1 + page.n % 9}-1{page.n % 9}">
{f'<script nonce="{nonce}">window.reqId="{nonce}";</script>' if noise else ""}
</head><body>
<header><nav><a href="/">Home</a> <a href="/business">Business</a></nav></header>
<main><article><h1>{headline}</h1>{noisy_line}
<p class="byline">By Staff Reporter</p>
{body}
</article></main>
<aside class="ad"><a href="/ad">{ad}</a></aside>
<footer>Page generated at {clock if noise else "build"} · request {nonce if noise else "-"}</footer>
</body></html>"""


def _gzip_bomb(size: int) -> bytes:
    """A gzip stream of ``size`` zero bytes, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: _HostServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        web, log = self.server.web, self.server.log
        started = time.monotonic()
        with web.lock:
            log.starts.append((started, self.path))
        self.close_connection = True
        try:
            web.route(self)
        except OSError:
            pass  # the client hung up (deadline, size cap): expected
        finally:
            with web.lock:
                log.ends.append(time.monotonic())
                log.spans.append((started, log.ends[-1]))

    do_HEAD = do_GET

    def send(
        self, status: int, body: bytes | str = b"", headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(data)


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, ip: str, web: NewsWeb) -> None:
        self.web, self.ip, self.log = web, ip, HostLog()
        super().__init__((ip, 0), _Handler)


class _Sink(threading.Thread):
    """A listener on the forbidden address that only counts connections made to it."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.create_server((FORBIDDEN_HOST, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.sock.close()


class NewsWeb:
    """``hosts`` servers with ``articles`` pages each (the Crawl-delay host gets half)."""

    def __init__(self, *, hosts: int = 20, articles: int = 8, seed: int = 6) -> None:
        if not 1 <= hosts <= 250:
            raise ValueError("hosts must be 1..250")
        self.lock = threading.Lock()
        self.epoch = 0
        self.hits: dict[str, int] = defaultdict(int)  # flaky: requests per (epoch, path)
        self.sink = _Sink()
        self.servers = [_HostServer(f"{NETWORK}.{i + 1}", self) for i in range(hosts)]
        self.delay_host = self.servers[-1].ip if hosts > 1 else ""
        self.bomb = _gzip_bomb(BOMB_BYTES)
        self.pages: dict[str, Page] = {}
        self.by_host_path: dict[tuple[str, str], Page] = {}
        self._build(articles, random.Random(seed))
        self.threads: list[threading.Thread] = []

    # ------------------------------------------------------------------ pages and truth

    def _build(self, articles: int, rng: random.Random) -> None:
        names = [f"{p} {s}" for p in PREFIXES for s in SUFFIXES]
        rng.shuffle(names)
        per_host: dict[str, list[tuple[str, str, str]]] = {s.ip: [] for s in self.servers}
        ips = [s.ip for s in self.servers if s.ip != self.delay_host] or [self.servers[0].ip]
        for i, scenario in enumerate(SCENARIOS):
            per_host[ips[i % len(ips)]].append(scenario)
        n = 0
        for server in self.servers:
            count = max(2, articles // 2) if server.ip == self.delay_host else articles
            kinds = per_host[server.ip]
            if server.ip == self.delay_host:
                kinds.append(("disallowed", "disallowed", "disallowed"))
            while len(kinds) < count:
                kinds.append(FILLERS[(n + len(kinds)) % len(FILLERS)])
            for kind, first, second in kinds:
                n += 1
                prefix = "private" if kind == "disallowed" else "news"
                page = Page(
                    host=server.ip,
                    path=f"/{prefix}/2021/{kind.replace('_', '-')}-{n}.html",
                    kind=kind,
                    company=names[n % len(names)],
                    city=CITIES[n % len(CITIES)],
                    n=n,
                    expect=(first, second),
                )
                page.url = f"http://{server.ip}:{server.server_address[1]}{page.path}"
                self.pages[page.url] = page
                self.by_host_path[(server.ip, page.path)] = page
        # A follow-up is cited beside the announcement of a plain article's pledge, and names
        # the same company.
        plains = [p for p in self.pages.values() if p.kind == "plain"]
        for page in self.pages.values():
            if page.kind == "followup" and plains:
                partner = plains.pop(0)
                page.paired_with = partner.url
                page.company, page.city = partner.company, partner.city

    def _final_url(self, page: Page, epoch: int) -> str | None:
        base = page.url.rsplit(page.path, 1)[0]
        if page.kind == "moved" or (page.kind == "moves_later" and epoch >= 1):
            return f"{base}/archive{page.path}"
        if page.kind == "temporary":
            return f"{base}/live{page.path}"
        if page.kind == "home_redirect":
            return f"{base}/"
        return page.url

    def truth(self) -> dict[str, dict[str, object]]:
        """{url: {kind, company, outcome: [e0, e1], final_url: [..], evidence: [[..], [..]],
        negated: [..], paired_with}}: what a correct re-check reports for each URL."""
        table = {}
        for url, page in self.pages.items():
            evidence: list[list[str]] = [[], []]
            if page.kind in ("evidence", "hired"):
                evidence[1] = [page.sentence(EVIDENCE[page.kind])]
            if page.kind == "followup":
                evidence[0] = [page.sentence(EVIDENCE["followup"])]
            negated = [page.sentence(NEGATED[page.kind])] if page.kind in NEGATED else []
            table[url] = {
                "kind": page.kind,
                "company": page.company,
                "outcome": list(page.expect),
                "final_url": [self._final_url(page, 0), self._final_url(page, 1)],
                "evidence": evidence,
                "negated": negated,
                "paired_with": page.paired_with,
            }
        return table

    def set_epoch(self, n: int) -> None:
        with self.lock:
            self.epoch = n

    # ---------------------------------------------------------------------------- serving

    def route(self, req: _Handler) -> None:
        ip = req.server.ip
        path, _, query = req.path.partition("?")
        if path.startswith("/_bench/"):
            return self._control(req, path, query)
        if path == "/robots.txt":
            lines = ["User-agent: *", "Disallow: /admin/"]
            if ip == self.delay_host:
                lines += [f"Crawl-delay: {CRAWL_DELAY}", "Disallow: /private/"]
            return req.send(200, "\n".join(lines) + "\n", {"Content-Type": "text/plain"})
        if path == "/":
            links = "".join(
                f'<li><a href="{p.path}">{p.company}</a></li>'
                for (h, _), p in self.by_host_path.items()
                if h == ip
            )
            return req.send(200, f"<html><title>News {ip}</title><h1>Front page</h1><ul>{links}")
        target = path
        for prefix in ("/archive", "/live"):
            if path.startswith(prefix + "/"):
                target = path[len(prefix) :]
        page = self.by_host_path.get((ip, target))
        if page is None:
            return req.send(404, "<html><title>Not found</title><p>No such page.</p>")
        if target != path:  # the new address of a moved or temporarily redirected page
            return req.send(200, _html_article(page, epoch=self.epoch, noise=False))
        return self._serve(req, page, query)

    def _serve(self, req: _Handler, page: Page, query: str) -> None:
        epoch, kind = self.epoch, page.kind
        base = page.url.rsplit(page.path, 1)[0]
        if kind == "moved" or (kind == "moves_later" and epoch >= 1):
            return req.send(301, "", {"Location": f"/archive{page.path}"})
        if kind == "temporary":
            return req.send(302, "", {"Location": f"{base}/live{page.path}"})
        if kind == "home_redirect":
            return req.send(302, "", {"Location": "/"})
        if kind == "forbidden_redirect":
            return req.send(302, "", {"Location": f"http://{FORBIDDEN_HOST}:{self.sink.port}/x"})
        if kind == "loop":  # /x -> /x?again -> /x -> ...
            return req.send(302, "", {"Location": page.path if query else page.path + "?again"})
        if kind == "not_found" or (kind == "dies_later" and epoch >= 1):
            return req.send(404, "<html><title>Not Found</title>404</html>")
        if kind == "gone" or (kind == "gone_later" and epoch >= 1):
            return req.send(410, "<html><title>Gone</title></html>")
        if kind == "soft_404":
            return req.send(
                200,
                "<html><head><title>Page not found | News</title></head><body><h1>Sorry</h1>"
                "<p>The page you are looking for could not be found.</p></body></html>",
            )
        if kind == "rate_limited":
            return req.send(429, "slow down", {"Retry-After": str(RETRY_AFTER)})
        if kind == "unavailable":
            return req.send(503, "maintenance", {"Retry-After": str(RETRY_AFTER)})
        if kind == "flaky":
            with self.lock:
                self.hits[f"{epoch}:{page.path}"] += 1
                first = self.hits[f"{epoch}:{page.path}"] == 1
            if first:
                return req.send(503, "try again", {"Retry-After": str(RETRY_AFTER)})
        if kind == "challenge":
            return req.send(
                503,
                "<html><title>Just a moment...</title><p>Checking your browser before "
                "accessing the site.</p><div id='cf-chl-widget'></div></html>",
            )
        if kind == "forbidden":
            return req.send(403, "<html><title>Forbidden</title><p>Subscribers only.</p>")
        if kind == "malformed":
            req.wfile.write(b"HTTP/1.1 2OO OKAY\r\nContent-Type: text/html\r\n\r\n<html>?")
            return None
        if kind == "drip":
            return self._drip(req)
        if kind == "huge":
            return self._huge(req)
        if kind == "gzip_bomb":
            return req.send(200, self.bomb, {"Content-Encoding": "gzip"})
        if kind == "legacy_charset":
            html = _html_article(page, epoch=epoch, noise=False, charset="windows-1252")
            return req.send(
                200, html.encode("cp1252"), {"Content-Type": "text/html; charset=windows-1252"}
            )
        noise = kind == "noisy"
        html = _html_article(page, epoch=epoch, noise=noise)
        if kind == "etag":
            tag = '"' + hashlib.sha256(html.encode()).hexdigest()[:16] + '"'
            headers = {"ETag": tag, "Last-Modified": "Mon, 01 Mar 2021 10:00:00 GMT"}
            if req.headers.get("If-None-Match") == tag:
                return req.send(304, "", headers)
            return req.send(200, html, headers)
        return req.send(200, html)

    def _drip(self, req: _Handler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Connection", "close")
        req.end_headers()
        req.wfile.write(b"<html><title>Live blog</title><body><p>")
        stop = time.monotonic() + DRIP_SECONDS
        conn = req.connection
        while time.monotonic() < stop:
            req.wfile.write(b"x")
            req.wfile.flush()
            # Wait on the socket, not the clock: a client that hangs up ends the request at
            # once, so "in flight" means what the client holds, not what this thread does.
            readable, _, _ = select.select([conn], [], [], 0.25)
            if readable and not conn.recv(1, socket.MSG_PEEK):
                return

    def _huge(self, req: _Handler) -> None:
        # Chunked, no Content-Length: the cap has to be enforced while reading.
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Transfer-Encoding", "chunked")
        req.send_header("Connection", "close")
        req.end_headers()
        piece = b"<p>" + b"lorem ipsum dolor sit amet " * 2400 + b"</p>\n"
        sent = 0
        while sent < HUGE_BYTES:
            req.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
        req.wfile.write(b"0\r\n\r\n")

    def _control(self, req: _Handler, path: str, query: str) -> None:
        if path == "/_bench/epoch":
            self.set_epoch(int(parse_qs(query).get("n", ["1"])[0]))
            return req.send(200, json.dumps({"epoch": self.epoch}), _JSON)
        if path == "/_bench/truth":
            return req.send(200, json.dumps(self.truth(), indent=1), _JSON)
        if path == "/_bench/stats":
            return req.send(200, json.dumps(self.politeness(interval=0.0), indent=1), _JSON)
        return req.send(404, "")

    # -------------------------------------------------------------------------- measuring

    def reset_log(self) -> None:
        with self.lock:
            for server in self.servers:
                server.log = HostLog()
            self.sink.connections = 0

    def politeness(self, *, interval: float) -> dict[str, object]:
        """Requests, gaps between request starts shorter than the host's interval (the
        Crawl-delay on its host), and the most requests in flight at once, over all hosts."""
        short, requests, worst_gap, max_in_flight = [], 0, None, 0
        last: tuple[str, float, list[tuple[float, str]]] = ("", 0.0, [])
        with self.lock:
            for server in self.servers:
                log = server.log
                floor = max(interval, CRAWL_DELAY if server.ip == self.delay_host else 0)
                starts = sorted(log.starts)
                requests += len(starts)
                if starts and log.ends and max(log.ends) > last[1]:
                    last = (server.ip, max(log.ends), starts)
                max_in_flight = max(max_in_flight, log.max_in_flight())
                for (a, _), (b, path) in itertools.pairwise(starts):
                    gap = b - a
                    worst_gap = gap if worst_gap is None else min(worst_gap, gap)
                    if gap < floor:
                        short.append({"host": server.ip, "gap": round(gap, 3), "path": path})
        return {
            "requests": requests,
            "short_gaps": short,
            "min_gap": worst_gap,
            "max_in_flight": max_in_flight,
            "forbidden_connections": self.sink.connections,
            "last_host": {
                "host": last[0],
                "requests": len(last[2]),
                "timeline": [(round(t - last[2][0][0], 2), path) for t, path in last[2]],
            },
        }

    # ------------------------------------------------------------------------- lifecycle

    def start(self) -> NewsWeb:
        self.sink.start()
        for server in self.servers:
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.sink.stop()

    def __enter__(self) -> NewsWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def urls_by_host(self) -> Iterator[tuple[str, list[str]]]:
        for server in self.servers:
            yield server.ip, [p.url for p in self.pages.values() if p.host == server.ip]


_JSON = {"Content-Type": "application/json"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--articles", type=int, default=8)
    args = parser.parse_args()
    with NewsWeb(hosts=args.hosts, articles=args.articles) as web:
        first = web.servers[0]
        print(f"{len(web.pages)} pages on {len(web.servers)} hosts", flush=True)
        print(f"control: http://{first.ip}:{first.server_address[1]}/_bench/truth", flush=True)
        for url in web.pages:
            print(url)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
