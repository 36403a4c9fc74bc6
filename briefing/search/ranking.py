"""Combining and trimming ranked results (pure logic): reciprocal rank fusion, recency tie-breaks and
per-article caps."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)
Item = TypeVar("Item")

RRF_K = 60
"""The constant of reciprocal rank fusion (Cormack et al., 2009): damps the weight of the very top ranks."""


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Key]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[Key, float]]:
    """Merge rankings: each item scores the sum of weight / (k + rank) over the rankings it appears in, best first."""
    scores: dict[Key, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def newest_first_on_ties(
    scored: Sequence[tuple[Key, float]], recency: Callable[[Key], float], places: int = 9
) -> list[tuple[Key, float]]:
    """Best score first; among equal scores (to `places` decimals), the most recent item first."""
    return sorted(scored, key=lambda pair: (-round(pair[1], places), -recency(pair[0])))


def favour_recent(
    scored: Sequence[tuple[Key, float]], age_in_days: Callable[[Key], int | None], recent_days: int, older_weight: float
) -> list[tuple[Key, float]]:
    """Scores of items older than `recent_days` (by `age_in_days`; None = undated) multiplied by `older_weight`,
    best first: among results about as relevant, the latest report of a story wins over a years-old recap."""
    weighted = [
        (key, score * older_weight if (age := age_in_days(key)) is not None and age > recent_days else score)
        for key, score in scored
    ]
    return sorted(weighted, key=lambda pair: -pair[1])


def cap_per_group(items: Sequence[Item], group_of: Callable[[Item], Hashable], cap: int, limit: int) -> list[Item]:
    """The first `limit` items, taking at most `cap` from any one group, order kept."""
    taken: list[Item] = []
    counts: dict[Hashable, int] = {}
    for item in items:
        group = group_of(item)
        if counts.get(group, 0) >= cap:
            continue
        counts[group] = counts.get(group, 0) + 1
        taken.append(item)
        if len(taken) == limit:
            break
    return taken
