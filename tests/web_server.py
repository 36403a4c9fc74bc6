"""A real HTTP server on 127.0.0.1 serving tests/fixtures/web/ (pages and feeds), plus awkward endpoints."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from tests.conftest import FIXTURES

WEB = FIXTURES / "web"
SLOW_SECONDS = 2.0
BIG_BYTES = 300_000
FEED_TYPES = {"/rss.xml": "application/rss+xml", "/atom.xml": "application/atom+xml"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CET = timezone(timedelta(hours=1))


class FixtureServer(ThreadingHTTPServer):
    """Joins its handler threads on close, and remembers every request as (path, User-Agent)."""

    daemon_threads = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(WEB)))
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.requests: list[tuple[str, str]] = []
        self.stopping = threading.Event()

    def paths_since(self, start: int) -> list[str]:
        return [path for path, _ in self.requests[start:]]


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests assert on what the client sees."""

    def do_GET(self) -> None:
        server = cast(FixtureServer, self.server)
        server.requests.append((self.path, self.headers.get("User-Agent", "")))
        path = urlsplit(self.path).path
        if path == "/slow":
            server.stopping.wait(SLOW_SECONDS)
            self._send(200, "text/html", b"<html><body><p>Too late.</p></body></html>")
        elif path in ("/big", "/big-unsized"):
            body = b"<html><body>" + b"<p>Padding paragraph for a page that is far too long.</p>" * 6000
            self._send(200, "text/html", body[:BIG_BYTES], with_length=path == "/big")
        elif path == "/image.png":
            self._send(200, "image/png", PNG)
        elif path in ("/redirect", "/redirect-ftp"):
            target = "/harbour-ferry.html" if path == "/redirect" else "ftp://127.0.0.1/harbour-ferry.html"
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/redirect-to":  # /redirect-to?to=<url>: anywhere the test says
            self.send_response(302)
            self.send_header("Location", parse_qs(urlsplit(self.path).query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/not-a-feed.xml":
            self._send(200, "text/html; charset=utf-8", (WEB / "harbour-ferry.html").read_bytes())
        elif path == "/latin1.txt":
            self._send(200, "text/plain; charset=iso-8859-1", "Café crème in Kestrel Bay".encode("latin-1"))
        elif path == "/meta-charset.html":
            page = (
                "<html><head><meta charset='windows-1252'></head><body><p>“Smart” quotes – and a dash</p></body></html>"
            )
            self._send(200, "text/html", page.encode("windows-1252"))
        elif path == "/no-charset.txt":
            self._send(200, "text/plain", "Smørrebrød at the quay".encode())
        elif path in FEED_TYPES:
            feed = (WEB / path.lstrip("/")).read_text(encoding="utf-8").replace("{base}", server.base)
            self._send(200, f"{FEED_TYPES[path]}; charset=utf-8", feed.encode())
        else:
            super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes, *, with_length: bool = True) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if with_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (timeout, size limit): that is what those tests check


@contextmanager
def serving() -> Iterator[FixtureServer]:
    """The server on a free port, in a thread, until the block ends."""
    httpd = FixtureServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
