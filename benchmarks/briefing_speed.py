"""Benchmark: how long a briefing takes, and how many of the model's key points pass the verifier.

For each period, in one run: the extractive briefing (no model: the baseline), the generated briefing with an empty
summary cache (the model summarises every story shown), and the same again with the cache filled (what a re-run of
`briefing daily` costs).

Run: .venv/bin/python benchmarks/briefing_speed.py --store DIR --period 2026-11-24:2026-11-26 [--period ...]
  [--timezone +01:00]
Without --store, the bundled sample corpus is ingested into a temporary store first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from stores import benchmark_store  # benchmarks/, on the path when a benchmark runs as a script

from briefing import Briefing, Period, zone


def _period(text: str, timezone: str) -> Period:
    since, _, until = text.partition(":")
    return Period(date.fromisoformat(since), date.fromisoformat(until or since), zone(timezone))


def _row(label: str, mode: str, made: Briefing, seconds: float) -> str:
    s = made.stats
    passed = f"{s.sentences_passed}/{s.sentences_checked}" if s.sentences_checked else "-"
    return (
        f"| {label} | {mode} | {s.articles} | {s.stories_found} | {s.stories_shown} | {s.words} | {passed} | "
        f"{s.points_extracted} | {s.summaries_cached} | {seconds:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--period", action="append", required=True, help="YYYY-MM-DD[:YYYY-MM-DD]")
    parser.add_argument("--timezone", default="UTC")
    args = parser.parse_args()
    with benchmark_store(args.store) as room, tempfile.TemporaryDirectory() as scratch:
        llm = room.llm  # loaded once, before the first measurement
        header = (
            "| period | mode | articles | stories | shown | words | written points passed | verbatim | cached | s |"
        )
        print(header)
        print("| --- " * 10 + "|")
        for index, text in enumerate(args.period):
            period = _period(text, args.timezone)
            cache = Path(scratch) / f"cache-{index}"
            for mode in ("extractive", "generated (cold)", "generated (cached)"):
                extractive = mode == "extractive"
                options = {"extractive": extractive, "cache_dir": cache / ("x" if extractive else "g")}
                briefer = room.using(room.settings.updated(briefing=options), llm=llm)
                began = time.perf_counter()
                made = briefer.brief(period)
                print(_row(text, mode, made, time.perf_counter() - began), flush=True)
                for sentence in made.unsupported if mode == "generated (cold)" else []:
                    print(f"|  | rejected: {sentence.text} ({sentence.reason}) |", flush=True)


if __name__ == "__main__":
    main()
