"""Fetching from the web: article pages and RSS / Atom feeds over HTTP(S), every failure an InputError."""

from __future__ import annotations

import calendar
import codecs
import html
import http.client
import io
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import xml.sax
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import feedparser

from briefing.errors import InputError
from briefing.ingest.articles import Article, canonical_url, make_article_id
from briefing.ingest.files import ArticleOrError
from briefing.ingest.html_pages import parse_html_article
from briefing.ingest.outbound import GuardedHTTPHandler, GuardedHTTPSHandler, HostGuard, RefusedHostError

USER_AGENT = "briefing/0.1 (+local news reader)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_FEED_ENTRIES = 200
PUBLIC_ONLY = HostGuard()

_ACCEPT = "text/html, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"
_TEXT_APPLICATION_TYPES = {"application/xml", "application/json", "application/javascript", "application/x-rss+xml"}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """How pages and feeds are fetched: time and size limits, which hosts may be reached, new pages per feed."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    guard: HostGuard = PUBLIC_ONLY
    max_feed_entries: int = DEFAULT_FEED_ENTRIES


DEFAULT_FETCH = FetchOptions()


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS or Atom feed: the page it links to and what the feed says about it."""

    link: str
    title: str
    published: datetime | None
    summary: str


# ---- pages -----------------------------------------------------------------------------------------------------


def fetch_text(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES, guard: HostGuard = PUBLIC_ONLY
) -> str:
    """The text of an http(s) page, following redirects, from hosts the guard allows (public ones by default);
    any failure is an InputError naming the URL."""
    if not _is_http_url(url):
        raise InputError(url, "not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    opener = urllib.request.build_opener(GuardedHTTPHandler(guard), GuardedHTTPSHandler(guard), _HttpOnlyRedirects)
    # The socket timeout bounds each read; the deadline bounds a server that drips bytes slowly.
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            content_type = headers.get_content_type()
            if not _is_text(content_type):
                raise InputError(url, f"not a text page ({content_type})")
            length = headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > max_bytes:
                raise InputError(url, f"page is larger than {_size(max_bytes)}")
            data = _read_limited(response, max_bytes, deadline)
            if data is None:
                raise InputError(url, f"page is larger than {_size(max_bytes)}")
            charset = headers.get_content_charset() or _declared_charset(data)
    except _BadRedirectError as exc:
        raise InputError(url, f"redirected to a non-http(s) URL ({exc.target})") from None
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(url, f"HTTP {exc.code} {_status_phrase(exc.code, exc.reason)}") from exc
    except urllib.error.URLError as exc:
        raise InputError(url, _network_reason(exc.reason, timeout)) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise InputError(url, _network_reason(exc, timeout)) from exc
    except ValueError as exc:
        raise InputError(url, f"invalid URL ({exc})") from exc
    return _decode(data, charset)


def read_page(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    guard: HostGuard = PUBLIC_ONLY,
    default_source: str | None = None,
) -> Article:
    """The article on a web page; raises InputError naming the URL when it cannot be fetched or read."""
    return _parse_page(fetch_text(url, timeout=timeout, max_bytes=max_bytes, guard=guard), url, default_source)


def read_urls(
    urls: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    guard: HostGuard = PUBLIC_ONLY,
    default_source: str | None = None,
) -> Iterator[ArticleOrError]:
    """The article of each page, or an InputError naming the page and the reason; one bad page stops nothing."""
    for url in urls:
        try:
            article = read_page(url, timeout=timeout, max_bytes=max_bytes, guard=guard, default_source=default_source)
        except InputError as error:
            yield error
            continue
        yield article


# ---- feeds -----------------------------------------------------------------------------------------------------


def parse_feed(text: str, feed_url: str) -> list[FeedEntry]:
    """The entries of an RSS or Atom feed's text, links made absolute against the feed's URL."""
    parsed = feedparser.parse(
        # A stream, so feedparser never takes the text for a URL or a file name to open.
        io.BytesIO(text.lstrip("\ufeff \t\r\n").encode("utf-8")),
        # The text is already decoded: tell feedparser it is UTF-8, whatever its XML declaration says.
        response_headers={"content-type": "application/xml; charset=utf-8", "content-location": feed_url},
    )
    found: list[FeedEntry] = []
    for entry in parsed.get("entries") or []:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            continue
        found.append(
            FeedEntry(
                link=urljoin(feed_url, link.strip()),
                title=_plain_text(entry, "title"),
                published=_entry_published(entry),
                summary=_plain_text(entry, "summary"),
            )
        )
    # A broken document can still give entries (a feed cut short); with none, it was no feed. A valid feed may
    # be empty. feedparser's "things nobody cares about" are notes (like an overridden encoding), not faults.
    fault = parsed.get("bozo_exception")
    broken = bool(parsed.get("bozo")) and not isinstance(fault, feedparser.ThingsNobodyCaresAboutButMe)
    if not found and (broken or not parsed.get("version")):
        raise InputError(feed_url, f"not an RSS or Atom feed ({_why_not_a_feed(text, fault)})")
    return found


def read_feed(
    feed_url: str,
    *,
    skip_urls: Collection[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    guard: HostGuard = PUBLIC_ONLY,
    max_entries: int = DEFAULT_FEED_ENTRIES,
    default_source: str | None = None,
) -> Iterator[ArticleOrError]:
    """The articles a feed links to, except those in `skip_urls` (canonical URLs already stored), at most
    `max_entries` new pages in one run (the feed's first entries, usually its newest).

    A feed that cannot be fetched or read yields one InputError and nothing else; a page that fails yields an
    InputError naming the page and the loop goes on. The entry's date and title fill a page that lacks them.
    """
    try:
        entries = parse_feed(fetch_text(feed_url, timeout=timeout, max_bytes=max_bytes, guard=guard), feed_url)
    except InputError as error:
        yield error
        return
    fresh = new_entries(entries, skip_urls)
    if len(fresh) > max_entries:
        yield InputError(
            feed_url,
            f"{len(fresh)} new entries; only the first {max_entries} are read in one run (fetch.max_feed_entries)",
        )
    for entry in fresh[:max_entries]:
        try:
            page = fetch_text(entry.link, timeout=timeout, max_bytes=max_bytes, guard=guard)
            article = _entry_article(entry, page, default_source)
        except InputError as error:
            yield error
            continue
        yield article


def new_entries(entries: Sequence[FeedEntry], skip_urls: Collection[str]) -> list[FeedEntry]:
    """The entries whose page is not among `skip_urls` nor linked twice, in the feed's order."""
    seen = {canonical_url(url) for url in skip_urls}
    fresh: list[FeedEntry] = []
    for entry in entries:
        key = canonical_url(entry.link)
        if key not in seen:
            seen.add(key)
            fresh.append(entry)
    return fresh


def _entry_article(entry: FeedEntry, page: str, default_source: str | None) -> Article:
    article = _parse_page(page, entry.link, default_source, entry.title or None)
    if article.published is None and entry.published is not None:
        # The id comes from the URL, so it stays the same; recomputed anyway in case that rule ever changes.
        new_id = make_article_id(article.url, article.title, entry.published, article.source)
        article = article.model_copy(update={"published": entry.published, "id": new_id})
    return article


# ---- helpers ---------------------------------------------------------------------------------------------------


def _parse_page(page: str, url: str, default_source: str | None, title: str | None = None) -> Article:
    return parse_html_article(page, origin=url, default_source=default_source, url=url, default_title=title)


class _BadRedirectError(Exception):
    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib also follows redirects to ftp://; a web page has no business sending us there."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not _is_http_url(urljoin(req.full_url, newurl)):
            fp.close()
            raise _BadRedirectError(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _is_text(content_type: str) -> bool:
    return (
        content_type.startswith("text/")
        or content_type.endswith(("+xml", "+json"))
        or content_type in _TEXT_APPLICATION_TYPES
    )


def _read_limited(response: IO[bytes], max_bytes: int, deadline: float) -> bytes | None:
    """At most `max_bytes` of the body, or None when there is more."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError("deadline passed")
    return None if size > max_bytes else b"".join(chunks)


_DECLARED_CHARSET = re.compile(
    rb"""<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)|<meta\b[^>]*?\bcharset\s*=\s*["']?([\w.:-]+)""",
    re.IGNORECASE,
)


def _declared_charset(data: bytes) -> str | None:
    """The encoding a page or feed declares at its top (XML declaration, <meta charset>), used without a header."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def _decode(data: bytes, charset: str | None) -> str:
    try:
        encoding = codecs.lookup(charset or "utf-8").name
    except LookupError:  # a charset Python does not know: UTF-8 is the web's default
        encoding = "utf-8"
    return data.decode(encoding, errors="replace").removeprefix("\ufeff")


def _size(max_bytes: int) -> str:
    return f"{max_bytes / 1e6:.1f} MB" if max_bytes >= 100_000 else f"{max_bytes:,} bytes"


def _status_phrase(code: int, reason: object) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return str(reason or "").strip() or "error"


def _network_reason(reason: object, timeout: float) -> str:
    """A reason a person understands for a failure below HTTP."""
    if isinstance(reason, RefusedHostError):
        return f"refused: {reason} (private hosts are off: set fetch.allow_private_hosts or fetch.allowed_networks)"
    if isinstance(reason, TimeoutError) or (isinstance(reason, str) and "timed out" in reason):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, http.client.HTTPException):
        return f"broken HTTP response ({type(reason).__name__})"
    if isinstance(reason, OSError):
        return f"network error ({reason.strerror or reason})"
    return f"could not connect ({reason})"


_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)


def _why_not_a_feed(text: str, fault: object) -> str:
    if not text.strip():
        return "the page is empty"
    if _HTML_START.match(text):
        return "an HTML page"
    if not text.lstrip().startswith("<"):
        return "the page is not XML"
    if fault is None:
        return "no RSS or Atom elements found"
    # Positions would point into feedparser's rewritten copy of the document, so only the message is kept.
    if isinstance(fault, xml.sax.SAXParseException):
        return f"broken XML: {fault.getMessage()}"
    return str(fault) or type(fault).__name__


_TAG = re.compile(r"<[^>]*>")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")


def _plain_text(entry: Any, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        return ""
    detail = entry.get(f"{key}_detail") or {}
    if "html" in str(detail.get("type", "")):
        # Tags become spaces so paragraphs do not run together; no space is left before punctuation.
        value = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", html.unescape(_TAG.sub(" ", value)))
    return " ".join(value.split())


def _entry_published(entry: Any) -> datetime | None:
    # dict.get: FeedParserDict maps a missing "updated" to "published" with a DeprecationWarning.
    for key in ("published", "updated", "created"):
        raw = dict.get(entry, key)
        if isinstance(raw, str) and (value := _feed_date(raw)) is not None:
            return value
        parsed = dict.get(entry, f"{key}_parsed")
        if parsed:  # feedparser's own reading, always in UTC
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _feed_date(raw: str) -> datetime | None:
    """RFC 3339 (Atom) or RFC 822 (RSS), keeping the feed's own UTC offset."""
    text = raw.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
