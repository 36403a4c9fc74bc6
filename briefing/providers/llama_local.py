"""The offline default chat model: a GGUF model run in process by llama.cpp."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, cast

from llama_cpp import Llama

from briefing.errors import ModelUnavailableError
from briefing.providers import Message, TokenUsage
from briefing.providers.model_files import default_model_path
from briefing.settings import LLMSettings

# Sampling pinned for reproducible, grounded answers (llama.cpp's server default of 1.1 changes answers).
SAMPLING: dict[str, Any] = {"temperature": 0.0, "repeat_penalty": 1.0, "top_k": 1}


class LlamaChat:
    """llama.cpp in this process; one call at a time (the model is not thread-safe)."""

    def __init__(self, settings: LLMSettings) -> None:
        path = settings.model_path or default_model_path()
        if not path.exists():
            raise ModelUnavailableError(f"No model file at {path}: fix BRIEFING_LLM__MODEL_PATH.")
        self.name = path.stem
        self._max_tokens = settings.max_tokens
        self._lock = threading.Lock()
        self.usage = TokenUsage()
        try:
            self._llama = Llama(
                model_path=str(path), n_ctx=settings.n_ctx, n_threads=settings.threads, seed=0, verbose=False
            )
        except ValueError as exc:
            raise ModelUnavailableError(f"llama.cpp could not load {path}: {exc}") from exc

    def _completion(self, messages: Sequence[Message], schema: dict[str, Any] | None, *, stream: bool) -> Any:
        """One llama.cpp chat completion with the pinned sampling, constrained by a grammar built from the schema
        when one is given; call it holding the lock."""
        response_format = {"type": "json_object", "schema": schema} if schema else None
        return self._llama.create_chat_completion(
            messages=cast(Any, list(messages)),
            response_format=cast(Any, response_format),
            max_tokens=self._max_tokens,
            stream=stream,
            **SAMPLING,
        )

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """The reply, constrained by a grammar built from the schema when one is given."""
        with self._lock:
            reply = self._completion(messages, schema, stream=False)
        result = cast(dict[str, Any], reply)
        counts = result.get("usage") or {}
        self.usage.add(int(counts.get("prompt_tokens", 0)), int(counts.get("completion_tokens", 0)))
        return str(result["choices"][0]["message"]["content"] or "")

    def stream(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> Iterator[str]:
        """The reply piece by piece, constrained like `complete` when a schema is given."""
        with self._lock:
            pieces = self._completion(messages, schema, stream=True)
            for piece in cast(Iterator[dict[str, Any]], pieces):
                if text := piece["choices"][0]["delta"].get("content"):
                    yield str(text)
