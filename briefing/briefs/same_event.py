"""Which articles report the same event: a score for every pair of articles, and groups linked on it (pure logic).

A pair's score reads the signals an editor would: what the leads mean (their embeddings), the rare words and names
the headlines and leads share (weighted by how rare they are among the articles being grouped), and how many days
apart they came out. Groups are merged by average linkage, closest pair of groups first, until no two groups score
above the threshold; copies of one wire story start in one group.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray

from briefing.ingest.articles import Article
from briefing.words import STOP_WORDS

LEAD_WORDS = 60


@dataclass(frozen=True)
class GroupingWeights:
    """How much each signal counts, and the score above which two groups report one event."""

    meaning: float = 0.5  # the cosine of the lead embeddings
    words: float = 0.5  # the cosine of the rare words and names of headline and lead
    per_day: float = 0.02  # taken off per day between the two articles (at most a week's worth)
    threshold: float = 0.2  # tuned on three labelled weeks of the development corpus (evals/grouping.py)


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*\d|\d")
_NOT_NAMES = {
    *"monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december mr mrs ms dr here what why how who".split(),
}


def lead_text(article: Article) -> str:
    """The headline and the first words of the body: what an article is about."""
    return f"{article.title}\n{' '.join(article.body.split()[:LEAD_WORDS])}"


def _words(text: str) -> list[tuple[str, bool]]:
    """The content words of the text, lowercased, each with whether it is written with a capital inside a sentence
    (a name)."""
    found = []
    previous = "."
    for token in _TOKEN.findall(text):
        word = token.lower().strip("'’").removesuffix("'s").removesuffix("’s")
        if word not in STOP_WORDS and len(word) > 1:
            capital = token[0].isupper() and not previous.endswith((".", "!", "?")) and word not in _NOT_NAMES
            found.append((word, capital))
        previous = token
    return found


def article_terms(article: Article) -> dict[str, float]:
    """The words an article's event is told by: the headline's count twice, the lead's once, and a name (a word the
    lead capitalises inside a sentence; headlines capitalise everything) once more wherever it appears."""
    lead = _words(" ".join(article.body.split()[:LEAD_WORDS]))
    names = {word for word, capital in lead if capital}
    bag: dict[str, float] = {}
    for words, weight in ((_words(article.title), 2.0), (lead, 1.0)):
        for word, _ in words:
            bag[word] = bag.get(word, 0.0) + weight + (1.0 if word in names else 0.0)
    return bag


def word_similarity(bags: Sequence[dict[str, float]]) -> NDArray[np.float32]:
    """Cosine of the bags weighted by inverse document frequency among these articles (rare shared words count).
    Words of one article only weigh in its norm; the matrix holds the shared ones."""
    count = len(bags)
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    shared = {word: i for i, word in enumerate(w for w, n in frequency.items() if n > 1)}
    matrix = np.zeros((count, max(len(shared), 1)), dtype=np.float32)
    norms = np.zeros(count, dtype=np.float32)
    for row, bag in enumerate(bags):
        for word, weight in bag.items():
            value = math.sqrt(weight) * (math.log((1 + count) / (1 + frequency[word])) + 1.0)
            norms[row] += value * value
            if word in shared:
                matrix[row, shared[word]] = value
    unit = matrix / np.where(norms == 0, 1.0, np.sqrt(norms))[:, None]
    similarity: NDArray[np.float32] = (unit @ unit.T).astype(np.float32)
    return similarity


def _day(published: datetime | date | None) -> int | None:
    if published is None:
        return None
    return (published.date() if isinstance(published, datetime) else published).toordinal()


def days_apart(articles: Sequence[Article]) -> NDArray[np.float32]:
    """Days between each pair's publication (0 when either is undated)."""
    days = [_day(a.published) for a in articles]
    known = np.array([d if d is not None else 0 for d in days], dtype=np.float32)
    gaps: NDArray[np.float32] = np.abs(known[:, None] - known[None, :])
    undated = np.array([d is None for d in days])
    gaps[undated, :] = 0.0
    gaps[:, undated] = 0.0
    return gaps


def pair_scores(
    articles: Sequence[Article], vectors: NDArray[np.float32], weights: GroupingWeights = GroupingWeights()
) -> NDArray[np.float32]:
    """How strongly each pair of articles reads as one event (symmetric; `vectors` are unit lead embeddings)."""
    meaning = vectors @ vectors.T
    words = word_similarity([article_terms(a) for a in articles])
    scores: NDArray[np.float32] = (
        weights.meaning * meaning + weights.words * words - weights.per_day * np.minimum(days_apart(articles), 7.0)
    ).astype(np.float32)
    return scores


def link(groups: Sequence[Sequence[int]], scores: NDArray[np.float32], threshold: float) -> list[list[int]]:
    """Merge groups of indexes by average linkage on the pair scores, the closest two first, while their average
    pair score is at least `threshold`. Each group's closest other group is kept, so a merge costs one pass over
    the groups rather than over every pair."""
    members = [list(g) for g in groups]
    count = len(members)
    if count < 2:
        return members
    assign = np.zeros(len(scores), dtype=np.int64)
    for index, group in enumerate(members):
        assign[group] = index
    onehot = np.zeros((count, len(scores)), dtype=np.float64)
    onehot[assign, np.arange(len(scores))] = 1.0
    totals = onehot @ scores.astype(np.float64) @ onehot.T  # sum of pair scores between groups
    sizes = onehot.sum(axis=1)
    alive = np.ones(count, dtype=bool)
    average = totals / np.outer(sizes, sizes)
    np.fill_diagonal(average, -np.inf)
    nearest = average.argmax(axis=1)
    closest = average[np.arange(count), nearest]
    while True:
        a = int(closest.argmax())
        if closest[a] < threshold:
            break
        low, high = sorted((a, int(nearest[a])))
        members[low] += members[high]
        alive[high] = False
        totals[low, :] += totals[high, :]
        sizes[low] += sizes[high]
        row = np.where(alive, totals[low, :] / (sizes[low] * sizes), -np.inf)
        row[low] = -np.inf
        average[low, :] = average[:, low] = row
        average[high, :] = average[:, high] = -np.inf
        totals[:, low] = totals[low, :]
        closest[high] = -np.inf
        stale = np.flatnonzero(alive & ((nearest == low) | (nearest == high)))
        nearest[stale] = average[stale].argmax(axis=1)
        closest[stale] = average[stale, nearest[stale]]
        better = row > closest
        nearest[better], closest[better] = low, row[better]
    return [sorted(m) for m, keep in zip(members, alive, strict=True) if keep]
