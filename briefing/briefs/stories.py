"""Stories: the articles of a period grouped by the event they report, ranked by importance (pure logic).

Copies of one wire story are already grouped at ingest (MinHash); here articles written separately about the same
event join them when their headlines, leads, names and days say so (`same_event`). The days before the period are
grouped with it, so a story that started earlier is recognised as developing and keeps its id.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray

from briefing.briefs.periods import Period
from briefing.briefs.same_event import GroupingWeights, link, pair_scores
from briefing.ingest.articles import Article


@dataclass
class Story:
    """Articles about one event, oldest first; `id` is the ingest story id of its oldest article, or the id the
    story had in an earlier briefing. `earlier` holds its articles from before the period."""

    id: str
    articles: list[Article]
    earlier: list[Article] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(a.source for a in self.articles))

    @property
    def newest(self) -> datetime | date | None:
        return max((a.published for a in self.articles if a.published), key=_sort_key, default=None)

    @property
    def article_ids(self) -> set[str]:
        return {a.id for a in [*self.earlier, *self.articles]}


def _sort_key(when: datetime | date) -> tuple[date, float]:
    if isinstance(when, datetime):
        return when.date(), when.timestamp() if when.tzinfo else when.replace(tzinfo=None).toordinal()
    return when, 0.0


def group_stories(
    items: Sequence[tuple[Article, str]], vectors: NDArray[np.float32], weights: GroupingWeights = GroupingWeights()
) -> list[Story]:
    """Group (article, ingest story id) pairs, oldest first: copies together, then groups that report one event
    (average linkage on `same_event.pair_scores`). `vectors` are the articles' lead embeddings."""
    if not items:
        return []
    groups: dict[str, list[int]] = {}
    for index, (_, copy_id) in enumerate(items):
        groups.setdefault(copy_id, []).append(index)
    articles = [article for article, _ in items]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    members = link(list(groups.values()), pair_scores(articles, unit, weights), weights.threshold)
    stories = []
    for indexes in sorted(members):
        ordered = sorted(indexes, key=lambda i: (_sort_key(items[i][0].published or date.min), i))
        stories.append(Story(id=items[ordered[0]][1], articles=[items[i][0] for i in ordered]))
    return stories


def split_at(stories: Sequence[Story], current: Collection[str], known: Mapping[str, str]) -> list[Story]:
    """The stories with an article among `current` (ids of the period's articles), their other articles moved to
    `earlier`; a story holding an article of an earlier briefing's story takes that story's id (`known`: article
    id -> story id)."""
    found = []
    for story in stories:
        now = [a for a in story.articles if a.id in current]
        if not now:
            continue
        before = [a for a in story.articles if a.id not in current]
        earlier_id = next((known[a.id] for a in story.articles if a.id in known), None)
        found.append(Story(id=earlier_id or story.id, articles=now, earlier=before))
    return found


@dataclass(frozen=True)
class RankWeights:
    """How much each signal adds to a story's importance."""

    outlets: float = 3.0  # per log(1 + outlets that covered it): independent coverage is the strongest signal
    articles: float = 1.0  # per log(1 + articles), copies included
    coverage: float = 0.5  # per log(1 + thousands of words written about it)
    recency: float = 1.0  # times how late in the period its newest article came (0..1)
    novelty: float = 1.0  # added when the story is new, not continued from the previous period


def importance(story: Story, period: Period, is_new: bool, weights: RankWeights = RankWeights()) -> float:
    """A score to order stories by, most important first."""
    words = sum(len(a.body.split()) for a in story.articles)
    return (
        weights.outlets * math.log1p(len(story.outlets))
        + weights.articles * math.log1p(len(story.articles))
        + weights.coverage * math.log1p(words / 1000)
        + weights.recency * period.position(story.newest)
        + (weights.novelty if is_new else 0.0)
    )


def rank_stories(
    stories: Sequence[Story], period: Period, weights: RankWeights = RankWeights()
) -> list[tuple[Story, float]]:
    """Stories with their importance, most important first (ties: newer first, then id); a story is new when it
    has no article from before the period."""
    scored = [(story, importance(story, period, not story.earlier, weights)) for story in stories]
    return sorted(scored, key=lambda pair: (-round(pair[1], 9), -period.position(pair[0].newest), pair[0].id))
