"""Embeddings from an OpenAI-compatible server, against a real HTTP server on 127.0.0.1 that misbehaves on demand:
retries with back-off, time-outs, requests in flight, a wrong model name, a vector per token; and a store that
records the embedder that built it and refuses another's vectors until `briefing reindex`."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from briefing import EmbedderMismatchError, Newsroom, Settings
from briefing.cli import app
from briefing.errors import ConfigError, ModelUnavailableError
from briefing.providers.openai_compat import OpenAIEmbedder
from briefing.settings import EmbedderSettings, StoreSettings
from tests.fault_server import SLOW_SECONDS, FaultServer, fault_server

SAMPLES = Path(__file__).resolve().parents[1] / "briefing" / "samples" / "text"
THREE = sorted(SAMPLES.glob("2026-11-2[45]_*.txt"))[:3]
TEXTS = [f"text number {n}" for n in range(16)]


@pytest.fixture(scope="module")
def running() -> Iterator[FaultServer]:
    with fault_server() as server:
        yield server


@pytest.fixture
def server(running: FaultServer) -> FaultServer:
    deadline = time.monotonic() + 2 * SLOW_SECONDS
    while running.in_flight and time.monotonic() < deadline:  # a slow reply an earlier test gave up on
        time.sleep(0.05)
    running.mode, running.refusals, running.dimension = "ok", 0, 8
    running.models = ["fault", "fault-2"]
    running.requests = running.most_in_flight = 0
    return running


def on(server: FaultServer, store: Path | None = None, **embedder: object) -> Settings:
    options = {"provider": "openai", "base_url": server.base_url, "openai_model": "fault", "max_retries": 0}
    settings = Settings(embedder=EmbedderSettings.model_validate(options | embedder))
    return settings if store is None else settings.model_copy(update={"store": StoreSettings(path=store)})


# ---- the client ----------------------------------------------------------------------------------------------------


def test_a_busy_server_is_asked_again_after_a_back_off(server: FaultServer) -> None:
    server.mode, server.refusals = "busy", 2
    vectors = OpenAIEmbedder(on(server, max_retries=3)).embed(TEXTS[:2])
    assert vectors.shape == (2, 8)
    assert server.requests == 3  # two refusals (429), then the answer


def test_a_server_failing_after_every_retry_is_one_clear_error(server: FaultServer) -> None:
    server.mode = "error"
    with pytest.raises(ModelUnavailableError, match=r"answered with an error: Error code: 500 - .*the model crashed"):
        OpenAIEmbedder(on(server, max_retries=2)).embed(TEXTS[:2])
    assert server.requests == 3


def test_a_slow_server_times_out_with_the_setting_to_change(server: FaultServer) -> None:
    server.mode = "slow"
    with pytest.raises(ModelUnavailableError, match=r"did not answer in time \(BRIEFING_EMBEDDER__TIMEOUT_S\)"):
        OpenAIEmbedder(on(server, timeout_s=0.5)).embed(TEXTS[:1])


def test_a_vector_per_token_is_refused_with_how_to_pool(server: FaultServer) -> None:
    server.mode = "per_token"
    with pytest.raises(ModelUnavailableError, match=r"not return one vector per text.*pooling"):
        OpenAIEmbedder(on(server)).embed(TEXTS[:2])


def test_a_model_the_server_does_not_serve_is_named_with_those_it_does(server: FaultServer) -> None:
    server.models = ["nomic-embed", "bge-small"]
    with pytest.raises(ConfigError, match=r"serves 'nomic-embed', 'bge-small', not 'fault': set BRIEFING_EMBEDDER__"):
        OpenAIEmbedder(on(server)).embed(TEXTS[:1])
    assert server.requests == 0  # checked before any text is sent


def test_requests_in_flight_together_keep_the_order(server: FaultServer) -> None:
    one_at_a_time = OpenAIEmbedder(on(server, batch_size=2)).embed(TEXTS)
    assert server.most_in_flight == 1
    server.most_in_flight = 0
    together = OpenAIEmbedder(on(server, batch_size=2, concurrency=4)).embed(TEXTS)
    assert 2 <= server.most_in_flight <= 4
    assert np.array_equal(together, one_at_a_time)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0)


# ---- the store's embedder ------------------------------------------------------------------------------------------


def test_a_store_refuses_another_embedder_until_reindexed(server: FaultServer, tmp_path: Path) -> None:
    first = Newsroom(on(server, tmp_path / "store"))
    assert first.ingest(THREE).ok
    before = first.store.catalog.counts()
    assert first.store.built_with == ("openai-fault", 8)

    other = Newsroom(on(server, tmp_path / "store", openai_model="fault-2"))
    with pytest.raises(EmbedderMismatchError) as caught:
        other.search("strike at the port")
    message = str(caught.value)
    assert "built with the embedder 'openai-fault' (8 dimensions)" in message
    assert "the settings select 'openai-fault-2'. Run `briefing reindex`" in message
    with pytest.raises(EmbedderMismatchError):
        other.ingest(sorted(SAMPLES.glob("2026-11-26_*.txt")))
    assert other.store.catalog.counts() == before  # nothing stored, nothing lost
    assert not other.doctor().healthy

    result = CliRunner().invoke(app, ["reindex"], env=_env(server, tmp_path / "store", "fault-2"))
    assert result.exit_code == 0, result.output
    assert f"{before['articles']} articles embedded again with openai-fault-2" in result.output

    again = Newsroom(on(server, tmp_path / "store", openai_model="fault-2"))
    assert again.store.built_with == ("openai-fault-2", 8)
    assert again.store.catalog.counts() == before
    assert again.search("strike at the port")
    assert again.doctor().healthy
    with pytest.raises(EmbedderMismatchError, match="built with the embedder 'openai-fault-2'"):
        Newsroom(on(server, tmp_path / "store")).search("strike at the port")


def test_the_same_name_giving_vectors_of_another_size_is_refused(server: FaultServer, tmp_path: Path) -> None:
    assert Newsroom(on(server, tmp_path / "store")).ingest(THREE).ok
    server.dimension = 16  # another model served under the same name
    room = Newsroom(on(server, tmp_path / "store"))
    with pytest.raises(EmbedderMismatchError, match=r"'openai-fault' now gives 16-dimensional vectors.*holds 8-"):
        room.search("strike at the port")
    assert room.reindex() == (3, room.store.catalog.counts()["chunks"])
    assert room.store.built_with == ("openai-fault", 16)
    assert room.search("strike at the port")


def test_a_store_from_before_embedders_were_recorded_is_taken_as_its_own(server: FaultServer, tmp_path: Path) -> None:
    assert Newsroom(on(server, tmp_path / "store")).ingest(THREE).ok
    with sqlite3.connect(tmp_path / "store" / "catalog.sqlite3") as db:
        db.execute("DELETE FROM embedder")  # as an earlier version left it
    assert Newsroom(on(server, tmp_path / "store")).store.built_with == ("openai-fault", 8)
    with sqlite3.connect(tmp_path / "store" / "catalog.sqlite3") as db:
        db.execute("DELETE FROM embedder")
    with pytest.raises(EmbedderMismatchError, match="built with another embedder"):
        Newsroom(on(server, tmp_path / "store", openai_model="fault-2")).search("strike")


def _env(server: FaultServer, store: Path, model: str) -> dict[str, str]:
    return {
        "BRIEFING_STORE__PATH": str(store),
        "BRIEFING_EMBEDDER__PROVIDER": "openai",
        "BRIEFING_EMBEDDER__BASE_URL": server.base_url,
        "BRIEFING_EMBEDDER__OPENAI_MODEL": model,
    }


def test_requests_are_spread_over_several_servers_in_turn(server: FaultServer) -> None:
    alone = OpenAIEmbedder(on(server, batch_size=2)).embed(TEXTS)
    server.requests = 0
    with fault_server() as second:
        second.models = ["fault"]
        both = on(server, batch_size=2, concurrency=2, base_url=f"{server.base_url}, {second.base_url}")
        assert np.array_equal(OpenAIEmbedder(both).embed(TEXTS), alone)
        assert server.requests == second.requests == len(TEXTS) // 2 // 2  # 8 batches of 2, 4 to each
