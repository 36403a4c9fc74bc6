"""The library page: add articles (files, a page's URL, a feed), see what is indexed, open or delete an article.

Opened as `library?article=ID&start=S&end=E` (the citation links), it shows that article with the span highlighted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from briefing import Article, IngestReport, InputError, Newsroom, Progress, day_label
from briefing.ingest.uploads import save_upload
from briefing.render.wording import plural

from .resources import Resources, shared
from .text import escape_markdown
from .widgets import article_view, page_style

LAST_REPORT = "library_last_report"
UPLOAD_TYPES = ["txt", "html", "htm", "json", "jsonl", "gz"]


def render() -> None:
    """The page."""
    resources = shared()
    page_style()
    if _linked_article(resources):
        return
    st.title("Library")
    articles = resources.room.store.catalog.all_indexed()
    _overview(resources, articles)
    if resources.room.settings.ui.read_only:
        st.caption("This app is read-only: articles are added and deleted by whoever runs it.")
    else:
        _add_articles(resources)
    _browse(resources, articles)


def _linked_article(resources: Resources) -> bool:
    """The article a citation link points to, highlighted; False when the address names none."""
    params = st.query_params
    if "article" not in params:
        return False
    article_id = params["article"]
    article = resources.room.store.catalog.indexed([article_id]).get(article_id)
    if st.button("← Library", key="back-to-library"):
        st.query_params.clear()
        st.rerun()
    if article is None:
        st.warning(f"No article with id {escape_markdown(article_id)} in the library.")
        return True
    article_view(article, _int(params.get("start")), _int(params.get("end")))
    return True


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


# ---- adding ----------------------------------------------------------------------------------------------------


def _add_articles(resources: Resources) -> None:
    if LAST_REPORT in st.session_state:
        _show_report(*st.session_state.pop(LAST_REPORT))
    files_tab, url_tab, feed_tab = st.tabs(["Upload files", "Add a web page", "Add a feed"])
    with files_tab, st.form("upload", clear_on_submit=True, border=False):
        uploads = st.file_uploader(
            "News articles: scraped text, HTML pages, JSON or JSON Lines (gzip too)",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            max_upload_size=max(1, round(resources.room.settings.ingest.max_file_mb)),
        )
        if st.form_submit_button("Add to the library", type="primary") and uploads:
            folder = resources.room.settings.store.path / "uploads"
            saved = {save_upload(folder, upload.name, upload.getvalue()): upload.name for upload in uploads}
            _run_ingest(resources, lambda room, progress: room.ingest(list(saved), progress=progress), names=saved)
    with url_tab, st.form("page", clear_on_submit=True, border=False):
        url = st.text_input("Address of a news article", placeholder="https://…")
        if st.form_submit_button("Fetch and add", type="primary") and url.strip():
            _run_ingest(resources, lambda room, progress: room.ingest([url.strip()], progress=progress))
    with feed_tab, st.form("feed", clear_on_submit=True, border=False):
        feed = st.text_input("Address of an RSS or Atom feed", placeholder="https://…/rss.xml")
        if st.form_submit_button("Fetch its articles", type="primary") and feed.strip():
            _run_ingest(resources, lambda room, progress: room.ingest(feeds=[feed.strip()], progress=progress))


def _run_ingest(
    resources: Resources,
    run: Callable[[Newsroom, Progress], IngestReport],
    names: dict[Path, str] | None = None,
) -> None:
    """Run an ingest under the store's write lock with a progress bar, then say what happened, input by input."""
    bar = st.progress(0.0, text="Waiting for another change to the library to finish…")

    def report_progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{stage.capitalize()}: {done} of {total}")

    with resources.writing:
        bar.progress(0.0, text="Reading and fetching…")
        report = run(resources.room, report_progress)
    st.session_state[LAST_REPORT] = (report, names or {})
    st.rerun()  # the counts and the list of articles include what was just added


def _show_report(report: IngestReport, names: dict[Path, str]) -> None:
    message = report.summary()
    if report.ok:
        st.success(message, icon=":material/check_circle:")
    else:
        st.warning(message, icon=":material/error:")
    for failure in report.failures:
        st.error(f"**{escape_markdown(_origin_name(failure, names))}**: {escape_markdown(failure.reason)}")
    for note in report.notes:
        st.caption(escape_markdown(note))
    for kept, duplicate in report.duplicates:
        st.caption(escape_markdown(f"Already in the library: {kept} (same text as {duplicate})"))


def _origin_name(failure: InputError, names: dict[Path, str]) -> str:
    """The name the person uploaded, not the path it was saved under."""
    for path, name in names.items():
        if (
            failure.origin == str(path)
            or failure.origin.startswith(f"{path}:")
            or failure.origin.startswith(f"{path}#")
        ):
            return name + failure.origin[len(str(path)) :]
    return failure.origin


# ---- what is indexed -------------------------------------------------------------------------------------------


def _overview(resources: Resources, articles: list[Article]) -> None:
    catalog = resources.room.store.catalog
    counts = catalog.counts()
    day_range = catalog.day_range()
    stories = catalog.stories(a.id for a in articles)
    columns = st.columns(4)
    columns[0].metric("Articles", counts["articles"])
    columns[1].metric("Passages", counts["chunks"])
    columns[2].metric("Stories", len(set(stories.values())))
    columns[3].metric("Days", (day_range[1] - day_range[0]).days + 1 if day_range else 0)
    if day_range:
        st.caption(f"Published from {day_range[0]:%-d %B %Y} to {day_range[1]:%-d %B %Y}.")
    if counts["pending"]:
        st.warning(f"{counts['pending']} article(s) were interrupted while indexing: add them again.")
    by_source = Counter(a.source for a in articles)
    with st.expander(plural(len(by_source), "source")):
        st.dataframe(
            [{"source": source, "articles": n} for source, n in by_source.most_common()],
            hide_index=True,
            use_container_width=True,
        )
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(stories.get(article.id, article.id), []).append(article)
    copies = [group for group in groups.values() if len(group) > 1]
    with st.expander(f"{plural(len(copies), 'story')} published by several outlets (wire copies, grouped)"):
        for group in copies:
            st.markdown(
                "\n".join(
                    f"- {escape_markdown(a.title)} · {escape_markdown(a.source)} · {day_label(a.published)}"
                    for a in group
                )
            )
            st.divider()


def _browse(resources: Resources, articles: list[Article]) -> None:
    st.subheader("Articles")
    if not articles:
        st.info("The library is empty: upload files, or add a page or a feed above.")
        return
    st.dataframe(
        [
            {"published": day_label(a.published), "source": a.source, "title": a.title, "words": len(a.body.split())}
            for a in articles
        ],
        hide_index=True,
        use_container_width=True,
        height=400,
    )
    by_id = {a.id: a for a in articles}
    chosen = st.selectbox(
        "Open an article",
        options=list(by_id),
        index=None,
        placeholder="Choose an article…",
        format_func=lambda i: f"{day_label(by_id[i].published)} · {by_id[i].source} · {by_id[i].title}",
    )
    if chosen is None:
        return
    article = by_id[chosen]
    with st.container(border=True):
        article_view(article)
        if resources.room.settings.ui.read_only:
            return
        with st.popover("Delete this article", icon=":material/delete:"):
            st.write("It leaves the library and the answers. Its file, if any, is not touched.")
            if st.button("Delete permanently", type="primary", key=f"delete-{article.id}"):
                with resources.writing:
                    resources.room.store.delete([article.id])
                st.toast(f"Deleted: {escape_markdown(article.title)}")
                st.rerun()
