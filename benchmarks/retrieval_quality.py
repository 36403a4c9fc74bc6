"""Benchmark: retrieval quality and cost on the development corpus, dense vs BM25 vs hybrid, in one run.

For each quiz question of the chosen weeks, against a store holding every article of those weeks:
- answer recall@k: the gold choice's text appears in the top-k passages;
- evidence hit@k: a top-k passage carries the quiz's evidence: it comes from an article the evidence links to, or it
  holds at least half of the evidence snippet's content words (the quiz usually links its own site, not the article);
- retrieval latency p50/p95 per mode.

Run: .venv/bin/python benchmarks/retrieval_quality.py --ingest 0:52 --report tuning=0:40 --report held-out=40:52
  [--store DIR] [--bm25-weight 1.0 ...]
Weeks are slices of the sorted list of weeks. Every question of a report's weeks is asked against the whole store
(all ingested weeks). A store folder given with --store is reused between runs (ingest skips what it holds).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from briefing import Newsroom, Settings
from briefing.ingest.articles import canonical_url, normalise_text
from briefing.providers.local_embedder import MiniLMEmbedder
from briefing.search.retrieval import retrieve
from briefing.settings import RetrievalMode, StoreSettings

MODES: tuple[RetrievalMode, ...] = ("dense", "bm25", "hybrid")
KS = (5, 10)


@dataclass
class Question:
    text: str
    gold: str
    evidence_urls: set[str]
    evidence_words: set[str]


_STOP = set(
    normalise_text(
        "the a an and or of to in on at for with by from that this is was were be it as its has have had"
    ).split()
)


def content_words(text: str) -> set[str]:
    return {w for w in normalise_text(text).split() if w not in _STOP and len(w) > 2}


def holds_evidence(question: Question, passage_text: str) -> bool:
    if not question.evidence_words:
        return False
    return len(question.evidence_words & content_words(passage_text)) >= len(question.evidence_words) / 2


def load_questions(corpus: Path, weeks: list[str]) -> list[Question]:
    questions = []
    for week in weeks:
        with gzip.open(corpus / f"{week}_qa.jsonl.gz", "rt") as lines:
            for line in lines:
                record = json.loads(line)
                gold = record["choices"][int(record["answer"][0])]
                evidence = record.get("evidence") or ""
                urls = {canonical_url(u) for u in re.findall(r'href="([^"]+)"', evidence)}
                words = content_words(re.sub(r"<[^>]+>", " ", evidence))
                questions.append(Question(record["question_sentence"], gold, urls, words))
    return questions


def score_modes(questions: list[Question], room: Newsroom, weights: list[float]) -> None:
    """One line per retrieval mode (and per BM25 weight for hybrid): recall, evidence hits and latency."""
    with_evidence = [q for q in questions if q.evidence_words]
    print(f"{len(questions)} questions, {len(with_evidence)} with evidence")
    runs: list[tuple[str, RetrievalMode, float]] = [("dense", "dense", 1.0), ("bm25", "bm25", 1.0)]
    runs += [(f"hybrid w={w:g}", "hybrid", w) for w in weights]
    for label, mode, weight in runs:
        settings = room.settings.updated(retrieval={"bm25_weight": weight})
        recall = dict.fromkeys(KS, 0)
        hits = dict.fromkeys(KS, 0)
        latencies = []
        for question in questions:
            began = time.perf_counter()
            passages = retrieve(
                question.text, settings=settings, embedder=room.embedder, store=room.store, k=max(KS), mode=mode
            )
            latencies.append(time.perf_counter() - began)
            gold = normalise_text(question.gold)
            for k in KS:
                top = passages[:k]
                recall[k] += any(gold in normalise_text(p.text) for p in top)
                urls = {canonical_url(p.url) for p in top if p.url}
                hits[k] += bool(question.evidence_urls & urls) or any(holds_evidence(question, p.text) for p in top)
        cuts = statistics.quantiles(latencies, n=20)
        scores = "  ".join(
            f"recall@{k} {recall[k] / len(questions):.3f}  evidence@{k} {hits[k] / max(len(with_evidence), 1):.3f}"
            for k in KS
        )
        print(f"{label:>12}: {scores}  latency p50 {cuts[9] * 1000:.0f} ms p95 {cuts[18] * 1000:.0f} ms", flush=True)


def _slice(weeks: list[str], text: str) -> list[str]:
    start, _, stop = text.partition(":")
    return weeks[int(start or 0) : int(stop) if stop else None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/realtimeqa-2025"))
    parser.add_argument("--ingest", default="0:4", help="weeks to ingest, e.g. 0:52 for the whole corpus")
    parser.add_argument(
        "--report", action="append", default=None, help="name=slice of weeks whose questions are scored (repeatable)"
    )
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--bm25-weight", type=float, action="append", default=None, help="hybrid weights to compare")
    args = parser.parse_args()
    weeks = sorted(p.name.split("_")[0] for p in args.corpus.glob("*_qa.jsonl.gz"))
    ingested = _slice(weeks, args.ingest)
    folder = args.store or Path(tempfile.mkdtemp(prefix="briefing-retrieval-"))
    settings = Settings(store=StoreSettings(path=folder)).updated(
        retrieval={"context_tokens": 100_000}  # measure ranking, not the prompt budget
    )
    room = Newsroom(settings, embedder=MiniLMEmbedder())
    started = time.perf_counter()
    report = room.ingest([args.corpus / f"{w}_gcs.jsonl.gz" for w in ingested])
    counts = room.store.catalog.counts()
    print(f"ingested weeks {ingested[0]}..{ingested[-1]}: {report.summary()} in {time.perf_counter() - started:.0f} s")
    print(f"store: {counts['articles']} articles, {counts['chunks']} chunks")
    began = time.perf_counter()
    retrieve("warm up the BM25 index", settings=room.settings, embedder=room.embedder, store=room.store)
    print(f"first query (loads or rebuilds the BM25 index): {time.perf_counter() - began:.1f} s")
    for spec in args.report or [f"all={args.ingest}"]:
        name, _, part = spec.partition("=")
        chosen = _slice(weeks, part)
        print(f"\n== {name}: weeks {chosen[0]}..{chosen[-1]} ==")
        score_modes(load_questions(args.corpus, chosen), room, args.bm25_weight or [1.0])


if __name__ == "__main__":
    main()
