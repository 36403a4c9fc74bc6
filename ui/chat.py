"""The chat page: questions in a conversation, answers streamed as drafted and then shown checked, every sentence
with citation markers that open the passage in its article."""

from __future__ import annotations

from collections.abc import Iterator

import streamlit as st

from briefing import Answer, AnswerStream, ArticleStore, BriefingError, ChatModel, Exchange, Filters

from .resources import Resources, shared
from .text import cited_markdown, escape_markdown
from .widgets import source_cards

HISTORY = "chat_history"
EXCHANGES_REMEMBERED = 2
DRAFTING = "Reading the articles and drafting; every sentence is checked before the answer is shown…"


def render(llm: ChatModel | None = None) -> None:
    """The page; `llm` replaces the configured chat model (tests enter a fake one here)."""
    resources = shared()
    filters = _sidebar_filters(resources.room.store)
    st.title("Ask your articles")
    history: list[Answer] = st.session_state.setdefault(HISTORY, [])
    counts = resources.room.store.catalog.counts()
    if not counts["articles"]:
        st.info("The library is empty: add articles on the **Library** page first.", icon=":material/library_add:")
        return
    if not history:
        st.caption(
            f"{counts['articles']} articles indexed. Every sentence of an answer cites the passage it comes from; "
            "sentences the articles do not support are left out and marked."
        )
    for index, past in enumerate(history):
        with st.chat_message("user"):
            st.markdown(escape_markdown(past.question))
        with st.chat_message("assistant"):
            show_answer(past, key=f"answer-{index}")
    if question := st.chat_input("Ask about your articles"):
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))
        with st.chat_message("assistant"):
            answer = _answer(question, history, filters, resources, llm)
            if answer is not None:
                show_answer(answer, key=f"answer-{len(history)}")
                history.append(answer)


def _answer(
    question: str, history: list[Answer], filters: Filters, resources: Resources, llm: ChatModel | None
) -> Answer | None:
    """Stream the draft under a spinner, then replace it with the checked answer; None after an error (shown)."""
    exchanges = [Exchange(a.asked_as or a.question, a.text) for a in history[-EXCHANGES_REMEMBERED:]]
    draft = st.empty()
    try:
        stream = resources.with_chat_model(llm).stream(question, history=exchanges, filters=filters)
        with draft.container(), st.spinner(DRAFTING):
            st.write_stream(_escaped(stream))
        answer = stream.answer
    except BriefingError as error:
        draft.empty()
        st.error(escape_markdown(str(error)), icon=":material/error:")
        return None
    draft.empty()
    return answer


def _escaped(stream: AnswerStream) -> Iterator[str]:
    for piece in stream:
        yield escape_markdown(piece)


def show_answer(answer: Answer, key: str) -> None:
    """The checked answer: its sentences with citation links, any sentence left out marked as such, then the
    source cards."""
    if answer.asked_as:
        st.caption(f"Understood as: {escape_markdown(answer.asked_as)}")
    if answer.not_in_articles:
        st.info(answer.text, icon=":material/search_off:")
    else:
        spans = {c.number: c for c in answer.citations}
        st.markdown(" ".join(cited_markdown(s.text, s.citations, spans) for s in answer.sentences))
    for sentence in answer.unsupported:
        why = "Does not answer the question" if sentence.off_question else "Not supported by the articles"
        st.markdown(
            f":orange[{why}, left out:] ~~{escape_markdown(sentence.text)}~~  \n"
            f":gray[{escape_markdown(sentence.reason)}]"
        )
    source_cards([(c.number, c) for c in answer.citations], key=key)


def _sidebar_filters(store: ArticleStore) -> Filters:
    with st.sidebar:
        st.subheader("Search in")
        since = until = None
        if day_range := store.catalog.day_range():
            picked = st.date_input(
                "Published between",
                value=day_range,
                min_value=day_range[0],
                max_value=day_range[1],
                key=f"chat-days-{day_range[0]}-{day_range[1]}",  # a new key when articles widen the range
            )
            if isinstance(picked, tuple) and len(picked) == 2 and picked != day_range:  # the whole range: no filter,
                since, until = picked  # so time words in the question ("yesterday") still apply
        sources: list[str] = st.multiselect("Sources", options=store.catalog.sources(), key="chat-sources")
        if st.button("New conversation", icon=":material/restart_alt:"):
            st.session_state[HISTORY] = []
            st.rerun()
    return Filters(since=since, until=until, sources=tuple(sources))
