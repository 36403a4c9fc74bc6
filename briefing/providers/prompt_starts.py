"""Prompt starts read once: the instructions and worked examples that many prompts begin with are read by the local
model once, their llama.cpp state kept, and restored for the next prompt that begins the same way; only the rest
(the passages, the question) is read each time.

prompt tokens ─► live context or a kept start, whichever holds more of them ─► a start shared with a recent prompt
             not yet kept? read it and keep its state ─► the caller reads the rest
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np
from llama_cpp import Llama, LlamaState

WORTH_KEEPING = 32
"""Fewest shared prompt tokens worth keeping a state for."""
KEPT_STARTS = 4
"""Most prompt starts kept at once (the select, rating, choice and briefing prompts each have one); the least
recently used goes first."""
_RECENT = 8
"""Prompts remembered to find the starts they share."""


def shared_start(a: Sequence[int], b: Sequence[int]) -> int:
    """How many tokens the two sequences share from their start."""
    return int(Llama.longest_token_prefix(a, b))


def lean(state: LlamaState) -> LlamaState:
    """The state without the output scores of the tokens it holds (one row of the vocabulary's size per token, about
    0.6 MB each with a 150k vocabulary): a kept start is always followed by at least one token read anew, whose
    scores are computed then. `Llama.load_state` fills the rows from the one row kept."""
    state.scores = np.zeros((1, state.scores.shape[1]), dtype=np.single)
    return state


class PromptStarts:
    """Keeps the model's state after the starts that prompts share; not thread-safe (call it holding the model's
    lock)."""

    def __init__(self, llama: Llama) -> None:
        self._llama = llama
        self._recent: deque[list[int]] = deque(maxlen=_RECENT)
        self._kept: list[tuple[list[int], LlamaState]] = []  # least recently used first

    def forget(self) -> None:
        """Drop every kept start and remembered prompt (the next prompts are read whole)."""
        self._recent.clear()
        self._kept.clear()

    def held_bytes(self) -> int:
        """The memory the kept starts hold (their llama.cpp state, token ids and scores)."""
        return sum(state.llama_state_size + state.input_ids.nbytes + state.scores.nbytes for _, state in self._kept)

    def prepare(self, tokens: list[int]) -> int:
        """Make the model's context hold the longest start of `tokens` it can without reading it again: what it
        holds already, or a kept start. A start this prompt shares with a recent one, longer than any kept start it
        has, is kept (read now if the context does not hold it). Leaves at least one token unread (its output is
        needed). Returns how many tokens are left to read (`tokens[llama.n_tokens:]`)."""
        llama = self._llama
        live = shared_start(llama.input_ids[: llama.n_tokens].tolist(), tokens)
        fitting = [kept for kept in self._kept if tokens[: len(kept[0])] == kept[0]]
        best = max(fitting, key=lambda kept: len(kept[0]), default=None)
        covered = len(best[0]) if best else 0
        if best:
            self._kept.remove(best)
            self._kept.append(best)
            if covered > live:
                llama.load_state(best[1])  # its context may run past the start: what follows is read over
                live = covered
        llama.n_tokens = min(live, len(tokens) - 1)
        shared = max((shared_start(earlier, tokens) for earlier in self._recent), default=0)
        self._recent.append(tokens)
        if shared - covered >= WORTH_KEEPING and shared < len(tokens):
            if llama.n_tokens < shared:
                llama.eval(tokens[llama.n_tokens : shared])
            self._kept.append((tokens[:shared], lean(llama.save_state())))
            del self._kept[:-KEPT_STARTS]
        return len(tokens) - llama.n_tokens
