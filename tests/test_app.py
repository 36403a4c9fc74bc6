"""The Streamlit chat page, run headless with streamlit's AppTest on a real store."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from briefing.answers import NOT_IN_ARTICLES
from briefing.settings import Settings
from briefing.store import ArticleStore

APP = str(Path(str(resources.files("briefing.ui").joinpath("app.py"))))


@pytest.fixture
def app(sample_settings: Settings, sample_store: ArticleStore, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(sample_settings.store.path))
    page = AppTest.from_file(APP, default_timeout=120)
    page.run()
    return page


def test_page_shows_the_store_and_filters(app: AppTest, sample_store: ArticleStore) -> None:
    assert not app.exception
    assert app.title[0].value == "briefing"
    counts = sample_store.catalog.counts()
    assert any(f"{counts['articles']} articles" in c.value for c in app.sidebar.caption)
    assert app.sidebar.multiselect[0].options == sample_store.catalog.sources()


def test_unrelated_question_shows_the_not_in_articles_answer(app: AppTest) -> None:
    app.chat_input[0].set_value("What is the capital of France?").run()
    assert not app.exception
    assert [i.value for i in app.info] == [NOT_IN_ARTICLES]
    assert app.session_state["history"][0].question == "What is the capital of France?"


def test_markdown_escaping_keeps_article_text_inert() -> None:
    from briefing.ui.app import escape_markdown

    assert escape_markdown("[click](http://evil.example) <script>") == (
        "\\[click\\]\\(http://evil\\.example\\) \\<script\\>"
    )
