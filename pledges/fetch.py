"""Safe outbound HTTP fetcher for re-check jobs and "add source by URL" (stdlib + tldextract).

URLs are typed by editors, so they are hostile input. ``fetch`` allows only http(s) without
credentials; resolves the host once, refuses it unless EVERY address is public (or operator
allow-listed), and connects to that checked address itself (no second lookup to rebind), while
sending the original Host and verifying TLS against the original name. It follows redirects
itself, re-checking each hop; holds the whole fetch, redirects included, to one wall-clock
deadline; and caps the decoded body, cutting compression bombs at the cap. It never raises for
network, HTTP or policy trouble: ``FetchResult.outcome`` classifies what happened.
"""

from __future__ import annotations

import contextlib
import email.utils
import enum
import functools
import http.client
import io
import ipaddress
import math
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

if TYPE_CHECKING:
    import tldextract

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]  # (host, port) -> IP address strings

DEFAULT_USER_AGENT = "PledgeTracker/0.1 (+http://localhost/about/bot)"
DEFAULT_CONTENT_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml",
    "application/rss+xml", "application/atom+xml", "application/json",
})  # fmt: skip
READ_CHUNK = 64 * 1024  # wire bytes read (then decoded) per step
ERROR_BODY_LIMIT = 64 * 1024  # enough of an error page to recognise a bot challenge
ROBOTS_MAX_BYTES = 500 * 1024  # Google ignores robots.txt past 500 KiB; so do we
MAX_URL_LENGTH = 8192
CHALLENGE_MARKERS = (b"just a moment...", b"checking your browser", b"cf-chl", b"captcha")


class FetchOutcome(enum.StrEnum):
    """What became of a fetch. The values are stored in the database: never rename them."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    NOT_FOUND = "not_found"
    GONE = "gone"
    BLOCKED = "blocked"  # 401/402/403/451 or a bot challenge: the page may well be alive
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    CLIENT_ERROR = "client_error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    PROTOCOL_ERROR = "protocol_error"
    DNS_ERROR = "dns_error"
    CONNECTION_ERROR = "connection_error"  # refused, reset, TLS failure
    REFUSED = "refused"  # our policy said no; nothing was sent to that address
    UNSUPPORTED_TYPE = "unsupported_type"


@dataclass(frozen=True)
class FetchConfig:
    """Operator settings. ``allow_networks`` exempts listed non-public CIDRs (tests, intranets)
    from the address policy; ``deadline`` is wall-clock seconds for the whole fetch."""

    allow_networks: tuple[IPNetwork, ...] = ()
    deadline: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    allowed_content_types: frozenset[str] = DEFAULT_CONTENT_TYPES

    def __post_init__(self) -> None:
        # Accept CIDR strings too (settings.FETCH_ALLOW_NETWORKS is a list of them), with
        # parse_networks' error messages; frozen, hence object.__setattr__.
        nets = self.parse_networks(",".join(str(n) for n in self.allow_networks))
        object.__setattr__(self, "allow_networks", nets)
        types = frozenset(t.strip().lower() for t in self.allowed_content_types)
        object.__setattr__(self, "allowed_content_types", types)
        if self.deadline <= 0 or self.max_bytes <= 0 or self.max_redirects < 0:
            raise ValueError("deadline and max_bytes must be positive, max_redirects >= 0")
        if not (self.user_agent.isascii() and self.user_agent.isprintable()):
            raise ValueError("user_agent must be printable ASCII")

    @staticmethod
    def parse_networks(text: str) -> tuple[IPNetwork, ...]:
        """Parse "127.0.1.0/24, 10.0.0.0/8" (blanks skipped). ValueError names the bad item;
        host bits set ("10.1.2.3/8") is an error: a typo must not silently change the range."""
        nets = []
        for item in filter(None, (part.strip() for part in text.split(","))):
            try:
                nets.append(ipaddress.ip_network(item))
            except ValueError as exc:
                raise ValueError(
                    f"invalid network {item!r} in allow list ({exc}); expected CIDR like 10.0.0.0/8"
                ) from None
        return tuple(nets)


@dataclass(frozen=True)
class FetchResult:
    """One fetch. ``body`` is decoded and capped; it is empty unless read (2xx with an allowed
    type, or the first 64 KiB of an error page) and always empty on too_large."""

    url: str  # as requested
    final_url: str  # last URL reached or refused
    outcome: FetchOutcome
    http_status: int | None  # of the last response received
    headers: dict[str, str]  # of the last response, lower-cased names, repeats joined by ", "
    body: bytes
    content_type: str | None
    charset: str | None
    etag: str | None  # on 304 without validators, the ones that were sent
    last_modified: str | None
    redirects: tuple[tuple[int, str, str], ...]  # (status, from_url, to_url) per hop
    permanent_redirect: bool  # there were hops and every one was 301/308
    retry_after: float | None  # seconds
    error: str  # human-readable; "" on ok / not_modified
    elapsed: float
    bytes_read: int  # body bytes off the wire (before content decoding), last response


class _Stop(Exception):
    """Ends a fetch with ``outcome``; the message is the human-readable reason."""

    def __init__(self, outcome: FetchOutcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome


# ---------------------------------------------------------------------------- address policy

# Explicit tables rather than ipaddress.is_global alone: its answers changed across patch releases.
_FORBIDDEN_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip
_GLOBAL_V6 = ipaddress.IPv6Network("2000::/3")  # the only global unicast block today
_FORBIDDEN_V6 = tuple(ipaddress.IPv6Network(n) for n in ("2001::/23", "2001:db8::/32", "3fff::/20"))
_V4_IN_V6 = (ipaddress.IPv6Network("::/96"), ipaddress.IPv6Network("64:ff9b::/96"))  # compat, NAT64
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+")  # may be an odd IPv4 spelling such as 0x7f.1


def is_forbidden_address(ip: str | IPAddress, allow_networks: Sequence[IPNetwork] = ()) -> bool:
    """True unless ``ip`` is globally routable unicast or inside ``allow_networks``. IPv6 forms
    that lead to an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by it.
    Unparseable input is forbidden."""
    try:
        addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    except ValueError:
        return True
    if any(addr in net for net in allow_networks):
        return False
    if isinstance(addr, ipaddress.IPv4Address):
        return any(addr in net for net in _FORBIDDEN_V4) or not addr.is_global
    embedded = addr.ipv4_mapped or addr.sixtofour
    if embedded is None and any(addr in net for net in _V4_IN_V6):
        embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    if embedded is not None:
        return is_forbidden_address(embedded, allow_networks)
    if addr.teredo is not None:
        return any(is_forbidden_address(v4, allow_networks) for v4 in addr.teredo)
    return addr not in _GLOBAL_V6 or any(addr in net for net in _FORBIDDEN_V6) or not addr.is_global


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) name, or the address as text
    port: int
    ip: IPAddress | None  # when the URL names an address, however spelled
    host_header: str
    request_target: str  # path and query, percent-encoded


def _parse_target(url: str) -> _Target:
    """Split and police a URL with no network I/O; raise _Stop(REFUSED) saying why."""

    def refuse(reason: str) -> _Stop:
        return _Stop(FetchOutcome.REFUSED, reason)

    if len(url) > MAX_URL_LENGTH or not url.isprintable():
        raise refuse("malformed URL: too long, or non-printable characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise refuse(f"malformed URL: {exc}") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https"):
        raise refuse(f"scheme {scheme or '(none)'!r} is not allowed; only http and https")
    if "@" in parts.netloc:
        raise refuse("credentials in the URL are not allowed")
    if not host:
        raise refuse("malformed URL: no host")
    if port == 0:
        raise refuse("port 0 is not allowed")
    default_port = 443 if scheme == "https" else 80
    port = port or default_port
    ip: IPAddress | None = None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if _NUMERIC_HOST.fullmatch(host):
            # "2130706433", "0177.0.0.1", "0x7f.1", "127.1": read them as the OS resolver does.
            with contextlib.suppress(OSError):
                ip = ipaddress.IPv4Address(socket.inet_aton(host))
    if ip is not None:
        host = str(ip)
        shown = f"[{host}]" if ip.version == 6 else host
    else:
        try:
            host = shown = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise refuse(f"malformed host name {host!r}") from None
        if len(host) > 253 or not _HOST_NAME.fullmatch(host):
            raise refuse(f"malformed host name {host!r}")
        if host == "localhost" or host.endswith(".localhost"):
            raise refuse(f"host {host!r} is local")
    host_header = shown if port == default_port else f"{shown}:{port}"
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    if parts.query:
        target += "?" + quote(parts.query, safe="/?%:@!$&'()*+,;=~")
    return _Target(scheme, host, port, ip, host_header, target)


def check_url(url: str, config: FetchConfig) -> str | None:
    """Why ``url`` may not be fetched, or None. No DNS: ``fetch`` checks resolved addresses too."""
    try:
        target = _parse_target(url)
    except _Stop as exc:
        return str(exc)
    if target.ip is not None and is_forbidden_address(target.ip, config.allow_networks):
        return f"address {target.ip} is not public"
    return None


# -------------------------------------------------------------------------- network plumbing


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


def _system_resolver(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _resolve(target: _Target, resolver: Resolver | None, deadline: float) -> list[IPAddress]:
    """The target's addresses. getaddrinfo cannot be interrupted, so it runs in a daemon thread
    that we stop waiting for at the deadline."""
    if target.ip is not None:
        return [target.ip]
    box: list[Sequence[str] | Exception] = []

    def run() -> None:
        try:
            box.append((resolver or _system_resolver)(target.host, target.port))
        except Exception as exc:  # re-raised in the fetching thread below
            box.append(exc)

    worker = threading.Thread(target=run, name="fetch-dns", daemon=True)
    worker.start()
    worker.join(_remaining(deadline))
    if not box:
        raise TimeoutError("DNS lookup outlived the deadline")
    if isinstance(box[0], Exception):
        raise box[0]
    try:
        addrs = list(dict.fromkeys(ipaddress.ip_address(a) for a in box[0]))
    except ValueError as exc:
        raise socket.gaierror(f"resolver returned a non-address: {exc}") from None
    if not addrs:
        raise socket.gaierror(f"{target.host} has no addresses")
    return addrs


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _connect(target: _Target, addrs: Sequence[IPAddress], deadline: float) -> socket.socket:
    """Connect to the first reachable (already checked) address; TLS for the original name."""
    error: OSError = ConnectionError("no address to connect to")
    for addr in addrs:
        sock = socket.socket(socket.AF_INET6 if addr.version == 6 else socket.AF_INET)
        try:
            sock.settimeout(_remaining(deadline))
            sock.connect((str(addr), target.port))
            if target.scheme == "https":
                sock.settimeout(_remaining(deadline))  # the handshake treats it as a total
                return _tls_context().wrap_socket(sock, server_hostname=target.host)
            return sock
        except (TimeoutError, ssl.SSLError):
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            error = exc
    raise error


class _DeadlineSocket(io.RawIOBase):
    """What http.client sees as its socket. Each send/recv gets only the time left: a timeout
    per recv would let a server dripping a byte at a time hold the fetch forever."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock, self._deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self._sock.settimeout(_remaining(self._deadline))
        return self._sock.recv_into(buffer)

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(_remaining(self._deadline))
        self._sock.sendall(data)

    def makefile(self, *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(self, READ_CHUNK)

    def close(self) -> None:
        # http.client closes its handle on seeing Connection: close, before the body is read;
        # _follow closes the real socket when it is done.
        pass


class _PinnedConnection(http.client.HTTPConnection):
    """HTTPConnection over an already connected, already checked socket: it never resolves."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__("pinned.invalid")
        self._pinned = _DeadlineSocket(sock, deadline)

    def connect(self) -> None:
        self.sock = self._pinned


# ------------------------------------------------------------------------------ body reading


class _Decoder:
    """Incremental Content-Encoding decoder that returns at most ``max_out`` bytes per call, so
    a compression bomb stops expanding at the cap instead of after inflating."""

    def __init__(self, encoding: str) -> None:
        self._mode = encoding.strip().lower()
        self._fed = False
        if self._mode in ("", "identity"):
            self._obj = None
        elif self._mode in ("gzip", "x-gzip", "deflate"):
            # wbits 47 takes a gzip or zlib header; for deflate, see the raw fallback in feed().
            self._obj = zlib.decompressobj(47 if "gzip" in self._mode else 15)
        else:
            raise _Stop(FetchOutcome.PROTOCOL_ERROR, f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes, max_out: int) -> bytes:
        if self._obj is None:
            return data
        out: list[bytes] = []
        while data and max_out > 0:
            if self._obj.eof:  # a further gzip member may follow; anything else is ignored
                if self._mode == "deflate" or data[:2] != b"\x1f\x8b":
                    break
                self._obj = zlib.decompressobj(47)
            try:
                piece = self._obj.decompress(data, max_out)
            except zlib.error as exc:
                if self._mode == "deflate" and not self._fed:  # many servers send raw deflate
                    self._fed, self._obj = True, zlib.decompressobj(-15)
                    continue
                raise _Stop(FetchOutcome.PROTOCOL_ERROR, f"bad {self._mode} body: {exc}") from None
            self._fed = True
            out.append(piece)
            max_out -= len(piece)
            data = self._obj.unused_data if self._obj.eof else self._obj.unconsumed_tail
        return b"".join(out)

    def finish(self) -> None:
        if self._obj is not None and self._fed and not self._obj.eof:
            raise _Stop(FetchOutcome.PROTOCOL_ERROR, f"{self._mode} body ends early")


@dataclass
class _Progress:
    """What is known so far; kept outside the call stack so a failure can still report it."""

    final_url: str
    redirects: list[tuple[int, str, str]] = field(default_factory=list)
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    bytes_read: int = 0


def _read_body(resp: http.client.HTTPResponse, progress: _Progress, limit: int) -> bytes:
    """Read and decode; raise _Stop(TOO_LARGE) past ``limit`` decoded bytes. Wire bytes are
    capped at ``limit`` too: an endless stream of empty deflate blocks decodes to nothing."""
    decoder = _Decoder(resp.getheader("Content-Encoding", ""))
    pieces: list[bytes] = []
    size = 0
    while data := resp.read(READ_CHUNK):
        progress.bytes_read += len(data)
        pieces.append(decoder.feed(data, limit - size + 1))
        size += len(pieces[-1])
        if size > limit or progress.bytes_read > limit:
            raise _Stop(FetchOutcome.TOO_LARGE, f"body exceeds {limit} bytes")
    expected = None if resp.chunked else _content_length(progress.headers)
    if expected is not None and progress.bytes_read < expected:  # http.client lets this pass
        raise _Stop(FetchOutcome.PROTOCOL_ERROR, f"body ends after {progress.bytes_read} bytes")
    decoder.finish()
    return b"".join(pieces)


def _read_error_page(resp: http.client.HTTPResponse, progress: _Progress) -> bytes:
    """The start of an error page, best effort: the status decides the outcome regardless."""
    decoder, pieces, size = None, [], 0
    try:
        decoder = _Decoder(resp.getheader("Content-Encoding", ""))
        while size < ERROR_BODY_LIMIT and progress.bytes_read < ERROR_BODY_LIMIT:
            if not (data := resp.read(READ_CHUNK)):
                break
            progress.bytes_read += len(data)
            pieces.append(decoder.feed(data, ERROR_BODY_LIMIT - size))
            size += len(pieces[-1])
    except (OSError, http.client.HTTPException, _Stop):
        pass
    return b"".join(pieces)[:ERROR_BODY_LIMIT]


def _content_length(headers: dict[str, str]) -> int | None:
    value = headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    mime, _, params = (value or "").partition(";")
    match = re.search(r'charset\s*=\s*"?([^";,\s]+)', params, re.IGNORECASE)
    return mime.strip().lower() or None, match[1].lower() if match else None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date; a past date gives
    0), or None when absent or unparseable."""
    value = (value or "").strip()
    if re.fullmatch(r"[0-9]{1,10}", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# ------------------------------------------------------------------------------------ fetch


def fetch(
    url: str,
    *,
    config: FetchConfig,
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver | None = None,
) -> FetchResult:
    """GET ``url`` under ``config`` and classify the result; never raises for network, HTTP or
    policy problems. ``etag``/``last_modified`` make it conditional (304 -> not_modified).
    ``resolver(host, port)`` replaces DNS; every address it returns must pass the policy."""
    started = time.monotonic()
    progress = _Progress(final_url=url)
    validators = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    # A stored validator with a line break or non-ASCII would break or smuggle headers: drop it.
    validators = {k: v for k, v in validators.items() if v and v.isascii() and v.isprintable()}
    try:
        outcome, error = _follow(url, config, progress, validators, resolver, started)
    except _Stop as exc:
        outcome, error = exc.outcome, str(exc)
    except TimeoutError:
        outcome, error = FetchOutcome.TIMEOUT, f"no complete response within {config.deadline:g}s"
    except socket.gaierror as exc:
        outcome, error = FetchOutcome.DNS_ERROR, f"cannot resolve host: {exc}"
    except http.client.RemoteDisconnected:
        outcome, error = FetchOutcome.CONNECTION_ERROR, "server closed the connection unanswered"
    except http.client.HTTPException as exc:
        outcome, error = FetchOutcome.PROTOCOL_ERROR, f"invalid HTTP response: {exc!r}"
    except ssl.SSLError as exc:
        outcome, error = FetchOutcome.CONNECTION_ERROR, f"TLS failed: {exc}"
    except OSError as exc:
        outcome, error = FetchOutcome.CONNECTION_ERROR, f"connection failed: {exc}"
    headers, redirects = progress.headers, tuple(progress.redirects)
    content_type, charset = _parse_content_type(headers.get("content-type"))
    echo = outcome is FetchOutcome.NOT_MODIFIED
    return FetchResult(
        url=url,
        final_url=progress.final_url,
        outcome=outcome,
        http_status=progress.http_status,
        headers=headers,
        body=progress.body if outcome is not FetchOutcome.TOO_LARGE else b"",
        content_type=content_type,
        charset=charset,
        etag=headers.get("etag") or (etag if echo else None),
        last_modified=headers.get("last-modified") or (last_modified if echo else None),
        redirects=redirects,
        permanent_redirect=bool(redirects) and all(hop[0] in (301, 308) for hop in redirects),
        retry_after=parse_retry_after(headers.get("retry-after")),
        error=error,
        elapsed=time.monotonic() - started,
        bytes_read=progress.bytes_read,
    )


def _follow(
    url: str,
    config: FetchConfig,
    progress: _Progress,
    validators: dict[str, str],
    resolver: Resolver | None,
    started: float,
) -> tuple[FetchOutcome, str]:
    """Fetch ``url`` hop by hop, checking every hop before connecting to it."""
    deadline = started + config.deadline
    accept = ",".join(sorted(config.allowed_content_types, key=lambda t: (t != "text/html", t)))
    current, seen = url, {url}
    while True:
        target = _parse_target(current)
        addrs = _resolve(target, resolver, deadline)
        for addr in addrs:  # all of them: the connection may end up at any
            if is_forbidden_address(addr, config.allow_networks):
                raise _Stop(FetchOutcome.REFUSED, f"{target.host} is at non-public address {addr}")
        sock = _connect(target, addrs, deadline)
        try:
            conn = _PinnedConnection(sock, deadline)
            conn.putrequest("GET", target.request_target, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", target.host_header)
            conn.putheader("User-Agent", config.user_agent)
            conn.putheader("Accept", accept)
            conn.putheader("Accept-Encoding", "gzip, deflate")  # no br: stdlib cannot decode it
            conn.putheader("Connection", "close")
            for name, value in validators.items():
                conn.putheader(name, value)
            conn.endheaders()
            resp = conn.getresponse()
            progress.http_status, progress.headers = resp.status, {}
            for name, value in resp.headers.items():
                known = progress.headers.get(name.lower())
                progress.headers[name.lower()] = value if known is None else f"{known}, {value}"
            if not 300 <= resp.status < 400 or resp.status == 304:
                return _finish(resp, config, progress)
        finally:
            sock.close()
        location = progress.headers.get("location", "").strip()
        if not location:
            return FetchOutcome.PROTOCOL_ERROR, f"HTTP {resp.status} without a Location"
        try:
            following = urljoin(current, location)
        except ValueError:
            raise _Stop(FetchOutcome.REFUSED, f"malformed redirect to {location!r}") from None
        progress.redirects.append((resp.status, current, following))
        progress.final_url = following
        if following in seen:
            return FetchOutcome.TOO_MANY_REDIRECTS, f"redirect loop back to {following}"
        if len(progress.redirects) > config.max_redirects:
            return FetchOutcome.TOO_MANY_REDIRECTS, f"more than {config.max_redirects} redirects"
        current = following
        seen.add(current)


_BY_STATUS = {
    404: FetchOutcome.NOT_FOUND,
    410: FetchOutcome.GONE,
    429: FetchOutcome.RATE_LIMITED,
    **dict.fromkeys((401, 402, 403, 451), FetchOutcome.BLOCKED),
}


def _finish(
    resp: http.client.HTTPResponse, config: FetchConfig, progress: _Progress
) -> tuple[FetchOutcome, str]:
    """Classify the final (non-redirect) response, reading the body where it matters."""
    status, headers = resp.status, progress.headers
    challenged = headers.get("cf-mitigated", "").strip().lower() == "challenge"
    if status == 304:
        return FetchOutcome.NOT_MODIFIED, ""
    if 200 <= status < 300 and not challenged:
        if status in (204, 205):
            return FetchOutcome.OK, ""
        mime = _parse_content_type(headers.get("content-type"))[0]
        if mime not in config.allowed_content_types:
            return FetchOutcome.UNSUPPORTED_TYPE, f"content type {mime or '(none)'} is not fetched"
        length = _content_length(headers)
        if length is not None and length > config.max_bytes:
            return FetchOutcome.TOO_LARGE, f"Content-Length {length} exceeds {config.max_bytes}"
        progress.body = _read_body(resp, progress, config.max_bytes)
        return FetchOutcome.OK, ""
    if not 200 <= status < 600:
        return FetchOutcome.PROTOCOL_ERROR, f"unexpected HTTP status {status}"
    progress.body = _read_error_page(resp, progress)
    page = progress.body.lower()
    if challenged or (status in (403, 503) and any(m in page for m in CHALLENGE_MARKERS)):
        return FetchOutcome.BLOCKED, f"bot challenge page (HTTP {status}); not a dead link"
    if status in _BY_STATUS:
        outcome = _BY_STATUS[status]
    elif status >= 400:
        outcome = FetchOutcome.SERVER_ERROR if status >= 500 else FetchOutcome.CLIENT_ERROR
    else:
        outcome = FetchOutcome.PROTOCOL_ERROR  # an interim 1xx as the final answer
    return outcome, f"HTTP {status} {resp.reason}".strip()


# ----------------------------------------------------------------------- robots and politeness


@dataclass(frozen=True)
class RobotsRules:
    """robots.txt rules for one user agent. A missing robots.txt (4xx) means allow all, which
    is what ``parse_robots(b"", ua)`` gives."""

    user_agent: str
    crawl_delay: float | None
    _parser: RobotFileParser = field(repr=False, compare=False)

    def can_fetch(self, url: str) -> bool:
        return self._parser.can_fetch(self.user_agent, url)


_FRACTIONAL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)([0-9]*\.[0-9]+)", re.I | re.M)


def robots_url(url: str) -> str:
    """The robots.txt URL for ``url``'s site (scheme, host and port kept; credentials dropped)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}/robots.txt"


def parse_robots(body: bytes, user_agent: str) -> RobotsRules:
    """Parse robots.txt bytes (first 500 KiB, UTF-8, bad bytes replaced) with urllib.robotparser.
    Groups match on the product token of ``user_agent`` ("PledgeTracker")."""
    text = body[:ROBOTS_MAX_BYTES].decode("utf-8-sig", errors="replace")
    # robotparser ignores "Crawl-delay: 2.5"; round such values up (politer, never ruder).
    text = _FRACTIONAL_DELAY.sub(lambda m: m[1] + str(math.ceil(float(m[2]))), text)
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    delay = parser.crawl_delay(user_agent)
    return RobotsRules(user_agent, None if delay is None else float(delay), parser)


@functools.cache
def _domain_extractor() -> tldextract.TLDExtract:
    # Imported on first use: with `requests` under it, it is a tenth of a second of every
    # process start (the admin imports this module), and most processes never fetch.
    import tldextract

    # The bundled Public Suffix List snapshot only: never network, no disk cache.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """Politeness key: "www.bbc.co.uk" -> "bbc.co.uk". An IP address is its own key; a name
    without a known public suffix ("localhost") is returned lower-cased as is."""
    host = host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return _domain_extractor()(host).top_domain_under_public_suffix or host
