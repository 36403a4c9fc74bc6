"""The briefing as an e-mail: HTML that mail clients show as written (pure logic).

Mail clients drop stylesheets and block remote content, so every element carries its own `style` attribute; there
is no <style>, <link>, script, image or web font, and the only addresses are the articles' own, in the footnotes.
The layout is a centred table, which every client renders. Citation markers are plain superscript numbers, since
links inside a message are unreliable. `email_body` is the message's content (also each Atom feed entry's);
`render_email` wraps it in a document. Article-derived text goes through `html.escape`; only http(s) URLs link.
"""

from __future__ import annotations

from html import escape

from briefing.briefs.page import Briefing, CitedSentence, StoryBrief
from briefing.grounding.citations import Citation
from briefing.ingest.articles import day_label
from briefing.render.wording import (
    CHANGE_LABELS,
    CHANGES_HEADING,
    DISAGREEMENT_LABEL,
    QUOTES_LABEL,
    SOURCES_HEADING,
    TIMELINE_LABEL,
    byline_parts,
    document_title,
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

SERIF = "Georgia,'Times New Roman',serif"
SANS = "Helvetica,Arial,sans-serif"
INK = "#1b1b1b"
GREY = "#555555"
LINK = "#1a4d8f"
PAPER = "#f4f1ea"
CHANGE_COLOURS = {"new": "#2f6f3e", "developing": "#a4620a", "correction": "#a3242a"}

BODY = f"font-family:{SERIF};font-size:16px;line-height:1.5;color:{INK};"
PAGE = f"margin:0;padding:0;background-color:{PAPER};"
OUTER = f"width:100%;border-collapse:collapse;background-color:{PAPER};"
OUTER_CELL = "padding:16px 8px;"
SHEET = "width:100%;max-width:640px;border-collapse:collapse;background-color:#ffffff;"
SHEET_CELL = "padding:24px 24px 16px;"
HEADER = f"border-bottom:2px solid {INK};padding:0 0 8px;margin:0 0 18px;"
TITLE = f"margin:0 0 4px;font-family:{SERIF};font-size:28px;line-height:1.2;font-weight:bold;color:{INK};"
SUMMARY = f"margin:0;font-size:15px;color:{GREY};"
PERIOD = f"font-weight:bold;color:{INK};"
CHANGES = f"background-color:{PAPER};padding:10px 14px;margin:0 0 18px;"
CHANGES_TITLE = (
    f"margin:0 0 6px;font-family:{SANS};font-size:12px;font-weight:bold;letter-spacing:1px;"
    f"text-transform:uppercase;color:{GREY};"
)
LIST = "margin:0;padding:0 0 0 20px;"
ITEM = "margin:3px 0;"
STORY = "margin:0 0 18px;"
HEADLINE = f"margin:0 0 2px;font-family:{SERIF};font-size:19px;line-height:1.3;font-weight:bold;color:{INK};"
BYLINE = f"margin:0 0 4px;font-size:14px;color:{GREY};"
TAG = "font-weight:bold;color:#a4620a;"
DISAGREE = "margin:6px 0 0;padding:0 0 0 10px;border-left:3px solid #c9a227;font-size:15px;"
DISAGREE_LABEL = "font-weight:bold;color:#6b5200;"
MUTED = "color:#777777;font-size:14px;"
PART_LABEL = (
    f"margin:8px 0 2px;font-family:{SANS};font-size:11px;font-weight:bold;letter-spacing:1px;"
    f"text-transform:uppercase;color:{GREY};"
)
TIMELINE_ITEM = "margin:2px 0;font-size:14px;color:#333333;"
ONE_LINE_TITLE = CHANGES_TITLE  # "Also in the news", "Still developing"
ONE_LINE_ITEM = "margin:0 0 6px;"
ONE_LINE_HEADLINE = f"font-weight:bold;color:{INK};"
INPUTS = f"margin:18px 0 0;font-size:13px;color:{GREY};"
MARKER = f"font-size:11px;line-height:0;color:{LINK};"
NOTES = "border-top:1px solid #999999;margin:22px 0 0;padding:8px 0 0;font-size:13px;line-height:1.4;color:#333333;"
NOTES_TITLE = f"margin:0 0 6px;font-family:{SERIF};font-size:15px;font-weight:bold;color:{INK};"
NOTE = "margin:0 0 4px;"
NOTE_NUMBER = "font-weight:bold;"
NOTE_LINK = f"color:{LINK};text-decoration:underline;"
QUOTE = "color:#666666;"
GENERATED = "margin:14px 0 0;font-size:12px;color:#777777;"


def label_style(kind: str) -> str:
    """The coloured label of a change ('New', 'Developing', 'Correction')."""
    return (
        f"font-family:{SANS};font-size:11px;font-weight:bold;text-transform:uppercase;letter-spacing:1px;"
        f"padding:1px 5px;margin:0 4px 0 0;color:#ffffff;background-color:{CHANGE_COLOURS[kind]};"
    )


def render_email(briefing: Briefing) -> str:
    """A whole HTML e-mail: the body centred on a tinted background, at most 640 pixels wide."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(document_title(briefing))}</title>",
            "</head>",
            f'<body style="{PAGE}">',
            f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{OUTER}">',
            f'<tr><td align="center" style="{OUTER_CELL}">',
            f'<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="{SHEET}">',
            f'<tr><td align="left" style="{SHEET_CELL}">',
            email_body(briefing),
            "</td></tr>",
            "</table>",
            "</td></tr>",
            "</table>",
            "</body>",
            "</html>",
            "",
        ]
    )


def email_body(briefing: Briefing) -> str:
    """The briefing as one styled block: title and period, what changed, the stories, then the footnotes."""
    message = _Message(footnotes_of(briefing))
    lines = [
        f'<div style="{BODY}">',
        f'<div style="{HEADER}">',
        f'<h1 style="{TITLE}">{escape(one_line(briefing.title))}</h1>',
        f'<p style="{SUMMARY}"><span style="{PERIOD}">{escape(briefing.period_label)}</span> · '
        f"{escape(summary_line(briefing))}</p>",
        "</div>",
    ]
    if briefing.changes:
        lines += [
            f'<div style="{CHANGES}">',
            f'<h2 style="{CHANGES_TITLE}">{CHANGES_HEADING}</h2>',
            f'<ul style="{LIST}">',
        ]
        for change in briefing.changes:
            label = f'<span style="{label_style(change.kind)}">{CHANGE_LABELS[change.kind]}</span>'
            lines.append(f'<li style="{ITEM}">{label} {message.sentence(change)}</li>')
        lines += ["</ul>", "</div>"]
    in_full, one_line_sections = split_sections(briefing.stories)
    for story in in_full:
        lines += message.story(story)
    for heading, listed in one_line_sections:
        lines += [f'<div style="{STORY}">', f'<h2 style="{ONE_LINE_TITLE}">{heading}</h2>']
        lines += [f'<p style="{ONE_LINE_ITEM}">{message.headline_line(story, briefing)}</p>' for story in listed]
        lines.append("</div>")
    if read := inputs_line(briefing):
        lines.append(f'<p style="{INPUTS}">{escape(read)}</p>')
    lines += message.notes()
    lines += [f'<p style="{GENERATED}">{escape(generated_line(briefing))}</p>', "</div>"]
    return "\n".join(lines)


class _Message:
    """The markers and footnotes of one message."""

    def __init__(self, footnotes: dict[int, Citation]) -> None:
        self.footnotes = footnotes

    def story(self, story: StoryBrief) -> list[str]:
        lines = [
            f'<div style="{STORY}">',
            f'<h2 style="{HEADLINE}">{escape(one_line(story.headline))}{self.headline_markers(story)}</h2>',
        ]
        byline = [escape(part) for part in byline_parts(story)]
        if tag := story_tag(story):
            byline.append(f'<span style="{TAG}">{escape(tag)}</span>')
        if byline:
            lines.append(f'<p style="{BYLINE}">{" · ".join(byline)}</p>')
        lines += [
            f'<ul style="{LIST}">',
            *(f'<li style="{ITEM}">{self.sentence(p)}</li>' for p in story.points),
            "</ul>",
        ]
        if story.quotes:
            lines += [f'<p style="{PART_LABEL}">{QUOTES_LABEL}</p>', f'<ul style="{LIST}">']
            lines += [
                f'<li style="{ITEM}">{escape(quote_line(q))}{self.markers(q.citations)}</li>' for q in story.quotes
            ]
            lines.append("</ul>")
        if story.timeline:
            lines += [f'<p style="{PART_LABEL}">{TIMELINE_LABEL}</p>', f'<ul style="{LIST}">']
            lines += [
                f'<li style="{TIMELINE_ITEM}">{escape(timeline_line(e))}{self.markers(e.citations)}</li>'
                for e in story.timeline
            ]
            lines.append("</ul>")
        lines += [
            f'<p style="{DISAGREE}"><strong style="{DISAGREE_LABEL}">{DISAGREEMENT_LABEL}</strong> '
            f"{self.sentence(disagreement)}</p>"
            for disagreement in story.disagreements
        ]
        return [*lines, "</div>"]

    def headline_line(self, story: StoryBrief, briefing: Briefing) -> str:
        """A story in one line: its headline and marker, then since when nothing is new (for a story with nothing
        new) and who reported it."""
        headline = f'<strong style="{ONE_LINE_HEADLINE}">{escape(one_line(story.headline))}</strong>'
        headline += self.headline_markers(story)
        headline += "".join(f" — {self.sentence(point)}" for point in in_brief_sentence(story))
        if note := headline_note(story, briefing.since):
            return f'{headline} <span style="{MUTED}">· {escape(note)}</span>'
        return headline

    def headline_markers(self, story: StoryBrief) -> str:
        return self.markers(story.headline_citations)

    def sentence(self, sentence: CitedSentence) -> str:
        text = escape(one_line(sentence.text)) + self.markers(sentence.citations)
        if sentence.only_outlet:
            text += f' <span style="{MUTED}">{escape(only_note(sentence.only_outlet))}</span>'
        return text

    def markers(self, numbers: list[int]) -> str:
        """'<sup style="...">3,5</sup>', or '' when no number has a footnote."""
        known = known_numbers(numbers, self.footnotes)
        return f'<sup style="{MARKER}">{",".join(map(str, known))}</sup>' if known else ""

    def notes(self) -> list[str]:
        if not self.footnotes:
            return []
        lines = [f'<div style="{NOTES}">', f'<h2 style="{NOTES_TITLE}">{SOURCES_HEADING}</h2>']
        lines += [self.note(citation) for citation in self.footnotes.values()]
        return [*lines, "</div>"]

    def note(self, citation: Citation) -> str:
        """'3. Reuters, “Title”, 2026-11-25. “The quoted span …”', the title linking to the article."""
        title = f"“{escape(one_line(citation.title))}”"
        if url := link_target(citation.url):
            title = f'<a href="{escape(url)}" style="{NOTE_LINK}">{title}</a>'
        parts = [escape(one_line(citation.source)), title]
        if day := day_label(citation.published, missing=""):
            parts.append(escape(day))
        text = ", ".join(parts) + "."
        if quoted := excerpt(citation.text):
            text += f' <span style="{QUOTE}">“{escape(quoted)}”</span>'
        return f'<p style="{NOTE}"><span style="{NOTE_NUMBER}">{citation.number}.</span> {text}</p>'
