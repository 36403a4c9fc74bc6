"""Judges of grounding: does a set of passages support a sentence? One seam, two kinds of judge.

- `EvidenceJudge`: the offline checker of `briefing.grounding.verifier` (aligned words, numbers, names, quotations,
  negation), with an embedding model's similarity for paraphrases when one is given.
- `LLMJudge`: a chat model (the local one or any OpenAI-compatible server) asked for a verdict, from the prompt
  files `judge_system.txt` and `judge_user.txt`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

import numpy as np

from briefing.grounding.verifier import (
    MIN_PARAPHRASE_RECALL,
    Similarity,
    Span,
    best_evidence,
    check,
    check_together,
    reason_of,
)
from briefing.providers import ChatModel, Embedder
from briefing.templates import render_prompt

Verdict = Literal["supported", "partial", "unsupported"]
VERDICTS: tuple[Verdict, ...] = ("supported", "partial", "unsupported")


@dataclass(frozen=True)
class Judgement:
    """A judge's verdict on one sentence against some passages, and why."""

    verdict: Verdict
    reason: str

    @property
    def supported(self) -> bool:
        """True when the passages support everything the sentence says."""
        return self.verdict == "supported"


class Judge(Protocol):
    """Decides whether passages, taken together, support a sentence."""

    name: str

    def judge(self, sentence: str, passages: Sequence[str]) -> Judgement:
        """The verdict for the sentence against the passages read together."""
        ...


def embedding_similarity(embedder: Embedder) -> Similarity:
    """Cosine similarity from an embedder whose vectors have unit length."""

    def similarity(sentence: str, texts: Sequence[str]) -> Sequence[float]:
        vectors = embedder.embed([sentence, *texts])
        return [float(v) for v in np.asarray(vectors[1:] @ vectors[0])]

    return similarity


class EvidenceJudge:
    """The offline checker: supported when one span (a sentence, a pair, a whole passage, or all passages
    together) passes every check; partial when words align but a number, name, quotation or negation fails."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._similarity = embedding_similarity(embedder) if embedder else None
        self.name = "evidence+embedding" if embedder else "evidence"

    def judge(self, sentence: str, passages: Sequence[str]) -> Judgement:
        spans = [_span(f"p{i}", text) for i, text in enumerate(passages)]
        evidence = best_evidence(sentence, spans, self._similarity)
        if evidence is None:
            return Judgement("unsupported", "no passage")
        together = check_together(sentence, spans) if len(spans) > 1 and not evidence.supported else None
        if together is not None:  # the spans read together, clause by clause
            evidence = replace(together, contradictions=evidence.contradictions)
        if evidence.supported:
            return Judgement("supported", f"{evidence.word_recall:.0%} of its words are in the source")
        whole = together or check(sentence, spans[0])
        aligned = max(evidence.word_recall, whole.word_recall)
        verdict: Verdict = "partial" if aligned >= MIN_PARAPHRASE_RECALL else "unsupported"
        return Judgement(verdict, reason_of(evidence))


def _span(name: str, passage: str) -> Span:
    """A passage as a span: a first line before the text is its headline ("Outlet. Headline\ntext")."""
    title, newline, text = passage.partition("\n")
    return Span(name, 0, len(text), text, title) if newline else Span(name, 0, len(passage), passage)


class LLMJudge:
    """A chat model as judge, constrained to a JSON verdict."""

    def __init__(self, llm: ChatModel, *, self_judging: bool = False) -> None:
        self._llm = llm
        self.name = f"{'self-judging ' if self_judging else ''}llm:{llm.name}"

    def judge(self, sentence: str, passages: Sequence[str]) -> Judgement:
        if not passages:
            return Judgement("unsupported", "no passage")
        numbered = "\n\n".join(f"[{i}] {text}" for i, text in enumerate(passages, start=1))
        messages = [
            {"role": "system", "content": render_prompt("judge_system")},
            {"role": "user", "content": render_prompt("judge_user", passages=numbered, sentence=sentence.strip())},
        ]
        reply = self._llm.complete(messages, schema=JUDGE_SCHEMA)  # type: ignore[arg-type]
        return parse_judgement(reply)


JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"reason": {"type": "string"}, "verdict": {"enum": list(VERDICTS)}},
    "required": ["reason", "verdict"],
}


def parse_judgement(reply: str) -> Judgement:
    """The verdict in a judge's JSON reply; anything unreadable counts as unsupported."""
    try:
        data = json.loads(reply)
        verdict = str(data["verdict"]).strip().lower()
        reason = str(data.get("reason", "")).strip()
    except (json.JSONDecodeError, KeyError, TypeError):
        return Judgement("unsupported", "the judge's reply could not be read")
    if verdict not in VERDICTS:
        return Judgement("unsupported", f"the judge gave no verdict ({verdict!r})")
    return Judgement(verdict, reason or verdict)
