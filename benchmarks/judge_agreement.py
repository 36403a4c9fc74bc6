"""Benchmark: each grounding judge against the labelled sentence-passage pairs, in one run.

The offline evidence checker (with and without embedding similarity) is the baseline; the LLM judge runs on the
configured chat model (the local model by default, or BRIEFING_LLM__* for an OpenAI-compatible server). Prints
precision and recall of the verdict "supported", accuracy, agreement by kind of pair, and seconds per pair.

Run: .venv/bin/python benchmarks/judge_agreement.py [--pairs N]
"""

from __future__ import annotations

import argparse
import time

from briefing.evals.datasets import bundled, load_pairs
from briefing.evals.run import run_checker

from briefing import EvidenceJudge, Judge, LLMJudge, Settings, make_chat_model, make_embedder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=None, help="Only the first N pairs.")
    args = parser.parse_args()
    pairs = load_pairs(bundled("checker_pairs.jsonl"))[: args.pairs]
    settings = Settings()
    judges: list[Judge] = [
        EvidenceJudge(),
        EvidenceJudge(make_embedder(settings)),
        LLMJudge(make_chat_model(settings)),
    ]
    print(f"{len(pairs)} labelled pairs")
    print("| judge | precision | recall | accuracy | s / pair | " + " | ".join(sorted({p.kind for p in pairs})) + " |")
    for judge in judges:
        began = time.perf_counter()
        result = run_checker(pairs, judge)
        seconds = (time.perf_counter() - began) / len(pairs)
        kinds = " | ".join(f"{result.by_kind[k]:.2f}" for k in sorted(result.by_kind))
        precision = "n/a" if result.precision is None else f"{result.precision:.3f}"
        recall = "n/a" if result.recall is None else f"{result.recall:.3f}"
        print(
            f"| {judge.name} | {precision} | {recall} | {result.accuracy:.3f} | {seconds:.2f} | {kinds} |", flush=True
        )


if __name__ == "__main__":
    main()
