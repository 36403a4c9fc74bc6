"""Benchmark: the local model's raw speed on this machine, and the answer pipeline's time as a multiple of it.

In one run, with the product's model file and settings (llama.cpp through `llama_cpp`, the same build):
1. raw speed, the baseline: a 900-token prompt read from an empty context (prompt tokens/s), then 48 tokens written
   (tokens/s), for the product's settings and for the runtime options that decide raw speed (flash attention,
   8-bit KV cache, a larger batch);
2. the pipeline: answerable gold questions asked through `Newsroom.ask` on the sample store, each with the tokens the
   model was given, the tokens it had to read (the rest came from its kept prompt starts) and the tokens it wrote;
   the "pure model time" of an answer is read / prompt speed + written / writing speed, and the pipeline's time is
   printed as a multiple of it. All questions are asked with the model's kept prompt starts forgotten before each (every
   prompt read whole: the baseline), then all again as the product runs, after two warm-up questions. Consecutive
   questions share nothing but the prompts' fixed starts.

Run: .venv/bin/python benchmarks/model_speed.py [--store DIR] [--questions 8]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import llama_cpp
from briefing.evals.datasets import bundled, load_questions
from llama_cpp import Llama
from stores import benchmark_store  # benchmarks/, on the path when a benchmark runs as a script

from briefing import CountsTokens, Settings
from briefing.providers.llama_local import LlamaChat
from briefing.providers.model_files import default_model_path

PROMPT_TOKENS = 900
WRITTEN_TOKENS = 48
RUNTIME_OPTIONS: dict[str, dict[str, Any]] = {
    "product settings (baseline)": {},
    "flash attention": {"flash_attn": True},
    "flash attention, 8-bit KV cache": {
        "flash_attn": True,
        "type_k": llama_cpp.GGML_TYPE_Q8_0,
        "type_v": llama_cpp.GGML_TYPE_Q8_0,
    },
    "batch 1024": {"n_batch": 1024, "n_ubatch": 1024},
}


@dataclass(frozen=True)
class RawSpeed:
    prompt_per_s: float
    written_per_s: float


def raw_speed(options: dict[str, Any], settings: Settings, repeats: int = 2) -> RawSpeed:
    """The best of `repeats` runs: a prompt read from an empty context, then tokens written greedily."""
    path = settings.llm.model_path or default_model_path()
    llm = settings.llm
    llama = Llama(model_path=str(path), n_ctx=llm.n_ctx, n_threads=llm.threads, seed=0, verbose=False, **options)
    samples = Path(str(resources.files("briefing").joinpath("samples/text")))
    text = " ".join(p.read_text() for p in sorted(samples.iterdir()))
    prompt = llama.tokenize(text.encode("utf-8"))[:PROMPT_TOKENS]
    reads, writes = [], []
    for _ in range(repeats):
        llama.n_tokens = 0  # an empty context
        started = time.perf_counter()
        llama.eval(prompt)
        reads.append(PROMPT_TOKENS / (time.perf_counter() - started))
        started = time.perf_counter()
        for written, _token in enumerate(llama.generate(prompt, temp=0.0), start=1):  # the prompt is cached
            if written == WRITTEN_TOKENS:
                break
        writes.append(WRITTEN_TOKENS / (time.perf_counter() - started))
    del llama
    return RawSpeed(max(reads), max(writes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--questions", type=int, default=8)
    args = parser.parse_args()
    settings = Settings()
    threads = settings.llm.threads
    print(f"raw speed: {PROMPT_TOKENS}-token prompt, then {WRITTEN_TOKENS} tokens written, {threads} threads")
    print(f"llama.cpp: {llama_cpp.llama_print_system_info().decode().strip()}\n")
    print("| runtime options | prompt tokens/s | written tokens/s |\n| --- | --- | --- |")
    speeds = {}
    for label, options in RUNTIME_OPTIONS.items():
        speeds[label] = raw_speed(options, settings)
        print(f"| {label} | {speeds[label].prompt_per_s:.0f} | {speeds[label].written_per_s:.1f} |", flush=True)
    raw = speeds["product settings (baseline)"]
    with benchmark_store(args.store) as room:
        llm = room.llm
        assert isinstance(llm, CountsTokens)
        questions = [q for q in load_questions(bundled("sample_gold.jsonl")) if q.answerable][: args.questions]
        print("\n| question | prompt starts | answer s | given | read | written | pure model s | multiple |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        times: dict[str, list[float]] = {"read whole (baseline)": [], "kept": []}
        multiples: dict[str, list[float]] = {label: [] for label in times}
        reads: dict[str, list[int]] = {label: [] for label in times}
        for label in times:  # all questions read whole first, then all with kept starts
            baseline = label.startswith("read whole")
            if not baseline:
                for warm_up in ("Who runs Port Alder?", "What did the council approve?"):  # starts are kept
                    room.ask(warm_up)
            for question in questions:
                dated = room.using(room.settings.updated(retrieval={"today": question.as_of}))
                if baseline and isinstance(llm, LlamaChat):
                    llm.starts.forget()
                before = (llm.usage.prompt, llm.usage.read, llm.usage.completion)
                started = time.perf_counter()
                dated.ask(question.question)
                seconds = time.perf_counter() - started
                after = (llm.usage.prompt, llm.usage.read, llm.usage.completion)
                given, read, written = (now - then for now, then in zip(after, before, strict=True))
                pure = read / raw.prompt_per_s + written / raw.written_per_s
                times[label].append(seconds)
                multiples[label].append(seconds / pure if pure else float("nan"))
                reads[label].append(read)
                print(
                    f"| {question.id} | {label} | {seconds:.1f} | {given} | {read} | {written} | {pure:.1f} "
                    f"| {multiples[label][-1]:.2f} |",
                    flush=True,
                )
        print("\n| prompt starts | answer p50 s | answer max s | tokens read p50 | time / pure model time p50 |")
        print("| --- | --- | --- | --- | --- |")
        for label, values in times.items():
            print(
                f"| {label} | {statistics.median(values):.1f} | {max(values):.1f} "
                f"| {statistics.median(reads[label]):.0f} | {statistics.median(multiples[label]):.2f} |"
            )


if __name__ == "__main__":
    main()
