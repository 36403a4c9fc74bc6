"""The briefing as one standalone, print-friendly HTML5 page: inline CSS, no scripts, no external assets (pure logic).

Every piece of article-derived text goes through `html.escape`, and only http(s) URLs become links.
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

STYLE = """
@page { size: A4; margin: 10mm 11mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #1b1b1b; }
body { font: 10.5pt/1.45 Georgia, "Times New Roman", "DejaVu Serif", serif; margin: 0 auto; padding: 1.5rem 1.25rem;
       max-width: 46rem; }
header { border-bottom: 2px solid #1b1b1b; padding-bottom: .4rem; margin-bottom: .9rem; }
h1 { font-size: 1.9em; line-height: 1.15; margin: 0 0 .25rem; }
.summary { margin: 0; color: #444; }
.period { font-weight: bold; color: #1b1b1b; }
h2 { font-size: 1.12em; line-height: 1.25; margin: 0 0 .2rem; }
.changes { background: #f4f1ea; border-radius: 3px; padding: .55rem .8rem .6rem; margin-bottom: 1rem; }
.changes h2 { font-size: .8em; text-transform: uppercase; letter-spacing: .06em; color: #555; margin-bottom: .3rem; }
.kind { font: bold .68em/1 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
        text-transform: uppercase; letter-spacing: .05em; padding: .15em .4em; border-radius: 2px;
        margin-right: .3em; vertical-align: .12em; color: #fff;
        print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.kind-new { background: #2f6f3e; }
.kind-developing { background: #a4620a; }
.kind-correction { background: #a3242a; }
.story { margin: 0 0 .85rem; }
.story h2, .byline { break-after: avoid; page-break-after: avoid; break-inside: avoid; page-break-inside: avoid; }
li, .disagree, .part { break-inside: avoid; page-break-inside: avoid; }
.byline { margin: 0 0 .25rem; font-size: .85em; color: #555; }
.tag { font-weight: bold; color: #a4620a; white-space: nowrap; }
ul { margin: 0; padding-left: 1.15rem; }
li { margin: .12rem 0; }
.disagree { margin: .3rem 0 0; padding-left: .6rem; border-left: 3px solid #c9a227; font-size: .95em; }
.disagree strong { color: #6b5200; }
.only, .note { color: #777; font-size: .9em; }
.part { margin: .3rem 0 .1rem; font: bold .72em/1.2 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
        text-transform: uppercase; letter-spacing: .05em; color: #555; }
.timeline { font-size: .88em; color: #333; }
.one-line h2 { font-size: .8em; text-transform: uppercase; letter-spacing: .06em; color: #555; }
.one-line ul { list-style: none; padding-left: 0; }
.inputs { margin: 1rem 0 0; font-size: .8em; color: #555; }
sup { font-size: .68em; line-height: 0; }
sup a { text-decoration: none; color: #1a4d8f; }
a { color: #1a4d8f; }
.notes { border-top: 1px solid #999; margin-top: 1.2rem; padding-top: .5rem; font-size: .8em; line-height: 1.35;
         color: #333; }
.notes h2 { font-size: 1em; margin-bottom: .3rem; }
.notes ol { margin: 0; padding-left: 1.9rem; }
.notes li { margin: 0 0 .2rem; }
.notes li:target { background: #fff6c2; }
.quote { color: #666; }
.day { white-space: nowrap; }
.back { text-decoration: none; }
.generated { margin-top: .8rem; font-size: .72em; color: #777; }
@media print {
  /* One A4 page for a briefing of the default size: smaller type, the stories in two columns and the sources in
     four, their quoted passages left to the screen (as in the PDF). */
  body { font-size: 8.6pt; line-height: 1.3; padding: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
  header { padding-bottom: .25rem; margin-bottom: .5rem; }
  h1 { font-size: 1.7em; margin-bottom: .1rem; }
  .changes { background: none; border: 1px solid #bbb; padding: .3rem .6rem .35rem; margin-bottom: .6rem; }
  .changes h2 { margin-bottom: .15rem; }
  .stories { columns: 2; column-gap: 6mm; }
  .story { margin-bottom: .55rem; }
  h2 { margin-bottom: .1rem; }
  .story .head { display: inline-block; width: 100%; }  /* headline and byline never split between columns */
  .byline { margin-bottom: .1rem; }
  li { margin: .05rem 0; }
  .notes { columns: 4; column-gap: 4mm; font-size: 6.6pt; line-height: 1.25; margin-top: .6rem; padding-top: .3rem; }
  .notes h2 { column-span: all; margin-bottom: .15rem; }
  .notes ol { padding-left: 1.3rem; }
  .notes li { margin: 0 0 .1rem; }
  .inputs { margin-top: .5rem; font-size: 7pt; }
  .quote, .back { display: none; }
  .generated { margin-top: .4rem; }
}
"""


def render_html(briefing: Briefing) -> str:
    """The whole page as an HTML5 document: header, what changed, the stories (those in brief and those with nothing
    new last, one line each), then the footnotes."""
    page = _Page(footnotes_of(briefing))
    body = [
        "<header>",
        f"<h1>{escape(one_line(briefing.title))}</h1>",
        f'<p class="summary"><span class="period">{escape(briefing.period_label)}</span> · '
        f"{escape(summary_line(briefing))}</p>",
        "</header>",
    ]
    if briefing.changes:
        body += ['<section class="changes">', f"<h2>{CHANGES_HEADING}</h2>", "<ul>"]
        for change in briefing.changes:
            label = f'<span class="kind kind-{change.kind}">{CHANGE_LABELS[change.kind]}</span>'
            body.append(f"<li>{label} {page.sentence(change)}</li>")
        body += ["</ul>", "</section>"]
    in_full, one_line_sections = split_sections(briefing.stories)
    if briefing.stories:
        body.append('<div class="stories">')
        for story in in_full:
            body += page.story(story)
        for heading, listed in one_line_sections:
            body += ['<section class="story one-line">', f"<h2>{heading}</h2>", "<ul>"]
            body += [f"<li>{page.headline_line(story, briefing)}</li>" for story in listed]
            body += ["</ul>", "</section>"]
        body.append("</div>")
    if read := inputs_line(briefing):
        body.append(f'<p class="inputs">{escape(read)}</p>')
    body += page.notes()
    body.append(f'<p class="generated">{escape(generated_line(briefing))}</p>')
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(document_title(briefing))}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


class _Page:
    """Markers and footnotes of one page: the first marker of each footnote gets the id its back-link points to."""

    def __init__(self, footnotes: dict[int, Citation]) -> None:
        self.footnotes = footnotes
        self.referenced: set[int] = set()

    def story(self, story: StoryBrief) -> list[str]:
        lines = ['<article class="story">', '<div class="head">']
        lines.append(f"<h2>{escape(one_line(story.headline))}{self.headline_markers(story)}</h2>")
        byline = [escape(part) for part in byline_parts(story)]
        if tag := story_tag(story):
            byline.append(f'<span class="tag">{escape(tag)}</span>')
        if byline:
            lines.append(f'<p class="byline">{" · ".join(byline)}</p>')
        lines.append("</div>")
        lines += ["<ul>", *(f"<li>{self.sentence(point)}</li>" for point in story.points), "</ul>"]
        if story.quotes:
            lines += [f'<p class="part">{QUOTES_LABEL}</p>', '<ul class="quotes">']
            lines += [f"<li>{escape(quote_line(q))}{self.markers(q.citations)}</li>" for q in story.quotes]
            lines.append("</ul>")
        if story.timeline:
            lines += [f'<p class="part">{TIMELINE_LABEL}</p>', '<ul class="timeline">']
            lines += [f"<li>{escape(timeline_line(e))}{self.markers(e.citations)}</li>" for e in story.timeline]
            lines.append("</ul>")
        lines += [
            f'<p class="disagree"><strong>{DISAGREEMENT_LABEL}</strong> {self.sentence(disagreement)}</p>'
            for disagreement in story.disagreements
        ]
        return [*lines, "</article>"]

    def headline_line(self, story: StoryBrief, briefing: Briefing) -> str:
        """A story in one line: '<strong>Headline</strong><sup>4</sup> <span class="note">· no new facts since Tue
        24 Nov · …</span>', or '… <span class="note">· Reported by A and B</span>' for one in brief."""
        headline = f"<strong>{escape(one_line(story.headline))}</strong>{self.headline_markers(story)}"
        headline += "".join(f" — {self.sentence(point)}" for point in in_brief_sentence(story))
        note = headline_note(story, briefing.since)
        return f'{headline} <span class="note">· {escape(note)}</span>' if note else headline

    def headline_markers(self, story: StoryBrief) -> str:
        return self.markers(story.headline_citations)

    def sentence(self, sentence: CitedSentence) -> str:
        text = escape(one_line(sentence.text)) + self.markers(sentence.citations)
        if sentence.only_outlet:
            text += f' <span class="only">{escape(only_note(sentence.only_outlet))}</span>'
        return text

    def markers(self, numbers: list[int]) -> str:
        """'<sup><a href="#fn-3" id="ref-3">3</a>,<a href="#fn-5">5</a></sup>', or '' for no known footnote."""
        links = []
        for number in known_numbers(numbers, self.footnotes):
            anchor = "" if number in self.referenced else f' id="ref-{number}"'
            self.referenced.add(number)
            links.append(f'<a href="#fn-{number}"{anchor}>{number}</a>')
        return f"<sup>{','.join(links)}</sup>" if links else ""

    def notes(self) -> list[str]:
        if not self.footnotes:
            return []
        lines = ['<section class="notes">', f"<h2>{SOURCES_HEADING}</h2>", "<ol>"]
        lines += [self.note(citation) for citation in self.footnotes.values()]
        return [*lines, "</ol>", "</section>"]

    def note(self, citation: Citation) -> str:
        title = f"“{escape(one_line(citation.title))}”"
        if url := link_target(citation.url):
            title = f'<a href="{escape(url)}">{title}</a>'
        parts = [escape(one_line(citation.source)), title]
        if day := day_label(citation.published, missing=""):
            parts.append(f'<span class="day">{day}</span>')
        text = ", ".join(parts) + "."
        if quoted := excerpt(citation.text):
            text += f' <span class="quote">“{escape(quoted)}”</span>'
        if citation.number in self.referenced:
            text += f' <a class="back" href="#ref-{citation.number}" aria-label="Back to the text">↩</a>'
        return f'<li id="fn-{citation.number}" value="{citation.number}">{text}</li>'
