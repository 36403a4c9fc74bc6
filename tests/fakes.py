"""Test doubles entered through the public seams (`llm=` arguments), never by patching SDK internals."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from briefing.providers import Message


def answer_reply(*sentences: str) -> str:
    """The model's JSON answer made of these sentences, each citing passage 1."""
    return json.dumps({"answerable": True, "sentences": [{"text": s, "citations": [1]} for s in sentences]})


def evidence_reply(answer: str, *numbers: int) -> str:
    """The model's evidence-first pick: the answer in a few words and the numbers of the sentences that state it."""
    return json.dumps({"answer": answer, "evidence": list(numbers or (1,))})


class FakeChat:
    """Replies with fixed texts in turn (the last one repeats) and remembers what it was asked."""

    name = "fake"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.asked: list[Sequence[Message]] = []
        self.schemas: list[dict[str, Any] | None] = []

    @property
    def reply(self) -> str:
        return self.replies[min(len(self.asked), len(self.replies)) - 1]

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        self.asked.append(messages)
        self.schemas.append(schema)
        return self.reply

    def stream(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> Iterator[str]:
        reply = self.complete(messages, schema)
        for start in range(0, len(reply), 7):  # in pieces, as a model streams
            yield reply[start : start + 7]


class FakeRater(FakeChat):
    """A FakeChat that also rates yes/no replies (the second look), always as sure as `yes`."""

    def __init__(self, *replies: str, yes: float) -> None:
        super().__init__(*replies)
        self.yes = yes
        self.rated: list[Sequence[Message]] = []

    def yes_probability(self, messages: Sequence[Message]) -> float:
        self.rated.append(messages)
        return self.yes
