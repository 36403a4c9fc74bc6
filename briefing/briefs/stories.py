"""Stories: the articles of a period grouped by the event they report, ranked by importance (pure logic).

Copies of one wire story are already grouped at ingest (MinHash); here articles written separately about the same
event join them when their leads (headline and first sentences) are close in embedding space.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray

from briefing.briefs.periods import Period
from briefing.ingest.articles import Article

SAME_EVENT = 0.5
"""Cosine similarity of two groups' lead centroids above which they report the same event (tuned on the samples)."""

CONTINUES = 0.5
"""Cosine similarity of a story's centroid to a story of the previous period above which it continues it."""

LEAD_WORDS = 60


def lead_text(article: Article) -> str:
    """The headline and the first words of the body: what an article is about."""
    return f"{article.title}\n{' '.join(article.body.split()[:LEAD_WORDS])}"


@dataclass
class Story:
    """Articles about one event, oldest first; `id` is the ingest story id of its first article."""

    id: str
    articles: list[Article]
    centroid: NDArray[np.float32]
    copy_ids: set[str] = field(default_factory=set)  # ingest story ids (near-copy groups) inside

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(a.source for a in self.articles))

    @property
    def newest(self) -> datetime | date | None:
        return max((a.published for a in self.articles if a.published), key=_sort_key, default=None)


def _sort_key(when: datetime | date) -> tuple[date, float]:
    if isinstance(when, datetime):
        return when.date(), when.timestamp() if when.tzinfo else when.replace(tzinfo=None).toordinal()
    return when, 0.0


def _unit(vector: NDArray[np.float32]) -> NDArray[np.float32]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def group_stories(
    items: Sequence[tuple[Article, str]], vectors: NDArray[np.float32], threshold: float = SAME_EVENT
) -> list[Story]:
    """Group (article, ingest story id) pairs: copies together, then groups whose lead centroids are closer than
    `threshold` merged, closest pair first (centroid linkage). `vectors` are the articles' lead embeddings."""
    groups: dict[str, list[int]] = {}
    for index, (_, copy_id) in enumerate(items):
        groups.setdefault(copy_id, []).append(index)
    members = list(groups.values())
    centroids = [_unit(vectors[m].mean(axis=0)) for m in members]
    while len(members) > 1:
        matrix = np.stack(centroids)
        similarity = matrix @ matrix.T
        np.fill_diagonal(similarity, -1.0)
        a, b = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[a, b] < threshold:
            break
        low, high = sorted((int(a), int(b)))
        members[low] = members[low] + members.pop(high)
        centroids.pop(high)
        centroids[low] = _unit(vectors[members[low]].mean(axis=0))
    stories = []
    for indexes, centroid in zip(members, centroids, strict=True):
        ordered = sorted(indexes)  # items come oldest first
        stories.append(
            Story(
                id=items[ordered[0]][1],
                articles=[items[i][0] for i in ordered],
                centroid=centroid,
                copy_ids={items[i][1] for i in ordered},
            )
        )
    return stories


def match_previous(stories: Sequence[Story], previous: Sequence[Story], threshold: float = CONTINUES) -> dict[str, str]:
    """For each story that continues one of the previous period, the previous story's id."""
    matches: dict[str, str] = {}
    for story in stories:
        best, best_score = None, threshold
        for earlier in previous:
            score = 1.0 if story.copy_ids & earlier.copy_ids else float(story.centroid @ earlier.centroid)
            if score >= best_score:
                best, best_score = earlier.id, score
        if best is not None:
            matches[story.id] = best
    return matches


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
    stories: Sequence[Story], period: Period, continued: Mapping[str, str], weights: RankWeights = RankWeights()
) -> list[tuple[Story, float]]:
    """Stories with their importance, most important first (ties: newer first, then id)."""
    scored = [(story, importance(story, period, story.id not in continued, weights)) for story in stories]
    return sorted(scored, key=lambda pair: (-round(pair[1], 9), -period.position(pair[0].newest), pair[0].id))
