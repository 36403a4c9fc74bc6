"""What the app shows of untrusted text: escaped Markdown, citation links, and an article with its cited span
highlighted (pure logic; article and model text never become markup)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from briefing import SourceSpan, byline, day_label
from briefing.render.wording import link_target

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
_PARAGRAPHS = re.compile(r"\n\s*\n")
ARTICLE_PAGE = "library"  # the url path of the page that shows one article


def escape_markdown(text: str) -> str:
    """Article and model text shown as text, never as markup, links or math. Unlike the briefing files' escaping
    (render/markdown.py, whole lines), it works on any piece of text, streamed pieces included, whitespace kept, and
    also escapes Streamlit's own `:directive[...]` and `:emoji:` syntax."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def article_link(span: SourceSpan) -> str:
    """The app's address of the article with this span highlighted (relative, so it works behind any host)."""
    return f"./{ARTICLE_PAGE}?" + urlencode({"article": span.article_id, "start": span.start, "end": span.end})


def cited_markdown(text: str, numbers: Sequence[int], spans: Mapping[int, SourceSpan]) -> str:
    """A sentence, escaped, followed by its citation markers as links to the highlighted passage."""
    markers = "".join(f"[\\[{n}\\]]({article_link(spans[n])})" if n in spans else f"\\[{n}\\]" for n in numbers)
    return f"{escape_markdown(text)} {markers}".strip()


def source_line(span: SourceSpan) -> str:
    """'Valley Courier · by Ann Holt · 2026-11-25 · also published by …' as escaped Markdown, with the link when it
    is safe."""
    parts = [escape_markdown(span.source), day_label(span.published)]
    if span.authors:
        parts.insert(1, escape_markdown("by " + byline(span.authors)))
    if span.also_in:
        parts.append(escape_markdown("also published by " + ", ".join(span.also_in)))
    if target := link_target(span.url):
        parts.append(f"[{escape_markdown(_host(target))}]({target.replace('(', '%28').replace(')', '%29')})")
    return " · ".join(parts)


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0]


def article_html(body: str, start: int | None = None, end: int | None = None) -> str:
    """The article as escaped HTML paragraphs, the span body[start:end] in <mark>; the paragraphs before the
    highlighted one fold into a <details>, so the passage is what the reader sees first."""
    valid = start is not None and end is not None and 0 <= start < end <= len(body)
    paragraphs: list[str] = []
    marked_at = -1
    position = 0
    for piece in _PARAGRAPHS.split(body):
        offset = body.find(piece, position)
        position = offset + len(piece)
        if valid and start is not None and end is not None and offset < end and start < position:
            low, high = max(start, offset) - offset, min(end, position) - offset
            inner = f"{html.escape(piece[:low])}<mark>{html.escape(piece[low:high])}</mark>{html.escape(piece[high:])}"
            marked_at = len(paragraphs) if marked_at < 0 else marked_at
        else:
            inner = html.escape(piece)
        paragraphs.append(f"<p>{inner}</p>")
    if marked_at > 0:
        before = "".join(paragraphs[:marked_at])
        label = f"{marked_at} paragraph{'s' if marked_at > 1 else ''} before the passage"
        paragraphs = [f"<details><summary>{label}</summary>{before}</details>", *paragraphs[marked_at:]]
    return f'<div class="article-body">{"".join(paragraphs)}</div>'
