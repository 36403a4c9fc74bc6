"""Gold evidence, located: every evidence quote of a question found verbatim in its article (exact offsets), and
whether a cited span overlaps it. Grounding measured without the verifier (pure logic)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefing import Article, InputError, SourceSpan

from .datasets import EvalQuestion


@dataclass(frozen=True)
class EvidenceSpan:
    """Where a gold evidence quote stands: `body[start:end]` of the article is the quote."""

    article_id: str
    start: int
    end: int


def locate_evidence(
    questions: Sequence[EvalQuestion], articles: Mapping[str, Article]
) -> dict[str, list[EvidenceSpan]]:
    """Every evidence quote of every question at its offsets in its stored article, by question id. A quote not
    found verbatim, or an article not in the store, is an error naming the file and line of the question and its
    id."""
    located: dict[str, list[EvidenceSpan]] = {}
    for question in questions:
        spans = located.setdefault(question.id, [])
        for evidence in question.evidence:
            where = f"{question.origin} (question {question.id})"
            article = articles.get(evidence.article)
            if article is None:
                raise InputError(where, f"its evidence names article {evidence.article!r}, which is not in the store")
            start = article.body.find(evidence.quote)
            if start < 0 or not evidence.quote.strip():
                raise InputError(
                    where, f"evidence quote not found verbatim in article {evidence.article}: {evidence.quote[:80]!r}"
                )
            while start >= 0:
                spans.append(EvidenceSpan(evidence.article, start, start + len(evidence.quote)))
                start = article.body.find(evidence.quote, start + 1)
    return located


def on_evidence(span: SourceSpan, evidence: Sequence[EvidenceSpan]) -> bool:
    """True when the cited span shares at least one character with a gold evidence span of its article."""
    return any(e.article_id == span.article_id and span.start < e.end and e.start < span.end for e in evidence)
