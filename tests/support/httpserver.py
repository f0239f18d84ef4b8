"""A small threaded HTTP server for tests: real sockets on loopback, routes as plain functions.

    from tests.support.httpserver import Response, serve

    with serve({"/": lambda req: Response(body="<p>hi</p>")}) as base_url:
        fetch(base_url + "/", config=...)
        assert base_url.stats.connections == 1
        assert base_url.stats.requests[0].headers["user-agent"].startswith("PledgeTracker")

A route gets a ``Request`` and returns a ``Response`` (bytes/str body sent with Content-Length,
an iterable body sent chunked, optionally drip-fed with ``chunk_delay``), or writes raw bytes to
``request.wfile`` itself and returns None (for malformed-protocol tests). Unknown paths get 404,
unless a ``"*"`` route exists. The default host 127.0.1.1 is loopback on Linux (all of 127/8 is)
but outside 127.0.0.0/24, so tests can allow it while 127.0.0.1 stays forbidden.
"""

from __future__ import annotations

import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import BinaryIO
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    handler: BaseHTTPRequestHandler = field(repr=False)

    @property
    def wfile(self) -> BinaryIO:
        """Raw output stream: write a whole HTTP response yourself and return None."""
        return self.handler.wfile  # type: ignore[return-value]


@dataclass
class Response:
    status: int = 200
    body: bytes | str | Iterable[bytes] = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    chunk_delay: float = 0.0  # seconds to sleep after each chunk of an iterable body


Route = Callable[[Request], Response | None]


@dataclass
class ServerStats:
    """What the server saw; ``connections`` counts accepted TCP connections, even silent ones."""

    connections: int = 0
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class BaseURL(str):
    """The server's base URL ("http://127.0.1.1:PORT", no trailing slash), plus its stats."""

    stats: ServerStats
    host: str
    port: int

    def __new__(cls, value: str, stats: ServerStats) -> BaseURL:
        self = super().__new__(cls, value)
        self.stats = stats
        parts = urlsplit(value)
        self.host, self.port = parts.hostname or "", parts.port or 0
        return self


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # a stuck client must not pin a server thread forever
    routes: Mapping[str, Route]
    stats: ServerStats

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET

    def _dispatch(self) -> None:
        self.close_connection = True
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, path, query, headers, self)
        with self.stats.lock:
            self.stats.requests.append(request)
        route = self.routes.get(path) or self.routes.get("*")
        response = (
            route(request) if route else Response(404, "not found", content_type="text/plain")
        )
        if response is not None:
            self._send(response)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        names = {name.lower() for name in response.headers}
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.content_type and "content-type" not in names:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Connection", "close")
        body = response.body
        no_body = self.command == "HEAD" or response.status in (204, 304)
        if isinstance(body, str | bytes):
            data = body.encode() if isinstance(body, str) else body
            if "content-length" not in names and "transfer-encoding" not in names:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not no_body:
                self.wfile.write(data)
            return
        chunked = "content-length" not in names
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if no_body:
            return
        for piece in body:
            if not piece:
                continue
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            self.wfile.flush()
            if response.chunk_delay:
                time.sleep(response.chunk_delay)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, handler: type[_Handler], stats: ServerStats) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.stats = stats
        super().__init__((host, 0), handler)

    def verify_request(self, request: object, client_address: object) -> bool:
        with self.stats.lock:
            self.stats.connections += 1
        return True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-response (too_large, timeouts) are expected in these tests.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(
    routes: Mapping[str, Route], host: str = "127.0.1.1", *, tls: ssl.SSLContext | None = None
) -> Iterator[BaseURL]:
    """Run a threaded server on ``host`` (port chosen by the OS) for the ``with`` block."""
    stats = ServerStats()
    handler = type("Handler", (_Handler,), {"routes": dict(routes), "stats": stats})
    server = _Server(host, handler, stats)
    if tls is not None:
        # Handshake lazily in the handler thread, so a client rejecting the certificate
        # cannot stall the accept loop.
        server.socket = tls.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    port = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    try:
        yield BaseURL(f"{'https' if tls else 'http'}://{shown}:{port}", stats)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
