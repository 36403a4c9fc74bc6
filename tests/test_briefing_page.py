"""The app's Briefing page shows every part of a briefing: a saved briefing with quotes, a timeline, a fact of one
outlet, a story in brief, a story with nothing new and what was read, opened from the sidebar (streamlit's AppTest,
real store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from briefing.briefs.archive import folder_name
from briefing.briefs.page import Briefing
from briefing.index.store import ArticleStore
from briefing.render import write
from briefing.render.wording import IN_BRIEF_HEADING, STILL_DEVELOPING_HEADING
from briefing.settings import Settings
from tests.test_app import TIMEOUT, _run, _texts
from tests.test_render import (
    BRIEF_HEADLINE,
    BRIEF_LINE,
    INPUTS_LINE,
    QUIET_HEADLINE,
    QUOTE_LINE,
    STILL_LINE,
    make_developing_briefing,
)


def _briefing_page() -> None:
    from briefing.ui import briefing_page

    briefing_page.render(llm=None)


def _plain(markdown: str) -> str:
    """Markdown as read: escapes and emphasis marks removed."""
    return markdown.replace("\\", "").replace("**", "")


@pytest.fixture
def opened(
    sample_settings: Settings, sample_store: ArticleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AppTest:
    """The Briefing page on the sample store, the developing briefing saved and opened from the sidebar."""
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(sample_settings.store.path))
    monkeypatch.setenv("BRIEFING_BRIEFING__OUT_DIR", str(tmp_path / "briefings"))
    saved = make_developing_briefing()
    write(saved, tmp_path / "briefings" / folder_name(saved), ["json"])
    page = _run(AppTest.from_function(_briefing_page, default_timeout=TIMEOUT))
    page.sidebar.selectbox(key="brief-previous").select_index(0).run()
    page.sidebar.button[0].click().run()
    assert not page.exception
    assert isinstance(page.session_state["briefing_shown"], Briefing)
    return page


def test_the_briefing_page_shows_quotes_timeline_stories_in_brief_still_developing_and_what_was_read(
    opened: AppTest,
) -> None:
    markdown = [_plain(text) for text in _texts(opened, "markdown")]
    captions = [_plain(text) for text in _texts(opened, "caption")]
    shown = "\n".join(markdown)
    assert (
        "Reported by Meridian Wire, The Harbor Ledger and Northgate Tribune · 3 outlets · developing since Tue 24 Nov"
        in captions
    )
    assert "Two ships were diverted to Eastport. [[4]](./library?article=article-4" in shown
    assert ":gray[(only Northgate Tribune)]" in shown
    quotes = next(text for text in markdown if text.startswith("Who said what"))
    assert f"- {QUOTE_LINE} [[5]](./library?article=article-5" in quotes  # the words exactly, markup as text
    timeline = next(text for text in markdown if text.startswith("Timeline"))
    assert "- Tue 24 Nov — The union called the strike. [[6]](" in timeline
    assert timeline.index("Tue 24 Nov") < timeline.index("Wed 25 Nov")
    assert markdown.index(quotes) < markdown.index(IN_BRIEF_HEADING) < markdown.index(STILL_DEVELOPING_HEADING)
    (brief,) = [text for text in markdown if text.startswith(f"- {BRIEF_HEADLINE}")]
    assert brief.startswith(f"- {BRIEF_HEADLINE} [[8]](./library?article=article-8")
    assert brief.endswith(f" · {BRIEF_LINE}")
    assert markdown.index(IN_BRIEF_HEADING) < markdown.index(brief) < markdown.index(STILL_DEVELOPING_HEADING)
    (still,) = [text for text in markdown if QUIET_HEADLINE in text]
    assert still.startswith(f"- {QUIET_HEADLINE} [[1]](./library?article=article-1")
    assert still.endswith(STILL_LINE)
    assert "A key point that a story with nothing new never shows." not in shown
    assert INPUTS_LINE in captions
