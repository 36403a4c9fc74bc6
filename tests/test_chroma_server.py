"""The store on a real Chroma server (`chroma run` on 127.0.0.1), selected by BRIEFING_STORE__CHROMA_HOST."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import Newsroom
from briefing.errors import StoreUnavailableError
from briefing.providers import Embedder
from briefing.settings import Settings, StoreSettings
from tests.conftest import FIXTURES, free_port, wait_until_serving


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma command comes with chromadb"
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    command = [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}/api/v2/heartbeat", seconds=60)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


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
