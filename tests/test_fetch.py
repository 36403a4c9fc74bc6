"""Fetching pages and feeds from a real HTTP server on 127.0.0.1 serving tests/fixtures/web/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from briefing.errors import InputError
from briefing.ingest.articles import Article, canonical_url, make_article_id
from briefing.ingest.outbound import HostGuard
from briefing.ingest.web import USER_AGENT, FeedEntry, fetch_text, parse_feed, read_feed, read_page, read_urls
from tests.conftest import free_port
from tests.web_server import BIG_BYTES, CET, SLOW_SECONDS, WEB, FixtureServer, serving

LOCAL = HostGuard(allow_private=True)
"""The fixture server is on loopback, which a fetch refuses by default (tests/test_outbound.py)."""


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    """A real HTTP server on a free port of 127.0.0.1, in a thread, for this module."""
    with serving() as httpd:
        yield httpd


@pytest.fixture
def base(server: FixtureServer) -> str:
    """The server's address, e.g. http://127.0.0.1:40123."""
    return server.base


def _split(results: list[Article | InputError]) -> tuple[list[Article], list[tuple[str, str]]]:
    articles = [item for item in results if isinstance(item, Article)]
    errors = [(item.origin, item.reason) for item in results if isinstance(item, InputError)]
    return articles, errors


# ---- pages -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "title", "published", "source", "authors", "first_words"),
    [
        (
            "harbour-ferry.html",
            "Night ferry to Aldholm will trial a battery-electric boat this summer",
            datetime(2026, 4, 14, 7, 30, tzinfo=timezone(timedelta(hours=2))),
            "The Kestrel Bay Ledger",
            ("Maren Solberg",),
            "KESTREL BAY – The overnight ferry between Kestrel Bay",
        ),
        (
            "orchard-frost.html",
            "Growers in Dunmore Valley fight a late frost with fans and fire",
            datetime(2026, 4, 12, 18, 45, tzinfo=timezone(timedelta(hours=-5))),
            "Valley Orchard Times",
            ("Rosa Delgado-Finch",),
            "DUNMORE VALLEY – Apricot growers spent Sunday night",
        ),
        (
            "library-robots.html",
            "Millbrook library adds robot kits to its lending shelves",
            None,
            "Millbrook Evening Star",
            ("Tobias Okafor",),
            "Teenagers in Millbrook can now borrow a programmable robot",
        ),
        (
            "xhtml-latin1.html",  # ISO-8859-1 declared only in its XML declaration, which lxml refuses in a str
            "Ålvik bakery may light its old stone oven again",
            datetime(2026, 4, 9, 6, 15, tzinfo=timezone(timedelta(hours=2))),
            "The Fjordside Herald",
            ("Hélène Marchetti",),
            "The bakery on Ålvik's harbour square",
        ),
    ],
    ids=["dated", "dated-other-offset", "undated", "xhtml-latin1"],
)
def test_read_page(
    base: str,
    page: str,
    title: str,
    published: datetime | None,
    source: str,
    authors: tuple[str, ...],
    first_words: str,
) -> None:
    url = f"{base}/{page}"
    article = read_page(url, guard=LOCAL)
    assert article.title == title
    assert article.published == published
    assert article.source == source
    assert article.authors == authors
    assert article.url == url
    assert article.origin == url
    assert article.id == make_article_id(url, title, published, source)
    assert article.body.startswith(first_words)
    assert 150 <= len(article.body.split()) <= 300
    for boilerplate in ("cookies", "Most read", "Sign up", "Subscribe", "©", "Privacy", "More from", "Send us a tip"):
        assert boilerplate not in article.body


def test_read_page_follows_redirects_and_keeps_the_requested_url(server: FixtureServer, base: str) -> None:
    start = len(server.requests)
    article = read_page(f"{base}/redirect", guard=LOCAL)
    assert article.title == "Night ferry to Aldholm will trial a battery-electric boat this summer"
    assert article.url == f"{base}/redirect"  # the URL a feed or the user gave: what skip_urls compares
    assert server.paths_since(start) == ["/redirect", "/harbour-ferry.html"]


def test_requests_name_the_tool(server: FixtureServer, base: str) -> None:
    start = len(server.requests)
    fetch_text(f"{base}/harbour-ferry.html", guard=LOCAL)
    assert server.requests[start:] == [("/harbour-ferry.html", USER_AGENT)]
    assert USER_AGENT == "briefing/0.1 (+local news reader)"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/latin1.txt", "Café crème in Kestrel Bay"),  # decoded by the charset the server names
        ("/meta-charset.html", "“Smart” quotes – and a dash"),  # no charset header: the page's <meta charset>
        ("/xhtml-latin1.html", "Ålvik bakery may light"),  # no charset header: the XML declaration
        ("/no-charset.txt", "Smørrebrød at the quay"),  # no charset anywhere: UTF-8
        ("/rss.xml", "<title>Coastal Regions Digest</title>"),  # application/rss+xml is text
    ],
)
def test_fetch_text_decodes(base: str, path: str, expected: str) -> None:
    assert expected in fetch_text(base + path, guard=LOCAL)


@pytest.mark.parametrize(
    ("path", "options", "reason"),
    [
        ("/ferry-union.html", {}, "HTTP 404 Not Found"),
        ("/slow", {"timeout": 0.5}, "timed out after 0.5 s"),
        ("/big", {"max_bytes": 100_000}, "page is larger than 0.1 MB"),
        ("/big-unsized", {"max_bytes": 100_000}, "page is larger than 0.1 MB"),
        ("/big", {"max_bytes": 5_000}, "page is larger than 5,000 bytes"),
        ("/image.png", {}, "not a text page (image/png)"),
        ("/redirect-ftp", {}, "redirected to a non-http(s) URL (ftp://127.0.0.1/harbour-ferry.html)"),
    ],
)
def test_fetch_failures_have_clear_reasons(base: str, path: str, options: dict[str, Any], reason: str) -> None:
    url = base + path
    with pytest.raises(InputError) as caught:
        fetch_text(url, guard=LOCAL, **options)
    assert caught.value.origin == url
    assert caught.value.reason == reason
    assert str(caught.value) == f"{url}: {reason}"


def test_fetch_within_size_limit(base: str) -> None:
    assert len(fetch_text(f"{base}/big", max_bytes=BIG_BYTES, guard=LOCAL)) == BIG_BYTES


def test_timeout_does_not_wait_for_the_server(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=r"timed out after 0\.5 s"):
        read_page(f"{base}/slow", timeout=0.5, guard=LOCAL)
    assert time.monotonic() - started < SLOW_SECONDS


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/story.html", "file:///etc/hostname", "javascript:alert(1)", "news.example/story", "http://", ""],
)
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(InputError) as caught:
        fetch_text(url)
    assert caught.value.reason == "not an http(s) URL"


def test_connection_refused() -> None:
    with pytest.raises(InputError) as caught:
        fetch_text(f"http://127.0.0.1:{free_port()}/story.html", timeout=2, guard=LOCAL)
    assert caught.value.reason == "connection refused"


def test_read_urls_goes_on_after_a_bad_page(base: str) -> None:
    urls = [f"{base}/orchard-frost.html", f"{base}/ferry-union.html", "mailto:desk@example.org", f"{base}/broken.html"]
    results = list(read_urls(urls, guard=LOCAL, default_source="Fallback Outlet"))
    assert [type(item) for item in results] == [Article, InputError, InputError, InputError]
    articles, errors = _split(results)
    assert articles[0].source == "Valley Orchard Times"  # the page's own name beats the default
    assert errors == [
        (f"{base}/ferry-union.html", "HTTP 404 Not Found"),
        ("mailto:desk@example.org", "not an http(s) URL"),
        (f"{base}/broken.html", "no article text found in the HTML page"),
    ]


# ---- feeds -----------------------------------------------------------------------------------------------------

FEED_URL = "https://news.example/feeds/top.xml"
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Top</title>
<item><title>Up one level</title><link>../stories/one.html</link><pubDate>Tue, 14 Apr 2026 09:00:00 EST</pubDate></item>
<item><title>Same folder</title><link>two.html</link><pubDate>Mon, 13 Apr 2026 16:20:00 +0100</pubDate></item>
<item><title>Elsewhere &amp; beyond</title><link>https://other.example/three</link></item>
<item><title>Only a title</title><description>No link here.</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Top</title><id>urn:x</id><updated>2026-04-14T08:00:00Z</updated>
<entry><title type="html">&lt;b&gt;Bold&lt;/b&gt; move</title><id>urn:x:1</id><link href="/a/one"/>
<published>2026-04-12T23:50:00+02:00</published><updated>2026-04-13T06:00:00Z</updated>
<summary type="html">&lt;p&gt;First &lt;em&gt;story&lt;/em&gt;.&lt;/p&gt;</summary></entry>
<entry><title>Only updated</title><id>urn:x:2</id><link rel="alternate" href="b/two"/>
<updated>2026-04-13T15:20:00Z</updated></entry>
<entry><title>Undated</title><id>urn:x:3</id><link href="https://news.example/c/three"/></entry>
</feed>"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            RSS,
            [
                FeedEntry(
                    "https://news.example/stories/one.html",
                    "Up one level",
                    datetime(2026, 4, 14, 9, tzinfo=timezone(timedelta(hours=-5))),
                    "",
                ),
                FeedEntry(
                    "https://news.example/feeds/two.html", "Same folder", datetime(2026, 4, 13, 16, 20, tzinfo=CET), ""
                ),
                FeedEntry("https://other.example/three", "Elsewhere & beyond", None, ""),
            ],
        ),
        (
            ATOM,
            [
                FeedEntry(
                    "https://news.example/a/one",
                    "Bold move",
                    datetime(2026, 4, 12, 23, 50, tzinfo=timezone(timedelta(hours=2))),
                    "First story.",
                ),
                FeedEntry(
                    "https://news.example/feeds/b/two", "Only updated", datetime(2026, 4, 13, 15, 20, tzinfo=UTC), ""
                ),
                FeedEntry("https://news.example/c/three", "Undated", None, ""),
            ],
        ),
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet day</title></channel></rss>', []),
    ],
    ids=["rss", "atom", "empty-feed"],
)
def test_parse_feed(text: str, expected: list[FeedEntry]) -> None:
    assert parse_feed(text, FEED_URL) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ((WEB / "harbour-ferry.html").read_text(), "an HTML page"),
        ("", "the page is empty"),
        ("Quay closed for repairs until Friday.", "the page is not XML"),
        ('{"items": []}', "the page is not XML"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut sh', "broken XML: no element found"),
        ('<?xml version="1.0"?><catalog><book>Tide tables</book></catalog>', "no RSS or Atom elements found"),
    ],
    ids=["html", "empty", "plain-text", "json", "cut-short", "other-xml"],
)
def test_not_a_feed(text: str, why: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_feed(text, FEED_URL)
    assert caught.value.origin == FEED_URL
    assert caught.value.reason == f"not an RSS or Atom feed ({why})"


def test_parse_feed_fetches_nothing(server: FixtureServer, base: str) -> None:
    start = len(server.requests)
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        parse_feed(f"{base}/rss.xml", f"{base}/rss.xml")  # a URL as text is text, not something to open
    assert server.paths_since(start) == []


def test_read_rss_feed(server: FixtureServer, base: str) -> None:
    start = len(server.requests)
    articles, errors = _split(list(read_feed(f"{base}/rss.xml", guard=LOCAL)))
    requested = server.paths_since(start)

    assert [article.url for article in articles] == [
        f"{base}/harbour-ferry.html",  # a relative link, resolved against the feed's URL
        f"{base}/library-robots.html",
        f"{base}/night-buses.html",
    ]
    ferry, library, buses = articles
    # The page's own title and date win over the feed's.
    assert ferry.title == "Night ferry to Aldholm will trial a battery-electric boat this summer"
    assert ferry.published == datetime(2026, 4, 14, 7, 30, tzinfo=timezone(timedelta(hours=2)))
    # The page has no date: the entry's, with its UTC offset; the id is the one a direct read gives.
    assert library.published == datetime(2026, 4, 13, 16, 20, tzinfo=CET)
    assert library.published_day == date(2026, 4, 13)
    assert library.id == read_page(f"{base}/library-robots.html", guard=LOCAL).id
    # The page has no headline: the entry's.
    assert buses.title == "Eastmere to try night buses on two routes"
    assert buses.source == "Eastmere Courier"
    assert buses.published == datetime(2026, 4, 10, 12, tzinfo=CET)
    assert buses.body.startswith("Eastmere will run buses through the night")

    assert errors == [
        (f"{base}/ferry-union.html", "HTTP 404 Not Found"),
        (f"{base}/broken.html", "no article text found in the HTML page"),
    ]
    # The same story linked twice (once with tracking parameters) is fetched once.
    assert requested == [
        "/rss.xml",
        "/harbour-ferry.html",
        "/library-robots.html",
        "/night-buses.html",
        "/ferry-union.html",
        "/broken.html",
    ]


def test_read_atom_feed(base: str) -> None:
    articles, errors = _split(list(read_feed(f"{base}/atom.xml", guard=LOCAL)))
    assert [(article.url, article.title) for article in articles] == [
        (f"{base}/orchard-frost.html", "Growers in Dunmore Valley fight a late frost with fans and fire"),
        (f"{base}/library-robots.html", "Millbrook library adds robot kits to its lending shelves"),
    ]
    assert articles[0].published == datetime(2026, 4, 12, 18, 45, tzinfo=timezone(timedelta(hours=-5)))
    assert articles[1].published == datetime(2026, 4, 13, 15, 20, tzinfo=UTC)
    assert errors == [
        (f"{base}/missing-story.html", "HTTP 404 Not Found"),
        (f"{base}/broken.html", "no article text found in the HTML page"),
    ]


def test_skip_urls_are_not_fetched(server: FixtureServer, base: str) -> None:
    known = [canonical_url(f"{base}/harbour-ferry.html"), canonical_url(f"{base}/library-robots.html")]
    start = len(server.requests)
    articles, errors = _split(list(read_feed(f"{base}/rss.xml", skip_urls=known, guard=LOCAL)))
    assert [article.url for article in articles] == [f"{base}/night-buses.html"]
    assert [origin for origin, _ in errors] == [f"{base}/ferry-union.html", f"{base}/broken.html"]
    assert server.paths_since(start) == ["/rss.xml", "/night-buses.html", "/ferry-union.html", "/broken.html"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/not-a-feed.xml", "not an RSS or Atom feed (an HTML page)"),
        ("/no-such-feed.xml", "HTTP 404 Not Found"),
        ("/image.png", "not a text page (image/png)"),
    ],
)
def test_a_bad_feed_yields_one_error(server: FixtureServer, base: str, path: str, reason: str) -> None:
    start = len(server.requests)
    results = list(read_feed(base + path, guard=LOCAL))
    assert [(error.origin, error.reason) for error in results if isinstance(error, InputError)] == [
        (base + path, reason)
    ]
    assert len(results) == 1
    assert server.paths_since(start) == [path]
