"""The parts of a story beyond its key points (pure logic): what was said before, a dated timeline, who said what,
facts only one outlet reported, and a summary of what the briefing read.

Every line here is a span of an article, verbatim: a timeline entry is the day's best sentence, a quote is the
quoted words exactly as written, so each is checked by finding it where it is cited.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache

from briefing.briefs.key_points import Candidate, same_fact, select_sentences
from briefing.briefs.page import Briefing, InputsSummary
from briefing.briefs.periods import Period
from briefing.briefs.quotes import Quote, best_quotes, is_verbatim
from briefing.briefs.stories import Story
from briefing.ingest.articles import Article
from briefing.words import content_words

TIMELINE_DAYS = 3  # the newest days of a story shown as its timeline
TIMELINE_MAX_WORDS = 25
QUOTE_MAX_WORDS = 30
QUOTES_PER_STORY = 1
ELSEWHERE = 0.6  # share of a sentence's content words in another outlet's article: that outlet reported it too
SAID_BEFORE_SENTENCES = 8  # without an earlier briefing: what it would have said, its best sentences


def said_before(story: Story, earlier: Sequence[Briefing]) -> list[str]:
    """What readers were already told about the story: the lines of earlier briefings about it, or, when none was
    saved, the best sentences of its articles from before the period."""
    told = [
        line.text
        for briefing in earlier
        for shown in briefing.stories
        if shown.story_id == story.id
        for line in [*shown.points, *shown.timeline, *shown.quotes, *shown.disagreements]
    ]
    if told or not story.earlier:
        return told
    return [c.text for c in select_sentences(story.earlier, SAID_BEFORE_SENTENCES)]


def timeline(story: Story, period: Period, exclude: Sequence[str] = ()) -> list[tuple[date, Candidate]]:
    """For a story reported on several days: each of its newest days with that day's best sentence (not one that
    repeats `exclude`, e.g. the key points), oldest first; [] for a story of one day."""
    by_day: dict[date, list[Article]] = defaultdict(list)
    for article in [*story.earlier, *story.articles]:
        if (day := period.local_day(article.published)) is not None:
            by_day[day].append(article)
    if len(by_day) < 2:
        return []
    entries: list[tuple[date, Candidate]] = []
    told = list(exclude)
    for day in sorted(by_day)[-TIMELINE_DAYS:]:
        best = select_sentences(by_day[day], 1, max_words=TIMELINE_MAX_WORDS, exclude=told)
        if best:
            entries.append((day, best[0]))
            told.append(best[0].text)
    return entries if len(entries) >= 2 else []


def quotes(story: Story, limit: int = QUOTES_PER_STORY, exclude: Sequence[str] = ()) -> list[Quote]:
    """The story's quotes worth showing, each checked verbatim; none whose words a key point already carries."""
    told = [content_words(text) for text in exclude]
    found = []
    for quote in best_quotes(story.articles, limit=limit + len(told) + 2):
        words = content_words(quote.words)
        if len(quote.words.split()) > QUOTE_MAX_WORDS or not is_verbatim(quote):
            continue
        if not any(same_fact(words, other) for other in told):
            found.append(quote)
        if len(found) == limit:
            break
    return found


def only_outlet(cited: Sequence[tuple[str, str]], story: Story) -> str | None:
    """The outlet that alone reported a line, given its cited (outlet, sentence) pairs: when the story was covered by
    several outlets and no other outlet's article (of the period or before) has its figures and most of its words.
    Cautious on purpose: a fact told across two sentences elsewhere counts as reported there."""
    outlets = {outlet for outlet, _ in cited}
    if len(story.outlets) < 2 or len(outlets) != 1:
        return None
    [outlet] = outlets
    others = [_body_words(a.body) for a in [*story.earlier, *story.articles] if a.source != outlet]
    if any(reported_in(content_words(sentence), others) for _, sentence in cited):
        return None
    return outlet


@lru_cache(maxsize=512)
def _body_words(body: str) -> frozenset[str]:
    """An article's content words, read once for all the points of its story that are checked against it."""
    return frozenset(content_words(body))


def reported_in(sentence: set[str], articles: Sequence[frozenset[str]]) -> bool:
    """True when one of the articles (their content words) carries the sentence's figures and most of its words."""
    figures = {w for w in sentence if w[0].isdigit()}
    for words in articles:
        if figures <= words and sentence and len(sentence & words) / len(sentence) >= ELSEWHERE:
            return True
    return False


def inputs_summary(articles: Sequence[Article], before: Sequence[Article]) -> InputsSummary:
    """What a briefing read (`articles` of the period) and which outlets of the days `before` were silent in it."""
    counts = Counter(a.source for a in articles)
    dated = [a.published for a in articles if a.published is not None]
    return InputsSummary(
        articles=len(articles),
        outlets=[outlet for outlet, _ in counts.most_common()],
        oldest=min(dated, key=_when, default=None),
        newest=max(dated, key=_when, default=None),
        quiet_outlets=sorted({a.source for a in before} - set(counts)),
    )


def _when(published: datetime | date) -> tuple[date, float]:
    if isinstance(published, datetime):
        moment = published if published.tzinfo else published.astimezone()
        return published.date(), moment.timestamp()
    return published, 0.0
