"""briefing's Streamlit chat: ask the articles, read answers with their cited passages.

Run with `briefing ui`. The page renders what the pipeline returns; it holds no retrieval or prompt logic.
"""

from __future__ import annotations

import re

import streamlit as st

from briefing.answers import Answer
from briefing.errors import BriefingError
from briefing.pipeline import ask, open_store
from briefing.providers import ChatModel, Embedder, make_chat_model, make_embedder
from briefing.settings import Settings
from briefing.store import ArticleStore, Filters

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def escape_markdown(text: str) -> str:
    """Article and model text shown as text, never as markup or links."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@st.cache_resource(show_spinner="Loading the embedder and the store…")
def shared_store() -> tuple[Settings, Embedder, ArticleStore]:
    """One embedder and store per process, shared by all sessions."""
    settings = Settings()
    embedder = make_embedder(settings)
    return settings, embedder, open_store(settings, embedder)


@st.cache_resource(show_spinner="Loading the chat model…")
def shared_chat_model() -> ChatModel:
    """One chat model per process."""
    return make_chat_model(Settings())


def show_answer(answer: Answer) -> None:
    """The answer text, then each cited passage with its source."""
    if answer.not_in_articles:
        st.info(answer.text)
        for sentence in answer.unsupported:
            st.caption(escape_markdown(f"Left out, not supported by the articles: {sentence.text} ({sentence.reason})"))
        return
    st.markdown(escape_markdown(answer.text))
    if answer.unsupported:
        with st.expander(f"⚠ {len(answer.unsupported)} sentence(s) left out: the articles do not support them"):
            for sentence in answer.unsupported:
                st.text(f"{sentence.text}\n  ({sentence.reason})")
    for citation in answer.citations:
        day = citation.published.isoformat()[:10] if citation.published else "undated"
        with st.expander(f"[{citation.number}] {citation.title} — {citation.source}, {day}"):
            st.text(citation.text)
            if citation.also_in:
                st.caption(escape_markdown("Also published by " + ", ".join(citation.also_in)))
            if citation.url:
                st.caption(escape_markdown(citation.url))


def main() -> None:
    """The chat page."""
    st.set_page_config(page_title="briefing", page_icon="📰")
    st.title("briefing")
    try:
        settings, embedder, store = shared_store()
    except BriefingError as error:
        st.error(str(error))
        return
    counts = store.catalog.counts()
    with st.sidebar:
        st.caption(f"{counts['articles']} articles, {counts['chunks']} passages indexed")
        day_range = store.catalog.day_range()
        since = until = None
        if day_range:
            picked = st.date_input("Published between", value=day_range, min_value=day_range[0], max_value=day_range[1])
            if isinstance(picked, tuple) and len(picked) == 2:
                since, until = picked
        sources: list[str] = st.multiselect("Sources", options=store.catalog.sources())
        st.caption(f"Chat model: {settings.llm.provider} · Embedder: {embedder.name}")
    filters = Filters(since=since, until=until, sources=tuple(sources))

    history: list[Answer] = st.session_state.setdefault("history", [])
    for past in history:
        with st.chat_message("user"):
            st.text(past.question)
        with st.chat_message("assistant"):
            show_answer(past)
    if question := st.chat_input("Ask about your articles"):
        with st.chat_message("user"):
            st.text(question)
        with st.chat_message("assistant"):
            try:
                with st.spinner("Reading the articles…"):
                    answer = ask(
                        question, filters=filters, settings=settings, embedder=embedder, store=store,
                        llm=shared_chat_model(),
                    )  # fmt: skip
            except BriefingError as error:
                st.error(str(error))
                return
            show_answer(answer)
        history.append(answer)


if __name__ == "__main__":  # streamlit runs the page as __main__; importing it renders nothing
    main()
