"""The chat messages that ask for an answer or a choice, filled from the prompt files (pure logic)."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.answer.replies import LETTERS
from briefing.answer.types import DraftAnswer, DraftSentence
from briefing.ingest.articles import day_label
from briefing.providers import Message
from briefing.search.passages import Passage
from briefing.templates import render_prompt

_EXAMPLE = DraftAnswer(
    answerable=True,
    sentences=[
        DraftSentence(text="The library reopened on Monday after a two-year renovation.", citations=[2]),
        DraftSentence(text="It cost 4.5 million euros, according to the mayor, Ines Varga.", citations=[1, 2]),
    ],
)


def passage_blocks(passages: Sequence[Passage]) -> str:
    """The passages as the model reads them: '[n] Title (Outlet, 2026-11-25)' then the text."""
    return "\n\n".join(f"[{p.number}] {p.title} ({p.source}, {day_label(p.published)})\n{p.text}" for p in passages)


def answer_messages(question: str, passages: Sequence[Passage]) -> list[Message]:
    """The chat messages for an answer."""
    user = render_prompt(
        "answer_user",
        passages=passage_blocks(passages),
        question=question.strip(),
        count=len(passages),
        example=_EXAMPLE.model_dump_json(),
    )
    return _with_system(user)


def choice_messages(question: str, choices: Sequence[str], passages: Sequence[Passage]) -> list[Message]:
    """The chat messages for a multiple-choice question, the choices lettered A, B, C..."""
    lettered = "\n".join(f"{LETTERS[i]}) {choice}" for i, choice in enumerate(choices))
    user = render_prompt(
        "choice_user",
        passages=passage_blocks(passages),
        question=question.strip(),
        choices=lettered,
        count=len(passages),
    )
    return _with_system(user)


def _with_system(user: str) -> list[Message]:
    return [{"role": "system", "content": render_prompt("answer_system")}, {"role": "user", "content": user}]
