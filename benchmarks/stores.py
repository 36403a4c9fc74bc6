"""The store a benchmark measures: the one given with --store, or the bundled sample corpus ingested into a
temporary folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from briefing.pipeline import ingest, open_store
from briefing.providers import Embedder, make_embedder
from briefing.settings import Settings, StoreSettings
from briefing.store import ArticleStore


@contextmanager
def benchmark_store(path: Path | None) -> Iterator[tuple[Settings, Embedder, ArticleStore]]:
    """Settings, embedder and store on `path`, or on the sample corpus in a temporary store removed afterwards."""
    settings = Settings()
    embedder = make_embedder(settings)
    with tempfile.TemporaryDirectory() as scratch:
        settings.store = StoreSettings(path=path or Path(scratch) / "store")
        store = open_store(settings, embedder)
        if path is None:
            samples = Path(str(resources.files("briefing").joinpath("samples")))
            ingest([samples], settings=settings, embedder=embedder, store=store)
        yield settings, embedder, store
