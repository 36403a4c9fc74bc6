"""Benchmark: the whole development corpus in a Chroma server and in the embedded store, and what that projects to
(issue 18).

The corpus's unique articles (about 5,400, about 122k chunks) are embedded once by the offline embedder: the first
ingest, into a Chroma server (`chroma run` on 127.0.0.1), embeds them and keeps each chunk's vector; the second,
into the embedded store, takes the same vectors back (so both write identical vectors, and the embedding is timed
once). For each store: the ingest rate of the writes alone (the embedding time taken out), the BM25 index's build
time, search latency p50/p95 over the corpus's quiz questions (dense alone and hybrid), and memory: the Chroma
server's resident and peak memory, and this process's.

Then a projection from these per-component costs and the model costs measured by benchmarks/serving.py: what one
machine like this handles per day, and how many embedding processes a deployment needs for 10k, 100k and 1M
articles a day.

Run: .venv/bin/python benchmarks/scale.py [--articles 0 (all)] [--queries 200] [--corpus DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
from ingest_and_answer import first_unique_articles  # benchmarks/, on the path when a benchmark runs as a script
from numpy.typing import NDArray

from briefing import Newsroom, Settings, StoreSettings
from briefing.providers import make_embedder

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "realtimeqa-2025"
SECONDS_A_DAY = 86_400


class RememberingEmbedder:
    """The offline embedder, timed, remembering each text's vector; `replay` answers from memory instead."""

    def __init__(self) -> None:
        self._inner = make_embedder(Settings())
        self.name = self._inner.name
        self.vectors: dict[str, NDArray[np.float32]] = {}
        self.seconds = 0.0
        self.replay = False

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if self.replay and all(text in self.vectors for text in texts):
            return np.stack([self.vectors[text] for text in texts]) if texts else np.zeros((0, 384), np.float32)
        if self.replay:  # a question: not timed, not remembered
            return self._inner.embed(texts)
        started = time.perf_counter()
        vectors = self._inner.embed(texts)
        self.seconds += time.perf_counter() - started
        self.vectors.update(zip(texts, vectors, strict=True))
        return vectors


def in_parts(corpus: Path, limit: int, folder: Path, per_file: int = 500) -> int:
    """The corpus's first `limit` unique articles as JSON Lines files of `per_file` articles in `folder` (one file
    of them all would pass the input size limit); returns how many."""
    folder.mkdir()
    whole = folder.with_suffix(".jsonl")
    count = first_unique_articles(corpus, limit, whole)
    lines = whole.read_text().splitlines(keepends=True)
    for part, begin in enumerate(range(0, len(lines), per_file)):
        (folder / f"{part:03}.jsonl").write_text("".join(lines[begin : begin + per_file]))
    whole.unlink()
    return count


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """(resident, peak resident) MB of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Vm")
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@contextmanager
def chroma_server(folder: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        raise RuntimeError("the chroma command comes with chromadb")
    command = [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=60)


def quiz_questions(corpus: Path, limit: int) -> list[str]:
    found = []
    for path in sorted(corpus.glob("*_qa.jsonl.gz")):
        with gzip.open(path, "rt") as lines:
            found += [json.loads(line)["question_sentence"] for line in lines]
    return found[:limit]


def latencies(search: Callable[[str], object], questions: Sequence[str]) -> tuple[float, float]:
    """p50 and p95 of one search, in milliseconds."""
    times = []
    for question in questions:
        started = time.perf_counter()
        search(question)
        times.append(1000 * (time.perf_counter() - started))
    ordered = sorted(times)
    return statistics.median(times), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(
    label: str, room: Newsroom, articles: Path, embedder: RememberingEmbedder, questions: Sequence[str]
) -> dict[str, float]:
    embedded_before = embedder.seconds
    started = time.perf_counter()
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(f"  {label}: {stage} {done}/{total} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    report = room.ingest([articles], progress=progress)
    if report.failures:
        raise RuntimeError(f"{len(report.failures)} inputs failed: {report.failures[0]}")
    total = time.perf_counter() - started
    embedding = embedder.seconds - embedded_before
    chunks = report.chunks
    started = time.perf_counter()
    room.store.lexical.rebuild()
    bm25 = time.perf_counter() - started
    dense = latencies(lambda q: room.store.dense_search(room.embedder.embed([q])[0], 40), questions)
    hybrid = latencies(room.search, questions)
    busiest = max(room.store.catalog.shard_chunk_counts().items(), key=lambda item: item[1])
    late = articles.parent / f"late-{label}.json"
    body = "A late report: the harbour board approved twelve new berths after a long night of talks. " * 4
    late.write_text(
        json.dumps(
            {
                "title": "Late report",
                "body": body,
                "published": f"{busiest[0] // 100}-{busiest[0] % 100:02}-15",
                "url": f"https://late.example/{label}",
            }
        )
    )
    room.ingest([late])
    started = time.perf_counter()
    room.search("harbour board berths")
    after_one = time.perf_counter() - started
    return {
        "articles": len(report.added),
        "chunks": chunks,
        "seconds": total,
        "embedding_seconds": embedding,
        "write_rate": chunks / max(total - embedding, 1e-9),
        "bm25_seconds": bm25,
        "search_after_one_new_article": after_one,
        "busiest_month_chunks": busiest[1],
        "dense_p50": dense[0],
        "dense_p95": dense[1],
        "hybrid_p50": hybrid[0],
        "hybrid_p95": hybrid[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--articles", type=int, default=0, help="0: every unique article of the corpus")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="keep the embedded store in this folder (for later measurements)")
    args = parser.parse_args()
    questions = quiz_questions(args.corpus, args.queries)
    embedder = RememberingEmbedder()
    with tempfile.TemporaryDirectory(prefix="briefing-scale-") as scratch:
        folder = Path(scratch)
        articles = folder / "articles"
        count = in_parts(args.corpus, args.articles or 10**9, articles)
        print(f"{count} unique articles, {len(questions)} quiz questions", file=sys.stderr)
        rows = {}
        with chroma_server(folder / "chroma-server") as (port, server):
            settings = Settings(store=StoreSettings(path=folder / "served", chroma_host="127.0.0.1", chroma_port=port))
            room = Newsroom(settings, embedder=embedder)
            rows["Chroma server"] = measure("server", room, articles, embedder, questions)
            rows["Chroma server"]["server_rss"], rows["Chroma server"]["server_peak"] = memory_mb(server.pid)
            rows["Chroma server"]["client_rss"] = memory_mb()[0]
        embedder.replay = True
        kept = args.keep or folder / "embedded"
        room = Newsroom(Settings(store=StoreSettings(path=kept)), embedder=embedder)
        rows["embedded"] = measure("embedded", room, articles, embedder, questions)
        rows["embedded"]["client_rss"] = memory_mb()[0]
        rows["embedded"]["server_rss"] = rows["embedded"]["server_peak"] = 0.0
        print(json.dumps(rows, indent=2), file=sys.stderr)
    report(rows, embedder, count)


def report(rows: dict[str, dict[str, float]], embedder: RememberingEmbedder, count: int) -> None:
    served = rows["Chroma server"]
    embed_rate = served["chunks"] / served["embedding_seconds"]
    print(f"\n## The development corpus: {count} articles, {served['chunks']:.0f} chunks\n")
    print(f"Embedding (offline MiniLM, in process, 2 threads), once for both: {embed_rate:.1f} chunks/s.\n")
    print(
        "| store | writes chunks/s | ingest chunks/s (with embedding) | BM25 build s | dense p50 / p95 ms | "
        "hybrid p50 / p95 ms | search after one new article s | server RSS / peak MB | this process RSS MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, row in rows.items():
        with_embedding = row["chunks"] / (row["chunks"] / row["write_rate"] + row["chunks"] / embed_rate)
        server = f"{row['server_rss']:.0f} / {row['server_peak']:.0f}" if row["server_rss"] else "-"
        print(
            f"| {label} | {row['write_rate']:.0f} | {with_embedding:.1f} | {row['bm25_seconds']:.1f} | "
            f"{row['dense_p50']:.0f} / {row['dense_p95']:.0f} | {row['hybrid_p50']:.0f} / {row['hybrid_p95']:.0f} | "
            f"{row['search_after_one_new_article']:.1f} ({row['busiest_month_chunks']:.0f}-chunk month) | "
            f"{server} | {row['client_rss']:.0f} |"
        )
    chunks_per_article = served["chunks"] / max(served["articles"], 1)
    per_day = embed_rate * SECONDS_A_DAY / chunks_per_article
    print(
        f"\n{chunks_per_article:.1f} chunks per article; one embedding process on two cores: about {per_day:,.0f} "
        "articles a day.\n"
    )
    print(
        "| articles a day | chunks a day | embedding processes (2 cores each, 50% busy) | store writes (share of the "
        "server's rate) | BM25 after an ingest: whole index of a year (before) | its month's shard (now) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    bm25_per_chunk = served["bm25_seconds"] / served["chunks"]
    for daily in (10_000, 100_000, 1_000_000):
        chunks = daily * chunks_per_article
        processes = int(np.ceil(chunks / (embed_rate * SECONDS_A_DAY * 0.5)))
        writes = chunks / SECONDS_A_DAY / served["write_rate"]
        year, month = bm25_per_chunk * chunks * 365, bm25_per_chunk * chunks * 30
        print(f"| {daily:,} | {chunks:,.0f} | {processes} | {writes:.1%} | {_duration(year)} | {_duration(month)} |")


def _duration(seconds: float) -> str:
    return (
        f"{seconds:.0f} s"
        if seconds < 120
        else f"{seconds / 60:.0f} min"
        if seconds < 7200
        else f"{seconds / 3600:.1f} h"
    )


if __name__ == "__main__":
    main()
