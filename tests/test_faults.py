"""Faults: a model server that times out, answers 500, sends a body that is not JSON or cuts its stream; a disk
that fills up mid-ingest. Each is one clear message, nothing is half-written, and running again completes."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from typer.testing import CliRunner

from briefing import ArticleStore, Newsroom, Settings
from briefing.cli import app
from briefing.errors import ModelUnavailableError, StoreUnavailableError
from briefing.index.catalog import Entry
from briefing.ingest.chunking import Chunk
from briefing.providers import Embedder
from briefing.providers.openai_compat import OpenAIChat
from briefing.settings import StoreSettings
from tests.fault_server import FaultServer, Mode, fault_server

MESSAGES = [{"role": "user", "content": "Say something."}]
REASONS: dict[Mode, str] = {
    "slow": "did not answer in time (BRIEFING_LLM__TIMEOUT_S)",
    "error": "answered with an error: Error code: 500 - the model crashed",
    "malformed": "sent a reply that is not valid JSON",
    "cut": "stopped its reply before the end (the stream was cut)",
}


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with fault_server() as running:
        yield running


@pytest.fixture
def on_server(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> FaultServer:
    server.mode = "ok"
    monkeypatch.setenv("BRIEFING_LLM__PROVIDER", "openai")
    monkeypatch.setenv("BRIEFING_LLM__BASE_URL", server.base_url)
    monkeypatch.setenv("BRIEFING_LLM__MODEL", "fault")
    monkeypatch.setenv("BRIEFING_LLM__TIMEOUT_S", "1")
    return server


@pytest.mark.parametrize("mode", ["slow", "error", "malformed", "cut"])
def test_each_fault_is_one_clear_error(on_server: FaultServer, mode: Mode) -> None:
    chat = OpenAIChat(Settings())
    on_server.mode = mode
    with pytest.raises(ModelUnavailableError) as caught:
        "".join(chat.stream(MESSAGES))
    streamed = REASONS["cut" if mode == "malformed" else mode]  # a JSON body is no event stream: it has no end
    assert str(caught.value).startswith(f"{on_server.base_url} {streamed}")
    if mode != "cut":  # this server cuts only streams
        with pytest.raises(ModelUnavailableError) as caught:
            chat.complete(MESSAGES)
        assert str(caught.value).startswith(f"{on_server.base_url} {REASONS[mode]}")
    on_server.mode = "ok"
    assert chat.complete(MESSAGES) == on_server.reply
    assert "".join(chat.stream(MESSAGES)) == on_server.reply


@pytest.mark.parametrize("mode", ["slow", "error", "malformed"])
def test_ask_and_brief_say_it_in_one_line_and_write_nothing(
    on_server: FaultServer,
    mode: Mode,
    sample_settings: Settings,
    sample_store: ArticleStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ["--data-dir", str(sample_settings.store.path)]
    out = tmp_path / "brief"
    monkeypatch.setenv("BRIEFING_BRIEFING__CACHE_DIR", str(tmp_path / "summaries"))  # none from other tests
    brief = [*store, "brief", "--date", "2026-11-25", "--timezone", "+01:00", "--format", "all", "--out", str(out)]
    on_server.mode = mode
    for command in ([*store, "ask", "How many homes were evacuated?"], brief):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert REASONS[mode] in " ".join(result.stderr.split())
        assert "Traceback" not in result.output
    assert not out.exists() or not any(out.rglob("*.*"))
    assert not (tmp_path / "summaries").exists() or not any((tmp_path / "summaries").iterdir())
    on_server.mode = "ok"  # the server is back: the same commands complete
    assert CliRunner().invoke(app, [*store, "ask", "How many homes were evacuated?"]).exit_code == 0
    assert CliRunner().invoke(app, brief).exit_code == 0
    assert (out / "briefing.pdf").is_file() or any(out.rglob("briefing.pdf"))


class FillingDisk(ArticleStore):
    """The store seam: the disk fills up on the second batch written."""

    writes = 0

    def replace_chunks(
        self, entries: Sequence[Entry], chunks: Sequence[Chunk], vectors: NDArray[np.float32]
    ) -> dict[str, str]:
        FillingDisk.writes += 1
        if FillingDisk.writes == 2:
            self.catalog.mark_pending(entries)  # as far as a real write gets before the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().replace_chunks(entries, chunks, vectors)


def test_a_full_disk_mid_ingest_is_a_clear_message_and_the_rerun_completes(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(12):
        body = f"Story {number}: the harbour board met on day {number} and approved {number + 3} new berths. " * 6
        (folder / f"{number:02}.json").write_text(
            json.dumps({"title": f"Berths {number}", "body": body, "url": f"https://x.example/{number}"})
        )
    settings = Settings(store=StoreSettings(path=tmp_path / "store"))
    settings.embedder.batch_size = 2  # several write batches
    full = FillingDisk(settings.store, embedder.name)
    with pytest.raises(StoreUnavailableError) as caught:
        Newsroom(settings, embedder=embedder, store=full).ingest([folder])
    assert "No space left on device" in str(caught.value)
    assert "run the same command again" in str(caught.value)
    room = Newsroom(settings, embedder=embedder)
    stored = {a.id for a in room.store.catalog.all_indexed()}
    assert 0 < len(stored) < 12  # the batches before the fault are stored, the rest are not shown
    assert not room.doctor().healthy  # the interrupted ones are pending
    again = room.ingest([folder])
    assert len(again.unchanged) == len(stored)
    assert len(room.store.catalog.all_indexed()) == 12
    assert room.doctor().healthy
