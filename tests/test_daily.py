"""`briefing daily` and `briefing brief`: feeds from a real local HTTP server, the lock, re-runs, one page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from briefing import Newsroom
from briefing.briefs.daily import AlreadyRunningError, exclusive
from briefing.briefs.periods import Period
from briefing.cli import app
from briefing.index.store import ArticleStore
from briefing.providers import Embedder
from briefing.render import render_pdf_with_pages
from briefing.render.publish import fit_one_page
from briefing.settings import Settings
from tests.web_server import FixtureServer, serving

APRIL_14 = Period(date(2026, 4, 14), date(2026, 4, 14), UTC)
CET = timezone(timedelta(hours=1))


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serving() as httpd:
        yield httpd


def _daily_settings(settings: Settings, server: FixtureServer, tmp_path: Path) -> Settings:
    settings.briefing.feeds = [f"{server.base}/rss.xml"]
    settings.briefing.out_dir = tmp_path / "briefings"
    settings.briefing.extractive = True
    settings.fetch.allow_private_hosts = True  # the test server is on loopback
    return settings


def test_daily_ingests_the_feed_and_writes_the_dated_folder(
    settings: Settings, embedder: Embedder, server: FixtureServer, tmp_path: Path
) -> None:
    settings = _daily_settings(settings, server, tmp_path)
    run = Newsroom(settings, embedder=embedder).daily(APRIL_14)
    folder = tmp_path / "briefings" / "2026-04-14"
    *pages, feed = run.files
    assert sorted(p.name for p in pages) == [
        "briefing.email.html",
        "briefing.html",
        "briefing.json",
        "briefing.md",
        "briefing.pdf",
    ]
    assert all(p.parent == folder for p in pages)
    assert feed == tmp_path / "briefings" / "feed.xml"
    assert [e.title for e in feedparser.parse(feed.read_bytes()).entries] == ["Daily briefing · Tuesday 14 April 2026"]
    failed = {f.origin.rsplit("/", 1)[-1]: f.reason for f in run.failures}
    assert failed == {"ferry-union.html": "HTTP 404 Not Found", "broken.html": "no article text found in the HTML page"}
    assert run.ingest.added  # the good pages went in despite the bad ones
    assert run.briefing is not None
    assert run.briefing.stories
    assert len(PdfReader(folder / "briefing.pdf").pages) == 1
    assert json.loads((folder / "briefing.json").read_text())["since"] == "2026-04-14"
    assert not list(folder.glob(".*tmp"))

    # A second run fetches the feed but no page it already has, and rewrites the same briefing.
    before = len(server.requests)
    again = Newsroom(settings, embedder=embedder).daily(APRIL_14)
    fetched = server.paths_since(before)
    assert fetched == ["/rss.xml", "/ferry-union.html", "/broken.html"]  # only the ones that failed are retried
    assert again.ingest.added == []
    assert again.briefing is not None
    assert again.briefing.stories == run.briefing.stories


def test_a_second_daily_run_waits_for_none(settings: Settings, embedder: Embedder, tmp_path: Path) -> None:
    settings.briefing.out_dir = tmp_path / "briefings"
    with exclusive(settings.briefing.out_dir), pytest.raises(AlreadyRunningError, match="another `briefing daily`"):
        Newsroom(settings, embedder=embedder).daily(APRIL_14)
    with exclusive(settings.briefing.out_dir):  # released when the holder is done
        pass


def test_daily_command_exit_codes(server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FETCH__ALLOW_PRIVATE_HOSTS", "true")
    out = tmp_path / "briefings"
    command = ["--data-dir", str(tmp_path / "store"), "daily", "--feed", f"{server.base}/rss.xml", "--out", str(out)]
    command += ["--date", "2026-04-14", "--extractive", "--timezone", "UTC"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1, result.output  # written, but two pages of the feed failed
    assert "ferry-union.html: HTTP 404 Not Found" in " ".join(result.stderr.split())
    assert (out / "2026-04-14" / "briefing.pdf").is_file()
    with exclusive(out):
        locked = CliRunner().invoke(app, command)
    assert locked.exit_code == 75
    assert "skipped" in locked.stderr


def test_brief_command_writes_the_formats_asked_for(
    sample_settings: Settings, sample_store: ArticleStore, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = ["--data-dir", str(sample_settings.store.path), "brief", "--date", "2026-11-25", "--timezone", "+01:00"]
    result = CliRunner().invoke(app, [*command, "--extractive", "--format", "md,pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["briefing.md", "briefing.pdf"]
    assert "# Briefing" in (out / "briefing.md").read_text()
    printed = CliRunner().invoke(app, [*command, "--extractive"])
    assert printed.exit_code == 0
    assert printed.stdout.startswith("# Briefing")
    bad = CliRunner().invoke(app, [*command, "--format", "docx"])
    assert bad.exit_code == 2
    assert "docx: choose from md, html, pdf, json, email, all" in " ".join(bad.output.replace("│", " ").split())


def test_an_overfull_briefing_is_cut_to_one_page(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    settings = sample_settings.model_copy(deep=True)
    settings.briefing.extractive = True
    settings.briefing.words = 5000
    settings.briefing.points = 4
    settings.briefing.cache_dir = tmp_path / "cache"
    period = Period(date(2026, 11, 24), date(2026, 11, 26), CET)
    full = Newsroom(settings, embedder=embedder, store=sample_store).brief(period)
    full.stories = full.stories + [s.model_copy(update={"story_id": f"{s.story_id}-again"}) for s in full.stories]
    assert render_pdf_with_pages(full)[1] > 1
    fitted = fit_one_page(full.model_copy(deep=True))
    assert render_pdf_with_pages(fitted)[1] == 1
    assert 1 <= len(fitted.stories) < len(full.stories)
    used = {n for s in fitted.sentences() for n in s.citations} | {s.headline_citation for s in fitted.stories}
    assert used == set(range(1, len(fitted.citations) + 1))  # footnotes renumbered, none left unused
