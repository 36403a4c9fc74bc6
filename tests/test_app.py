"""The Streamlit app, page by page, run headless with streamlit's AppTest on real stores.

Pages take the chat model as an argument (`llm=`), so the answer logic is driven by a fake model here; the
end-to-end test in a real browser (test_app_browser.py) uses the real local model.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from briefing.answer.types import NOT_IN_ARTICLES
from briefing.index.store import ArticleStore
from briefing.providers.health import LOCAL_CHAT, LOCAL_EMBEDDER
from briefing.settings import Settings
from tests.conftest import SAMPLES
from tests.fakes import FakeChat, FakeRater, answer_reply, evidence_reply
from tests.web_server import FixtureServer, serving

APP = str(Path(str(resources.files("briefing.ui").joinpath("app.py"))))
TIMEOUT = 180
UNION_SENTENCE = "The union is seeking a 9 percent pay rise over two years."


# AppTest runs these functions' source as a script: only builtins in their signatures.
def _chat_page(**options: object) -> None:
    from briefing.ui import chat

    chat.render(**options)


def _briefing_page(**options: object) -> None:
    from briefing.ui import briefing_page

    briefing_page.render(**options)


def _library_page() -> None:
    from briefing.ui import library

    library.render()


def _evals_page(**options: object) -> None:
    from briefing.ui import evals_page

    evals_page.render(**options)


def _run(page: AppTest) -> AppTest:
    page.run()
    assert not page.exception, page.exception
    return page


def _page(script: Any, **kwargs: Any) -> AppTest:
    """One page's script, run once."""
    return _run(AppTest.from_function(script, kwargs=kwargs, default_timeout=TIMEOUT))


def _app() -> AppTest:
    """The whole app (navigation, sidebar, default page), run once."""
    return _run(AppTest.from_file(APP, default_timeout=TIMEOUT))


def _texts(page: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in page.get(kind)]


def _html(page: AppTest) -> str:
    return "\n".join(str(element.proto.body) for element in page.get("html"))


@pytest.fixture
def on_sample(sample_settings: Settings, sample_store: ArticleStore, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app configured on the session's sample store, its briefings written to a fresh folder."""
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(sample_settings.store.path))
    return sample_settings


@pytest.fixture
def on_empty(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app configured on an empty store of its own."""
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(settings.store.path))
    return settings


# ---- the whole app --------------------------------------------------------------------------------------------


def test_the_app_opens_on_the_chat_with_the_models_in_the_sidebar(on_sample: Settings) -> None:
    page = _app()
    assert page.title[0].value == "Ask your articles"
    sidebar = " ".join(str(c.value) for c in page.sidebar.caption)
    assert LOCAL_CHAT in sidebar.replace("\\", "")
    assert LOCAL_EMBEDDER in sidebar.replace("\\", "")
    assert not page.sidebar.error


def test_an_unreachable_server_is_a_clear_message_not_a_traceback(
    on_sample: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_LLM__PROVIDER", "openai")
    monkeypatch.setenv("BRIEFING_LLM__BASE_URL", "http://127.0.0.1:9/v1")
    page = _app()
    assert any("Cannot reach http://127.0.0.1:9/v1" in e.value.replace("\\", "") for e in page.sidebar.error)
    page.chat_input[0].set_value("What pay rise does the dockworkers' union want?").run()
    assert not page.exception
    assert any("Cannot reach http://127.0.0.1:9/v1" in e.value.replace("\\", "") for e in page.main.error)


def test_a_missing_key_says_what_to_set(on_sample: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_LLM__PROVIDER", "openai")
    monkeypatch.delenv("BRIEFING_LLM__BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    page = _app()
    page.chat_input[0].set_value("What pay rise does the dockworkers' union want?").run()
    assert not page.exception
    for errors in (page.sidebar.error, page.main.error):
        assert any("needs an API key: set OPENAI_API_KEY" in e.value.replace("\\", "") for e in errors)


def test_models_and_the_store_are_created_once_per_configuration(
    on_sample: Settings, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.ui.resources import shared

    first = shared()
    assert shared() is first  # every session of the process gets the same embedder and store
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(settings.store.path))
    other = shared()
    assert other is not first
    assert other.room.embedder is not first.room.embedder
    assert other.room.store.catalog.counts()["articles"] == 0


# ---- chat -----------------------------------------------------------------------------------------------------


def test_an_answer_links_its_citations_marks_what_was_left_out_and_opens_the_passage(
    on_sample: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_ANSWER__MODE", "compose")  # the model writes the answer, so it can write too much
    llm = FakeChat(answer_reply(UNION_SENTENCE, "Work starts in 2031."))
    page = _page(_chat_page, llm=llm)
    page.chat_input[0].set_value("What pay rise does the dockworkers' union want?").run()
    assert not page.exception
    (answer,) = page.session_state["chat_history"]
    (citation,) = answer.citations
    markdown = _texts(page, "markdown")
    linked = f"[\\[1\\]](./library?article={citation.article_id}&start={citation.start}&end={citation.end})"
    assert any(text.startswith("The union is seeking a 9 percent") and linked in text for text in markdown)
    assert any("Not supported by the articles, left out:] ~~Work starts in 2031\\.~~" in text for text in markdown)
    assert llm.schemas[-1] is not None  # the reply was streamed under the answer's JSON schema
    page.button(key="answer-0-1").click().run()
    assert not page.exception
    marked = f"<mark>{citation.text}</mark>"
    assert marked.replace("'", "&#x27;").replace('"', "&quot;") in _html(page)


def test_an_answer_is_the_picked_sentence_verbatim_and_cited(on_sample: Settings) -> None:
    llm = FakeChat(evidence_reply("9 percent"))
    page = _page(_chat_page, llm=llm)
    page.chat_input[0].set_value("What pay rise does the dockworkers' union want?").run()
    assert not page.exception
    (answer,) = page.session_state["chat_history"]
    (sentence,) = answer.sentences
    (citation,) = answer.citations
    assert "9 percent" in sentence.text
    assert " ".join(citation.text.split()) == sentence.text  # the source's own words, not a rewrite
    linked = f"[\\[1\\]](./library?article={citation.article_id}&start={citation.start}&end={citation.end})"
    assert any(linked in text for text in _texts(page, "markdown"))
    assert "[1] " in llm.asked[0][1]["content"]  # the model was shown numbered sentences


def test_an_answer_a_second_look_doubts_is_left_out_as_not_answering(on_sample: Settings) -> None:
    llm = FakeRater(evidence_reply("9 percent"), yes=0.2)
    page = _page(_chat_page, llm=llm)
    page.chat_input[0].set_value("Which forensics firm did the union hire?").run()
    assert not page.exception
    (answer,) = page.session_state["chat_history"]
    assert answer.not_in_articles
    markdown = _texts(page, "markdown")
    assert any(text.startswith(":orange[Does not answer the question, left out:]") for text in markdown)
    assert any("a second look is 20% sure it does" in text for text in markdown)


def test_a_follow_up_question_is_understood_in_context(on_sample: Settings) -> None:
    rewritten = "What pay rise is the Port Alder Dockworkers' Union seeking?"
    llm = FakeChat(evidence_reply("4.5 percent"))
    page = _page(_chat_page, llm=llm)
    page.chat_input[0].set_value("What did the employers offer the dockworkers?").run()
    llm.replies = [llm.reply, json.dumps({"question": rewritten}), evidence_reply("9 percent")]
    page.chat_input[0].set_value("And what does the union want?").run()
    assert not page.exception
    first, second = page.session_state["chat_history"]
    assert second.question == "And what does the union want?"
    assert second.asked_as == rewritten
    assert f"Understood as: {rewritten}" in [c.value for c in page.caption]
    assert first.question in llm.asked[1][1]["content"]  # the rewrite saw the earlier exchange
    assert "9 percent" in " ".join(s.text for s in second.sentences)


def test_a_question_the_articles_cannot_answer_says_so(on_sample: Settings) -> None:
    llm = FakeChat("{}")
    page = _page(_chat_page, llm=llm)
    page.chat_input[0].set_value("What is the capital of France?").run()
    assert not page.exception
    assert [i.value for i in page.info] == [NOT_IN_ARTICLES]
    assert llm.asked == []


def test_an_empty_library_says_where_to_add_articles(on_empty: Settings) -> None:
    page = _page(_chat_page, llm=FakeChat("{}"))
    assert "The library is empty" in page.info[0].value


def test_the_sidebar_filters_narrow_the_search(on_sample: Settings, sample_store: ArticleStore) -> None:
    llm = FakeChat(answer_reply(UNION_SENTENCE))
    page = _page(_chat_page, llm=llm)
    assert page.sidebar.multiselect[0].options == sample_store.catalog.sources()
    page.sidebar.multiselect[0].set_value(["Valley Courier"]).run()
    page.chat_input[0].set_value("What pay rise does the dockworkers' union want?").run()
    assert not page.exception
    (answer,) = page.session_state["chat_history"]
    assert all(c.source == "Valley Courier" for c in answer.citations)
    assert "Valley Courier" in llm.asked[-1][1]["content"]


# ---- library --------------------------------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> Ferry fares [rise](javascript:alert(1))\n\n"
    "Nov. 25, 2026 - 09:10 By Ada Brook\n\n"
    "KESTREL BAY - The harbour ferry will cost 2.40 corvens from January, up from 2.10, the operator said on "
    "Wednesday. <img src=x onerror=alert(1)> Commuters said the rise was steep.\n\n"
    "The operator blamed <b>fuel costs</b> and said the timetable would not change.\n"
)


def test_uploads_are_indexed_and_a_bad_file_is_named_with_its_reason(on_empty: Settings) -> None:
    page = _page(_library_page)
    good = (SAMPLES / "text").iterdir().__next__()
    uploader = page.get("file_uploader")[0]
    uploader.upload(good.name, good.read_bytes(), "text/plain")
    uploader.upload("../../escape.txt", HOSTILE.encode(), "text/plain")
    uploader.upload("broken.json", b"{not json", "application/json")
    page.get("form_submit_button")[0].click().run()
    assert not page.exception
    assert any("2 added" in w.value and "1 failed" in w.value for w in page.warning)
    assert any(e.value.startswith("**broken\\.json**") for e in page.error)
    uploads = on_empty.store.path / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == sorted([good.name, "escape.txt", "broken.json"])
    assert not (on_empty.store.path.parent / "escape.txt").exists()
    assert {m.label: m.value for m in page.get("metric")}["Articles"] == "2"


def test_article_text_is_shown_escaped_and_an_article_can_be_deleted(on_empty: Settings) -> None:
    page = _page(_library_page)
    page.get("file_uploader")[0].upload("hostile.txt", HOSTILE.encode(), "text/plain")
    page.get("form_submit_button")[0].click().run()
    assert not page.exception
    page.selectbox[0].select_index(0).run()
    assert not page.exception
    shown = _html(page)
    assert "<img" not in shown
    assert "onerror" not in shown  # taken out at ingest, with its sentence (tests/test_injections.py)
    assert "&lt;b&gt;fuel costs&lt;/b&gt;" in shown  # markup that stays in the text is shown as text
    assert all("<script>" not in text for text in _texts(page, "markdown"))
    page.button(key=next(b.key for b in page.button if str(b.key).startswith("delete-"))).click().run()
    assert not page.exception
    from briefing.index.catalog import Catalog

    catalog = Catalog(on_empty.store.catalog_location())
    assert catalog.counts()["articles"] == 0
    catalog.close()


@pytest.fixture
def web() -> Iterator[FixtureServer]:
    with serving() as httpd:
        yield httpd


def test_a_pasted_address_on_this_machine_is_refused(on_empty: Settings, web: FixtureServer) -> None:
    page = _page(_library_page)
    page.text_input[0].set_value(f"{web.base}/harbour-ferry.html")
    page.get("form_submit_button")[1].click().run()
    assert not page.exception
    assert any("refused" in e.value and "a loopback address" in e.value for e in page.error)
    assert not web.requests


def test_a_page_and_a_feed_are_added_by_address(
    on_empty: Settings, web: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_FETCH__ALLOW_PRIVATE_HOSTS", "true")  # the test server is on loopback
    page = _page(_library_page)
    page.text_input[0].set_value(f"{web.base}/harbour-ferry.html")
    page.get("form_submit_button")[1].click().run()
    assert not page.exception
    assert any("1 added" in s.value for s in page.success)
    page.text_input[1].set_value(f"{web.base}/rss.xml")
    page.get("form_submit_button")[2].click().run()
    assert not page.exception
    assert any("added" in m.value for m in [*page.success, *page.warning])
    page.text_input[0].set_value(f"{web.base}/missing.html")
    page.get("form_submit_button")[1].click().run()
    assert any("404" in e.value for e in page.error)


def test_a_citation_link_opens_the_article_with_the_passage_highlighted(
    on_sample: Settings, sample_store: ArticleStore
) -> None:
    article = sample_store.catalog.all_indexed()[0]
    start = article.body.index(article.body.split("\n\n")[1])
    page = AppTest.from_function(_library_page, default_timeout=TIMEOUT)
    page.query_params.update({"article": article.id, "start": str(start), "end": str(start + 40)})
    _run(page)
    assert "<mark>" in _html(page)
    assert "paragraph before the passage" in _html(page)


def test_the_library_shows_counts_sources_and_grouped_copies(on_sample: Settings, sample_store: ArticleStore) -> None:
    page = _page(_library_page)
    counts = sample_store.catalog.counts()
    metrics = {m.label: m.value for m in page.get("metric")}
    assert metrics["Articles"] == str(counts["articles"])
    assert metrics["Passages"] == str(counts["chunks"])
    labels = [e.label for e in page.expander]
    assert f"{len(sample_store.catalog.sources())} sources" in labels
    assert any("published by several outlets" in label for label in labels)


# ---- briefing -------------------------------------------------------------------------------------------------


def test_a_briefing_is_generated_shown_with_citation_links_saved_and_reopened(
    on_sample: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_BRIEFING__OUT_DIR", str(tmp_path / "briefings"))
    page = _page(_briefing_page, llm=None)
    page.date_input(key="brief-days").set_value((date(2026, 11, 25), date(2026, 11, 25)))
    page.toggle[0].set_value(True)
    page.get("form_submit_button")[0].click().run()
    assert not page.exception
    shown = page.session_state["briefing_shown"]
    assert shown.stories
    assert shown.since.isoformat() == "2026-11-25"
    markdown = "\n".join(_texts(page, "markdown"))
    assert "](./library?article=" in markdown
    assert any(h.startswith(f"##### {shown.stories[0].headline[:20]}") for h in _texts(page, "markdown"))
    assert [b.label for b in page.get("download_button")] == ["Download Markdown", "Download HTML", "Download PDF"]
    folder = tmp_path / "briefings" / "2026-11-25"
    assert sorted(p.name for p in folder.iterdir()) == ["briefing.html", "briefing.json", "briefing.md", "briefing.pdf"]
    again = _page(_briefing_page, llm=None)
    again.selectbox(key="brief-previous").set_value(folder / "briefing.json").run()
    again.sidebar.button[0].click().run()
    assert not again.exception
    assert again.session_state["briefing_shown"].stories == shown.stories


# ---- evals ----------------------------------------------------------------------------------------------------


def test_the_evals_page_shows_the_latest_report_and_its_rows(tmp_path: Path) -> None:
    from briefing.ui.evals_page import bundled_baseline

    shutil.copy(bundled_baseline(), tmp_path / "results.json")
    page = _page(_evals_page, folder=str(tmp_path))
    assert any(m.label == "Answers citing the gold evidence" for m in page.get("metric"))
    assert page.success[0].value == "Every CI threshold is met."
    assert len(page.dataframe) == 4  # aggregates, the checker by kind, its worst mistakes, the questions
    assert "hand-labelled" in page.subheader[1].value
    empty = _page(_evals_page, folder=str(tmp_path / "none"))
    assert "No results.json" in empty.info[0].value
