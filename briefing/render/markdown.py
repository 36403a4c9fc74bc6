"""The briefing as a Markdown page with footnotes (pure logic).

Article-derived text is escaped so that a title or a sentence cannot inject links, images or HTML into the page.
"""

from __future__ import annotations

import re

from briefing.briefs.page import Briefing, CitedSentence, StoryBrief
from briefing.grounding.citations import Citation
from briefing.ingest.articles import day_label
from briefing.render.wording import (
    CHANGE_LABELS,
    CHANGES_HEADING,
    DISAGREEMENT_LABEL,
    QUOTES_LABEL,
    TIMELINE_LABEL,
    byline_parts,
    excerpt,
    footnotes_of,
    generated_line,
    headline_note,
    in_brief_sentence,
    inputs_line,
    known_numbers,
    link_target,
    one_line,
    only_note,
    quote_line,
    split_sections,
    story_tag,
    summary_line,
    timeline_line,
)

_SPECIALS = re.compile(r"([\\`*_\[\]<>&|~#!$])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=:])")  # would start a list, a heading underline or a definition


def escape_markdown(text: str) -> str:
    """The text on one line with Markdown's specials backslash-escaped, so it always shows as written."""
    escaped = _SPECIALS.sub(r"\\\1", one_line(text))
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def render_markdown(briefing: Briefing) -> str:
    """The whole page: title, summary, what changed, the stories, those in brief, those with nothing new, what was
    read, then the footnotes."""
    footnotes = footnotes_of(briefing)
    in_full, one_line_sections = split_sections(briefing.stories)
    lines = [
        f"# {escape_markdown(briefing.title)}",
        "",
        f"**{briefing.period_label}** · {summary_line(briefing)}",
    ]
    if briefing.changes:
        lines += ["", f"## {CHANGES_HEADING}", ""]
        lines += [f"- **{CHANGE_LABELS[change.kind]}:** {_sentence(change, footnotes)}" for change in briefing.changes]
    for story in in_full:
        lines += ["", *_story(story, footnotes)]
    for heading, listed in one_line_sections:
        lines += ["", f"## {heading}", ""]
        lines += [_headline_line(story, briefing, footnotes) for story in listed]
    if read := inputs_line(briefing):
        lines += ["", f"*{escape_markdown(read)}*"]
    if footnotes:
        lines += ["", "---", ""]
        lines += [_footnote(citation) for citation in footnotes.values()]
    lines += ["", f"*{escape_markdown(generated_line(briefing))}*"]
    return "\n".join(lines) + "\n"


def _story(story: StoryBrief, footnotes: dict[int, Citation]) -> list[str]:
    lines = [f"## {escape_markdown(story.headline)}{_headline_markers(story, footnotes)}", ""]
    byline = [escape_markdown(part) for part in byline_parts(story)]
    if tag := story_tag(story):
        byline.append(escape_markdown(tag))
    if byline:
        lines += [f"*{' · '.join(byline)}*", ""]
    lines += [f"- {_sentence(point, footnotes)}" for point in story.points]
    if story.quotes:
        lines += ["", f"**{QUOTES_LABEL}**", ""]
        lines += [f"- {escape_markdown(quote_line(q))}{_markers(q.citations, footnotes)}" for q in story.quotes]
    if story.timeline:
        lines += ["", f"**{TIMELINE_LABEL}**", ""]
        lines += [f"- {escape_markdown(timeline_line(e))}{_markers(e.citations, footnotes)}" for e in story.timeline]
    for disagreement in story.disagreements:
        lines += ["", f"**{DISAGREEMENT_LABEL}** {_sentence(disagreement, footnotes)}"]
    return lines


def _headline_line(story: StoryBrief, briefing: Briefing, footnotes: dict[int, Citation]) -> str:
    """'- **Headline**[^4] · no new facts since Tue 24 Nov · Reported by A and B' for a story with nothing new,
    '- **Headline**[^9] · Reported by A and B' for one in brief."""
    headline = f"**{escape_markdown(story.headline)}**{_headline_markers(story, footnotes)}"
    headline += "".join(f" — {_sentence(point, footnotes)}" for point in in_brief_sentence(story))
    note = headline_note(story, briefing.since)
    return f"- {headline} · {escape_markdown(note)}" if note else f"- {headline}"


def _headline_markers(story: StoryBrief, footnotes: dict[int, Citation]) -> str:
    return _markers(story.headline_citations, footnotes)


def _sentence(sentence: CitedSentence, footnotes: dict[int, Citation]) -> str:
    text = escape_markdown(sentence.text) + _markers(sentence.citations, footnotes)
    return f"{text} *{escape_markdown(only_note(sentence.only_outlet))}*" if sentence.only_outlet else text


def _markers(numbers: list[int], footnotes: dict[int, Citation]) -> str:
    return "".join(f"[^{number}]" for number in known_numbers(numbers, footnotes))


def _footnote(citation: Citation) -> str:
    """'[^3]: Reuters, "Title", 2026-11-25 — <https://…> “first twenty words …”'."""
    parts = [escape_markdown(citation.source), f'"{escape_markdown(citation.title)}"']
    if day := day_label(citation.published, missing=""):
        parts.append(day)
    line = f"[^{citation.number}]: {', '.join(parts)}"
    if url := link_target(citation.url):
        line += f" — <{url}>"
    if quoted := excerpt(citation.text):
        line += f" · “{escape_markdown(quoted)}”"
    return line
