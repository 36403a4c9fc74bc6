"""The store a benchmark measures: the one given with --store, or the bundled sample corpus ingested into a
temporary folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from briefing import Newsroom, Settings, StoreSettings


@contextmanager
def benchmark_store(path: Path | None) -> Iterator[Newsroom]:
    """A Newsroom on the store at `path`, or on the sample corpus in a temporary store removed afterwards."""
    with tempfile.TemporaryDirectory() as scratch:
        room = Newsroom(Settings(store=StoreSettings(path=path or Path(scratch) / "store")))
        if path is None:
            room.ingest([Path(str(resources.files("briefing").joinpath("samples")))])
        yield room
