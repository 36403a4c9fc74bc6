"""The words every format prints the same way: labels, the summary line, outlet lists, dates, excerpts (pure logic).

Article-derived text comes out of here unescaped; each format escapes it for its own markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from briefing.briefs.page import Briefing, ChangeKind, StoryStatus
from briefing.grounding.citations import Citation

CHANGE_LABELS: dict[ChangeKind, str] = {"new": "New", "developing": "Developing", "correction": "Correction"}
STATUS_TAGS: dict[StoryStatus, str] = {"new": "", "developing": "Developing"}  # new stories carry no tag
CHANGES_HEADING = "What changed"
DISAGREEMENT_LABEL = "Sources disagree:"
SOURCES_HEADING = "Sources"
EXCERPT_WORDS = 20
_LINKABLE_SCHEMES = ("http", "https")


def one_line(text: str) -> str:
    """The text with every run of whitespace (newlines included) made one space."""
    return " ".join(text.split())


def plural(count: int, noun: str) -> str:
    """'1 story', '12 stories', '1 article', '143 articles'."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


def summary_line(briefing: Briefing) -> str:
    """'12 stories from 143 articles (9 new, 3 developing); every line checked against its sources'."""
    stories = plural(len(briefing.stories), "story")
    found_in = f" from {plural(briefing.stats.articles, 'article')}" if briefing.stats.articles else ""
    developing = sum(s.status == "developing" for s in briefing.stories)
    split = f" ({len(briefing.stories) - developing} new, {developing} developing)" if developing else ""
    return f"{stories}{found_in}{split}; every line checked against its sources"


def document_title(briefing: Briefing) -> str:
    """The title and the period, for a window title or a PDF's metadata."""
    return f"{one_line(briefing.title)} — {briefing.period_label}"


def generated_line(briefing: Briefing) -> str:
    """'Generated 25 November 2026, 07:02 (Europe/Paris) · 31 of 34 sentences passed the check · model x'."""
    when = briefing.generated_at.strftime("%-d %B %Y, %H:%M")
    parts = [f"Generated {when} ({briefing.timezone})"]
    stats = briefing.stats
    if stats.sentences_checked:
        parts.append(f"{stats.sentences_passed} of {plural(stats.sentences_checked, 'sentence')} passed the check")
    if briefing.model:
        parts.append(f"model {one_line(briefing.model)}")
    return " · ".join(parts)


def reported_by(outlets: Iterable[str]) -> str:
    """'Reported by A, B and C' (each outlet once, in order), or '' when there is none."""
    names = list(dict.fromkeys(one_line(name) for name in outlets if name.strip()))
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Reported by {listed}"


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """The first `words` words of the text, ending with '…' when it was cut."""
    found = text.split()
    if len(found) <= words:
        return " ".join(found)
    return " ".join(found[:words]).rstrip(",;:") + " …"


def link_target(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address that is safe to link to; None otherwise (javascript:, data:...)."""
    if not url:
        return None
    url = url.strip()
    if any(char.isspace() or ord(char) < 32 or char in '<>"`' for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINKABLE_SCHEMES or not parts.netloc:
        return None
    return url


def known_numbers(numbers: Iterable[int], footnotes: dict[int, Citation]) -> list[int]:
    """The citation numbers that have a footnote, each once, in increasing order."""
    return sorted({number for number in numbers if number in footnotes})


def footnotes_of(briefing: Briefing) -> dict[int, Citation]:
    """The briefing's citations by number, in number order."""
    return {citation.number: citation for citation in sorted(briefing.citations, key=lambda c: c.number)}
