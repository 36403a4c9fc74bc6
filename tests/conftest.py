"""Shared fixtures: real components (embedder, Chroma in a temporary folder, the local model) built once."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import httpx
import pytest

from briefing import ArticleStore, ChatModel, Embedder, Newsroom, Settings
from briefing.providers.model_files import default_model_path
from briefing.settings import StoreSettings

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path(str(resources.files("briefing").joinpath("samples")))
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_a14aa77f9d40f717.txt"


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on (free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(process: subprocess.Popen[bytes], url: str, seconds: float) -> None:
    """Poll `url` until it answers 200, failing the test if the server exits or the time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server for {url} exited"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds:.0f} s")


@contextmanager
def serving_the_local_model(*options: str, alias: str = "local") -> Iterator[str]:
    """A real llama.cpp OpenAI-compatible server on 127.0.0.1 serving the default local model under `alias`; its
    base URL. Stopped on leaving."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(default_model_path()),
        "--model_alias",
        alias,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--n_threads",
        "2",
        *options,
    ]
    base_url = f"http://127.0.0.1:{port}/v1"
    with running(command, f"{base_url}/models", seconds=180):
        yield base_url


@contextmanager
def serving_chroma(folder: Path) -> Iterator[int]:
    """A real Chroma server (`chroma run`, from chromadb) on 127.0.0.1 keeping its data in `folder`; its port.
    Stopped on leaving."""
    port = free_port()
    with running(chroma_command(folder, port), chroma_heartbeat(port), seconds=60):
        yield port


def chroma_command(folder: Path, port: int) -> list[str]:
    """`chroma run` on 127.0.0.1:port with its data in `folder`."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma command comes with chromadb"
    return [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]


def chroma_heartbeat(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v2/heartbeat"


def start_server(command: list[str], ready_url: str, seconds: float) -> subprocess.Popen[bytes]:
    """The server process, once `ready_url` answers (killed if it never does)."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(server, ready_url, seconds)
    except BaseException:
        server.kill()
        server.wait(timeout=30)
        raise
    return server


@contextmanager
def running(command: list[str], ready_url: str, seconds: float) -> Iterator[None]:
    """A server process started and ready; stopped on leaving."""
    server = start_server(command, ready_url, seconds)
    try:
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def serving_postgres() -> Iterator[str]:
    """A real PostgreSQL server on 127.0.0.1 in a new temporary cluster (Debian's postgresql package; run as its
    `postgres` user when the tests run as root), its SQLAlchemy URL; stopped and removed on leaving."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        pytest.fail("PostgreSQL's server is not installed: `make postgres` installs Debian's postgresql")
    pg_ctl, initdb = found[-1], found[-1].parent / "initdb"
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="briefing-postgres-"))
    if as_root:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    try:
        subprocess.run(
            [*run_as, initdb, "-D", data, "-A", "trust", "-U", "briefing", "--no-sync"], check=True, capture_output=True
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*run_as, pg_ctl, "-D", data, "-l", folder / "log", "-o", options, "-w", "start"],
            check=True,
            capture_output=True,
        )
        try:
            yield f"postgresql+psycopg://briefing@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*run_as, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real offline MiniLM embedder."""
    from briefing.providers.local_embedder import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with the store in a fresh temporary folder."""
    return Settings(store=StoreSettings(path=tmp_path / "store"))


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for a store holding the sample corpus (see `sample_store`)."""
    return Settings(store=StoreSettings(path=tmp_path_factory.mktemp("sample-store")))


@pytest.fixture(scope="session")
def sample_room(sample_settings: Settings, embedder: Embedder) -> Newsroom:
    """A Newsroom on a real Chroma store with the bundled sample corpus ingested once for the session."""
    room = Newsroom(sample_settings, embedder=embedder)
    report = room.ingest([SAMPLES])
    assert report.ok, report.failures
    return room


@pytest.fixture(scope="session")
def sample_store(sample_room: Newsroom) -> ArticleStore:
    """The store of `sample_room`."""
    return sample_room.store


@pytest.fixture(scope="session")
def local_llm() -> ChatModel:
    """The real local chat model (llama.cpp, Qwen2.5-Coder-1.5B), loaded once."""
    from briefing.providers.llama_local import LlamaChat

    return LlamaChat(Settings().llm)
