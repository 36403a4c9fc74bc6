"""Benchmark: briefing as a client of model servers on loopback (issue 18).

1. Ingest throughput (chunks/s) with embeddings from OpenAI-compatible servers: 1, 2 and 4 requests in flight
   (BRIEFING_EMBEDDER__CONCURRENCY) against one server process and against two (the embedder spreads its requests
   over both), all on the same two cores. The servers are llama.cpp's Python server (`llama_cpp.server`) with the
   packaged Qwen2.5-Coder-1.5B in embedding mode, mean-pooled; with --llama-server, also llama.cpp's own
   `llama-server` binary. The baseline, measured in the same run: one request at a time to one server. For scale,
   the in-process MiniLM embedder on the same articles (another model: its vectors are not comparable).
2. Chat throughput: 8 questions asked at once (8 threads on one Newsroom, as 8 app sessions), answered by the local
   model in process (one at a time behind its lock), by `llama_cpp.server` (one at a time inside the server), and,
   with --llama-server, by `llama-server` with 4 parallel slots. Reports the wall time for all 8, answers per
   minute, and the p50 / p95 of one answer's latency.

Every server is started here on 127.0.0.1 and stopped after. Run:
  .venv/bin/python benchmarks/serving.py [--articles 8] [--questions 8] [--llama-server PATH] [--only ingest|chat]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import date
from importlib import resources
from pathlib import Path

import httpx
from briefing.evals.datasets import bundled, load_questions

from briefing import Newsroom, Settings, StoreSettings
from briefing.providers.model_files import default_model_path

SAMPLES = Path(str(resources.files("briefing").joinpath("samples")))
MODEL = "qwen"
POOLED = ["--embedding", "true", "--kv_overrides", "qwen2.pooling_type=int:1"]
TODAY = date(2026, 11, 26)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(command: Sequence[str], port: int, seconds: float = 180) -> Iterator[str]:
    """A server process answering on 127.0.0.1:port; its OpenAI base URL. Stopped on leaving."""
    server = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + seconds
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {' '.join(command)}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{base_url} did not answer in {seconds:.0f} s")
            time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def python_server(port: int, threads: int, *options: str) -> list[str]:
    """llama.cpp's Python server with the packaged model."""
    where = ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", str(threads)]
    model = ["--model", str(default_model_path()), "--model_alias", MODEL]
    return [sys.executable, "-m", "llama_cpp.server", *model, *where, *options]


def native_server(binary: str, port: int, threads: int, *options: str) -> list[str]:
    """llama.cpp's own server binary with the packaged model."""
    where = ["--host", "127.0.0.1", "--port", str(port), "-t", str(threads)]
    return [binary, "-m", str(default_model_path()), "--alias", MODEL, *where, *options]


# ---- 1. ingest throughput -----------------------------------------------------------------------------------------


def articles(count: int) -> list[Path]:
    return sorted((SAMPLES / "text").glob("*.txt"))[:count]


def ingest_rate(settings: Settings, files: Sequence[Path]) -> tuple[float, int]:
    """(chunks per second, chunks) for a fresh store ingesting the files (the model loaded before timing)."""
    with tempfile.TemporaryDirectory() as scratch:
        room = Newsroom(settings.model_copy(update={"store": StoreSettings(path=Path(scratch) / "store")}))
        room.embedder.embed(["warm-up"])
        started = time.perf_counter()
        report = room.ingest(files)
        seconds = time.perf_counter() - started
    if not report.ok or not report.chunks:
        raise RuntimeError(report.summary())
    return report.chunks / seconds, report.chunks


def ingest_table(files: Sequence[Path], native: str | None) -> None:
    print(f"\n## Ingest throughput: {len(files)} sample articles, batches of 8 chunks\n")
    print("| embeddings | servers (threads each) | in flight | chunks | chunks/s | vs baseline |")
    print("| --- | --- | --- | --- | --- | --- |")
    local_rate, chunks = ingest_rate(Settings(), files)
    print(f"| MiniLM in process (for scale) | - | - | {chunks} | {local_rate:.1f} | - |", flush=True)
    kinds = [("llama_cpp.server", None)] + ([("llama-server", native)] if native else [])
    for label, binary in kinds:
        baseline = None
        for servers in (1, 2):
            threads = 2 // servers
            with ExitStack() as stack:
                urls = []
                for _ in range(servers):
                    port = free_port()
                    if binary:
                        command = native_server(binary, port, threads, "--embedding", "--pooling", "mean")
                    else:
                        command = python_server(port, threads, *POOLED)
                    urls.append(stack.enter_context(serving(command, port)))
                for in_flight in (1, 2, 4):
                    embedder = {"provider": "openai", "base_url": ",".join(urls), "openai_model": MODEL}
                    embedder |= {"concurrency": in_flight, "batch_size": 8}
                    rate, chunks = ingest_rate(Settings().updated(embedder=embedder), files)
                    baseline = baseline or rate
                    print(
                        f"| {label} | {servers} ({threads}) | {in_flight} | {chunks} | {rate:.2f} | "
                        f"{rate / baseline:.2f}x |",
                        flush=True,
                    )


# ---- 2. chat throughput -------------------------------------------------------------------------------------------


def questions(count: int) -> list[str]:
    gold = [q for q in load_questions(bundled("sample_gold.jsonl")) if q.answerable and q.as_of == TODAY]
    return [q.question for q in gold[:count]]


def at_once(room: Newsroom, asked: Sequence[str]) -> tuple[float, list[float], int]:
    """All questions asked together: (wall seconds, each answer's seconds, answers not refused)."""

    def one(question: str) -> tuple[float, bool]:
        started = time.perf_counter()
        answer = room.ask(question)
        return time.perf_counter() - started, not answer.not_in_articles

    started = time.perf_counter()
    with ThreadPoolExecutor(len(asked)) as pool:
        done = list(pool.map(one, asked))
    return time.perf_counter() - started, [seconds for seconds, _ in done], sum(ok for _, ok in done)


def chat_table(count: int, native: str | None) -> None:
    asked = questions(count)
    print(f"\n## Chat throughput: {len(asked)} sample questions asked at once\n")
    print("| model | slots | wall s | answers/min | p50 s | p95 s | answered |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        store = Settings(store=StoreSettings(path=Path(scratch) / "store")).updated(retrieval={"today": TODAY})
        base = Newsroom(store)
        base.ingest([SAMPLES])

        def row(label: str, slots: str, room: Newsroom) -> None:
            room.ask("warm-up: what happened in Port Alder?")
            wall, each, answered = at_once(room, asked)
            p95 = sorted(each)[min(len(each) - 1, round(0.95 * (len(each) - 1)))]
            print(
                f"| {label} | {slots} | {wall:.1f} | {60 * len(asked) / wall:.1f} | {statistics.median(each):.1f} | "
                f"{p95:.1f} | {answered}/{len(asked)} |",
                flush=True,
            )

        row("in process (llama.cpp, lock)", "1", base)
        llm = {"provider": "openai", "model": MODEL, "json_schema_format": "json_object"}
        port = free_port()
        with serving(python_server(port, 2), port) as url:
            room = Newsroom(store.updated(llm=llm | {"base_url": url}), embedder=base.embedder, store=base.store)
            row("llama_cpp.server", "1", room)
        if native:
            port = free_port()
            command = native_server(native, port, 2, "-np", "4", "-c", "16384", "--jinja")
            with serving(command, port) as url:
                settings = store.updated(llm=llm | {"base_url": url, "json_schema_format": "json_schema"})
                row("llama-server", "4", Newsroom(settings, embedder=base.embedder, store=base.store))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=8, help="sample articles ingested per configuration")
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--llama-server", help="a llama.cpp `llama-server` binary: measured beside the Python one")
    parser.add_argument("--only", choices=["ingest", "chat"])
    args = parser.parse_args()
    if args.only != "chat":
        ingest_table(articles(args.articles), args.llama_server)
    if args.only != "ingest":
        chat_table(args.questions, args.llama_server)


if __name__ == "__main__":
    main()
