"""The store on a real Chroma server (`chroma run` on 127.0.0.1), selected by BRIEFING_STORE__CHROMA_HOST."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import Newsroom
from briefing.errors import StoreUnavailableError
from briefing.providers import Embedder
from briefing.settings import Settings, StoreSettings
from tests.conftest import FIXTURES, chroma_command, chroma_heartbeat, free_port, serving_chroma, start_server


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with serving_chroma(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


def test_ingest_and_search_through_a_chroma_server(chroma_server: int, tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(store=StoreSettings(path=tmp_path, chroma_host="127.0.0.1", chroma_port=chroma_server))
    report = Newsroom(settings, embedder=embedder).ingest([FIXTURES / "scraped_page.txt"])
    assert len(report.added) == 1
    store = Newsroom(settings, embedder=embedder).store
    assert store.chunk_count() == store.catalog.counts()["chunks"] > 0
    (hit, *_) = store.dense_search(embedder.embed(["ferry subsidy"])[0], limit=2)
    assert "ferry" in hit.chunk.text
    assert not (tmp_path / "chroma").exists()  # nothing was written to a local Chroma store


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(store=StoreSettings(path=tmp_path, chroma_host="127.0.0.1", chroma_port=free_port()))
    with pytest.raises(StoreUnavailableError, match="Cannot reach the Chroma server"):
        Newsroom(settings, embedder=embedder)


def _start(folder: Path, port: int) -> subprocess.Popen[bytes]:
    return start_server(chroma_command(folder, port), chroma_heartbeat(port), seconds=60)


def test_a_chroma_server_killed_mid_ingest_then_restarted(tmp_path: Path, embedder: Embedder) -> None:
    """The server dies (SIGKILL) after the first batch: one clear message, nothing half-stored; once it is back,
    the same ingest completes, with no article lost or stored twice."""
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(10):
        body = f"Item {number}: the river authority raised the flood wall at site {number} by {number + 1} metres. " * 5
        record = {"title": f"Flood wall {number}", "body": body, "url": f"https://x.example/wall-{number}"}
        (folder / f"{number:02}.json").write_text(json.dumps(record))
    port = free_port()
    server = _start(tmp_path / "chroma", port)
    settings = Settings(store=StoreSettings(path=tmp_path / "store", chroma_host="127.0.0.1", chroma_port=port))
    settings.embedder.batch_size = 2

    def kill_after_first_batch(stage: str, done: int, total: int) -> None:
        if done and server.poll() is None:
            server.kill()
            server.wait(timeout=30)

    try:
        with pytest.raises(StoreUnavailableError) as caught:
            Newsroom(settings, embedder=embedder).ingest([folder], progress=kill_after_first_batch)
        assert "Writing to the store failed" in str(caught.value)
        assert "run the same command again" in str(caught.value)
        server = _start(tmp_path / "chroma", port)
        room = Newsroom(settings, embedder=embedder)
        shown = room.store.catalog.all_indexed()
        assert 0 < len(shown) < 10  # what was written before the kill, and only that
        report = room.ingest([folder])
        assert len(report.unchanged) == len(shown)
        assert len(report.added) + len(report.updated) == 10 - len(shown)
        assert len(room.store.catalog.all_indexed()) == 10
        assert room.doctor().healthy  # every chunk once, ids and offsets as the catalog says
        assert room.store.chunk_count() == room.store.catalog.indexed_chunk_count()
    finally:
        server.kill()
        server.wait(timeout=30)
