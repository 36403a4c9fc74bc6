"""Benchmark: what the second look costs, its instructions and worked examples read every time against read once.

For answers of the bundled full gold-set run (`evals/baselines/sample_full.json`), in one run with the local model:
the yes/no rating of each answer with the model's context emptied before it, as after an answer's other prompts
(the baseline: the whole rating prompt is read); then the same ratings again, with the shared start of the rating
prompts kept from the first one. Both give the same confidences; the script prints the largest difference.

Run: .venv/bin/python benchmarks/second_look.py [--answers 12]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from importlib import resources

from briefing.answer.second_look import look_messages
from briefing.answer.types import Answer, AnswerSentence
from briefing.grounding.citations import Citation
from briefing.providers.llama_local import LlamaChat
from briefing.settings import Settings


def answers_of_the_full_run(count: int) -> list[tuple[str, Answer]]:
    """(question, answer) for the first answered questions of the bundled full run."""
    run = json.loads(resources.files("briefing.evals").joinpath("baselines/sample_full.json").read_text())
    found = []
    for row in run["rows"]:
        if row["sentences"] and row["citations"]:
            citations = [
                Citation(
                    article_id=c["article_id"],
                    title=c["title"],
                    source=c["source"],
                    text=c["text"],
                    start=0,
                    end=len(c["text"]),
                    number=c["number"],
                )
                for c in row["citations"]
            ]
            sentences = [AnswerSentence(text=s["text"], citations=s["citations"]) for s in row["sentences"]]
            found.append(
                (
                    row["question"],
                    Answer(question=row["question"], text=row["answer"], sentences=sentences, citations=citations),
                )
            )
    return found[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=12)
    options = parser.parse_args()
    chat = LlamaChat(Settings().llm)
    cases = answers_of_the_full_run(options.answers)
    timings: dict[str, list[float]] = {"read every time (baseline)": [], "shared start read once": []}
    confidences: dict[str, list[float]] = {label: [] for label in timings}
    for label in timings:
        for question, answer in cases:
            chat._llama.reset()  # the answer's other prompts were read in between
            if label.startswith("read every time"):
                chat.starts.forget()
            started = time.perf_counter()
            confidences[label].append(chat.yes_probability(look_messages(question, answer)))
            timings[label].append(time.perf_counter() - started)
    print(f"second look, {len(cases)} answers of the full gold-set run, local model ({chat.name})\n")
    print("| rating | median s | mean s | max s |\n| --- | --- | --- | --- |")
    for label, values in timings.items():
        print(f"| {label} | {statistics.median(values):.2f} | {statistics.mean(values):.2f} | {max(values):.2f} |")
    baseline, cached = confidences.values()
    print(f"\nlargest difference in confidence: {max(abs(a - b) for a, b in zip(baseline, cached, strict=True)):.4f}")


if __name__ == "__main__":
    main()
