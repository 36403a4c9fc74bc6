"""The words every format prints the same way: labels, the summary line, outlet lists, a story's byline, quote and
timeline lines, the sections of stories told in one line (in brief, nothing new), what the briefing read, dates,
excerpts (pure logic).

Article-derived text comes out of here unescaped; each format escapes it for its own markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from briefing.briefs.page import Briefing, ChangeKind, CitedSentence, QuoteLine, StoryBrief, StoryStatus, TimelineEntry
from briefing.briefs.periods import zone
from briefing.errors import InputError
from briefing.grounding.citations import Citation

CHANGE_LABELS: dict[ChangeKind, str] = {"new": "New", "developing": "Developing", "correction": "Correction"}
STATUS_TAGS: dict[StoryStatus, str] = {"new": "", "developing": "Developing"}  # new stories carry no tag
CHANGES_HEADING = "What changed"
DISAGREEMENT_LABEL = "Sources disagree:"
SOURCES_HEADING = "Sources"
QUOTES_LABEL = "Who said what"
TIMELINE_LABEL = "Timeline"
IN_BRIEF_HEADING = "Also in the news"
STILL_DEVELOPING_HEADING = "Still developing"
INPUT_OUTLETS_NAMED = 3  # the outlets named in the inputs line, most articles first; the rest are "…"
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
    """'12 stories from 143 articles (9 new, 3 developing; 5 in brief); every line checked against its sources',
    the stories in brief being those told in one line under 'Also in the news'."""
    stories = plural(len(briefing.stories), "story")
    found_in = f" from {plural(briefing.stats.articles, 'article')}" if briefing.stats.articles else ""
    developing = sum(s.status == "developing" for s in briefing.stories)
    in_brief = dict(split_sections(briefing.stories)[1]).get(IN_BRIEF_HEADING, [])
    details = [f"{len(briefing.stories) - developing} new, {developing} developing"] if developing else []
    details += [f"{len(in_brief)} in brief"] if in_brief else []
    split = f" ({'; '.join(details)})" if details else ""
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


def short_day(day: date) -> str:
    """'Tue 24 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def story_tag(story: StoryBrief) -> str:
    """The tag closing a story's byline: 'developing since Tue 24 Nov' when it began before the period,
    'Developing' for another developing story, '' for a new one."""
    if story.first_seen is not None:
        return f"developing since {short_day(story.first_seen)}"
    return STATUS_TAGS[story.status]


def byline_parts(story: StoryBrief) -> list[str]:
    """The byline before its tag: 'Reported by A, B and C', and '3 outlets' for a story that began before the
    period."""
    parts = [by] if (by := reported_by(story.outlets)) else []
    if story.first_seen is not None and story.outlets:
        parts.append(plural(len(story.outlets), "outlet"))
    return parts


def only_note(outlet: str) -> str:
    """'(only Valley Courier)': after a fact that one outlet of several reported."""
    return f"(only {one_line(outlet)})"


def quote_line(quote: QuoteLine) -> str:
    """'Ann Holt: “the quoted words” — Valley Courier', the words exactly as quoted."""
    return f"{one_line(quote.speaker)}: “{one_line(quote.text)}” — {one_line(quote.outlet)}"


def timeline_line(entry: TimelineEntry) -> str:
    """'Tue 24 Nov — the day's main development'."""
    return f"{short_day(entry.day)} — {one_line(entry.text)}"


def split_sections(stories: Sequence[StoryBrief]) -> tuple[list[StoryBrief], list[tuple[str, list[StoryBrief]]]]:
    """The stories shown in full, in order, then the headed sections of those shown one line each, in page order:
    'Also in the news' (in brief), then 'Still developing' (nothing new); only the sections that have stories. A story
    with nothing new goes under 'Still developing' even when it is also in brief."""
    in_brief = [s for s in stories if s.in_brief and not s.nothing_new]
    still = [s for s in stories if s.nothing_new]
    sections = [(IN_BRIEF_HEADING, in_brief), (STILL_DEVELOPING_HEADING, still)]
    return [s for s in stories if not (s.in_brief or s.nothing_new)], [(h, found) for h, found in sections if found]


def in_brief_sentence(story: StoryBrief) -> list[CitedSentence]:
    """The sentence after the headline of a story in brief ([] for any other story shown in one line)."""
    return story.points[:1] if story.in_brief and not story.nothing_new else []


def headline_note(story: StoryBrief, since: date) -> str:
    """What follows the headline of a story shown in one line: 'no new facts since Tue 24 Nov · Reported by A and B'
    for a story with nothing new, 'Reported by A and B' for one in brief ('' when it names no outlet)."""
    return no_new_facts(story, since) if story.nothing_new else reported_by(story.outlets)


def no_new_facts(story: StoryBrief, since: date) -> str:
    """'no new facts since Tue 24 Nov · Reported by A and B': what follows the headline of a story with nothing new
    (since its first day, or else the day before the period)."""
    day = story.first_seen or since - timedelta(days=1)
    return " · ".join([f"no new facts since {short_day(day)}", *([by] if (by := reported_by(story.outlets)) else [])])


def inputs_line(briefing: Briefing) -> str:
    """'Read 34 articles from 5 outlets (A, B, C, …), published 24 Nov 06:45 – 26 Nov 16:30 · No articles in this
    period from: D', or '' when the briefing read no article."""
    inputs = briefing.inputs
    if inputs.articles <= 0:
        return ""
    line = f"Read {plural(inputs.articles, 'article')}"
    if names := [one_line(name) for name in inputs.outlets if name.strip()]:
        named = ", ".join([*names[:INPUT_OUTLETS_NAMED], *(["…"] if len(names) > INPUT_OUTLETS_NAMED else [])])
        line += f" from {plural(len(names), 'outlet')} ({named})"
    if published := _published_range(inputs.oldest, inputs.newest, _zone_or_none(briefing.timezone)):
        line += f", published {published}"
    if quiet := [one_line(name) for name in inputs.quiet_outlets if name.strip()]:
        line += f" · No articles in this period from: {', '.join(quiet)}"
    return line


def _zone_or_none(name: str) -> tzinfo | None:
    try:
        return zone(name)
    except InputError:
        return None  # a briefing saved with a timezone this machine does not know: times as the articles state them


def _published_range(oldest: datetime | date | None, newest: datetime | date | None, local: tzinfo | None) -> str:
    """'24 Nov 06:45 – 26 Nov 16:30' (aware times in the briefing's timezone), one moment alone when both are the
    same, '26 Nov, latest 16:30' when one day is known without its time, or '' when neither is known; the year only
    when the two differ."""
    ends = [_in_zone(moment, local) for moment in (oldest, newest) if moment is not None]
    days = {moment.date() if isinstance(moment, datetime) else moment for moment in ends}
    if len(days) == 1 and len(ends) == 2 and not all(isinstance(moment, datetime) for moment in ends):
        latest = next((moment for moment in reversed(ends) if isinstance(moment, datetime)), None)
        return days.pop().strftime("%-d %b") + (latest.strftime(", latest %H:%M") if latest else "")
    day_format = "%-d %b %Y" if len({moment.year for moment in ends}) > 1 else "%-d %b"
    labels = [moment.strftime(f"{day_format} %H:%M" if isinstance(moment, datetime) else day_format) for moment in ends]
    return " – ".join(dict.fromkeys(labels))


def _in_zone(moment: datetime | date, local: tzinfo | None) -> datetime | date:
    if isinstance(moment, datetime) and moment.tzinfo is not None and local is not None:
        return moment.astimezone(local)
    return moment  # a naive time or a bare day, as the article states it


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
