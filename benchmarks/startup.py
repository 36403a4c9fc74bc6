"""Benchmark: what a `briefing ask` call pays before it answers, and the answer in a warm process (the baseline).

In one run, on the same store and question:
1. `briefing ask` as a new process, timed from outside, several times (the first run may read the model file from
   disk; the later ones find it in the page cache: cold and warm start-up);
2. each start-up stage in a fresh process: importing the CLI, building the Newsroom (settings, embedder, store and
   its BM25 index), loading the chat model;
3. the same question in a warm process (everything loaded): the baseline no start-up can beat.

Run: .venv/bin/python benchmarks/startup.py [--store DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from stores import benchmark_store  # benchmarks/, on the path when a benchmark runs as a script

from briefing.providers.llama_local import LlamaChat

QUESTION = "Who is the chief state mediator in the Port Alder dockworkers' dispute?"
AS_OF = "2026-11-26"

STAGES = """
import json, time
started = time.perf_counter()
import briefing.cli
imported = time.perf_counter()
from briefing import Newsroom
room = Newsroom()
room.store.lexical_search("port", 1)
built = time.perf_counter()
room.llm
loaded = time.perf_counter()
print(json.dumps({"import the CLI": imported - started,
                  "the Newsroom (settings, embedder, store, BM25)": built - imported,
                  "load the chat model": loaded - built}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with benchmark_store(args.store) as room:
        environment = {**os.environ, "BRIEFING_STORE__PATH": str(room.settings.store.path)}
        command = [str(Path(sys.executable).with_name("briefing")), "ask", QUESTION, "--as-of", AS_OF]
        calls = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(command, env=environment, check=True, capture_output=True)
            calls.append(time.perf_counter() - started)
        stages = json.loads(
            subprocess.run(
                [sys.executable, "-c", STAGES], env=environment, check=True, capture_output=True, text=True
            ).stdout
        )
        dated = room.using(room.settings.updated(retrieval={"today": AS_OF}))
        dated.ask("warm-up: who runs Port Alder?")
        dated.ask("warm-up: what did the council approve?")  # the prompts' fixed starts are kept
        started = time.perf_counter()
        dated.ask(QUESTION)
        warm = time.perf_counter() - started
        llm = room.llm
        if isinstance(llm, LlamaChat):
            llm.starts.forget()
        dated.ask("warm-up: who runs Port Alder?")  # another prompt in the model's context
        started = time.perf_counter()
        dated.ask(QUESTION)
        whole = time.perf_counter() - started
    print("| measurement | seconds |\n| --- | --- |")
    for number, seconds in enumerate(calls, start=1):
        print(f"| `briefing ask`, new process, run {number} | {seconds:.1f} |")
    for stage, seconds in stages.items():
        print(f"| start-up stage: {stage} | {seconds:.2f} |")
    print(f"| the same answer in a warm process (baseline) | {warm:.1f} |")
    print(f"| the same, its prompts read whole (no kept starts: as in a new process) | {whole:.1f} |")
    print(f"| start-up of a warm call (fastest call minus the baseline) | {min(calls) - warm:.1f} |")


if __name__ == "__main__":
    main()
