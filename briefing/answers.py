"""Answers with citations: the typed result, the model's reply format, and citation checking (pure logic)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

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


class Answer(BaseModel):
    """The reply to a question: text with [n] markers, its sentences, and the citations they point to."""

    question: str
    text: str
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)

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


REPLY_SCHEMA: dict[str, Any] = {
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
                    "citations": {
                        "type": "array",
                        "items": {"type": "integer"},
                        "maxItems": MAX_CITATIONS_PER_SENTENCE,
                    },
                },
                "required": ["text", "citations"],
            },
        },
    },
    "required": ["answerable", "sentences"],
}

_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_COMPLETE = re.compile(r"[.!?…]['\"”’)\]]*$")
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


_STOPWORDS = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "said",
        "says",
        "she",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "who",
        "will",
        "with",
        "would",
        "not",
        "no",
        "than",
        "then",
        "there",
        "these",
        "those",
        "what",
        "when",
        "where",
        "how",
        "why",
        "also",
        "after",
        "before",
        "over",
        "into",
        "about",
    ]
)


def content_words(text: str) -> set[str]:
    """Lowercased words and numbers that carry meaning (no stopwords)."""
    return {w for w in re.findall(r"[a-z0-9][a-z0-9'%.-]*[a-z0-9%]|[a-z0-9]", text.lower()) if w not in _STOPWORDS}


def overlap(sentence: str, passage: str) -> float:
    """Share of the sentence's content words that appear in the passage."""
    words = content_words(sentence)
    return len(words & content_words(passage)) / len(words) if words else 0.0


def best_passage(sentence: str, passages: Sequence[Passage], minimum: float) -> int | None:
    """The number of the passage sharing most of the sentence's words, if it shares at least `minimum`."""
    scored = [(overlap(sentence, p.text), p.number) for p in passages]
    best_score, best_number = max(scored, default=(0.0, 0))
    return best_number if scored and best_score >= minimum else None


def finalise(question: str, draft: DraftAnswer, passages: Sequence[Passage], repair_minimum: float = 0.5) -> Answer:
    """Check every citation: numbers that do not exist are dropped, an uncited sentence is re-pointed to the
    passage it repeats or removed, and citations are renumbered in order of first use."""
    by_number = {p.number: p for p in passages}
    kept: list[tuple[str, list[int]]] = []
    for sentence in draft.sentences if draft.answerable else []:
        inline = [int(n) for group in _MARKER.findall(sentence.text) for n in group.split(",")]
        text = " ".join(_MARKER.sub("", sentence.text).split())
        if not text or _DONT_KNOW.search(text) or _DANGLING.search(text):
            continue  # empty, a refusal, or cut off mid-sentence
        if not _COMPLETE.search(text):
            text += "."
        numbers = [n for n in dict.fromkeys([*sentence.citations, *inline]) if n in by_number]
        if not numbers and (repaired := best_passage(text, passages, repair_minimum)) is not None:
            numbers = [repaired]
        if numbers:
            kept.append((text, numbers[:MAX_CITATIONS_PER_SENTENCE]))
    if not kept:
        return Answer.nothing_found(question)

    renumber: dict[int, int] = {}
    for _, numbers in kept:
        for n in numbers:
            renumber.setdefault(n, len(renumber) + 1)
    sentences = [AnswerSentence(text=text, citations=[renumber[n] for n in numbers]) for text, numbers in kept]
    citations = [
        Citation(number=new, **by_number[old].model_dump(include=set(SourceSpan.model_fields)))
        for old, new in renumber.items()
    ]
    text = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in sentences)
    return Answer(question=question, text=text, sentences=sentences, citations=citations)
