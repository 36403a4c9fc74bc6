"""Benchmark: load and soak. N chat sessions at once (threads on one shared Newsroom, as the app's sessions are
threads sharing one; with --through-app, each an app session driven by Streamlit's AppTest) while an ingest of
development-corpus articles and a briefing run, with the local model in process and with the same model behind a
real `llama_cpp.server` (the OpenAI-compatible path), both on loopback.
Reports answer latency p50/p95, the model queue wait (local model), errors, articles lost or duplicated, and answers
changed by the load.

The truths: the articles the same ingest stores when run alone (into another store, in the same run), and each
question's answer asked alone before the load.

Run: .venv/bin/python benchmarks/load_soak.py [--sessions 20] [--articles 500] [--mode local|server|both]
     [--through-app]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

from briefing.evals.datasets import bundled, load_questions
from ingest_and_answer import first_unique_articles  # benchmarks/, on the path when a benchmark runs as a script
from soak import QueuedChat, soak

from briefing import Newsroom, Period, Settings, StoreSettings, make_chat_model, zone

SAMPLES = Path(str(resources.files("briefing").joinpath("samples")))


TODAY = date(2026, 11, 26)
"""The day every session's time words count from (the sample's last day), in the app and in the answers alone."""


def _questions(count: int) -> list[tuple[str, date]]:
    gold = [q for q in load_questions(bundled("sample_gold.jsonl")) if q.answerable and q.as_of == TODAY]
    return [(q.question, TODAY) for q in gold[:count]]


def run(mode: str, sessions: int, extra: Path, expected: int, scratch: Path, through_app: bool) -> None:
    store = scratch / f"store-{mode}"
    os.environ["BRIEFING_STORE__PATH"] = str(store)  # the app's sessions open this store
    os.environ["BRIEFING_RETRIEVAL__TODAY"] = TODAY.isoformat()
    settings = Settings(store=StoreSettings(path=store))
    if mode == "server":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.test_providers import serving_the_local_model

        with serving_the_local_model() as base_url:
            served = settings.updated(
                llm={"provider": "openai", "base_url": base_url, "model": "local", "json_schema_format": "json_object"}
            )
            _measure(mode, Newsroom(served), sessions, extra, expected, None, through_app)
        return
    queued = QueuedChat(make_chat_model(settings))
    _measure(mode, Newsroom(settings, llm=queued), sessions, extra, expected, queued, through_app)


def _measure(
    mode: str,
    room: Newsroom,
    sessions: int,
    extra: Path,
    expected: int,
    queued: QueuedChat | None,
    through_app: bool,
) -> None:
    room.ingest([SAMPLES])
    result = soak(
        room,
        _questions(sessions),
        sessions=sessions,
        ingest=[extra],
        expected_articles=expected,
        period=Period(date(2026, 11, 25), date(2026, 11, 25), zone("+01:00")),
        queued=queued,
        through_app=through_app,
    )
    label = f"{mode}, {'app sessions (AppTest)' if through_app else 'sessions as threads'}"
    print(f"| {label} | {result.line()} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--mode", choices=["local", "server", "both"], default="both")
    parser.add_argument(
        "--through-app",
        action="store_true",
        help="drive each session through the app's chat page (AppTest) instead of a thread on the shared Newsroom",
    )
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/realtimeqa-2025"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        extra = scratch / "extra.jsonl"
        first_unique_articles(args.corpus, args.articles, extra)
        alone = Newsroom(Settings(store=StoreSettings(path=scratch / "alone")))
        alone.ingest([SAMPLES, extra])
        expected = alone.store.catalog.counts()["articles"]
        print(f"baseline: the same ingest alone stores {expected} articles", flush=True)
        for mode in ["local", "server"] if args.mode == "both" else [args.mode]:
            run(mode, args.sessions, extra, expected, scratch, args.through_app)


if __name__ == "__main__":
    main()
