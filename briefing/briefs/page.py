"""The one-page briefing as data: stories with cited key points, disagreements and changes (pure types).

Every sentence of a briefing cites spans of stored articles by number; the numbers index `Briefing.citations`,
which the renderers print as footnotes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from briefing.answer.types import UnsupportedSentence
from briefing.grounding.citations import Citation, CitationNumbering

StoryStatus = Literal["new", "developing"]
OUTLETS_LINE_WORDS = 4  # "Reported by A and B" under each headline
ChangeKind = Literal["new", "developing", "correction"]


class CitedSentence(BaseModel):
    """One sentence of the briefing and the numbers of the citations (footnotes) that support it."""

    text: str
    citations: list[int]
    only_outlet: str | None = None  # the one outlet that reported it, when the story had several


class TimelineEntry(CitedSentence):
    """A dated step of a story that spans several days: the day's main development, verbatim."""

    day: date


class QuoteLine(CitedSentence):
    """Who said what: `text` is the speaker's words exactly as the cited article quotes them."""

    speaker: str
    outlet: str


class InputsSummary(BaseModel):
    """What the briefing read: how many articles from which outlets, how fresh, and which outlets were quiet."""

    articles: int = 0
    outlets: list[str] = Field(default_factory=list)  # most articles first
    oldest: datetime | date | None = None
    newest: datetime | date | None = None
    quiet_outlets: list[str] = Field(default_factory=list)  # published in the days before, nothing in the period


class Change(CitedSentence):
    """A line of "what changed since the previous briefing": a new story, a development, or a corrected figure."""

    kind: ChangeKind
    story_id: str


class StoryBrief(BaseModel):
    """One story of the page: a headline, two to four key points, the outlets, and where sources disagree."""

    story_id: str
    headline: str
    headline_citation: int | None = None  # the article whose title is the headline
    points: list[CitedSentence]
    disagreements: list[CitedSentence] = Field(default_factory=list)
    outlets: list[str]
    article_ids: list[str]
    status: StoryStatus = "new"
    importance: float = 0.0
    published: datetime | date | None = None  # the newest article of the story
    first_seen: date | None = None  # the day of its oldest article, when it started before the period
    nothing_new: bool = False  # developing, but its new articles add nothing to what was said before: one line
    in_brief: bool = False  # past the stories told in full: its headline alone, under "Also in the news"
    timeline: list[TimelineEntry] = Field(default_factory=list)  # oldest first
    quotes: list[QuoteLine] = Field(default_factory=list)

    @property
    def headline_citations(self) -> list[int]:
        """The headline's citation, as the list every line's citations are ([] when it cites none)."""
        return [] if self.headline_citation is None else [self.headline_citation]

    def lines(self) -> list[CitedSentence]:
        """Every cited sentence of the story, in reading order."""
        return [*self.points, *self.quotes, *self.timeline, *self.disagreements]

    def word_count(self) -> int:
        """Words this story puts on the page: headline, every line (with its speaker or date) and the outlets
        line."""
        words = len(self.headline.split()) + OUTLETS_LINE_WORDS + sum(len(line.text.split()) for line in self.lines())
        return words + sum(len(q.speaker.split()) for q in self.quotes) + 2 * len(self.timeline)


class BriefingStats(BaseModel):
    """How the briefing was made."""

    articles: int = 0  # articles in the period
    stories_found: int = 0
    stories_shown: int = 0
    sentences_checked: int = 0  # sentences written by the model and checked by the verifier
    sentences_passed: int = 0
    points_extracted: int = 0  # key points that are source sentences verbatim (extractive mode, or too few passed)
    words: int = 0  # words on the page (footnotes excluded)
    seconds: float = 0.0
    summaries_cached: int = 0  # stories whose summary came from the cache


class Briefing(BaseModel):
    """A one-page briefing of a period, every line citing its spans."""

    title: str
    since: date
    until: date  # inclusive
    timezone: str
    generated_at: datetime
    stories: list[StoryBrief] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)  # what changed since the previous period
    citations: list[Citation] = Field(default_factory=list)  # footnotes, numbered from 1
    unsupported: list[UnsupportedSentence] = Field(default_factory=list)  # checked and kept off the page
    stats: BriefingStats = Field(default_factory=BriefingStats)
    inputs: InputsSummary = Field(default_factory=InputsSummary)
    model: str = ""

    @property
    def period_label(self) -> str:
        """'Wednesday 25 November 2026', or '24–26 November 2026' for a range."""
        if self.since == self.until:
            return self.since.strftime("%A %-d %B %Y")
        if (self.since.year, self.since.month) == (self.until.year, self.until.month):
            return f"{self.since.day}–{self.until.strftime('%-d %B %Y')}"
        return f"{self.since.strftime('%-d %B %Y')} – {self.until.strftime('%-d %B %Y')}"

    def word_count(self) -> int:
        """Words on the page, footnotes excluded: what the word budget limits."""
        return sum(s.word_count() for s in self.stories) + sum(len(c.text.split()) for c in self.changes)

    def sentences(self) -> list[CitedSentence]:
        """Every cited sentence on the page, in reading order."""
        found: list[CitedSentence] = [*self.changes]
        for story in self.stories:
            found += story.lines()
        return found


def renumbered(briefing: Briefing) -> Briefing:
    """Footnotes numbered in reading order (changes, then each story's headline and lines)."""
    by_old = {c.number: c for c in briefing.citations}
    numbering = CitationNumbering()

    def renumber(numbers: list[int]) -> list[int]:
        return numbering.numbers([by_old[n] for n in numbers])

    for change in briefing.changes:
        change.citations = renumber(change.citations)
    for story in briefing.stories:
        if story.headline_citation is not None:
            story.headline_citation = numbering.number(by_old[story.headline_citation])
        for line in story.lines():
            line.citations = renumber(line.citations)
    briefing.citations = numbering.citations()
    return briefing
