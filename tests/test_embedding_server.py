"""Embeddings from a real OpenAI-compatible server: llama.cpp's Python server on 127.0.0.1, serving the shipped model
in embedding mode (mean-pooled), started and stopped by these tests. A store built with the offline embedder is
refused by the server's embedder until `briefing reindex`, and then answers with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from briefing import EmbedderMismatchError, Newsroom, Settings
from briefing.cli import app
from briefing.errors import ConfigError, ModelUnavailableError
from briefing.providers import Embedder
from briefing.providers.openai_compat import OpenAIEmbedder
from briefing.settings import EmbedderSettings, StoreSettings
from tests.conftest import SAMPLES, serving_the_local_model

pytestmark = pytest.mark.server

MODEL = "qwen-embed"
POOLED = ("--embedding", "true", "--kv_overrides", "qwen2.pooling_type=int:1")  # mean over the tokens
TEXTS = [
    "The central bank cut interest rates by a quarter point.",
    "Policymakers lowered borrowing costs by 25 basis points.",
    "The striker scored twice in the second half.",
    "Dock workers walked out at the port on Monday.",
    "Floodwater forced families from their homes along the river.",
]


@pytest.fixture(scope="module")
def embedding_server() -> Iterator[str]:
    with serving_the_local_model(*POOLED, alias=MODEL) as base_url:
        yield base_url


def on(base_url: str, store: Path | None = None, **embedder: object) -> Settings:
    options = {"provider": "openai", "base_url": base_url, "openai_model": MODEL} | embedder
    settings = Settings(embedder=EmbedderSettings.model_validate(options))
    return settings if store is None else settings.model_copy(update={"store": StoreSettings(path=store)})


def test_the_server_embeds_batches_in_flight_as_it_embeds_one_text(embedding_server: str) -> None:
    vectors = OpenAIEmbedder(on(embedding_server, batch_size=2, concurrency=2)).embed(TEXTS)
    assert vectors.shape == (5, 1536)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1  # rates and rates, not rates and football
    alone = OpenAIEmbedder(on(embedding_server)).embed(TEXTS[3:4])[0]
    assert alone @ vectors[3] > 0.999


def test_a_model_name_the_server_does_not_serve_is_an_error_not_its_own_model(embedding_server: str) -> None:
    # llama.cpp's server would answer any name with its one model: the client checks the server's list first.
    with pytest.raises(ConfigError, match=f"serves '{MODEL}', not 'text-embedding-3-small'"):
        OpenAIEmbedder(on(embedding_server, openai_model="text-embedding-3-small")).embed(TEXTS[:1])


def test_a_store_built_offline_moves_to_the_server_with_reindex(
    embedding_server: str, embedder: Embedder, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    strike, *others = sorted((SAMPLES / "text").glob("2026-11-24_*.txt"))[:3]
    offline = Newsroom(Settings(store=StoreSettings(path=store)), embedder=embedder)
    assert offline.ingest([strike, *others]).ok
    articles = offline.store.catalog.counts()["articles"]
    strike_id = next(a.id for a in offline.store.catalog.all_indexed() if a.origin.endswith(strike.name))

    served = Newsroom(on(embedding_server, store))
    with pytest.raises(EmbedderMismatchError, match=r"built with the embedder 'minilm-l6-v2' \(384 dimensions\)"):
        served.search("dock workers strike")

    env = {
        "BRIEFING_STORE__PATH": str(store),
        "BRIEFING_EMBEDDER__PROVIDER": "openai",
        "BRIEFING_EMBEDDER__BASE_URL": embedding_server,
        "BRIEFING_EMBEDDER__OPENAI_MODEL": MODEL,
    }
    result = CliRunner().invoke(app, ["reindex"], env=env)
    assert result.exit_code == 0, result.output
    assert f"{articles} articles embedded again with openai-{MODEL}" in result.output

    served = Newsroom(on(embedding_server, store))
    assert served.store.built_with == (f"openai-{MODEL}", 1536)
    assert served.doctor().healthy
    best = served.search("Why did the dock workers walk out at Port Alder?", k=1)
    assert [passage.article_id for passage in best] == [strike_id]


def test_a_server_that_does_not_pool_is_told_how_to() -> None:
    with (
        serving_the_local_model("--embedding", "true", alias=MODEL) as base_url,
        pytest.raises(ModelUnavailableError, match=r"a vector per token.*pooling"),
    ):
        OpenAIEmbedder(on(base_url)).embed(TEXTS[:2])
