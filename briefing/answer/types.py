"""Answers with citations: the checked reply shown to people, and the draft the model writes (pure types)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from briefing.grounding.citations import Citation
from briefing.search.passages import SourceSpan

NOT_IN_ARTICLES = "The answer is not in the articles."
"""The one reply given when the retrieved passages do not contain the answer."""


class AnswerSentence(BaseModel):
    """One sentence of an answer and the numbers of the citations that support it."""

    text: str
    citations: list[int]


class UnsupportedSentence(BaseModel):
    """A sentence kept from the answer, with the reason: no retrieved span supports it, or (`off_question`) its
    source supports it but it does not answer what was asked."""

    text: str
    reason: str
    cited: Sequence[SourceSpan] = Field(default_factory=list)  # the spans it was checked against
    off_question: bool = False


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


class DraftSentence(BaseModel):
    """A sentence as the model writes it, with the passage numbers it cites."""

    text: str
    citations: list[int] = Field(default_factory=list)


class DraftAnswer(BaseModel):
    """The model's reply before its citations are checked."""

    answerable: bool
    sentences: list[DraftSentence] = Field(default_factory=list)


class DraftChoice(DraftAnswer):
    """The model's reply to a multiple-choice question: a letter (or "none") and its justification."""

    choice: str = "none"
