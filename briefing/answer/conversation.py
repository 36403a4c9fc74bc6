"""Chat turns: follow-up questions made standalone, and the readable text of a reply while it streams (pure logic).

A follow-up such as "and what did Russia say?" means nothing to retrieval on its own. When a question leans on the
conversation (pronouns, a leading "and", very few words), the chat model rewrites it as one standalone question
from the last exchanges; a question that stands on its own is used as typed, at no cost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefing.providers import Message
from briefing.templates import render_prompt
from briefing.words import STOP_WORDS

EXCHANGES_GIVEN = 2  # earlier turns shown to the model when rewriting a follow-up
SHORT_QUESTION_WORDS = 4  # "Why?", "When was that?", "Who else?"
ANSWER_WORDS_GIVEN = 60
STEM_CHARS = 5

_LEADS = re.compile(r"^\W*(and|but|also|so|then|what about|how about|what else|why|same for|and what)\b", re.I)
_TIME_PHRASES = re.compile(
    r"\b(this|that|these|those) (morning|afternoon|evening|day|week|weekend|month|year)s?\b", re.I
)
_REFERRING = frozenset(
    "he she they it him her them his hers their theirs its that this those these there then such "
    "former latter other others".split()
)
_WORD = re.compile(r"[A-Za-z']+")


@dataclass(frozen=True)
class Exchange:
    """One earlier turn of the conversation: the question as understood, and the answer shown."""

    question: str
    answer: str


def needs_context(question: str) -> bool:
    """True when the question leans on the conversation before it."""
    words = _WORD.findall(_TIME_PHRASES.sub(" ", question).lower())
    if not words:
        return False
    return bool(_LEADS.match(question)) or len(words) <= SHORT_QUESTION_WORDS or any(w in _REFERRING for w in words)


def standalone_schema() -> dict[str, Any]:
    """The model's reply when rewriting a follow-up."""
    return {
        "type": "object",
        "properties": {"question": {"type": "string"}},
        "required": ["question"],
    }


def standalone_messages(question: str, history: Sequence[Exchange]) -> list[Message]:
    """The chat messages asking for the follow-up as one standalone question, from the prompt files."""
    turns = []
    for turn in history[-EXCHANGES_GIVEN:]:
        words = turn.answer.split()
        answer = " ".join(words[:ANSWER_WORDS_GIVEN]) + (" …" if len(words) > ANSWER_WORDS_GIVEN else "")
        turns.append(f"Question: {turn.question}\nAnswer: {answer}")
    user = render_prompt("followup_user", history="\n\n".join(turns), question=question.strip())
    return [{"role": "system", "content": render_prompt("followup_system")}, {"role": "user", "content": user}]


def parse_standalone(reply: str, question: str, history: Sequence[Exchange]) -> str:
    """The rewritten question; the previous question joined to the follow-up when the reply is unusable: empty,
    too long, or keeping fewer than half of the words the follow-up itself asks about (a rewrite resolves "they"
    and may say "seeking" for "want", but must not ask about something else)."""
    try:
        rewritten = str(json.loads(reply).get("question", "")).strip()
    except (json.JSONDecodeError, AttributeError):
        rewritten = ""
    limit = 3 * len(question.split()) + 3 * len(history[-1].question.split()) if history else 0
    asked = _stems(question)
    kept = len(asked & _stems(rewritten)) >= len(asked) / 2
    if rewritten and kept and len(rewritten.split()) <= max(limit, 12):
        return rewritten
    return f"{history[-1].question} {question.strip()}" if history else question.strip()


def _stems(text: str) -> set[str]:
    """The content words of a question, cut to a crude stem ("offered" and "offer" agree)."""
    words = {w.lower() for w in _WORD.findall(text)} - STOP_WORDS - _REFERRING
    return {w[:STEM_CHARS] for w in words if len(w) > 2}


# ---- a reply while it streams ---------------------------------------------------------------------------------

_TEXT_FIELD = re.compile(r'"text"\s*:\s*"')


def draft_text(partial_json: str) -> str:
    """The sentences of a reply's JSON as far as it has arrived, joined as readable text."""
    sentences = []
    for match in _TEXT_FIELD.finditer(partial_json):
        sentences.append(_string_so_far(partial_json, match.end()))
    return " ".join(s for s in sentences if s)


def _string_so_far(text: str, start: int) -> str:
    """The JSON string starting at `start`, decoded up to its closing quote or as far as it goes."""
    end, escaped = start, False
    while end < len(text):
        char = text[end]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            break
        end += 1
    raw = text[start : end - 1 if escaped else end]
    decoded = _decoded(raw)
    if decoded is None:  # an escape cut in half (\u20): show what comes before it
        decoded = _decoded(raw[: raw.rfind("\\")]) or ""
    return decoded[:-1] if decoded and "\ud800" <= decoded[-1] <= "\udbff" else decoded  # half a surrogate pair


def _decoded(raw: str) -> str | None:
    try:
        return str(json.loads(f'"{raw}"', strict=False))
    except json.JSONDecodeError:
        return None


class DraftReader:
    """Turns streamed pieces of a reply's JSON into pieces of readable text."""

    def __init__(self) -> None:
        self.reply = ""
        self._shown = ""

    def feed(self, piece: str) -> str:
        """The readable text this piece adds ('' when it adds none yet)."""
        self.reply += piece
        text = draft_text(self.reply)
        if not text.startswith(self._shown):
            return ""
        added, self._shown = text[len(self._shown) :], text
        return added
