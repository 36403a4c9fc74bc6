"""Benchmark: multiple-choice accuracy of the full pipeline with the local model on the development corpus.

Each quiz question is asked with its four choices (answer by letter, with cited justification) against a store
of the chosen weeks (build it with retrieval_quality.py --store DIR first, or let this script ingest them).
Prints accuracy, how often the model said "none", and the share of answers whose justification passes the
verifier (at least one supported sentence, none unsupported), with latency.

Run: .venv/bin/python benchmarks/choice_accuracy.py --weeks 0:4 --store /tmp/rq-store --sample 20
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import time
from datetime import date
from pathlib import Path

from briefing import Newsroom, Settings, StoreSettings
from briefing.providers.llama_local import LlamaChat
from briefing.providers.local_embedder import MiniLMEmbedder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/realtimeqa-2025"))
    parser.add_argument("--weeks", default="0:4")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start, stop = (int(x) for x in args.weeks.split(":"))
    weeks = sorted(p.name.split("_")[0] for p in args.corpus.glob("*_qa.jsonl.gz"))[start:stop]
    room = Newsroom(Settings(store=StoreSettings(path=args.store)), embedder=MiniLMEmbedder())
    room.ingest([args.corpus / f"{w}_gcs.jsonl.gz" for w in weeks])
    records = []
    for week in weeks:
        with gzip.open(args.corpus / f"{week}_qa.jsonl.gz", "rt") as lines:
            records += [json.loads(line) for line in lines]
    sample = random.Random(args.seed).sample(records, min(args.sample, len(records)))
    llm = LlamaChat(room.settings.llm)
    correct = said_none = verified = 0
    latencies = []
    for record in sample:
        today = date.fromisoformat(record["question_date"].replace("/", "-"))
        dated = room.using(room.settings.updated(retrieval={"today": today}), llm=llm)
        began = time.perf_counter()
        result = dated.ask_choice(record["question_sentence"], record["choices"])
        latencies.append(time.perf_counter() - began)
        gold = int(record["answer"][0])
        correct += result.choice == gold
        said_none += result.choice is None
        passed = not result.answer.not_in_articles and not result.answer.unsupported
        verified += passed
        mark = "ok " if result.choice == gold else "   "
        question = record["question_sentence"][:80]
        print(f"{mark}{latencies[-1]:5.1f}s  choice {result.choice} gold {gold}  verified {passed}  {question}")
    n = len(sample)
    print(
        f"{n} questions (seed {args.seed}, weeks {weeks[0]}..{weeks[-1]}): accuracy {correct / n:.3f}, "
        f"'none' {said_none / n:.3f}, justification verified {verified / n:.3f}, "
        f"latency mean {statistics.mean(latencies):.1f} s, max {max(latencies):.1f} s"
    )


if __name__ == "__main__":
    main()
