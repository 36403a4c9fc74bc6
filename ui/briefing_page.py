"""The briefing page: pick a day or a range, generate the one-page briefing with progress, read it with clickable
citations, download it, and open earlier briefings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from briefing import (
    Briefing,
    BriefingError,
    ChatModel,
    Citation,
    CitedSentence,
    Period,
    SavedBriefing,
    Settings,
    StoryBrief,
    list_briefings,
    zone,
)
from briefing.render import Format, PageSize, write
from briefing.render import render as render_format
from briefing.render.publish import fit_one_page, folder_name
from briefing.render.wording import (
    CHANGE_LABELS,
    CHANGES_HEADING,
    DISAGREEMENT_LABEL,
    QUOTES_LABEL,
    TIMELINE_LABEL,
    byline_parts,
    headline_note,
    in_brief_sentence,
    inputs_line,
    one_line,
    only_note,
    plural,
    quote_line,
    split_sections,
    story_tag,
    summary_line,
    timeline_line,
)

from .resources import Resources, shared
from .text import cited_markdown, escape_markdown
from .widgets import page_style, source_cards

SHOWN = "briefing_shown"
DOWNLOADS: dict[Format, tuple[str, str]] = {
    "md": ("Markdown", "text/markdown"),
    "html": ("HTML", "text/html"),
    "pdf": ("PDF", "application/pdf"),
}


def render(llm: ChatModel | None = None) -> None:
    """The page; `llm` replaces the configured chat model (tests enter a fake one here)."""
    resources = shared()
    page_style()
    st.title("Briefing")
    day_range = resources.room.store.catalog.day_range()
    if day_range is None:
        st.info("No dated articles yet: add some in the Library.")
        return
    settings = _options(resources.room.settings, day_range)
    if settings is not None:
        _generate(resources, settings, llm)
    _previous(resources.room.settings.briefing.out_dir)
    shown: Briefing | None = st.session_state.get(SHOWN)
    if shown is not None:
        show_briefing(shown, resources.room.settings)


def _options(base: Settings, day_range: tuple[date, date]) -> Settings | None:
    """The period and options picked in a form; the settings to brief with once 'Generate' is pressed."""
    with st.form("brief-options"):
        first, last = day_range
        dates, budget, quick = st.columns([2, 1, 1], vertical_alignment="bottom")
        picked = dates.date_input(
            "Day, or first and last day",
            value=(last, last),
            min_value=first,
            max_value=last,
            key="brief-days",
            help=f"Days in {base.briefing.timezone} (BRIEFING_BRIEFING__TIMEZONE).",
        )
        words = budget.number_input("Word budget", 150, 900, base.briefing.words, step=50)
        extractive = quick.toggle(
            "Quick, without the model",
            value=base.briefing.extractive,
            help="Key points are the best sentences of the articles, as written: seconds instead of minutes. "
            "Written summaries are cached, so a second run of the same period is quick too.",
        )
        topic = st.text_input("Only stories about (optional)", placeholder="e.g. the port strike")
        generate = st.form_submit_button("Generate briefing", type="primary", icon=":material/newspaper:")
    if not generate:
        return None
    since, until = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (last, last)
    st.session_state["brief-request"] = (since, until, topic.strip() or None)
    return base.updated(briefing={"words": words, "extractive": extractive})


def _generate(resources: Resources, settings: Settings, llm: ChatModel | None) -> None:
    since, until, topic = st.session_state["brief-request"]
    bar = st.progress(0.0, text="Grouping the period's articles into stories…")

    def advance(stage: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{stage.capitalize()}: {done} of {total}")

    try:
        period = Period(since, until, zone(settings.briefing.timezone))
        room = resources.room if settings.briefing.extractive else resources.with_chat_model(llm)
        made = room.using(settings).brief(period, topic=topic, progress=advance)
        made = fit_one_page(made, settings.briefing.page_size)
        folder = settings.briefing.out_dir / _folder_name(made)  # one folder per period, as `briefing daily`
        write(made, folder, ("md", "html", "pdf", "json"), settings.briefing.page_size)
    except BriefingError as error:
        bar.empty()
        st.error(escape_markdown(str(error)), icon=":material/error:")
        return
    bar.empty()
    st.session_state[SHOWN] = made


def _folder_name(made: Briefing) -> str:
    return folder_name(made) if made.title == "Briefing" else f"{folder_name(made)}_{made.title}"


def _previous(out_dir: Path) -> None:
    """Earlier briefings by date, in the sidebar: a day picker bounded by the saved days narrows the choice of
    saved briefings (newest period first) to those covering the day; the one opened is shown below."""
    saved, unreadable = list_briefings(out_dir)
    if not saved:
        return
    with st.sidebar:
        st.subheader("Previous briefings")
        day = st.date_input(
            "Briefings of the day",
            value=None,
            min_value=min(s.since for s in saved),
            max_value=max(s.until for s in saved),
            key="brief-previous-day",
            help="Only days that have a saved briefing can be opened; leave empty to list them all.",
        )
        covering = _covering(saved, day if isinstance(day, date) else None)
        if not covering:
            st.caption(escape_markdown(f"No briefing was saved for {day}: all are listed."))
            covering = saved
        labels = {s.path: f"{s.period_label} · {s.title} ({plural(s.stories, 'story')})" for s in covering}
        choice = st.selectbox(
            "Open",
            options=list(labels),
            index=None,
            placeholder="Choose a briefing…",
            format_func=lambda path: labels.get(path, path.parent.name),
            key="brief-previous",
        )
        if choice is not None and st.button("Open this briefing"):
            try:
                st.session_state[SHOWN] = next(s for s in covering if s.path == choice).load()
            except BriefingError as error:
                st.error(escape_markdown(str(error)[:300]))
        if unreadable:
            names = ", ".join(problem.path.parent.name for problem in unreadable)
            st.caption(f"Cannot be read: {escape_markdown(names)} (`briefing brief --list` says why)")


def _covering(saved: list[SavedBriefing], day: date | None) -> list[SavedBriefing]:
    """The saved briefings whose period includes the day (all of them when no day is picked)."""
    return [s for s in saved if day is None or s.since <= day <= s.until]


def show_briefing(shown: Briefing, settings: Settings) -> None:
    """The briefing as a page, citation markers linked to their passages, then downloads and the sources."""
    spans = {c.number: c for c in shown.citations}
    with st.container(border=True):
        st.subheader(escape_markdown(f"{shown.title} · {shown.period_label}"))
        st.caption(escape_markdown(summary_line(shown)))
        if shown.changes:
            st.markdown(f"**{CHANGES_HEADING}**")
            st.markdown(
                "\n".join(f"- **{CHANGE_LABELS[change.kind]}:** {_line(change, spans)}" for change in shown.changes)
            )
        in_full, one_line_sections = split_sections(shown.stories)
        for story in in_full:
            _story(story, spans)
        for heading, listed in one_line_sections:
            st.markdown(f"**{heading}**")
            st.markdown("\n".join(f"- {_headline_line(story, shown, spans)}" for story in listed))
        if not shown.stories:
            st.info("No stories in this period.")
        if read := inputs_line(shown):
            st.caption(escape_markdown(read))
    columns = st.columns(len(DOWNLOADS))
    for column, (fmt, (label, mime)) in zip(columns, DOWNLOADS.items(), strict=True):
        column.download_button(
            f"Download {label}",
            data=_file(shown.model_dump_json(), fmt, settings.briefing.page_size),
            file_name=f"briefing-{_folder_name(shown)}.{fmt}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
        )
    if shown.unsupported:
        with st.expander(
            f"{len(shown.unsupported)} written point(s) kept off the page: the articles do not support them"
        ):
            for sentence in shown.unsupported:
                st.markdown(f"~~{escape_markdown(sentence.text)}~~  \n:gray[{escape_markdown(sentence.reason)}]")
    with st.expander(f"Sources ({len(shown.citations)})"):
        source_cards([(c.number, c) for c in shown.citations], key="brief-source")


def _story(story: StoryBrief, spans: dict[int, Citation]) -> None:
    """A story in full: headline, byline, key points, who said what, its timeline and where sources disagree."""
    st.markdown(f"##### {cited_markdown(story.headline, story.headline_citations, spans)}")
    st.caption(" · ".join(escape_markdown(part) for part in [*byline_parts(story), story_tag(story)] if part))
    st.markdown("\n".join(f"- {_line(point, spans)}" for point in story.points))
    if story.quotes:
        quotes = [f"- {cited_markdown(quote_line(q), q.citations, spans)}" for q in story.quotes]
        st.markdown("\n".join([f"**{QUOTES_LABEL}**", "", *quotes]))
    if story.timeline:
        days = [f"- {cited_markdown(timeline_line(e), e.citations, spans)}" for e in story.timeline]
        st.markdown("\n".join([f"**{TIMELINE_LABEL}**", "", *days]))
    if story.disagreements:
        st.markdown("\n".join(f"- **{DISAGREEMENT_LABEL}** {_line(d, spans)}" for d in story.disagreements))


def _headline_line(story: StoryBrief, shown: Briefing, spans: dict[int, Citation]) -> str:
    """A story in one line, escaped: '**Headline** [4] · no new facts since Tue 24 Nov · Reported by A and B' for a
    story with nothing new, '**Headline** [9] · Reported by A and B' for one in brief."""
    headline = (
        f"**{escape_markdown(one_line(story.headline))}** {cited_markdown('', story.headline_citations, spans)}".strip()
    )
    headline += "".join(f" — {_line(point, spans)}" for point in in_brief_sentence(story))
    note = headline_note(story, shown.since)
    return f"{headline} · {escape_markdown(note)}" if note else headline


def _line(sentence: CitedSentence, spans: dict[int, Citation]) -> str:
    line = cited_markdown(sentence.text, sentence.citations, spans)
    return f"{line} :gray[{escape_markdown(only_note(sentence.only_outlet))}]" if sentence.only_outlet else line


@st.cache_data(max_entries=16, show_spinner="Rendering…")
def _file(briefing_json: str, fmt: Format, page_size: PageSize) -> bytes:
    data: bytes = render_format(Briefing.model_validate_json(briefing_json), fmt, page_size)
    return data
