"""A shared library: the catalog in a real PostgreSQL server (started by these tests on 127.0.0.1), beside a real
Chroma server, as several app processes or machines use them. The catalog there serves as the SQLite file does,
and two processes ingesting at once lose nothing and store nothing twice."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from briefing import Newsroom, Period, zone
from briefing.errors import StoreUnavailableError
from briefing.providers import Embedder
from briefing.settings import Settings, StoreSettings
from tests.conftest import SAMPLES, free_port, serving_chroma, serving_postgres

pytestmark = pytest.mark.server

DAY = Period(date(2026, 11, 25), date(2026, 11, 25), zone("UTC"))


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with serving_postgres() as url:
        yield url


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with serving_chroma(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


def on_postgres(url: str, folder: Path, **store: object) -> Settings:
    settings = Settings(store=StoreSettings.model_validate({"path": folder, "catalog_url": url} | store))
    return settings.updated(briefing={"extractive": True, "cache_dir": folder / "summaries"})


def test_the_catalog_in_postgresql_serves_as_the_sqlite_file_does(
    postgres: str, sample_room: Newsroom, embedder: Embedder, tmp_path: Path
) -> None:
    shared = Newsroom(on_postgres(postgres, tmp_path / "shared"), embedder=embedder)
    report = shared.ingest([SAMPLES])
    assert report.ok
    assert not (tmp_path / "shared" / "catalog.sqlite3").exists()
    alone, catalog = sample_room.store.catalog, shared.store.catalog
    assert catalog.counts() == alone.counts()
    assert [a.id for a in catalog.all_indexed()] == [a.id for a in alone.all_indexed()]
    ids = [a.id for a in alone.all_indexed()]
    assert catalog.stories(ids) == alone.stories(ids)
    assert catalog.story_outlets(set(alone.stories(ids).values())) == alone.story_outlets(alone.stories(ids).values())
    assert catalog.day_range() == alone.day_range()
    assert catalog.sources() == alone.sources()
    question = "How many homes did the Vell flood reach?"
    assert [p.text for p in shared.search(question)] == [p.text for p in sample_room.search(question)]
    local = sample_room.using(sample_room.settings.updated(briefing=shared.settings.briefing.model_dump()))
    assert shared.brief(DAY).model_dump(exclude={"generated_at", "stats"}) == local.brief(DAY).model_dump(
        exclude={"generated_at", "stats"}
    )
    assert shared.doctor().healthy
    shared.store.delete(ids[:2])
    assert catalog.counts()["articles"] == alone.counts()["articles"] - 2


def test_an_unreachable_catalog_database_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    url = f"postgresql+psycopg://briefing:secret-pw@127.0.0.1:{free_port()}/briefing"
    with pytest.raises(StoreUnavailableError) as caught:
        Newsroom(on_postgres(url, tmp_path), embedder=embedder)
    message = str(caught.value)
    assert "Cannot use the catalog database postgresql+psycopg://[redacted]@127.0.0.1" in message
    assert "BRIEFING_STORE__CATALOG_URL" in message
    assert "secret-pw" not in message


def test_two_processes_ingesting_at_once_lose_nothing_and_store_nothing_twice(
    postgres: str,
    chroma_server: int,
    embedder: Embedder,
    tmp_path: Path,
) -> None:
    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix in {".txt", ".html", ".json"})
    first, second = files[: len(files) * 2 // 3], files[len(files) // 3 :]  # a third of them in both
    database = postgres.rsplit("/", 1)[0] + "/two_processes"
    _create_database(postgres, "two_processes")
    env = os.environ | {
        "BRIEFING_STORE__CATALOG_URL": database,
        "BRIEFING_STORE__CHROMA_HOST": "127.0.0.1",
        "BRIEFING_STORE__CHROMA_PORT": str(chroma_server),
        "BRIEFING_STORE__COLLECTION": "two_processes",
    }
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "briefing", "--data-dir", str(tmp_path / f"process-{n}"), "ingest", *map(str, part)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for n, part in enumerate((first, second))
    ]
    outputs = [run.communicate(timeout=600)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    alone = Newsroom(Settings(store=StoreSettings(path=tmp_path / "alone")), embedder=embedder)
    assert alone.ingest(files).ok  # the truth: the same files, one process
    shared_settings = Settings(
        store=StoreSettings(
            path=tmp_path / "reader",
            catalog_url=database,
            chroma_host="127.0.0.1",
            chroma_port=chroma_server,
            collection="two_processes",
        )
    )
    shared = Newsroom(shared_settings, embedder=embedder)
    catalog = shared.store.catalog
    assert catalog.counts() == alone.store.catalog.counts()
    assert catalog.pending_ids() == []
    assert shared.store.chunk_count() == catalog.indexed_chunk_count()
    # Of two copies of one text, either may be the one kept: each text is stored once, and none is missing.
    stored = [a.fingerprint for a in catalog.all_indexed()]
    assert len(stored) == len(set(stored))
    assert set(stored) == {a.fingerprint for a in alone.store.catalog.all_indexed()}
    doctor = shared.doctor()
    assert doctor.healthy, doctor.findings


def _create_database(url: str, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as db:
        db.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
