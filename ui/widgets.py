"""Pieces shared by the app's pages: source cards, the cited-passage dialog, the article view, the sidebar."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from briefing import Article, SourceSpan, day_label
from briefing.render.wording import excerpt

from .resources import shared, statuses
from .text import article_html, escape_markdown, source_line

CARDS_PER_ROW = 2
STYLE = """
<style>
.article-body p { line-height: 1.55; margin: 0 0 0.8em 0; }
.article-body mark { background: #ffe58a; padding: 0 2px; border-radius: 2px; }
.article-body details { color: #666; margin-bottom: 0.8em; }
</style>
"""


def page_style() -> None:
    """The few styles the article view needs."""
    st.html(STYLE)


def article_header(article: Article) -> None:
    """Title, outlet, date, authors and link of an article, escaped."""
    st.markdown(f"#### {escape_markdown(article.title)}")
    meta = [escape_markdown(article.source), day_label(article.published)]
    if article.authors:
        meta.append(escape_markdown("by " + ", ".join(article.authors)))
    st.caption(" · ".join(meta))
    if article.url:
        st.caption(escape_markdown(article.url))


def article_view(article: Article, start: int | None = None, end: int | None = None) -> None:
    """The whole article, the span body[start:end] highlighted."""
    article_header(article)
    st.html(article_html(article.body, start, end))


@st.dialog("Cited passage", width="large")
def passage_dialog(article_id: str, start: int, end: int) -> None:
    """The cited article, opened on the highlighted passage."""
    article = shared().room.store.catalog.indexed([article_id]).get(article_id)
    if article is None:
        st.warning("This article is no longer in the library.")
        return
    page_style()
    article_view(article, start, end)


def source_cards(spans: Sequence[tuple[int, SourceSpan]], key: str) -> None:
    """One card per cited span: number, headline, outlet and date, the quoted passage, and a button that opens it
    highlighted in its article."""
    columns = st.columns(CARDS_PER_ROW)
    for index, (number, span) in enumerate(spans):
        with columns[index % CARDS_PER_ROW].container(border=True):
            st.markdown(f"**\\[{number}\\] {escape_markdown(span.title)}**  \n{source_line(span)}")
            st.caption(f"*{escape_markdown(excerpt(span.text, 30))}*")
            if st.button(
                f"Show [{number}] in the article",
                key=f"{key}-{number}",
                icon=":material/format_quote:",
                type="tertiary",
            ):
                passage_dialog(span.article_id, span.start, span.end)


def sidebar_models() -> None:
    """The active chat model and embedder, and a clear line for any that cannot be used."""
    with st.sidebar:
        st.subheader("Models")
        for status in statuses():
            st.caption(f"**{status.role}:** {escape_markdown(status.name)}")
            if status.problem:
                st.error(escape_markdown(status.problem), icon=":material/error:")
