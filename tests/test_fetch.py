"""Tests for pledges.fetch: real local servers on loopback, no internet, no Django settings."""

from __future__ import annotations

import gzip
import itertools
import random
import re
import shutil
import socket
import ssl
import subprocess
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from pledges.fetch import (
    READ_CHUNK,
    FetchConfig,
    FetchOutcome,
    FetchResult,
    check_url,
    fetch,
    is_forbidden_address,
    parse_retry_after,
    parse_robots,
    registrable_domain,
    robots_url,
)
from tests.support.httpserver import Request, Response, serve

pytestmark: list[pytest.MarkDecorator] = []

ALLOWED = FetchConfig.parse_networks("127.0.1.0/24,127.0.2.0/24")
CONFIG = FetchConfig(allow_networks=ALLOWED, deadline=3, max_bytes=1_000_000)


def html(body: str = "<p>hello</p>", **kwargs: object) -> Response:
    return Response(body=body, **kwargs)  # type: ignore[arg-type]


def redirect(status: int, location: str) -> Response:
    return Response(status, headers={"Location": location}, content_type=None)


def raw(data: bytes) -> Callable[[Request], None]:
    """A route writing ``data`` as the whole response, however malformed."""

    def route(request: Request) -> None:
        request.wfile.write(data)

    return route


def get(url: str, **kwargs: object) -> FetchResult:
    kwargs.setdefault("config", CONFIG)
    return fetch(url, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ config


def test_parse_networks_reads_comma_separated_cidrs() -> None:
    nets = FetchConfig.parse_networks(" 127.0.1.0/24, ,10.0.0.0/8,fd00::/8 ")
    assert [str(n) for n in nets] == ["127.0.1.0/24", "10.0.0.0/8", "fd00::/8"]
    assert FetchConfig.parse_networks("") == ()


@pytest.mark.parametrize("text", ["nonsense", "10.0.0.0/33", "10.1.2.3/8", "127.0.1.0/24,x"])
def test_parse_networks_rejects_bad_cidr_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match="invalid network"):
        FetchConfig.parse_networks(text)


def test_config_defaults_match_documented_settings() -> None:
    config = FetchConfig()
    assert config.allow_networks == ()
    assert (config.deadline, config.max_bytes, config.max_redirects) == (20, 5_000_000, 5)
    assert config.user_agent == "PledgeTracker/0.1 (+http://localhost/about/bot)"
    assert "text/html" in config.allowed_content_types
    assert "image/png" not in config.allowed_content_types


def test_config_accepts_cidr_strings_from_settings() -> None:
    config = FetchConfig(allow_networks=["127.0.1.0/24", " 10.0.0.0/8"])  # type: ignore[arg-type]
    assert config.allow_networks == FetchConfig.parse_networks("127.0.1.0/24,10.0.0.0/8")
    with pytest.raises(ValueError, match=re.escape("invalid network '10.1.2.3/8'")):
        FetchConfig(allow_networks=["10.1.2.3/8"])  # type: ignore[arg-type]


def test_config_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError):
        FetchConfig(max_bytes=0)
    with pytest.raises(ValueError):
        FetchConfig(user_agent="bot\r\nX-Evil: 1")


def test_outcome_values_are_the_documented_words() -> None:
    assert {o.value for o in FetchOutcome} == {
        "ok", "not_modified", "not_found", "gone", "blocked", "rate_limited", "server_error",
        "client_error", "timeout", "too_large", "too_many_redirects", "protocol_error",
        "dns_error", "connection_error", "refused", "unsupported_type",
    }  # fmt: skip
    assert FetchOutcome.OK == "ok"


# ---------------------------------------------------------------------------- address policy

FORBIDDEN = [
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "240.0.0.1", "192.0.2.1",
    "198.51.100.7", "203.0.113.9", "198.18.0.1", "::", "::1", "::ffff:127.0.0.1",
    "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1", "2002:a00:1::",
    "2001:0:808:808:0:0:f5ff:fffe", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0",
    "fec0::1", "ff02::1", "ff0e::1", "2001:db8::1", "3fff::1", "100::1", "not an ip",
]  # fmt: skip
PUBLIC = [
    "8.8.8.8", "1.1.1.1", "151.101.0.81", "2606:4700:4700::1111", "2a00:1450:4009::200e",
    "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:0:808:808:0:0:f7f7:f7f7",
]  # fmt: skip


@pytest.mark.parametrize("ip", FORBIDDEN)
def test_is_forbidden_address_rejects_non_public(ip: str) -> None:
    assert is_forbidden_address(ip)
    assert is_forbidden_address(ip, ALLOWED)


@pytest.mark.parametrize("ip", PUBLIC)
def test_is_forbidden_address_allows_public(ip: str) -> None:
    assert not is_forbidden_address(ip)


def test_is_forbidden_address_allow_networks_exempt_only_what_they_list() -> None:
    assert not is_forbidden_address("127.0.1.1", ALLOWED)
    assert not is_forbidden_address("127.0.2.200", ALLOWED)
    assert not is_forbidden_address("::ffff:127.0.1.1", ALLOWED)
    assert is_forbidden_address("127.0.1.1")
    assert is_forbidden_address("127.0.0.1", ALLOWED)
    assert is_forbidden_address("127.0.3.1", ALLOWED)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("gopher://127.0.1.1:70/_x", "scheme 'gopher'"),
        ("ftp://example.com/x", "scheme 'ftp'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("//example.com/x", "scheme '(none)'"),
        ("http://user:pass@example.com/", "credentials"),
        ("http://user@example.com/", "credentials"),
        ("http://127.0.1.1:80\\@127.0.0.1/", "credentials"),
        ("http://example.com:0/", "port 0"),
        ("http://example.com:99999/", "malformed"),
        ("http://example.com:http/", "malformed"),
        ("http://[::1/", "malformed"),
        ("http:///path", "no host"),
        ("http://exa mple.com/", "malformed host"),
        ("http://a..b.com/", "malformed host"),
        ("http://example.com/\r\nX: y", "non-printable"),
        ("http://localhost/", "local"),
        ("http://LOCALHOST./", "local"),
        ("http://admin.localhost:8000/", "local"),
        ("http://127.0.0.1/", "not public"),
        ("http://2130706433/", "127.0.0.1 is not public"),
        ("http://0177.0.0.1/", "127.0.0.1 is not public"),
        ("http://0x7f.0.0.1/", "127.0.0.1 is not public"),
        ("http://0x7f000001/", "127.0.0.1 is not public"),
        ("http://127.1/", "127.0.0.1 is not public"),
        ("http://0.0.0.0/", "not public"),
        ("http://0/", "0.0.0.0 is not public"),
        ("http://[::1]/", "not public"),
        ("http://[::ffff:127.0.0.1]/", "not public"),
        ("http://169.254.169.254/latest/meta-data/", "not public"),
        ("http://10.0.0.1/", "not public"),
        ("http://100.64.0.1/", "not public"),
        ("http://[fc00::1]/", "not public"),
        ("http://224.0.0.1/", "not public"),
    ],
)
def test_check_url_refuses_with_reason(url: str, reason: str) -> None:
    assert reason in (check_url(url, CONFIG) or "")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://www.bbc.co.uk/news/article-1?x=1#frag",
        "https://bücher.de/",
        "http://8.8.8.8:8080/",
        "http://127.0.1.1:5000/",
        "http://2130706689/",  # 127.0.1.1, allowed by config however spelled
    ],
)
def test_check_url_accepts_public_and_allowed(url: str) -> None:
    assert check_url(url, CONFIG) is None


# ------------------------------------------------------------------- refusals against servers


@pytest.mark.parametrize(
    "spelling",
    [
        "127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "localhost", "0.0.0.0",
        "[::1]", "[::ffff:127.0.0.1]",
    ],
)  # fmt: skip
def test_fetch_refuses_loopback_spellings_without_connecting(spelling: str) -> None:
    with serve({"/": lambda r: html()}, host="127.0.0.1") as base:
        result = get(f"http://{spelling}:{base.port}/")
        assert result.outcome == FetchOutcome.REFUSED, result.error
        assert base.stats.connections == 0


def test_fetch_allows_listed_network_whatever_the_spelling() -> None:
    with serve({"/": lambda r: html()}, host="127.0.1.1") as base:
        assert get(base + "/").outcome == FetchOutcome.OK
        assert get(f"http://2130706689:{base.port}/").outcome == FetchOutcome.OK
        assert get(f"http://127.0.1.1:{base.port}/", config=FetchConfig()).outcome == "refused"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "gopher://127.0.1.1:70/", "ftp://127.0.1.1/", "javascript:x"]
)
def test_fetch_refuses_non_http_schemes(url: str) -> None:
    result = get(url)
    assert result.outcome == FetchOutcome.REFUSED
    assert "scheme" in result.error
    assert result.http_status is None


def test_fetch_refuses_credentials_in_url() -> None:
    with serve({"/": lambda r: html()}) as base:
        result = get(f"http://user:secret@127.0.1.1:{base.port}/")
        assert result.outcome == FetchOutcome.REFUSED
        assert base.stats.connections == 0


@pytest.mark.parametrize(
    "answers", [["10.0.0.1"], ["127.0.1.1", "127.0.0.1"], ["169.254.169.254"], ["::ffff:10.1.1.1"]]
)
def test_fetch_refuses_name_resolving_to_private_address(answers: list[str]) -> None:
    with serve({"/": lambda r: html()}) as base:
        result = get(f"http://news.example.com:{base.port}/", resolver=lambda h, p: answers)
        assert result.outcome == FetchOutcome.REFUSED
        assert "non-public" in result.error
        assert base.stats.connections == 0


def test_fetch_refuses_redirect_to_forbidden_host_without_touching_it() -> None:
    with serve({"/": lambda r: html("secret")}, host="127.0.0.1") as inside:
        target = f"http://127.0.0.1:{inside.port}/"
        with serve({"/go": lambda r: redirect(302, target)}) as outside:
            result = get(outside + "/go")
        assert result.outcome == FetchOutcome.REFUSED
        assert result.redirects == ((302, outside + "/go", target),)
        assert result.final_url == target
        assert result.http_status == 302
        assert inside.stats.connections == 0


def test_fetch_refuses_redirect_to_localhost_name_and_file_scheme() -> None:
    routes = {
        "/a": lambda r: redirect(301, "http://localhost/"),
        "/b": lambda r: redirect(302, "file:///etc/passwd"),
    }
    with serve(routes) as base:
        assert get(base + "/a").outcome == FetchOutcome.REFUSED
        result = get(base + "/b")
    assert result.outcome == FetchOutcome.REFUSED
    assert "scheme 'file'" in result.error


# -------------------------------------------------------------------------------- ok & meta


def test_fetch_ok_reads_body_headers_and_validators() -> None:
    page = Response(
        body="<p>caf\u00e9</p>",
        content_type="text/html; charset=UTF-8",
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT", "X-Thing": "1"},
    )
    with serve({"/article": lambda r: page}) as base:
        result = get(base + "/article?id=7")
        request = base.stats.requests[0]
    assert result.outcome == FetchOutcome.OK
    assert result.http_status == 200
    assert result.body == "<p>caf\u00e9</p>".encode()
    assert result.bytes_read == len(result.body)
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert (result.etag, result.last_modified) == ('"v1"', "Wed, 21 Oct 2015 07:28:00 GMT")
    assert result.headers["x-thing"] == "1"
    assert all(name == name.lower() for name in result.headers)
    assert result.final_url == result.url == base + "/article?id=7"
    assert (result.redirects, result.permanent_redirect, result.error) == ((), False, "")
    assert request.path == "/article" and request.query == "id=7"
    assert request.headers["user-agent"] == CONFIG.user_agent
    assert request.headers["accept-encoding"] == "gzip, deflate"
    assert request.headers["accept"].startswith("text/html")
    assert request.headers["host"] == f"127.0.1.1:{base.port}"
    assert "if-none-match" not in request.headers


def test_fetch_connects_to_resolved_address_and_sends_original_host() -> None:
    calls: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append((host, port))
        return ["127.0.1.1"]

    with serve({"/": lambda r: html()}) as base:
        result = get(f"http://News.Example.COM:{base.port}/", resolver=resolver)
        host_header = base.stats.requests[0].headers["host"]
    assert result.outcome == FetchOutcome.OK
    assert calls == [("news.example.com", base.port)]  # one lookup: nothing to rebind
    assert host_header == f"news.example.com:{base.port}"


def test_fetch_quotes_unsafe_path_characters() -> None:
    with serve({"*": lambda r: html()}) as base:
        get(base + "/a b/\u00e9?q=a b")
        assert base.stats.requests[0].path == "/a%20b/%C3%A9"
        assert base.stats.requests[0].query == "q=a%20b"


def test_fetch_not_modified_with_if_none_match_echoes_validators() -> None:
    def route(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304, content_type=None)
        return html(headers={"ETag": '"v1"'})

    with serve({"/": route}) as base:
        result = get(base + "/", etag='"v1"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT")
        sent = base.stats.requests[0].headers
        fresh = get(base + "/", etag='"v0"')
    assert result.outcome == FetchOutcome.NOT_MODIFIED
    assert result.http_status == 304 and result.body == b""
    assert result.etag == '"v1"' and result.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert sent["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert fresh.outcome == FetchOutcome.OK and fresh.etag == '"v1"'


def test_fetch_not_modified_with_if_modified_since() -> None:
    def route(request: Request) -> Response:
        if "if-modified-since" in request.headers:
            return Response(304, content_type=None)
        return html()

    with serve({"/": route}) as base:
        assert get(base + "/", last_modified="Wed, 21 Oct 2015 07:28:00 GMT").outcome == (
            FetchOutcome.NOT_MODIFIED
        )


def test_fetch_drops_validators_that_would_inject_headers() -> None:
    with serve({"/": lambda r: html()}) as base:
        assert get(base + "/", etag='"x"\r\nX-Evil: 1').outcome == FetchOutcome.OK
        assert "x-evil" not in base.stats.requests[0].headers


# ------------------------------------------------------------------------------ status codes


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (404, "not_found"), (410, "gone"), (401, "blocked"), (402, "blocked"), (403, "blocked"),
        (451, "blocked"), (429, "rate_limited"), (500, "server_error"), (502, "server_error"),
        (503, "server_error"), (400, "client_error"), (405, "client_error"),
        (418, "client_error"), (204, "ok"),
    ],
)  # fmt: skip
def test_fetch_classifies_http_status(status: int, outcome: str) -> None:
    with serve({"/": lambda r: Response(status, "<p>plain error</p>")}) as base:
        result = get(base + "/")
    assert result.outcome == outcome
    assert result.http_status == status


def test_fetch_keeps_start_of_error_body() -> None:
    with serve({"/": lambda r: Response(500, "x" * 200_000)}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.SERVER_ERROR
    assert 0 < len(result.body) <= 64 * 1024


def test_fetch_reports_retry_after_seconds_on_429() -> None:
    with serve({"/": lambda r: Response(429, "slow down", headers={"Retry-After": "120"})}) as b:
        result = get(b + "/")
    assert result.outcome == FetchOutcome.RATE_LIMITED
    assert result.retry_after == 120.0


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after(" 30 ") == 30.0
    assert parse_retry_after("Wed, 01 Jan 2025 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Tue, 31 Dec 2024 12:00:00 GMT", now=now) == 0.0
    for junk in (None, "", "soon", "-5", "1.5", "\u00b2", "9" * 40):
        assert parse_retry_after(junk) is None


@pytest.mark.parametrize(
    "response",
    [
        Response(503, "<title>Just a moment...</title>", headers={"Retry-After": "5"}),
        Response(403, "<h1>Checking your browser before accessing</h1>"),
        Response(503, "<div class='g-recaptcha'>Please solve this CAPTCHA</div>"),
        Response(403, "<html></html>", headers={"cf-mitigated": "challenge"}),
        Response(200, "<html>challenge</html>", headers={"cf-mitigated": "challenge"}),
    ],
)
def test_fetch_bot_challenge_is_blocked_not_dead(response: Response) -> None:
    with serve({"/": lambda r: response}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.BLOCKED
    assert "challenge" in result.error


def test_fetch_gzipped_challenge_page_is_recognised() -> None:
    body = gzip.compress(b"<title>Just a moment...</title>")
    response = Response(503, body, headers={"Content-Encoding": "gzip"})
    with serve({"/": lambda r: response}) as base:
        assert get(base + "/").outcome == FetchOutcome.BLOCKED


# --------------------------------------------------------------------------- types and sizes


def test_fetch_unsupported_type_does_not_read_body() -> None:
    response = Response(body=b"\x89PNG" + bytes(300_000), content_type="image/png")
    with serve({"/": lambda r: response}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.UNSUPPORTED_TYPE
    assert (result.body, result.bytes_read) == (b"", 0)
    assert result.content_type == "image/png"


def test_fetch_missing_content_type_is_unsupported() -> None:
    with serve({"/": lambda r: Response(body=b"?", content_type=None)}) as base:
        assert get(base + "/").outcome == FetchOutcome.UNSUPPORTED_TYPE


@pytest.mark.parametrize("mime", ["application/json", "application/rss+xml", "text/plain"])
def test_fetch_accepts_configured_types(mime: str) -> None:
    with serve({"/": lambda r: Response(body=b"{}", content_type=mime)}) as base:
        assert get(base + "/").outcome == FetchOutcome.OK


def gzip_bomb(total: int = 1 << 30, block: int = 1 << 20) -> Iterator[bytes]:
    """gzip of ``total`` zero bytes, compressed lazily: the server only produces what is read."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(block)
    for _ in range(total // block):
        if out := compressor.compress(zeros):
            yield out
    yield compressor.flush()


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip"])
def test_fetch_gzip_bomb_is_cut_at_the_cap(encoding: str) -> None:
    response = Response(body=gzip_bomb(), headers={"Content-Encoding": encoding})
    with serve({"/": lambda r: response}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.TOO_LARGE
    assert result.body == b""
    assert 0 < result.bytes_read <= CONFIG.max_bytes + READ_CHUNK
    assert result.elapsed < 3


def test_fetch_content_length_over_cap_is_too_large_unread() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 999999999\r\n\r\n"
    with serve({"/": raw(head + b"x" * 1000)}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.TOO_LARGE
    assert result.bytes_read == 0
    assert "999999999" in result.error


def test_fetch_chunked_body_over_cap_is_too_large() -> None:
    body = itertools.repeat(b"x" * 50_000, 100)  # 5 MB, no Content-Length
    with serve({"/": lambda r: Response(body=body)}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.TOO_LARGE
    assert result.bytes_read <= CONFIG.max_bytes + READ_CHUNK


def test_fetch_body_exactly_at_cap_is_ok() -> None:
    config = FetchConfig(allow_networks=ALLOWED, max_bytes=1000)
    with serve({"/": lambda r: Response(body=b"y" * 1000, content_type="text/plain")}) as base:
        result = get(base + "/", config=config)
    assert result.outcome == FetchOutcome.OK and len(result.body) == 1000


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("gzip", lambda b: gzip.compress(b[:5]) + gzip.compress(b[5:])),  # two members
        ("gzip", lambda b: gzip.compress(b) + b"\0\0\0"),  # trailing padding is ignored
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
        ("identity", lambda b: b),
    ],
)
def test_fetch_decodes_content_encoding(encoding: str, encode: Callable[[bytes], bytes]) -> None:
    text = b"<p>" + b"pledge " * 2000 + b"</p>"
    response = Response(body=encode(text), headers={"Content-Encoding": encoding})
    with serve({"/": lambda r: response}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.OK, result.error
    assert result.body == text


def test_fetch_decodes_gzip_member_that_starts_a_new_read() -> None:
    noise = random.Random(7).randbytes(READ_CHUNK)
    sizes = range(READ_CHUNK - 64, READ_CHUNK)
    first = next(  # stored (level 0) so its size is exact: the member ends where a read does
        m for n in sizes if len(m := gzip.compress(noise[:n], compresslevel=0)) == READ_CHUNK
    )
    body = first + gzip.compress(b"second member")
    response = Response(body=body, headers={"Content-Encoding": "gzip"})
    with serve({"/": lambda r: response}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.OK, result.error
    assert result.body.endswith(b"second member")
    assert result.bytes_read == len(body)


# ---------------------------------------------------------------------------- protocol errors

OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"


@pytest.mark.parametrize(
    "payload",
    [
        b"HELLO THIS IS NOT HTTP\r\n\r\n",
        b"HTTP/1.1 abc Broken\r\n\r\n",
        OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n",
        OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n10\r\nshort",
        OK_HEAD + b"Content-Length: 100\r\n\r\nonly ten b",
        OK_HEAD + b"Content-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzipped!",
        OK_HEAD + b"Content-Encoding: gzip\r\n\r\n" + gzip.compress(bytes(range(256)) * 8)[:40],
        OK_HEAD + b"Content-Encoding: br\r\nContent-Length: 3\r\n\r\nabc",
        b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n",
    ],
)
def test_fetch_malformed_responses_are_protocol_errors(payload: bytes) -> None:
    with serve({"/": raw(payload)}) as base:
        result = get(base + "/")
    assert result.outcome == FetchOutcome.PROTOCOL_ERROR, result
    assert result.error


# -------------------------------------------------------------------------- network failures


def test_fetch_dns_failure_is_dns_error() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    result = get("http://no-such-host.invalid/", resolver=resolver)
    assert result.outcome == FetchOutcome.DNS_ERROR
    assert "resolve" in result.error


def test_fetch_empty_dns_answer_is_dns_error() -> None:
    assert get("http://empty.invalid/", resolver=lambda h, p: []).outcome == "dns_error"


def test_fetch_connection_refused_is_connection_error() -> None:
    with socket.socket() as bound:  # bound but never listening: connects are refused
        bound.bind(("127.0.1.1", 0))
        result = get(f"http://127.0.1.1:{bound.getsockname()[1]}/")
    assert result.outcome == FetchOutcome.CONNECTION_ERROR
    assert result.http_status is None


def test_fetch_server_hanging_up_silently_is_connection_error() -> None:
    with serve({"/": raw(b"")}) as base:
        assert get(base + "/").outcome == FetchOutcome.CONNECTION_ERROR


# ---------------------------------------------------------------------------------- deadline


def drip() -> Iterator[bytes]:
    return itertools.repeat(b"x")


def test_fetch_drip_fed_body_is_held_to_deadline() -> None:
    config = FetchConfig(allow_networks=ALLOWED, deadline=1.5)
    with serve({"/": lambda r: Response(body=drip(), chunk_delay=0.2)}) as base:
        result = get(base + "/", config=config)
    assert result.outcome == FetchOutcome.TIMEOUT
    assert result.elapsed < config.deadline + 1
    assert result.body == b""


def test_fetch_drip_fed_headers_are_held_to_deadline() -> None:
    def route(request: Request) -> None:
        request.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(50):
            request.wfile.write(b"z")
            request.wfile.flush()
            time.sleep(0.2)

    config = FetchConfig(allow_networks=ALLOWED, deadline=1.0)
    with serve({"/": route}) as base:
        result = get(base + "/", config=config)
    assert result.outcome == FetchOutcome.TIMEOUT
    assert result.elapsed < config.deadline + 1


def test_fetch_deadline_covers_the_whole_redirect_chain() -> None:
    def hop(request: Request) -> Response:
        time.sleep(0.3)
        return redirect(302, f"/{int(request.path[1:]) + 1}")

    config = FetchConfig(allow_networks=ALLOWED, deadline=1.0, max_redirects=20)
    with serve({"*": hop}) as base:
        result = get(base + "/0", config=config)
    assert result.outcome == FetchOutcome.TIMEOUT
    assert 1 <= len(result.redirects) <= 4
    assert result.elapsed < config.deadline + 1


def test_fetch_slow_dns_is_held_to_deadline() -> None:
    def resolver(host: str, port: int) -> list[str]:
        time.sleep(2.5)
        return ["127.0.1.1"]

    config = FetchConfig(allow_networks=ALLOWED, deadline=0.5)
    result = get("http://slow.example/", config=config, resolver=resolver)
    assert result.outcome == FetchOutcome.TIMEOUT
    assert result.elapsed < 1.5


# --------------------------------------------------------------------------------- redirects


def test_fetch_follows_relative_redirects_and_records_chain() -> None:
    routes = {
        "/a/start": lambda r: redirect(301, "next"),
        "/a/next": lambda r: redirect(308, "/b/c?x=1"),
        "/b/c": lambda r: redirect(301, "../final#top"),
        "/final": lambda r: html("done"),
    }
    with serve(routes) as base:
        result = get(base + "/a/start")
    assert result.outcome == FetchOutcome.OK
    assert result.body == b"done"
    assert result.redirects == (
        (301, base + "/a/start", base + "/a/next"),
        (308, base + "/a/next", base + "/b/c?x=1"),
        (301, base + "/b/c?x=1", base + "/final#top"),
    )
    assert result.final_url == base + "/final#top"
    assert result.permanent_redirect is True


def test_fetch_temporary_hop_makes_chain_not_permanent() -> None:
    routes = {
        "/a": lambda r: redirect(301, "/b"),
        "/b": lambda r: redirect(302, "/c"),
        "/c": lambda r: redirect(307, "/d"),
        "/d": lambda r: html(),
    }
    with serve(routes) as base:
        result = get(base + "/a")
        direct = get(base + "/d")
    assert result.outcome == FetchOutcome.OK
    assert [hop[0] for hop in result.redirects] == [301, 302, 307]
    assert result.permanent_redirect is False
    assert direct.permanent_redirect is False


def test_fetch_redirect_across_allowed_hosts() -> None:
    with (
        serve({"/": lambda r: html("there")}, host="127.0.2.1") as there,
        serve({"/": lambda r: redirect(302, there + "/")}) as here,
    ):
        result = get(here + "/")
    assert result.outcome == FetchOutcome.OK and result.body == b"there"
    assert result.final_url == there + "/"


def test_fetch_redirect_cap() -> None:
    config = FetchConfig(allow_networks=ALLOWED, max_redirects=2)
    routes = {
        "/1": lambda r: redirect(302, "/2"),
        "/2": lambda r: redirect(302, "/3"),
        "/3": lambda r: redirect(302, "/4"),
        "/4": lambda r: html(),
    }
    with serve(routes) as base:
        capped = get(base + "/1", config=config)
        within = get(base + "/2", config=config)
        visits = len(base.stats.requests)
    assert capped.outcome == FetchOutcome.TOO_MANY_REDIRECTS
    assert len(capped.redirects) == 3
    assert "more than 2" in capped.error
    assert within.outcome == FetchOutcome.OK
    assert visits == 3 + 3


def test_fetch_redirect_loop() -> None:
    routes = {"/a": lambda r: redirect(302, "/b"), "/b": lambda r: redirect(302, "/a")}
    with serve(routes) as base:
        result = get(base + "/a")
    assert result.outcome == FetchOutcome.TOO_MANY_REDIRECTS
    assert "loop" in result.error
    assert len(result.redirects) == 2


# -------------------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=news.test",
         "-addext", "subjectAltName=DNS:news.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[str, str]) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with serve({"/": lambda r: html("secure")}, tls=context) as base:
        yield base


def trust(monkeypatch: pytest.MonkeyPatch, cert: str) -> None:
    import pledges.fetch

    monkeypatch.setattr(
        pledges.fetch, "_tls_context", lambda: ssl.create_default_context(cafile=cert)
    )


def to_server(host: str, port: int) -> list[str]:
    return ["127.0.1.1"]


def test_fetch_https_verifies_certificate_for_original_name(
    tls_server: str, certificate: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = tls_server.rsplit(":", 1)[1]
    assert get(f"https://news.test:{port}/", resolver=to_server).outcome == "connection_error"
    trust(monkeypatch, certificate[0])
    result = get(f"https://news.test:{port}/", resolver=to_server)
    assert result.outcome == FetchOutcome.OK, result.error
    assert result.body == b"secure"
    wrong = get(f"https://other.test:{port}/", resolver=to_server)
    assert wrong.outcome == FetchOutcome.CONNECTION_ERROR
    assert "TLS" in wrong.error


# ----------------------------------------------------------------------- robots & politeness


def test_robots_url_keeps_scheme_and_port_drops_the_rest() -> None:
    assert robots_url("https://user:pw@News.Example.com:8443/a/b?c#d") == (
        "https://news.example.com:8443/robots.txt"
    )
    assert robots_url("http://example.com") == "http://example.com/robots.txt"
    with pytest.raises(ValueError):
        robots_url("ftp://example.com/")


ROBOTS = b"""\xef\xbb\xbf# comment
User-agent: SomethingElse
Disallow: /

User-agent: PledgeTracker
Crawl-delay: 2.5
Disallow: /private/
Allow: /

User-agent: *
Crawl-delay: 10
Disallow: /
"""


def test_parse_robots_applies_our_group_and_crawl_delay() -> None:
    rules = parse_robots(ROBOTS, CONFIG.user_agent)
    assert rules.can_fetch("https://example.com/news/1")
    assert not rules.can_fetch("https://example.com/private/x")
    assert rules.crawl_delay == 3.0  # fractional delays rounded up
    other = parse_robots(ROBOTS, "OtherBot/1.0")
    assert not other.can_fetch("https://example.com/news/1")
    assert other.crawl_delay == 10.0


def test_parse_robots_empty_or_garbage_allows_all() -> None:
    for body in (b"", b"\xff\xfe garbage \x00", b"<html>not robots</html>"):
        rules = parse_robots(body, CONFIG.user_agent)
        assert rules.can_fetch("https://example.com/anything")
        assert rules.crawl_delay is None


def test_parse_robots_disallow_all_for_everyone() -> None:
    rules = parse_robots(b"User-agent: *\nDisallow: /\n", CONFIG.user_agent)
    assert not rules.can_fetch("https://example.com/")


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("BBC.CO.UK.", "bbc.co.uk"),
        ("news.example.com", "example.com"),
        ("a.b.c.example.com.au", "example.com.au"),
        ("203.0.113.5", "203.0.113.5"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain_groups_hosts_by_site(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain
