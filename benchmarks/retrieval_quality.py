"""Benchmark: retrieval quality and cost on the development corpus, dense vs BM25 vs hybrid, in one run.

For each quiz question of the chosen weeks, against a store holding every article of those weeks:
- answer recall@k: the gold choice's text appears in the top-k passages;
- evidence hit@k: a top-k passage carries the quiz's evidence: it comes from an article the evidence links to, or it
  holds at least half of the evidence snippet's content words (the quiz usually links its own site, not the article);
- retrieval latency p50/p95 per mode.

Run: .venv/bin/python benchmarks/retrieval_quality.py --weeks 0:8 [--store DIR] (weeks as a slice of the sorted list)
A store folder given with --store is reused between runs (ingest skips what it already holds).
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

from briefing.articles import canonical_url, normalise_text
from briefing.pipeline import ingest, open_store, retrieve
from briefing.providers.local_embedder import MiniLMEmbedder
from briefing.settings import RetrievalMode, Settings, StoreSettings

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/realtimeqa-2025"))
    parser.add_argument("--weeks", default="0:4", help="slice of the sorted weeks, e.g. 0:8 or 40:52")
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args()
    start, stop = (int(x) for x in args.weeks.split(":"))
    weeks = sorted(p.name.split("_")[0] for p in args.corpus.glob("*_qa.jsonl.gz"))[start:stop]
    folder = args.store or Path(tempfile.mkdtemp(prefix="briefing-retrieval-"))
    settings = Settings(store=StoreSettings(path=folder))
    settings.retrieval.context_tokens = 100_000  # measure ranking, not the prompt budget
    embedder = MiniLMEmbedder()
    store = open_store(settings, embedder)
    started = time.perf_counter()
    report = ingest(
        [args.corpus / f"{w}_gcs.jsonl.gz" for w in weeks], settings=settings, embedder=embedder, store=store
    )
    counts = store.catalog.counts()
    print(f"weeks {weeks[0]}..{weeks[-1]}: {report.summary()} in {time.perf_counter() - started:.0f} s")
    print(f"store: {counts['articles']} articles, {counts['chunks']} chunks")

    questions = load_questions(args.corpus, weeks)
    with_evidence = [q for q in questions if q.evidence_words]
    print(f"{len(questions)} questions, {len(with_evidence)} with evidence")
    for mode in MODES:
        recall = dict.fromkeys(KS, 0)
        hits = dict.fromkeys(KS, 0)
        latencies = []
        for question in questions:
            began = time.perf_counter()
            passages = retrieve(question.text, settings=settings, embedder=embedder, store=store, k=max(KS), mode=mode)
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
        print(f"{mode:>6}: {scores}  latency p50 {cuts[9] * 1000:.0f} ms p95 {cuts[18] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
