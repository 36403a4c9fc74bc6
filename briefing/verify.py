"""Checking an answer sentence against the spans it cites (pure logic, no model).

No NLI model ships offline here, so support is judged from evidence a person can inspect: the sentence's
numbers, names and quotations must appear in the span, most of its content words must align with it, and a
negation on one side only counts against it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.chunking import sentence_spans

MIN_WORD_RECALL = 0.5
"""Share of the sentence's content words that must appear in the span."""

_STOP = set(
    """
    a an and are as at be been but by for from had has have he her his i in is it its of on or our she so
    than that the their them then there these they this those to was we were what when where which who will
    with would about after before also into over said says say told according more most while
    """.split()
)
_NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "denied", "refused"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’-]+")
_QUOTE = re.compile(r"[\"“‘']([^\"“”‘’']{12,}?)[\"”’']")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower().replace("n't", " not"))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[\"“”‘’']", "'", text).lower().split())


@dataclass(frozen=True)
class Span:
    """A stretch of an article: `text == body[start:end]`."""

    article_id: str
    start: int
    end: int
    text: str
    title: str = ""  # the article's headline counts as evidence too, though citations point into the body


@dataclass(frozen=True)
class Evidence:
    """Why a sentence is or is not supported by a span."""

    span: Span
    word_recall: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    missing_numbers: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    missing_quotes: tuple[str, ...] = ()
    negation_mismatch: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        """True when every check passes."""
        return (
            self.word_recall >= MIN_WORD_RECALL
            and not self.missing_numbers
            and not self.missing_names
            and not self.missing_quotes
            and not self.negation_mismatch
        )

    @property
    def strength(self) -> float:
        """For choosing among spans: support first, then aligned words."""
        return float(self.supported) + self.word_recall - 0.2 * len(self.missing_numbers + self.missing_names)


def check(sentence: str, span: Span) -> Evidence:
    """The evidence that `span` supports `sentence`."""
    words = [w for w in _words(sentence) if w not in _STOP and w not in _NEGATIONS]
    evidence = f"{span.title}\n{span.text}"
    span_stems = {_stem(w) for w in _words(evidence)}
    matched = tuple(w for w in dict.fromkeys(words) if _stem(w) in span_stems)
    missing = tuple(w for w in dict.fromkeys(words) if _stem(w) not in span_stems)
    recall = len(matched) / (len(matched) + len(missing)) if words else 0.0
    flat_span = _flat(evidence)
    names = {re.sub(r"['’]s?$", "", n) for n in _NAME.findall(sentence)}
    quotes = [q for q in _QUOTE.findall(sentence) if len(q.split()) >= 3]
    sentence_negated = bool(_NEGATIONS & set(_words(sentence)))
    span_negated = bool(_NEGATIONS & set(_words(span.text)))
    return Evidence(
        span=span,
        word_recall=recall,
        matched=matched,
        missing=missing,
        missing_numbers=tuple(sorted(_numbers(sentence) - _numbers(evidence))),
        missing_names=tuple(sorted(n for n in names if n.lower() not in flat_span)),
        missing_quotes=tuple(q for q in quotes if _flat(q) not in flat_span),
        negation_mismatch=sentence_negated and not span_negated,
    )


def sentence_windows(passage: Span, width: int = 2) -> list[Span]:
    """The passage's sentences, alone and in runs of up to `width`, as spans of the article."""
    spans = sentence_spans(passage.text)
    windows = []
    for first in range(len(spans)):
        for last in range(first, min(first + width, len(spans))):
            start, end = spans[first][0], spans[last][1]
            windows.append(
                Span(passage.article_id, passage.start + start, passage.start + end, passage.text[start:end])
            )
    return windows


def best_evidence(sentence: str, passages: Sequence[Span]) -> Evidence | None:
    """The strongest evidence for the sentence among the passages' sentences (or pairs of sentences)."""
    candidates = [check(sentence, window) for passage in passages for window in sentence_windows(passage)]
    candidates += [check(sentence, passage) for passage in passages]
    return max(candidates, key=lambda e: (e.strength, -len(e.span.text)), default=None)
