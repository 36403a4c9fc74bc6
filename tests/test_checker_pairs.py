"""The verifier against hand labels: on the test half of the labelled pairs (made-up and natural) it meets the
CI thresholds, and a looser verifier does not. The labels, not the verifier, decide what is true."""

from __future__ import annotations

import tomllib

import pytest

from briefing import EvidenceJudge
from briefing.grounding import verifier
from briefing.providers import Embedder
from evals.datasets import labelled_pairs
from evals.report import bundled_thresholds
from evals.run import CheckerResult, run_checker


def _minimum(metric: str) -> float:
    table = tomllib.loads(bundled_thresholds().read_text(encoding="utf-8"))
    return float(table["checker"][metric]["min"])


def _measured(embedder: Embedder) -> CheckerResult:
    return run_checker(labelled_pairs(), EvidenceJudge(embedder))


def test_the_labelled_pairs_are_split_once_and_cover_the_kinds_of_error() -> None:
    pairs = labelled_pairs()
    assert len(pairs) >= 400
    assert {p.split for p in pairs} == {"tune", "test"}
    natural = [p for p in pairs if p.kind == "natural"]
    assert len(natural) >= 200
    assert all(p.reason and p.origin for p in natural)  # read by a person, with where the sentence came from
    kinds = {p.kind for p in pairs}
    assert {"multi_passage", "headline", "attribution", "revision", "quantifier", "comparison"} <= kinds


def test_the_verifier_meets_its_thresholds_on_the_test_half(embedder: Embedder) -> None:
    result = _measured(embedder)
    assert result.precision is not None
    assert result.recall is not None
    assert result.precision >= _minimum("precision"), result.mistakes[:5]
    assert result.recall >= _minimum("recall"), result.mistakes[-5:]


def test_a_looser_verifier_fails_the_thresholds(embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verifier, "MIN_WORD_RECALL", 0.0)  # any share of the words, in the sentence
    monkeypatch.setattr(verifier, "MIN_CLAUSE_RECALL", 0.0)  # and in each clause
    result = _measured(embedder)
    assert result.precision is not None
    assert result.precision < _minimum("precision")
