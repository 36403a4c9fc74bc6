"""Benchmark: ingest throughput beside raw embedder throughput, re-ingest cost, and answer latency.

Run: .venv/bin/python benchmarks/ingest_and_answer.py [--corpus ../shared/corpora/realtimeqa-2025] [--articles 500]
Prints one line per measurement; the numbers go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from importlib import resources
from pathlib import Path

from briefing import Newsroom, Settings, StoreSettings
from briefing.ingest.chunking import chunk_text
from briefing.ingest.files import read_articles
from briefing.providers.llama_local import LlamaChat
from briefing.providers.local_embedder import MiniLMEmbedder

SAMPLES = Path(str(resources.files("briefing").joinpath("samples")))
QUESTIONS = [
    "Why did the dockworkers at the Port of Alder go on strike?",
    "How many homes were evacuated because of the flood?",
    "What did the central bank decide about interest rates?",
    "How many accounts were affected by the data breach?",
    "How did the council vote on the transit project?",
]


def first_unique_articles(corpus: Path, limit: int, out: Path) -> int:
    """Write the first `limit` articles with distinct URLs (weeks in order) as JSON Lines."""
    seen: set[str] = set()
    with out.open("w") as sink:
        for path in sorted(corpus.glob("*_gcs.jsonl.gz")):
            with gzip.open(path, "rt") as lines:
                records = [record for line in lines for record in json.loads(line)["search_result"]]
            for record in records:
                if record.get("url") in seen or not record.get("text"):
                    continue
                seen.add(record["url"])
                sink.write(json.dumps(record) + "\n")
                if len(seen) == limit:
                    return limit
    return len(seen)


def timed_ingest(label: str, inputs: list[Path], settings: Settings, embedder: MiniLMEmbedder) -> None:
    started = time.perf_counter()
    report = Newsroom(settings, embedder=embedder).ingest(inputs)  # opening the store is timed too
    seconds = time.perf_counter() - started
    stored = len(report.added) + len(report.updated)
    print(
        f"{label}: {stored} articles stored, {len(report.unchanged)} unchanged, {len(report.duplicates)} duplicates, "
        f"{report.chunks} chunks in {seconds:.1f} s -> {stored / seconds:.1f} articles/s, "
        f"{report.chunks / seconds:.1f} chunks/s"
    )


def raw_embedder(inputs: list[Path], settings: Settings, embedder: MiniLMEmbedder, limit: int = 400) -> None:
    texts = []
    for item in read_articles(inputs, max_bytes=10**9):
        if not isinstance(item, Exception):
            texts += [f"{item.title}\n{c.text}" for c in chunk_text(item.id, item.body, settings.ingest.chunk_words)]
        if len(texts) >= limit:
            break
    texts = texts[:limit]
    started = time.perf_counter()
    embedder.embed(texts)
    seconds = time.perf_counter() - started
    print(f"raw embedder (baseline): {len(texts)} chunks in {seconds:.1f} s -> {len(texts) / seconds:.1f} chunks/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/realtimeqa-2025"))
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--skip-answers", action="store_true")
    args = parser.parse_args()
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        sample_settings = Settings(store=StoreSettings(path=root / "samples"))
        raw_embedder([SAMPLES], sample_settings, embedder)
        timed_ingest("sample corpus ingest", [SAMPLES], sample_settings, embedder)
        timed_ingest("sample corpus re-ingest", [SAMPLES], sample_settings, embedder)
        if args.corpus.exists():
            corpus_file = root / "corpus.jsonl"
            count = first_unique_articles(args.corpus, args.articles, corpus_file)
            corpus_settings = Settings(store=StoreSettings(path=root / "corpus"))
            raw_embedder([corpus_file], corpus_settings, embedder)
            timed_ingest(f"development corpus ingest ({count} unique)", [corpus_file], corpus_settings, embedder)
            timed_ingest(f"development corpus re-ingest ({count} unique)", [corpus_file], corpus_settings, embedder)
        else:
            print(f"development corpus not found at {args.corpus}: skipped")
        if args.skip_answers:
            return
        started = time.perf_counter()
        llm = LlamaChat(sample_settings.llm)
        print(f"local model load: {time.perf_counter() - started:.1f} s")
        room = Newsroom(sample_settings, embedder=embedder, llm=llm)
        latencies = []
        for question in QUESTIONS:
            started = time.perf_counter()
            answer = room.ask(question)
            latencies.append(time.perf_counter() - started)
            print(f"  {latencies[-1]:5.1f} s  {question}\n         -> {answer.text}")
        print(f"answer latency (local model): mean {sum(latencies) / len(latencies):.1f} s, max {max(latencies):.1f} s")


if __name__ == "__main__":
    main()
