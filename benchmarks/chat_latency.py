"""Benchmark: how long the chat makes people wait, streamed against not streamed, and what a follow-up costs.

For each question, in one run and on the same store: `Newsroom.stream` (the app's path): seconds to the first drafted
words on screen and to the checked answer; then `Newsroom.ask` (the answer returned whole: the baseline). All
questions are streamed before any is asked whole, so that no call reuses the model's cache of the same prompt. Then
follow-up questions after a first exchange: the rewrite into a standalone question, and the whole turn.

Run: .venv/bin/python benchmarks/chat_latency.py [--store DIR] [--questions 8]
Without --store, the bundled sample corpus is ingested into a temporary store first.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from briefing.evals.datasets import bundled, load_questions
from stores import benchmark_store  # benchmarks/, on the path when a benchmark runs as a script

from briefing import Exchange
from briefing.answer.flow import standalone_question

FOLLOW_UPS = [
    ("What pay rise is the dockworkers' union seeking?", "And what did the employers offer?"),
    ("How many homes were evacuated in Hollins Bridge?", "When could residents go back?"),
    ("What did the Bank of Corvenia do to its policy rate?", "How did the board vote?"),
    ("How many records does the researcher say the Lumora file holds?", "And what does Lumora say?"),
]


def _summary(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"| {label} | {statistics.median(values):.1f} | {statistics.mean(values):.1f} | {p90:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--questions", type=int, default=8)
    args = parser.parse_args()
    with benchmark_store(args.store) as room:
        llm = room.llm  # loaded before anything is measured
        room.ask("warm-up: what happened in Port Alder?")
        questions = [q for q in load_questions(bundled("sample_gold.jsonl")) if q.answerable][: args.questions]
        first_words, checked, sentences = [], [], []
        for question in questions:  # all streamed first, then all whole: no answer reuses the previous prompt's cache
            started = time.perf_counter()
            stream = room.stream(question.question)
            first = None
            for _ in stream:
                first = first if first is not None else time.perf_counter() - started
            sentences.append(len(stream.answer.sentences))
            checked.append(time.perf_counter() - started)
            first_words.append(first if first is not None else checked[-1])
        whole = []
        for question in questions:
            started = time.perf_counter()
            room.ask(question.question)
            whole.append(time.perf_counter() - started)
        print("| question | ask (whole) s | stream: first words s | stream: checked s | sentences |")
        print("| --- | --- | --- | --- | --- |")
        for row in zip(questions, whole, first_words, checked, sentences, strict=True):
            print(f"| {row[0].id} | {row[1]:.1f} | {row[2]:.1f} | {row[3]:.1f} | {row[4]} |", flush=True)
        rewrites, turns = [], []
        print("\n| first question | follow-up | understood as | rewrite s | whole turn s |")
        print("| --- | --- | --- | --- | --- |")
        for first_question, follow_up in FOLLOW_UPS:
            earlier = room.ask(first_question)
            history = [Exchange(first_question, earlier.text)]
            started = time.perf_counter()
            understood = standalone_question(follow_up, history, llm)
            rewrites.append(time.perf_counter() - started)
            started = time.perf_counter()
            turn = room.stream(follow_up, history=history)
            assert turn.answer.question == follow_up
            turns.append(time.perf_counter() - started)
            print(
                f"| {first_question} | {follow_up} | {understood} | {rewrites[-1]:.1f} | {turns[-1]:.1f} |", flush=True
            )
        print("\n| seconds | median | mean | p90 |\n| --- | --- | --- | --- |")
        for label, values in [
            ("ask, whole answer (baseline)", whole),
            ("stream, first words", first_words),
            ("stream, checked answer", checked),
            ("follow-up rewrite", rewrites),
            ("follow-up, whole turn", turns),
        ]:
            print(_summary(label, values))


if __name__ == "__main__":
    main()
