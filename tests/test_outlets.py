"""Page furniture out, readable outlet names in: live-blog stamps, share prompts, headline suffixes, host names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing import Newsroom
from briefing.ingest.articles import Article, article_from_record, clean_body, with_outlet_name
from briefing.ingest.html_pages import parse_html_article
from briefing.ingest.outlets import bare_host, outlet_display_name, tidy_title, without_live_stamps
from briefing.providers import Embedder
from briefing.settings import Settings

LIVE_BLOG = """King Charles and Queen Camilla closed their visit with a dinner in Ottawa, officials said.

10:10 pm ET April 28, 2026 Share this update King Charles joked about the cold during a toast at the dinner.

9:42 p.m.

Copy link

The kickoff of the charity match is set for 6:30 p.m. ET on Sunday, organisers said.

Earlier the royal train reached Quebec City. 9:05 a.m. ET April 29, 2026 Share this update Crowds lined the station.
"""


@pytest.mark.parametrize(
    ("paragraph", "cleaned"),
    [
        ("10:10 pm ET April 28, 2026 Share this update King Charles joked.", "King Charles joked."),
        ("9:42 p.m.", ""),
        ("Updated 7:05 AM EDT", ""),
        ("Share this update", ""),
        ("Link copied!", ""),
        ("11:02 a.m. ET, 3 May 2026 Officials confirmed the count.", "Officials confirmed the count."),
        ("The match starts at 6:30 p.m. ET on Sunday.", "The match starts at 6:30 p.m. ET on Sunday."),
        ("Share this post with your friends if it helped.", "Share this post with your friends if it helped."),
        ("Polls close at 8:00 p.m. PT in California.", "Polls close at 8:00 p.m. PT in California."),
        ("Before. 9:05 a.m. ET April 29, 2026 Share this update Crowds came.", "Before. Crowds came."),
    ],
)
def test_live_blog_stamps_and_share_prompts_go_and_times_in_sentences_stay(paragraph: str, cleaned: str) -> None:
    assert without_live_stamps(paragraph) == cleaned


def test_a_live_blog_body_keeps_only_its_sentences() -> None:
    body = clean_body(LIVE_BLOG)
    assert "Share this update" not in body
    assert "Copy link" not in body
    assert "9:42 p.m." not in body
    assert "King Charles joked about the cold during a toast at the dinner." in body.split("\n\n")
    assert "6:30 p.m. ET on Sunday" in body
    assert "Earlier the royal train reached Quebec City. Crowds lined the station." in body


@pytest.mark.parametrize(
    ("title", "outlet", "host", "tidy"),
    [
        (
            "Mint strikes coin with the mayor's face on it - USA Today",
            "usatoday.com",
            "usatoday.com",
            "Mint strikes coin with the mayor's face on it",
        ),
        ("Ferry fares rise again | CNN Business", "CNN", "cnn.com", "Ferry fares rise again"),
        ("Ferry fares rise again | CNN ...", "cnn.com", "edition.cnn.com", "Ferry fares rise again"),
        ("Harbor fire: what we know | The Harbor Ledger", "The Harbor Ledger", "", "Harbor fire: what we know"),
        ("Port strike ends — Harbor Ledger", "The Harbor Ledger", "harborledger.example", "Port strike ends"),
        ("Storm - The aftermath", "The Harbor Ledger", "harborledger.example", "Storm - The aftermath"),
        ("Trump - the interview", "USA Today", "usatoday.com", "Trump - the interview"),
        ("Council votes: yes to the bridge", "Valley Courier", "", "Council votes: yes to the bridge"),
        ("Opinion | Why the bridge matters", "Valley Courier", "", "Opinion | Why the bridge matters"),
        ("USA Today", "USA Today", "usatoday.com", "USA Today"),  # nothing would be left
    ],
)
def test_headlines_lose_the_outlet_suffix_and_nothing_else(title: str, outlet: str, host: str, tidy: str) -> None:
    assert tidy_title(title, outlet, host) == tidy


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("www.usatoday.com", "USA Today"),
        ("edition.cnn.com", "CNN"),
        ("m.bbc.co.uk", "BBC"),
        ("www.harborledger.example", "harborledger.example"),
        ("The Harbor Ledger", "The Harbor Ledger"),
        ("  Valley   Courier ", "Valley Courier"),
    ],
)
def test_outlets_get_readable_names(source: str, name: str) -> None:
    assert outlet_display_name(source) == name


def test_bare_host_keeps_a_two_label_host() -> None:
    assert bare_host("WWW.Example.com:443") == "example.com"
    assert bare_host("m.com") == "m.com"


def test_a_record_from_www_host_is_named_and_its_title_tidied() -> None:
    record = {
        "url": "https://www.usatoday.com/story/news/2026/04/28/royal-visit/1/",
        "title": "King Charles toasts hosts at state dinner - USA Today",
        "source": "www.usatoday.com",
        "text": LIVE_BLOG,
    }
    article = with_outlet_name(article_from_record(record, "feed.json"), {})
    assert article.source == "USA Today"
    assert article.title == "King Charles toasts hosts at state dinner"
    assert "Share this update" not in article.body


def test_a_learned_site_name_beats_the_known_one() -> None:
    article = Article(id="a1", title="Quay reopens | Ledger", body="The quay reopened.", source="harborledger.example")
    named = with_outlet_name(article, {"harborledger.example": "The Harbor Ledger"})
    assert (named.source, named.title) == ("The Harbor Ledger", "Quay reopens")
    assert named.id != article.id  # no URL: the id follows the outlet and title, as at every ingest


def test_an_html_page_uses_its_site_name_and_tidies_its_title() -> None:
    page = """<html><head><title>Quay reopens after storm | The Harbor Ledger</title>
    <meta property="og:site_name" content="The Harbor Ledger">
    <meta property="article:published_time" content="2026-04-28T21:10:00Z"></head>
    <body><article><h1>Quay reopens after storm | The Harbor Ledger</h1>
    <p>9:05 a.m. ET April 29, 2026 Share this update The harbor master reopened the east quay on Tuesday morning
    after two days of repairs to the storm-damaged sea wall.</p>
    <p>Ferries to the islands resumed at noon, the operator said, with extra crossings planned for the weekend.</p>
    </article></body></html>"""
    article = with_outlet_name(parse_html_article(page, "page.html", url="https://harborledger.example/quay"), {})
    assert article.source == "The Harbor Ledger"
    assert article.title == "Quay reopens after storm"
    assert article.body.startswith("The harbor master reopened the east quay")


def test_ingest_stores_clean_titles_bodies_and_names(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    record = {
        "url": "https://www.usatoday.com/story/news/2026/04/28/royal-visit/1/",
        "title": "King Charles toasts hosts at state dinner - USA Today",
        "published_at": "2026-04-28T22:00:00-04:00",
        "text": LIVE_BLOG,
    }
    (inputs / "live.json").write_text(json.dumps(record), encoding="utf-8")
    room = Newsroom(settings, embedder=embedder)
    assert len(room.ingest([inputs]).added) == 1
    [(stored, _)] = room.store.catalog.published_between(20260401, 20260501)
    assert (stored.source, stored.title) == ("USA Today", "King Charles toasts hosts at state dinner")
    assert "Share this update" not in stored.body
    assert "9:42 p.m." not in stored.body
