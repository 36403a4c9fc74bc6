"""Benchmark: peak memory of the app with the model loaded, and of a large ingest, each next to its floor.

Each measured command runs in its own process; its peak resident memory is read from the kernel (`os.wait4`'s
`ru_maxrss`, or `VmHWM` in /proc for the app server, which is read before it is stopped). The floors, measured in
the same run: a Python process that only loads the embedder (what any ingest holds), and one that loads the
embedder and the local chat model (what any answering process holds).

- ingest: `briefing ingest` of the first N unique articles of the development corpus, into a new store;
- ui: `briefing ui`'s streamlit server on the sample corpus, driven in headless Chromium: one question asked in the
  chat (the model loads), then a briefing generated with the model.

Run: .venv/bin/python benchmarks/peak_memory.py [--articles 5000] [--skip-ingest] [--skip-ui]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest_and_answer import first_unique_articles  # benchmarks/, on the path when a benchmark runs as a script

_FLOOR_EMBEDDER = "from briefing.providers.local_embedder import MiniLMEmbedder; MiniLMEmbedder().embed(['warm'])"
_FLOOR_MODEL = (
    _FLOOR_EMBEDDER + "; from briefing import Newsroom; Newsroom().llm.complete([{'role': 'user', 'content': 'Hi'}])"
)
QUESTION = "What pay rise is the dockworkers' union seeking?"


def peak_of(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run the command to its end; its peak resident memory in MiB and its wall time in seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(command[:4])}... failed with status {status}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started


def _mib(kib_line: str) -> float:
    return int(kib_line.split()[1]) / 1024


def high_water(pid: int) -> float:
    """A running process's peak resident memory so far (MiB)."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return next(_mib(line) for line in status if line.startswith("VmHWM:"))


def ingest_peak(corpus: Path, articles: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        written = first_unique_articles(corpus, articles, Path(scratch) / "all.jsonl")
        inputs = Path(scratch) / "articles"  # files of 500 articles each: one input file is capped at 50 MB
        inputs.mkdir()
        lines = (Path(scratch) / "all.jsonl").read_text().splitlines(keepends=True)
        for start in range(0, len(lines), 500):
            (inputs / f"{start:05d}.jsonl").write_text("".join(lines[start : start + 500]))
        env = dict(os.environ, BRIEFING_STORE__PATH=str(Path(scratch) / "store"))
        peak, seconds = peak_of([sys.executable, "-m", "briefing", "ingest", str(inputs)], env)
        print(f"| `briefing ingest`, {written} development-corpus articles | {peak:,.0f} MiB | {seconds:,.0f} s |")


def ui_peak() -> None:
    from importlib import resources

    from playwright.sync_api import expect, sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project root, for the browser test's helpers
    from briefing.cli.serve import streamlit_command
    from tests.conftest import free_port, wait_until_serving
    from tests.test_app_browser import CHROMIUM_FLAGS

    samples = Path(str(resources.files("briefing").joinpath("samples")))
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(
            os.environ,
            BRIEFING_STORE__PATH=str(Path(scratch) / "store"),
            BRIEFING_BRIEFING__OUT_DIR=str(Path(scratch) / "briefings"),
        )
        subprocess.run(
            [sys.executable, "-m", "briefing", "ingest", str(samples)], env=env, check=True, stdout=subprocess.DEVNULL
        )
        port = free_port()
        command = [*streamlit_command(port, address="127.0.0.1"), "--server.fileWatcherType=none"]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(server, f"{url}/_stcore/health", seconds=120)
            chromium_path = shutil.which("chromium") or shutil.which("chromium-browser") or ""
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
                page = browser.new_page()
                page.goto(url)
                chat = page.get_by_placeholder("Ask about your articles")
                expect(chat).to_be_editable(timeout=120_000)
                chat.fill(QUESTION)
                chat.press("Enter")
                expect(page.get_by_text("Show [1] in the article")).to_be_visible(timeout=400_000)
                asked = high_water(server.pid)
                page.goto(f"{url}/briefing")
                page.get_by_text("Generate briefing").click()
                expect(page.get_by_text("Download PDF")).to_be_visible(timeout=600_000)
                briefed = high_water(server.pid)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"| `briefing ui`, after a chat answer (model loaded) | {asked:,.0f} MiB | |")
    print(f"| `briefing ui`, after a briefing with the model too | {briefed:,.0f} MiB | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/realtimeqa-2025"))
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-ui", action="store_true")
    args = parser.parse_args()
    print("| process | peak resident memory | wall time |\n| --- | --- | --- |")
    for label, code in (
        ("embedder loaded (floor of an ingest)", _FLOOR_EMBEDDER),
        ("embedder and chat model loaded (floor of answering)", _FLOOR_MODEL),
    ):
        peak, seconds = peak_of([sys.executable, "-c", code])
        print(f"| {label} | {peak:,.0f} MiB | {seconds:.0f} s |", flush=True)
    if not args.skip_ui:
        ui_peak()
    if not args.skip_ingest:
        ingest_peak(args.corpus, args.articles)


if __name__ == "__main__":
    main()
