"""Extractive pre-selection: the sentences of a story most worth summarising, before any model runs (pure logic).

A sentence scores high when it is early in its article (news is written lead first), when its words are the words
the story's articles share (what every outlet reports), and when it carries facts (numbers, names). Near-identical
sentences (wire copies) are taken once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from briefing.ingest.articles import Article
from briefing.ingest.chunking import sentence_spans
from briefing.words import DATELINE, content_words

MIN_WORDS, MAX_WORDS = 7, 50
MAX_PER_ARTICLE = 3
SAME_SENTENCE = 0.45  # word-set Jaccard above which two sentences say the same thing
SAME_FIGURES = 0.25  # ... or above which they do when they also give the same figures
SAME_MEANING = 0.7  # cosine of two sentences' embeddings (MiniLM) above which they say the same thing in other words
TOLD = 0.8  # share of a sentence's words readers were told before above which, with all its figures, it is not news

_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Candidate:
    """A whole sentence of a story's article: `article.body[start:end] == text`."""

    article: Article
    start: int
    end: int
    text: str
    position: int  # index of the sentence in its article
    score: float


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def story_sentences(articles: Sequence[Article]) -> list[Candidate]:
    """Every usable sentence of the articles, scored (unsorted)."""
    spans = [(article, sentence_spans(article.body)) for article in articles]
    document_frequency: Counter[str] = Counter()
    for article, _ in spans:
        document_frequency.update(content_words(article.body))
    many = len(articles) > 1
    candidates = []
    for article, sentence_offsets in spans:
        for position, (start, end) in enumerate(sentence_offsets):
            if position <= 2 and (dateline := DATELINE.match(article.body, start)):  # after a standfirst
                start = dateline.end()
            text = article.body[start:end]
            words = text.split()
            if not MIN_WORDS <= len(words) <= MAX_WORDS or text.rstrip().endswith("?"):
                continue
            vocabulary = content_words(text)
            shared = (
                sum(document_frequency[w] - 1 for w in vocabulary) / (len(articles) - 1) / math.sqrt(len(vocabulary))
                if many and vocabulary
                else 0.0
            )
            facts = min(sum(1 for w in words if _NUMBER.search(w) or w[:1].isupper()) / len(words), 0.5)
            score = 1.0 / (1 + 0.35 * position) + 0.6 * shared + facts
            candidates.append(Candidate(article, start, end, text, position, score))
    return candidates


def distinct(vectors: NDArray[np.float32], keep_first: int = 1, threshold: float = SAME_MEANING) -> list[int]:
    """Indexes of the sentences to keep, in order: the first `keep_first` always, then each one whose embedding's
    cosine with every one kept so far is below `threshold`. Outlets tell one fact in their own words ("named the
    first U.S. pope" and "became the first pope born in the United States"), which shared words alone miss."""
    if not len(vectors):
        return []
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    kept: list[int] = []
    for i in range(len(unit)):
        if i < keep_first or not kept or float(np.max(unit[kept] @ unit[i])) < threshold:
            kept.append(i)
    return kept


def same_fact(a: set[str], b: set[str]) -> bool:
    """True when two sentences' content words say the same thing (mostly the same words, or the same figures)."""
    overlap = _jaccard(a, b)
    figures_a, figures_b = {w for w in a if w[0].isdigit()}, {w for w in b if w[0].isdigit()}
    return overlap >= SAME_SENTENCE or (bool(figures_a) and figures_a == figures_b and overlap >= SAME_FIGURES)


def already_told(sentence: set[str], told: set[str]) -> bool:
    """True when readers were told every figure of the sentence and most of its words (across what they read)."""
    figures = {w for w in sentence if w[0].isdigit()}
    return bool(sentence) and figures <= told and len(sentence & told) / len(sentence) >= TOLD


def select_sentences(
    articles: Sequence[Article],
    limit: int = 8,
    freshness: Callable[[Article], float] | None = None,
    max_words: int = MAX_WORDS,
    exclude: Sequence[str] = (),
) -> list[Candidate]:
    """The best `limit` sentences of the story, no two saying the same thing, none saying what a sentence of
    `exclude` says (what readers were told before), at most three per article, best first. `freshness` (0..1, e.g.
    how late in the period the article came) puts the newest developments first."""
    chosen: list[Candidate] = []
    told = [content_words(text) for text in exclude]
    told_words = set().union(*told)
    vocabularies: list[set[str]] = []
    per_article: Counter[str] = Counter()
    fresh = {a.id: freshness(a) for a in articles} if freshness else {}
    ranked = sorted(
        (c for c in story_sentences(articles) if len(c.text.split()) <= max_words),
        key=lambda c: (-(c.score + fresh.get(c.article.id, 0.0)), c.article.id, c.start),
    )
    for candidate in ranked:
        if per_article[candidate.article.id] >= MAX_PER_ARTICLE:
            continue
        vocabulary = content_words(candidate.text)
        if any(same_fact(vocabulary, other) for other in [*vocabularies, *told]) or already_told(
            vocabulary, told_words
        ):
            continue
        chosen.append(candidate)
        vocabularies.append(vocabulary)
        per_article[candidate.article.id] += 1
        if len(chosen) == limit:
            break
    return chosen
