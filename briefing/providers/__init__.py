"""Model seams: one small protocol per capability, and factories that build them from settings."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypedDict, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from briefing.settings import Settings


class Message(TypedDict):
    """One chat turn."""

    role: Literal["system", "user", "assistant"]
    content: str


_CONTROL_TOKEN = re.compile(r"<\|([A-Za-z0-9_]{1,40})\|>|</?s>|\[/?INST\]")


def inert(messages: Sequence[Message]) -> list[Message]:
    """The messages with any chat-template control token written in their text (`<|im_start|>`, `<|eot_id|>`,
    `[INST]`, `</s>`: an article can contain them) broken up, so a model's tokenizer reads them as plain text and a
    passage can never open a turn of its own."""
    return [Message(role=m["role"], content=_CONTROL_TOKEN.sub(_broken, m["content"])) for m in messages]


def _broken(match: re.Match[str]) -> str:
    token = match[0]
    return f"{token[0]} {token[1:-1]} {token[-1]}"


class ChatModel(Protocol):
    """Generates a reply to chat messages, optionally constrained to a JSON schema."""

    name: str

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """The model's reply as text (JSON text when a schema is given)."""
        ...

    def stream(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> Iterator[str]:
        """The reply as it is generated, piece by piece (JSON text when a schema is given)."""
        ...


@runtime_checkable
class RatesYesNo(Protocol):
    """A chat model that can say how sure it is of a yes/no reply (a second look at an answer uses it)."""

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """The probability, from 0 to 1, that the reply to these messages starts with "yes" rather than "no"."""
        ...


def yes_share(yes: float, no: float) -> float:
    """yes / (yes + no) of two probabilities (weights), 0.5 when neither has any."""
    return yes / (yes + no) if yes + no > 0 else 0.5


@dataclass
class TokenUsage:
    """Tokens a chat model has been given and has written so far (as the model or server counts them), and of
    the prompt tokens, those it had to read (not found in its cache; known for the local model only)."""

    prompt: int = 0
    completion: int = 0
    read: int = 0

    def add(self, prompt: int, completion: int) -> None:
        """Count one more call."""
        self.prompt += prompt
        self.completion += completion


@runtime_checkable
class CountsTokens(Protocol):
    """A chat model that reports its token usage."""

    usage: TokenUsage


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text, each of unit length."""
        ...


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings select."""
    if settings.embedder.provider == "openai":
        from briefing.providers.openai_compat import OpenAIEmbedder

        return OpenAIEmbedder(settings)
    from briefing.providers.local_embedder import MiniLMEmbedder

    return MiniLMEmbedder(threads=settings.embedder.threads, batch_size=settings.embedder.batch_size)


def make_chat_model(settings: Settings) -> ChatModel:
    """The chat model the settings select."""
    if settings.llm.provider == "openai":
        from briefing.providers.openai_compat import OpenAIChat

        return OpenAIChat(settings)
    from briefing.providers.llama_local import LlamaChat

    return LlamaChat(settings.llm)
