"""Greedy writing under a grammar, checked the way llama.cpp's own sampler checks it: the model's most likely next
token is tried against the grammar alone, and only when the grammar refuses it are all the vocabulary's tokens
tried. llama-cpp-python's chat completion tries all of them (about 150,000 for Qwen) at every step, which makes
constrained writing about 40% slower on two cores. The most likely token the grammar allows is the same either way,
so the reply is too.

prompt tokens (the unread rest) ─► the next token's scores ─► the best one; refused by the grammar? the best one
it allows ─► an end-of-generation token? stop ─► its bytes; read it and go on
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp.llama_grammar import json_schema_to_gbnf


@lru_cache(maxsize=64)
def _gbnf(schema_json: str) -> str:
    return str(json_schema_to_gbnf(schema_json))


def grammar_of(schema: dict[str, Any]) -> str:
    """The GBNF grammar of the JSON schema, as llama-cpp-python builds it for a chat completion (cached)."""
    return _gbnf(json.dumps(schema))  # key order kept: it is the order the reply writes them in


class _Grammar:
    """A llama.cpp grammar sampler: which tokens it allows next, and the tokens written so far."""

    def __init__(self, llama: Llama, gbnf: str) -> None:
        self._sampler = llama_cpp.llama_sampler_init_grammar(
            llama_cpp.llama_model_get_vocab(llama.model), gbnf.encode("utf-8"), b"root"
        )
        if not self._sampler:
            raise ValueError("llama.cpp could not parse the grammar")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._every = (llama_cpp.llama_token_data * llama.n_vocab())()
        self._scores = np.ctypeslib.as_array(self._every)  # a structured view: id, logit, p
        self._scores["id"] = np.arange(llama.n_vocab())

    def _apply(self, data: Any, size: int) -> None:
        candidates = llama_cpp.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(candidates))

    def allows(self, token: int) -> bool:
        self._one[0] = llama_cpp.llama_token_data(token, 0.0, 0.0)
        self._apply(self._one, 1)
        return bool(np.isfinite(self._one[0].logit))

    def best_allowed(self, logits: np.ndarray[Any, np.dtype[np.float32]]) -> int:
        self._scores["logit"] = logits
        self._scores["p"] = 0.0
        self._apply(self._every, len(self._scores))
        return int(self._scores["logit"].argmax())

    def accept(self, token: int) -> None:
        llama_cpp.llama_sampler_accept(self._sampler, token)

    def close(self) -> None:
        llama_cpp.llama_sampler_free(self._sampler)


def greedy_reply(llama: Llama, tokens: list[int], gbnf: str | None, max_tokens: int) -> Iterator[bytes]:
    """Read the prompt's tokens the context does not hold yet (from `llama.n_tokens` on), then write greedily under
    the grammar (none: free text): each written token's bytes, until an end-of-generation token or `max_tokens`."""
    vocab = llama_cpp.llama_model_get_vocab(llama.model)
    llama.eval(tokens[llama.n_tokens :])
    grammar = _Grammar(llama, gbnf) if gbnf else None
    try:
        for _ in range(max_tokens):
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama.ctx, -1), shape=(llama.n_vocab(),))
            token = int(logits.argmax())
            if grammar is not None and not grammar.allows(token):
                token = grammar.best_allowed(logits)
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                return
            if grammar is not None:
                grammar.accept(token)
            yield llama.detokenize([token])
            llama.eval([token])
    finally:
        if grammar is not None:
            grammar.close()
