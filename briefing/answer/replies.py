"""What the model is asked to return: the JSON schemas of its replies, and reading them back (pure logic)."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from briefing.answer.types import DraftAnswer, DraftChoice, DraftSentence
from briefing.grounding.citations import MAX_CITATIONS_PER_SENTENCE

MAX_SENTENCES = 4
LETTERS = "ABCDEFGH"

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
"""A citation marker written into the text: "[2]" or "[1, 3]"."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


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


def points_schema(passage_count: int, points: int) -> dict[str, Any]:
    """The JSON schema of a story's key points: at most `points` of them (no point written that would not be
    shown), each citing sentences that exist. Every token of it is written by the model, so nothing else is asked."""
    point = reply_schema(passage_count)["properties"]["sentences"]["items"]
    return {
        "type": "object",
        "properties": {"points": {"type": "array", "maxItems": points, "items": point}},
        "required": ["points"],
    }


def parse_points(reply: str) -> DraftAnswer:
    """Read the model's key points; a reply in the answer's shape, or plain text with [n] markers, is accepted too."""
    try:
        found = json.loads(reply)
        if isinstance(found, dict) and "points" in found:
            return DraftAnswer(answerable=True, sentences=found["points"])
    except (json.JSONDecodeError, ValidationError):
        pass
    return parse_reply(reply).model_copy(update={"answerable": True})


def choice_schema(passage_count: int, choice_count: int) -> dict[str, Any]:
    """The JSON schema of a multiple-choice reply."""
    schema = reply_schema(passage_count)
    schema["properties"] = {"choice": {"enum": [*LETTERS[:choice_count], "none"]}, **schema["properties"]}
    schema["required"] = ["choice", "sentences"]
    return schema


def marker_numbers(text: str) -> list[int]:
    """The numbers of the citation markers written into the text."""
    return [int(n) for group in MARKER.findall(text) for n in group.split(",")]


def parse_reply(reply: str) -> DraftAnswer:
    """Read the model's JSON reply; plain text with [n] markers is accepted too (servers without JSON mode)."""
    try:
        return DraftAnswer.model_validate(json.loads(reply))
    except (json.JSONDecodeError, ValidationError):
        pass
    sentences = []
    for raw in _SENTENCE_END.split(reply.strip()):
        text = MARKER.sub("", raw).strip()
        if text:
            sentences.append(DraftSentence(text=text, citations=marker_numbers(raw)))
    return DraftAnswer(answerable=bool(sentences), sentences=sentences)


def parse_choice(reply: str, choice_count: int) -> tuple[int | None, DraftAnswer]:
    """The chosen index (None for "none" or an unreadable reply) and the justification."""
    try:
        draft = DraftChoice.model_validate({"answerable": True, **json.loads(reply)})
    except (json.JSONDecodeError, ValidationError, TypeError):
        return None, DraftAnswer(answerable=False)
    letter = draft.choice.strip().upper()[:1]
    index = LETTERS.find(letter) if letter else -1
    return (index if 0 <= index < choice_count else None), draft
