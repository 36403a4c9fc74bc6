"""Answers with citations: the typed result, the model's reply format, and citation checking (pure logic)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from briefing.answer_kinds import expected_kind, gives_expected_kind
from briefing.judges import Judge
from briefing.verify import Similarity, Span, best_evidence, check, reason_of

NOT_IN_ARTICLES = "The answer is not in the articles."
"""The one reply given when the retrieved passages do not contain the answer."""

MAX_SENTENCES = 4
MAX_CITATIONS_PER_SENTENCE = 3


class SourceSpan(BaseModel):
    """An exact span of a stored article: `text == article.body[start:end]`, with where the article comes from."""

    article_id: str
    title: str
    source: str
    published: datetime | date | None = None
    url: str | None = None
    text: str
    start: int
    end: int
    also_in: list[str] = Field(default_factory=list)  # other outlets that published the same story


class Passage(SourceSpan):
    """A retrieved span, numbered as the model sees it; `score` ranks it, `similarity` is its cosine to the
    question when the dense search found it."""

    number: int
    score: float
    similarity: float | None = None


class Citation(SourceSpan):
    """A span cited by the answer, numbered as the answer's [n] markers."""

    number: int


class AnswerSentence(BaseModel):
    """One sentence of an answer and the numbers of the citations that support it."""

    text: str
    citations: list[int]


class UnsupportedSentence(BaseModel):
    """A sentence the model wrote that no retrieved span supports: never shown as part of the answer."""

    text: str
    reason: str


class Answer(BaseModel):
    """The reply to a question: text with [n] markers, its sentences, and the citations they point to."""

    question: str
    text: str
    asked_as: str | None = None  # the standalone question a follow-up was rewritten to, when it was
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    unsupported: list[UnsupportedSentence] = Field(default_factory=list)

    @property
    def not_in_articles(self) -> bool:
        """True when the articles do not contain the answer."""
        return self.text == NOT_IN_ARTICLES

    @classmethod
    def nothing_found(cls, question: str) -> Answer:
        """The "not in the articles" answer."""
        return cls(question=question, text=NOT_IN_ARTICLES)


# ---- what the model is asked to return ------------------------------------------------------------------------


class DraftSentence(BaseModel):
    """A sentence as the model writes it, with the passage numbers it cites."""

    text: str
    citations: list[int] = Field(default_factory=list)


class DraftAnswer(BaseModel):
    """The model's reply before its citations are checked."""

    answerable: bool
    sentences: list[DraftSentence] = Field(default_factory=list)


def reply_schema(passage_count: int) -> dict[str, Any]:
    """The JSON schema of the model's reply; citations can only name passages that exist (1..passage_count)."""
    citation: dict[str, Any] = {"type": "integer", "enum": list(range(1, passage_count + 1))}
    return {
        "type": "object",
        "properties": {
            "answerable": {"type": "boolean"},
            "sentences": {
                "type": "array",
                "maxItems": MAX_SENTENCES,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "citations": {"type": "array", "items": citation, "maxItems": MAX_CITATIONS_PER_SENTENCE},
                    },
                    "required": ["text", "citations"],
                },
            },
        },
        "required": ["answerable", "sentences"],
    }


LETTERS = "ABCDEFGH"


class DraftChoice(DraftAnswer):
    """The model's reply to a multiple-choice question: a letter (or "none") and its justification."""

    choice: str = "none"


def choice_schema(passage_count: int, choice_count: int) -> dict[str, Any]:
    """The JSON schema of a multiple-choice reply."""
    schema = reply_schema(passage_count)
    schema["properties"] = {"choice": {"enum": [*LETTERS[:choice_count], "none"]}, **schema["properties"]}
    schema["required"] = ["choice", "sentences"]
    return schema


def parse_choice(reply: str, choice_count: int) -> tuple[int | None, DraftAnswer]:
    """The chosen index (None for "none" or an unreadable reply) and the justification."""
    try:
        draft = DraftChoice.model_validate({"answerable": True, **json.loads(reply)})
    except (json.JSONDecodeError, ValidationError, TypeError):
        return None, DraftAnswer(answerable=False)
    letter = draft.choice.strip().upper()[:1]
    index = LETTERS.find(letter) if letter else -1
    return (index if 0 <= index < choice_count else None), draft


_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_COMPLETE = re.compile(r"[.!?…]['\"”’)\]]*$")
_SOURCE_NOTE = re.compile(r"\s*\([^()]*\b\d{4}-\d{2}-\d{2}\)(?=[.!?]?$)")  # "(Outlet, 2026-11-25)" copied from a header
# A sentence ending on one of these words was cut off (typically where the model opened a double quote).
_DANGLING = re.compile(
    r"\b(?:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|that|which|who|whose|said|says|say|was|were|is|"
    r"are|be|been|showed|called|as|than|because)$",
    re.IGNORECASE,
)
_DONT_KNOW = re.compile(r"not in the (?:articles|passages)|i don'?t know|cannot be (?:found|answered)", re.IGNORECASE)


def parse_reply(reply: str) -> DraftAnswer:
    """Read the model's JSON reply; plain text with [n] markers is accepted too (servers without JSON mode)."""
    try:
        return DraftAnswer.model_validate(json.loads(reply))
    except (json.JSONDecodeError, ValidationError):
        pass
    sentences = []
    for raw in _SENTENCE_END.split(reply.strip()):
        numbers = [int(n) for group in _MARKER.findall(raw) for n in group.split(",")]
        text = _MARKER.sub("", raw).strip()
        if text:
            sentences.append(DraftSentence(text=text, citations=numbers))
    return DraftAnswer(answerable=bool(sentences), sentences=sentences)


def finalise(
    question: str,
    draft: DraftAnswer,
    passages: Sequence[Passage],
    similarity: Similarity | None = None,
    *,
    check_kind: bool = True,
) -> Answer:
    """Check every sentence against the spans it cites before it is shown.

    A sentence keeps the cited sentences (of its passages) that support it; when none does, it is re-pointed to
    the retrieved span that does, or removed. Numbers that do not exist are dropped, citations narrow to the
    supporting sentences of the article and are renumbered in order of first use. Nothing supported left means
    the "not in the articles" answer. `similarity` (an embedding model) lets close paraphrases pass. With
    `check_kind`, supported sentences that do not give what the question asks for (a name for "who", a time for
    "when", a number for "how many") are not an answer either.
    """
    by_number = {p.number: p for p in passages}
    kept: list[tuple[str, list[Citation]]] = []
    unsupported: list[UnsupportedSentence] = []
    for sentence in draft.sentences if draft.answerable else []:
        inline = [int(n) for group in _MARKER.findall(sentence.text) for n in group.split(",")]
        text = _SOURCE_NOTE.sub("", " ".join(_MARKER.sub("", sentence.text).split()))
        if not text or _DONT_KNOW.search(text) or _DANGLING.search(text):
            continue  # empty, a refusal, or cut off mid-sentence
        if not _COMPLETE.search(text):
            text += "."
        cited = [by_number[n] for n in dict.fromkeys([*sentence.citations, *inline]) if n in by_number]
        support = _supporting_spans(text, cited, passages, similarity)
        if isinstance(support, str):
            unsupported.append(UnsupportedSentence(text=text, reason=support))
        else:
            kept.append((text, support))
    if kept and check_kind and not gives_expected_kind(question, " ".join(text for text, _ in kept)):
        reason = f"true to the source, but does not say {expected_kind(question)} the question asks"
        unsupported += [UnsupportedSentence(text=text, reason=reason) for text, _ in kept]
        kept = []
    return _assemble(question, kept, unsupported)


def recheck(answer: Answer, judge: Judge) -> Answer:
    """Ask a second judge (e.g. an LLM) about every sentence against its cited spans read together; the
    sentences it does not find supported move to `unsupported`, with its reason."""
    by_number = {c.number: c for c in answer.citations}
    kept: list[tuple[str, list[Citation]]] = []
    unsupported = list(answer.unsupported)
    for sentence in answer.sentences:
        spans = [by_number[n] for n in sentence.citations]
        judgement = judge.judge(sentence.text, [s.text for s in spans])
        if judgement.supported:
            kept.append((sentence.text, spans))
        else:
            unsupported.append(UnsupportedSentence(text=sentence.text, reason=f"{judge.name}: {judgement.reason}"))
    return _assemble(answer.question, kept, unsupported)


def _assemble(
    question: str, kept: Sequence[tuple[str, Sequence[Citation]]], unsupported: list[UnsupportedSentence]
) -> Answer:
    """The answer from its supported sentences, citations renumbered in order of first use."""
    if not kept:
        return Answer(question=question, text=NOT_IN_ARTICLES, unsupported=unsupported)
    numbering: dict[tuple[str, int, int], Citation] = {}
    sentences = []
    for text, spans in kept:
        numbers = []
        for span in spans:
            key = (span.article_id, span.start, span.end)
            if key not in numbering:
                numbering[key] = span.model_copy(update={"number": len(numbering) + 1})
            numbers.append(numbering[key].number)
        sentences.append(AnswerSentence(text=text, citations=list(dict.fromkeys(numbers))))
    text = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in sentences)
    return Answer(
        question=question, text=text, sentences=sentences, citations=list(numbering.values()), unsupported=unsupported
    )


def _supporting_spans(
    text: str, cited: Sequence[Passage], passages: Sequence[Passage], similarity: Similarity | None
) -> list[Citation] | str:
    """The article spans that support the sentence, preferring what it cites; or the reason there are none."""
    found = {p.number: (p, best_evidence(text, [_span(p)], similarity)) for p in cited}
    supporting = [(p, e) for p, e in found.values() if e is not None and e.supported]
    if not supporting and len(cited) > 1:
        together = check(text, Span(cited[0].article_id, 0, 0, " ".join(p.text for p in cited)))
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
        Citation(
            **p.model_dump(include=set(SourceSpan.model_fields) - {"start", "end", "text"}),
            number=0, start=e.span.start, end=e.span.end, text=e.span.text,
        )
        for p, e in supporting[:MAX_CITATIONS_PER_SENTENCE]
    ]  # fmt: skip


def _span(passage: Passage) -> Span:
    return Span(passage.article_id, passage.start, passage.end, passage.text, passage.title)
