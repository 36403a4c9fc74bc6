"""Citations: the spans an answer or a briefing cites, numbered once, and the spans that support a sentence
(pure logic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefing.grounding.verifier import Similarity, Span, best_evidence, check_together, reason_of
from briefing.search.passages import Passage, SourceSpan

MAX_CITATIONS_PER_SENTENCE = 3


class Citation(SourceSpan):
    """A span cited by an answer or a briefing, numbered as its [n] markers."""

    number: int

    @classmethod
    def of(cls, span: SourceSpan, number: int = 0, **changes: Any) -> Citation:
        """The span as a citation (some of its fields changed)."""
        return cls(**span.span_fields(**changes), number=number)


class CitationNumbering:
    """Numbers for cited spans in order of first use: the same span (article, start, end) always gets the same
    number. The one numbering of answers and briefings."""

    def __init__(self) -> None:
        self._citations: dict[tuple[str, int, int], Citation] = {}

    def number(self, span: SourceSpan) -> int:
        """The span's number, a new one when it was not cited before."""
        key = (span.article_id, span.start, span.end)
        if key not in self._citations:
            self._citations[key] = Citation.of(span, number=len(self._citations) + 1)
        return self._citations[key].number

    def numbers(self, spans: Sequence[SourceSpan]) -> list[int]:
        """The spans' numbers, each once, in order."""
        return list(dict.fromkeys(self.number(span) for span in spans))

    def citations(self) -> list[Citation]:
        """Every numbered span, by number."""
        return list(self._citations.values())


def supporting_spans(
    text: str, cited: Sequence[Passage], passages: Sequence[Passage], similarity: Similarity | None
) -> list[Citation] | str:
    """The article spans that support the sentence, preferring what it cites; or the reason there are none.

    Each cited passage is narrowed to its supporting sentences; when none supports the sentence alone, the cited
    passages read together may; else the first retrieved passage that does is cited instead.
    """
    found = {p.number: (p, best_evidence(text, [_span(p)], similarity)) for p in cited}
    supporting = [(p, e) for p, e in found.values() if e is not None and e.supported]
    if not supporting and len(cited) > 1:
        together = check_together(text, [_span(p) for p in cited])
        if together.supported:
            supporting = [(p, e) for p, e in found.values() if e is not None]
    for passage in passages if not supporting else []:
        evidence = found[passage.number][1] if passage.number in found else best_evidence(text, [_span(passage)])
        if evidence is not None and evidence.supported:
            supporting = [(passage, evidence)]
            break
    if not supporting:
        best = max((e for _, e in found.values() if e is not None), key=lambda e: e.strength, default=None)
        return reason_of(best) if best else "cites no passage and repeats none"
    return [
        Citation.of(p, start=e.span.start, end=e.span.end, text=e.span.text)
        for p, e in supporting[:MAX_CITATIONS_PER_SENTENCE]
    ]


def _span(passage: Passage) -> Span:
    """The passage as evidence: its text, with the outlet and headline it appears under."""
    return Span(passage.article_id, passage.start, passage.end, passage.text, f"{passage.source}. {passage.title}")
