"""The chat messages that ask for an answer or a choice, filled from the prompt files (pure logic)."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.answer.evidence import Candidate, evidence_blocks
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


def selection_messages(question: str, candidates: Sequence[Candidate]) -> list[Message]:
    """The chat messages that ask which of the numbered sentences answer the question: the instructions first
    (the same in every such prompt, so the local model reads them once), then the sentences and the question."""
    user = render_prompt("select_user", sentences=evidence_blocks(candidates), question=question.strip())
    return _with_system(user, system="select_system")


def _with_system(user: str, system: str = "answer_system") -> list[Message]:
    return [{"role": "system", "content": render_prompt(system)}, {"role": "user", "content": user}]
