"""Parsing and cleaning articles from scraped text, HTML and JSON records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from briefing.errors import InputError
from briefing.ingest.articles import (
    article_from_record,
    byline,
    canonical_url,
    clean_body,
    make_article_id,
    parse_published,
    parse_scraped_text,
    split_authors,
)
from briefing.ingest.html_pages import parse_html_article
from tests.conftest import FIXTURES, SEED


def test_scraped_page_fixture() -> None:
    article = parse_scraped_text((FIXTURES / "scraped_page.txt").read_text(), "scraped_page.txt")
    assert article.title == "Lakeside council approves ferry subsidy after heated debate"
    assert article.published == datetime(2026, 3, 3, 8, 5)
    assert article.authors == ("Oda Lindqvist",)
    assert article.source == "lakesidepost.example"
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("LAKESIDE, Mar. 3 - The Lakeside town council voted 6-3")
    assert paragraphs[-1].startswith("The ferry operator, Nordvik Lines")
    assert len(paragraphs) == 4
    for dropped in ("From", "Send to", "(Lakeside Post)", "oda.lindqvist@", "By Oda"):
        assert dropped not in article.body


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_founding_seed_article() -> None:
    article = parse_scraped_text(SEED.read_text(), SEED.name)
    assert article.title == "White House negates Tillerson’s offer for talks with N. Korea"
    assert article.published == datetime(2017, 12, 14, 17, 31)
    assert article.authors == ("Kim So-hyun",)
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("The White House said Wednesday")
    assert paragraphs[-1].startswith("“We still need to grasp the specifics")
    assert len(paragraphs) == 19
    for dropped in ("Send to", "(Yonhap)", "sophie@heraldcorp.com"):
        assert dropped not in article.body
    assert "told Reuters and Yonhap News Agency" in article.body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T08:40:00+01:00", datetime(2026, 11, 25, 8, 40, tzinfo=timezone(timedelta(hours=1)))),
        ("2026-11-25T07:40:00Z", datetime(2026, 11, 25, 7, 40, tzinfo=UTC)),
        ("2025/09/10", date(2025, 9, 10)),
        ("2026-11-26", date(2026, 11, 26)),
        ("Dec. 14, 2017 - 17:31", datetime(2017, 12, 14, 17, 31)),
        ("November 24, 2026", date(2026, 11, 24)),
        ("Tue, 24 Nov 2026 09:15:00 GMT", datetime(2026, 11, 24, 9, 15, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("not a date at all", None),
    ],
)
def test_parse_published(value: str | None, expected: object) -> None:
    parsed = parse_published(value)
    assert parsed == expected
    assert type(parsed) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("By Ana Ruiz and Tom Becker", ("Ana Ruiz", "Tom Becker")),
        ("Kim So-hyun", ("Kim So-hyun",)),
        (["A. Nowak", "B. Osei", "A. Nowak"], ("A. Nowak", "B. Osei")),
        ([{"name": "Lee Park"}], ("Lee Park",)),
        ("Ines Varga, Paolo Conti & Mei Tan", ("Ines Varga", "Paolo Conti", "Mei Tan")),
        (None, ()),
    ],
)
def test_split_authors(value: object, expected: tuple[str, ...]) -> None:
    assert split_authors(value) == expected


@pytest.mark.parametrize(
    ("record", "title", "published", "authors", "source"),
    [
        (
            {
                "title": "T1",
                "body": "One.\n\nTwo.",
                "published_at": "2026-11-24T10:00:00-05:00",
                "authors": ["Ann Lee"],
                "source": "Valley Courier",
                "url": "https://vc.example/a?utm_source=x",
            },
            "T1",
            datetime(2026, 11, 24, 10, tzinfo=timezone(timedelta(hours=-5))),
            ("Ann Lee",),
            "Valley Courier",
        ),
        (
            {
                "title": "T2",
                "text": "Body text here.",
                "publish_date": "2026/11/26",
                "author": "Bo Chen",
                "url": "https://www.harbor.example/story",
            },
            "T2",
            date(2026, 11, 26),
            ("Bo Chen",),
            "harbor.example",
        ),
        (
            {"headline": "T3", "content": "Body.", "date": "2026-11-25", "source": {"name": "Capital Post"}},
            "T3",
            date(2026, 11, 25),
            (),
            "Capital Post",
        ),
    ],
)
def test_article_from_record(
    record: dict[str, object], title: str, published: object, authors: object, source: str
) -> None:
    article = article_from_record(record, "records.json")
    assert (article.title, article.published, article.authors, article.source) == (title, published, authors, source)


def test_record_without_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"records.jsonl:3: record has no article text"):
        article_from_record({"title": "Only a title"}, "records.jsonl:3")


def test_ids_are_stable_and_url_canonical() -> None:
    a = make_article_id("https://www.Example.com/news/1/?utm_source=rss#top", "x", None, "s")
    b = make_article_id("https://example.com/news/1", "other title", None, "other")
    assert a == b
    assert canonical_url("HTTPS://WWW.Example.com/a/?b=1&utm_medium=x") == "https://example.com/a?b=1"
    assert make_article_id(None, "Title", date(2026, 1, 2), "S") == make_article_id(
        None, "title ", date(2026, 1, 2), "s"
    )


def test_clean_body_drops_boilerplate_and_keeps_story() -> None:
    raw = "Share\n\nFirst paragraph\nwraps here.\n\n(Photo Agency)\n\nSecond one.\n\nBy A Writer (a@b.example)"
    assert clean_body(raw) == "First paragraph wraps here.\n\nSecond one."


def test_clean_body_drops_the_sites_promotions_links_and_page_notes() -> None:
    raw = "\n\n".join(
        [
            "Editor's note: This page reflects news of the Vell floods for Tuesday, March 3. For the latest news, "
            "read our coverage for Wednesday.",
            "AI-assisted summary The Vell burst its banks at Hollins Bridge, and about 1,200 homes were evacuated.",
            "Need a break? Play the Harbor Ledger crossword.",
            "Looking for a free mini puzzle? Play the Harbor Ledger mini now.",
            "River levels peaked at 6.1 metres on Tuesday night, the water board said.",
            "More:Bridge repairs delayed again",
            "Live updates: Crews race to reopen the bridge",
            "Stories about the weather: Sign up for the Harbor Ledger's Climate newsletter.",
            "Subscribe to The Week Get the facts behind the news. SUBSCRIBE & SAVE",
            "Video Ad Feedback",
            "Editor's note: This story has been updated to correct the number of homes evacuated.",
            "More than 300 volunteers filled sandbags, and more are needed on Wednesday.",
        ]
    )
    assert clean_body(raw).split("\n\n") == [
        "The Vell burst its banks at Hollins Bridge, and about 1,200 homes were evacuated.",
        "River levels peaked at 6.1 metres on Tuesday night, the water board said.",
        "Editor's note: This story has been updated to correct the number of homes evacuated.",  # a correction stays
        "More than 300 volunteers filled sandbags, and more are needed on Wednesday.",
    ]


def test_a_sentence_that_mentions_a_newsletter_or_more_stays() -> None:
    long_sentence = (
        "The council will ask residents to sign up for the flood newsletter it sends before each high tide, the mayor "
        "said on Tuesday, after the alerts it posted online reached too few of the households on the river bank."
    )
    more = "More: the strike began with 3,400 workers out, the union said, and the port's managers expected it to last."
    assert clean_body(f"{long_sentence}\n\n{more}") == f"{long_sentence}\n\n{more}"


HTML_PAGE = """<!doctype html><html><head><title>Ferry saved | Lakeside Post</title>
<meta property="og:title" content="Ferry saved for the winter">
<meta property="og:site_name" content="Lakeside Post">
<meta name="author" content="Oda Lindqvist">
<meta property="article:published_time" content="2026-03-03T08:05:00+01:00">
<link rel="canonical" href="https://lakesidepost.example/ferry-saved"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Ferry saved for the winter</h1>
<p>The Lakeside town council voted 6-3 late Monday to keep the island ferry running through the winter months.</p>
<p>Councillor Pia Strand said the island would empty out in January without the ferry, and the subsidy passed.</p>
<p>Opponents argued that the town's two ageing bridges needed the 1.8 million crowns more urgently.</p>
</article><aside><h3>Related stories</h3><a href="/x">Bridge repairs delayed again</a></aside>
<footer>Copyright 2026 Lakeside Post. All rights reserved.</footer></body></html>"""


def test_html_page() -> None:
    article = parse_html_article(HTML_PAGE, "page.html")
    assert article.title == "Ferry saved for the winter"
    assert article.source == "Lakeside Post"
    assert article.url == "https://lakesidepost.example/ferry-saved"
    assert article.authors == ("Oda Lindqvist",)
    assert article.published == datetime(2026, 3, 3, 8, 5, tzinfo=timezone(timedelta(hours=1)))
    assert article.body.startswith("The Lakeside town council voted 6-3")
    assert "bridges needed the 1.8 million crowns" in article.body
    for dropped in ("cookies", "Related stories", "Copyright", "Sport"):
        assert dropped not in article.body


def test_html_without_article_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        parse_html_article("<html><body><nav>Home</nav></body></html>", "empty.html")


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ((), ""),
        (("Ann Holt",), "Ann Holt"),
        (("Ann Holt", "Per Lund"), "Ann Holt and Per Lund"),
        (("A. Holt", "P. Lund", "M. Berg"), "A. Holt, P. Lund and M. Berg"),
    ],
)
def test_byline(authors: tuple[str, ...], expected: str) -> None:
    assert byline(authors) == expected
