"""The offline default chat model: a GGUF model run in process by llama.cpp."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any, cast

import llama_cpp
import numpy as np
from llama_cpp import Llama, LlamaState
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from briefing.errors import ModelUnavailableError
from briefing.providers import Message, TokenUsage, yes_share
from briefing.providers.model_files import default_model_path
from briefing.settings import LLMSettings

# Sampling pinned for reproducible, grounded answers (llama.cpp's server default of 1.1 changes answers).
SAMPLING: dict[str, Any] = {"temperature": 0.0, "repeat_penalty": 1.0, "top_k": 1}


_WORTH_KEEPING = 32
"""Fewest shared prompt tokens worth keeping the model's state for."""


class LlamaChat:
    """llama.cpp in this process; one call at a time (the model is not thread-safe)."""

    def __init__(self, settings: LLMSettings) -> None:
        path = settings.model_path or default_model_path()
        if not path.exists():
            raise ModelUnavailableError(f"No model file at {path}: fix BRIEFING_LLM__MODEL_PATH.")
        self.name = path.stem
        self._max_tokens = settings.max_tokens
        self._lock = threading.Lock()
        self._rated: list[int] = []  # the tokens of the last prompt rated yes/no
        self._rating_prefix: tuple[list[int], LlamaState] | None = None  # what rating prompts share, read once
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

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """P("yes") / (P("yes") + P("no")) for the reply's first token, read from the model's output after the
        prompt (in any capitalisation, with or without a leading space). Only the tokens not already read are read."""
        llama = self._llama
        tokens = llama.tokenize(self._chat_prompt(messages).encode("utf-8"), add_bos=False, special=True)
        with self._lock:
            self._read(tokens)
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama.ctx, -1), shape=(llama.n_vocab(),))
        self.usage.add(len(tokens), 0)
        probabilities = np.exp(logits.astype(np.float64) - float(logits.max()))
        yes, no = self._yes_no_tokens
        return yes_share(float(probabilities[yes].sum()), float(probabilities[no].sum()))

    def _read(self, tokens: list[int]) -> None:
        """Read the prompt's tokens into the model, holding the lock. What it shares with the model's context is not
        read again; nor is what rating prompts share (instructions and worked examples): that part is read once, its
        state kept, and restored for the next rating prompt that starts with it."""
        llama = self._llama
        live = Llama.longest_token_prefix(llama.input_ids[: llama.n_tokens].tolist(), tokens)
        if (kept := self._rating_prefix) and len(kept[0]) > live and tokens[: len(kept[0])] == kept[0]:
            llama.load_state(kept[1])
            live = len(kept[0])
        llama.n_tokens = min(live, len(tokens) - 1)  # at least one token is read, for its output
        common = Llama.longest_token_prefix(self._rated, tokens)
        self._rated = tokens
        if common - llama.n_tokens >= _WORTH_KEEPING and common < len(tokens):
            llama.eval(tokens[llama.n_tokens : common])
            self._rating_prefix = (tokens[:common], llama.save_state())
        llama.eval(tokens[llama.n_tokens :])

    def _chat_prompt(self, messages: Sequence[Message]) -> str:
        """The messages as the model's own chat template lays them out, ready for the assistant's reply."""
        return self._chat_template(messages=cast(Any, list(messages))).prompt

    @cached_property
    def _chat_template(self) -> Jinja2ChatFormatter:
        """The model's own chat template, compiled once."""
        llama = self._llama
        template = llama.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelUnavailableError(f"{self.name} has no chat template to rate a yes/no reply with.")
        return Jinja2ChatFormatter(
            template=template,
            eos_token=llama.detokenize([llama.token_eos()]).decode("utf-8", "replace"),
            bos_token=llama.detokenize([llama.token_bos()]).decode("utf-8", "replace"),
        )

    @cached_property
    def _yes_no_tokens(self) -> tuple[list[int], list[int]]:
        """The first tokens a reply starting with "yes" or with "no" may have ("yes", "Yes", " yes", " Yes"...),
        found once."""

        def first_tokens(word: str) -> list[int]:
            forms = (word, word.capitalize(), " " + word, " " + word.capitalize())
            return sorted({self._llama.tokenize(form.encode("utf-8"), add_bos=False)[0] for form in forms})

        return first_tokens("yes"), first_tokens("no")

    def stream(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> Iterator[str]:
        """The reply piece by piece, constrained like `complete` when a schema is given."""
        with self._lock:
            pieces = self._completion(messages, schema, stream=True)
            for piece in cast(Iterator[dict[str, Any]], pieces):
                if text := piece["choices"][0]["delta"].get("content"):
                    yield str(text)
