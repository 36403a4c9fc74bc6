"""briefing's Streamlit app: chat with the articles, one-page briefings, the library and the eval results.

Run with `briefing ui` (or `briefing demo`). The pages render what the Newsroom returns; they hold no retrieval,
prompt or verification logic.
"""

from __future__ import annotations

import streamlit as st
from briefing.ui import briefing_page, chat, evals_page, library
from briefing.ui.resources import shared
from briefing.ui.sign_in import signed_in
from briefing.ui.text import escape_markdown
from briefing.ui.widgets import sidebar_models

from briefing import BriefingError

PAGES = [
    st.Page(chat.render, title="Chat", icon=":material/forum:", url_path="chat", default=True),
    st.Page(briefing_page.render, title="Briefing", icon=":material/newspaper:", url_path="briefing"),
    st.Page(library.render, title="Library", icon=":material/library_books:", url_path="library"),
    st.Page(evals_page.render, title="Evals", icon=":material/fact_check:", url_path="evals"),
]


def main() -> None:
    """The navigation, the shared sidebar, then the chosen page."""
    st.set_page_config(page_title="briefing", page_icon="📰", layout="wide")
    if not signed_in():
        return
    page = st.navigation(PAGES)
    try:
        shared()
    except BriefingError as error:  # e.g. an unreachable Chroma server: say what to fix, not a traceback
        st.error(escape_markdown(str(error)), icon=":material/error:")
        sidebar_models()
        return
    page.run()
    sidebar_models()


if __name__ == "__main__":  # streamlit runs the file as __main__; importing it renders nothing
    main()
