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


def _page_with_a_partly_unsupported_answer() -> None:
    from briefing.ui.app import show_answer

    from briefing.answers import Answer, AnswerSentence, Citation, UnsupportedSentence

    citation = Citation(
        number=1, article_id="a1", title="Council approves tram", source="Valley Courier", text="The vote was 7-4.",
        start=0, end=17,
    )  # fmt: skip
    show_answer(
        Answer(
            question="q",
            text="The council voted 7-4. [1]",
            sentences=[AnswerSentence(text="The council voted 7-4.", citations=[1])],
            citations=[citation],
            unsupported=[UnsupportedSentence(text="Work starts in 2031.", reason="numbers not in the source: 2031")],
        )
    )


def test_sentences_left_out_by_the_verifier_are_shown_as_such() -> None:
    page = AppTest.from_function(_page_with_a_partly_unsupported_answer, default_timeout=60)
    page.run()
    assert not page.exception
    labels = [e.label for e in page.expander]
    assert any("1 sentence(s) left out" in label for label in labels)
    assert "Work starts in 2031.\n  (numbers not in the source: 2031)" in [t.value for t in page.text]
