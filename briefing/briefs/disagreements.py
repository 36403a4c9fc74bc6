"""Figures that disagree: two articles of a story giving different numbers for the same thing, or one sentence
setting one figure against another ("1.4 million, not the 6.2 million claimed") (pure logic).

A later figure that says it revises an earlier one ("revised", "initial estimate", "Correction:") is a correction;
otherwise the sources disagree. Both sides are quoted verbatim from the articles, so they can be checked exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from briefing.briefs.key_points import Candidate
from briefing.words import STOP_WORDS, content_words

ConflictKind = Literal["disagreement", "correction"]

_SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_QUANTITY = re.compile(
    r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:%|per ?cent|percent))?"
    r"(?:[\s-]+(thousand|million|billion|trillion|bn|m)\b)?(?:[\s-]+([A-Za-z][A-Za-z]+))?"
)
_NOT_A_FIGURE = re.compile(  # days after a month name, times of day, scores and votes like 7-4
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$)", re.I
)
_TIME_OR_SCORE = re.compile(r"^(?:\s*(?:a\.m|p\.m|am\b|pm\b)|:\d|-\d)", re.I)
_REVISION = re.compile(
    r"\b(revis\w*|correct(?:ed|ion|ions|s)?\b|(?:initial|earlier|first) (?:estimate|figure|report)\w*)", re.I
)
_CONTRAST = re.compile(r"\b(not the|disput\w*|rather than|instead of|contradict\w*|denie[sd]|deny|claimed by)\b", re.I)
_SKIP_NOUNS = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "p", "am", "pm"}
_YEAR = re.compile(r"^(19|20)\d\d$")
CONTEXT_WORDS = 8


@dataclass(frozen=True)
class Quantity:
    """A figure in a sentence: its value, how it is written, its unit (scale and noun) and nearby words."""

    value: float
    text: str  # as written, e.g. "2,100 homes"
    percent: bool
    scale: str
    noun: str
    context: frozenset[str]


@dataclass(frozen=True)
class Conflict:
    """Two figures for the same thing; `earlier` and `later` are the sentences (the same one for a sentence
    that sets one figure against another)."""

    kind: ConflictKind
    earlier: Candidate
    later: Candidate
    earlier_figure: str
    later_figure: str


def quantities(sentence: str) -> list[Quantity]:
    """The figures of a sentence (years and times of day are not figures)."""
    found = []
    words = sentence.split()
    for match in _QUANTITY.finditer(sentence):
        number, percent, scale, noun = match.groups()
        after = sentence[match.end(1) :]
        if _NOT_A_FIGURE.search(sentence[: match.start()]) or _TIME_OR_SCORE.match(after):
            continue
        text = match.group(0)
        noun = (noun or "").lower()
        if noun in _SKIP_NOUNS or noun in STOP_WORDS:
            noun, text = (
                "",
                sentence[match.start() : match.end(3) if scale else match.end(2) if percent else match.end(1)],
            )
        if not (percent or scale or noun) or (_YEAR.match(number) and not (percent or scale)):
            continue
        at = len(sentence[: match.start()].split())
        window = " ".join(words[max(at - CONTEXT_WORDS, 0) : at + CONTEXT_WORDS + 1])
        context = frozenset(w[:5] for w in content_words(window) if not w[0].isdigit()) - {noun[:5], (scale or "")}
        found.append(
            Quantity(
                value=float(number.replace(",", "")) * _SCALES.get((scale or "").lower(), 1.0),
                text=text.strip(),
                percent=bool(percent),
                scale=(scale or "").lower(),
                noun=noun,
                context=context,
            )
        )
    return found


def _different_values(a: Quantity, b: Quantity) -> bool:
    """Two figures of the same kind and scale whose values differ (by more than rounding)."""
    same_kind = a.percent == b.percent and a.scale == b.scale
    return same_kind and abs(a.value - b.value) > 0.02 * max(a.value, b.value)


def _same_measure(a: Quantity, b: Quantity) -> bool:
    """Two figures from different sentences counting the same thing: the same noun and about the same words."""
    return _different_values(a, b) and bool(a.noun) and a.noun == b.noun and len(a.context & b.context) >= 2


def _clause(sentence: str, figure: str) -> str:
    """The words around a figure, verbatim: enough to see what it counts."""
    at = sentence.find(figure)
    before = sentence[:at].split()[-5:]
    after = sentence[at + len(figure) :].split()[:4]
    clause = " ".join([*before, figure, *after]).strip(" ,;:")
    return clause if clause in sentence else figure


def find_conflicts(sentences: Sequence[Candidate], limit: int = 2) -> list[Conflict]:
    """Disagreements and corrections among a story's sentences, at most `limit`, one per pair of figures."""
    conflicts: list[Conflict] = []
    seen: set[tuple[float, float]] = set()
    with_figures = [(s, quantities(s.text)) for s in sentences]
    ordered = sorted((pair for pair in with_figures if pair[1]), key=lambda p: (_when(p[0]), p[0].start))
    for sentence, figures in ordered:  # one sentence setting a figure against another
        for a, b in _pairs(figures, figures, _different_values):
            if _CONTRAST.search(sentence.text) or _REVISION.search(sentence.text):
                kind: ConflictKind = "correction" if _REVISION.search(sentence.text) else "disagreement"
                _add(conflicts, seen, Conflict(kind, sentence, sentence, a.text, b.text), a, b)
    for i, (first, first_figures) in enumerate(ordered):  # two articles giving different figures
        for second, second_figures in ordered[i + 1 :]:
            if first.article.id == second.article.id:
                continue
            if not (_REVISION.search(second.text) or _CONTRAST.search(second.text)):
                continue  # different figures alone are usually different things; a revision or dispute says so
            for a, b in _pairs(first_figures, second_figures, _same_measure):
                kind = "correction" if _REVISION.search(second.text) else "disagreement"
                _add(conflicts, seen, Conflict(kind, first, second, a.text, b.text), a, b)
    return sorted(conflicts, key=lambda c: (c.earlier is not c.later, c.kind))[:limit]


def _pairs(
    left: Sequence[Quantity], right: Sequence[Quantity], comparable: Callable[[Quantity, Quantity], bool]
) -> list[tuple[Quantity, Quantity]]:
    return [(a, b) for a in left for b in right if a is not b and comparable(a, b)]


def _add(
    conflicts: list[Conflict], seen: set[tuple[float, float]], conflict: Conflict, a: Quantity, b: Quantity
) -> None:
    key = (min(a.value, b.value), max(a.value, b.value))
    if key not in seen:
        seen.add(key)
        conflicts.append(conflict)


def _when(candidate: Candidate) -> str:
    published = candidate.article.published
    return published.isoformat() if published else ""


def describe(conflict: Conflict) -> str:
    """The sentence for the page, quoting both figures verbatim with their outlets (the page labels it as a
    correction or a disagreement)."""
    earlier, later = conflict.earlier, conflict.later
    if earlier is later:
        return f"{later.article.source}: “{later.text.strip()}”"
    first = f"“{_clause(earlier.text, conflict.earlier_figure)}”"
    second = f"“{_clause(later.text, conflict.later_figure)}”"
    if conflict.kind == "correction":
        return f"{later.article.source} now reports {second}, after {first} ({earlier.article.source})."
    return f"{earlier.article.source} reports {first}; {later.article.source} reports {second}."
