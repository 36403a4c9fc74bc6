"""Prompt starts read once: the logic of keeping and restoring them, on a model stand-in that records what it
reads (the real model's replies with and without a kept start are compared in test_local_model)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import numpy as np

from briefing.providers.prompt_starts import KEPT_STARTS, WORTH_KEEPING, PromptStarts


class RecordingModel:
    """What PromptStarts uses of a llama.cpp model: its context's tokens, eval, and saved states."""

    def __init__(self) -> None:
        self.input_ids = np.zeros(4096, dtype=np.intc)
        self.n_tokens = 0
        self.reads: list[int] = []

    def eval(self, tokens: list[int]) -> None:
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self.reads.append(len(tokens))

    def save_state(self) -> SimpleNamespace:
        return SimpleNamespace(
            input_ids=self.input_ids.copy(),
            n_tokens=self.n_tokens,
            scores=np.ones((self.n_tokens, 8), dtype=np.single),  # a row of output scores per token, as llama.cpp's
            llama_state_size=self.n_tokens,
        )

    def load_state(self, state: SimpleNamespace) -> None:
        self.input_ids, self.n_tokens = state.input_ids.copy(), state.n_tokens

    def read_all(self, starts: PromptStarts, tokens: list[int]) -> int:
        """As the chat model does: prepare, then read the rest; how many tokens were read in all."""
        before = sum(self.reads)
        starts.prepare(tokens)
        self.eval(tokens[self.n_tokens :])
        return sum(self.reads) - before


INSTRUCTIONS = list(range(1000, 1200))  # 200 tokens every prompt of a kind starts with
OTHER = list(range(5000, 5150))  # another kind's start


def prompt(start: list[int], tail: int) -> list[int]:
    return [*start, *range(tail * 100, tail * 100 + 60)]


def test_a_start_two_prompts_share_is_read_once_then_restored() -> None:
    model = RecordingModel()
    starts = PromptStarts(cast(Any, model))
    assert model.read_all(starts, prompt(INSTRUCTIONS, 1)) == 260
    assert model.read_all(starts, prompt(OTHER, 2)) == 210  # another prompt in between empties the context
    assert model.read_all(starts, prompt(INSTRUCTIONS, 3)) == 260  # shared with the first: read, and kept
    assert model.read_all(starts, prompt(OTHER, 4)) == 210
    assert model.read_all(starts, prompt(INSTRUCTIONS, 5)) == 60  # only its own part
    assert model.input_ids[: model.n_tokens].tolist() == prompt(INSTRUCTIONS, 5)
    one_row = 8 * 4  # of scores, not one for each token of the start
    assert starts.held_bytes() == len(INSTRUCTIONS) + len(OTHER) + 2 * (model.input_ids.nbytes + one_row)


def test_a_short_shared_start_is_not_kept() -> None:
    model = RecordingModel()
    starts = PromptStarts(cast(Any, model))
    short = INSTRUCTIONS[: WORTH_KEEPING - 1]
    for tail in (1, 2, 3):
        model.read_all(starts, prompt(OTHER, 9))
        assert model.read_all(starts, prompt(short, tail)) == len(short) + 60


def test_the_least_recently_used_start_goes_first() -> None:
    model = RecordingModel()
    starts = PromptStarts(cast(Any, model))
    kinds = [list(range(10_000 * k, 10_000 * k + 100)) for k in range(1, KEPT_STARTS + 2)]
    for kind in kinds:  # each kind twice: its start is kept
        model.read_all(starts, prompt(kind, 1))
        model.read_all(starts, prompt(kind, 2))
    assert model.read_all(starts, prompt(kinds[-1], 3)) == 60
    assert model.read_all(starts, prompt(kinds[0], 3)) == 160  # dropped: read again


def test_a_prompt_that_is_all_kept_start_still_reads_its_last_token() -> None:
    model = RecordingModel()
    starts = PromptStarts(cast(Any, model))
    model.read_all(starts, prompt(INSTRUCTIONS, 1))
    model.read_all(starts, prompt(INSTRUCTIONS, 2))
    model.read_all(starts, prompt(OTHER, 3))
    assert model.read_all(starts, INSTRUCTIONS) == 1


def test_forgotten_starts_are_read_again() -> None:
    model = RecordingModel()
    starts = PromptStarts(cast(Any, model))
    model.read_all(starts, prompt(INSTRUCTIONS, 1))
    model.read_all(starts, prompt(INSTRUCTIONS, 2))
    starts.forget()
    model.read_all(starts, prompt(OTHER, 3))
    assert model.read_all(starts, prompt(INSTRUCTIONS, 4)) == 260
