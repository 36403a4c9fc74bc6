"""The offline default chat model: a GGUF model run in process by llama.cpp."""

from __future__ import annotations

import codecs
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any, cast

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from briefing.errors import ModelUnavailableError
from briefing.providers import Message, TokenUsage, inert, yes_share
from briefing.providers.greedy import grammar_of, greedy_reply
from briefing.providers.model_files import default_model_path
from briefing.providers.prompt_starts import PromptStarts
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
        self.starts = PromptStarts(self._llama)

    def _prepared(self, messages: Sequence[Message]) -> list[int]:
        """The prompt's tokens as the model's chat template lays them out, their start restored from a kept state
        where one fits (call it holding the lock, for a model with a chat template)."""
        template = cast(Jinja2ChatFormatter, self._chat_template)
        prompt = template(messages=cast(Any, inert(messages))).prompt
        tokens = self._llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        self.usage.read += self.starts.prepare(tokens)
        return tokens

    def _written(self, messages: Sequence[Message], schema: dict[str, Any] | None) -> Iterator[str]:
        """The reply piece by piece (call it holding the lock, for a model with a chat template): the prompt laid out
        by the template, its kept start restored, the rest read, then written greedily under the schema's grammar
        (`greedy.greedy_reply`)."""
        tokens = self._prepared(messages)
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        written = 0
        for piece in greedy_reply(self._llama, tokens, grammar_of(schema) if schema else None, self._max_tokens):
            written += 1
            if text := decoder.decode(piece):
                yield text
        if tail := decoder.decode(b"", final=True):
            yield tail
        self.usage.add(len(tokens), written)

    def _chat_completion(self, messages: Sequence[Message], schema: dict[str, Any] | None, *, stream: bool) -> Any:
        """llama-cpp-python's chat completion with the pinned sampling (a model without a chat template of its own:
        llama.cpp lays the prompt out its own way); call it holding the lock."""
        response_format = {"type": "json_object", "schema": schema} if schema else None
        return self._llama.create_chat_completion(
            messages=cast(Any, inert(messages)),
            response_format=cast(Any, response_format),
            max_tokens=self._max_tokens,
            stream=stream,
            **SAMPLING,
        )

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """The reply, constrained by a grammar built from the schema when one is given."""
        with self._lock:
            if self._chat_template is not None:
                return "".join(self._written(messages, schema))
            result = cast(dict[str, Any], self._chat_completion(messages, schema, stream=False))
        counts = result.get("usage") or {}
        self.usage.add(int(counts.get("prompt_tokens", 0)), int(counts.get("completion_tokens", 0)))
        return str(result["choices"][0]["message"]["content"] or "")

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """P("yes") / (P("yes") + P("no")) for the reply's first token, read from the model's output after the
        prompt (in any capitalisation, with or without a leading space). Only the tokens not already read are read."""
        llama = self._llama
        if self._chat_template is None:
            raise ModelUnavailableError(f"{self.name} has no chat template to rate a yes/no reply with.")
        with self._lock:
            tokens = self._prepared(messages)
            llama.eval(tokens[llama.n_tokens :])
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama.ctx, -1), shape=(llama.n_vocab(),))
        self.usage.add(len(tokens), 0)
        probabilities = np.exp(logits.astype(np.float64) - float(logits.max()))
        yes, no = self._yes_no_tokens
        return yes_share(float(probabilities[yes].sum()), float(probabilities[no].sum()))

    @cached_property
    def _chat_template(self) -> Jinja2ChatFormatter | None:
        """The model's own chat template (it lays the messages out, ready for the assistant's reply), compiled
        once; None when the model file has none."""
        llama = self._llama
        template = llama.metadata.get("tokenizer.chat_template")
        if not template:
            return None
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
            if self._chat_template is not None:
                yield from self._written(messages, schema)
                return
            pieces = self._chat_completion(messages, schema, stream=True)
            for piece in cast(Iterator[dict[str, Any]], pieces):
                if text := piece["choices"][0]["delta"].get("content"):
                    yield str(text)
