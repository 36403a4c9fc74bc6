"""Ingesting into a real Chroma store with the real embedder: idempotence, updates, duplicates, bad input, crashes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from briefing import Newsroom
from briefing.index.store import ArticleStore
from briefing.providers import Embedder
from briefing.settings import IngestSettings, Settings, StoreSettings
from tests.conftest import FIXTURES


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed, optionally interrupted on a given call."""

    def __init__(self, inner: Embedder, interrupt_on_call: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts = 0
        self.calls = 0
        self.interrupt_on_call = interrupt_on_call

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.calls += 1
        if self.calls == self.interrupt_on_call:
            raise KeyboardInterrupt
        self.texts += len(texts)
        return self.inner.embed(texts)


def write_record(folder: Path, name: str, number: int, body: str | None = None, **extra: object) -> Path:
    record = {
        "title": f"Story number {number}",
        "body": body or f"Story {number} begins here. The committee met on Tuesday and voted {number} to 2.",
        "published_at": f"2026-11-{20 + number % 5:02d}T09:00:00+00:00",
        "source": "Test Gazette",
        "url": f"https://gazette.example/story-{number}",
        **extra,
    }
    path = folder / name
    path.write_text(json.dumps(record))
    return path


def consistent(store: ArticleStore) -> dict[str, int]:
    counts = store.catalog.counts()
    assert counts["pending"] == 0
    assert counts["chunks"] == store.chunk_count()
    return counts


def test_reingest_does_no_embedding_and_changes_replace_chunks(
    tmp_path: Path, settings: Settings, embedder: Embedder
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(3):
        write_record(inputs, f"{number}.json", number)
    counting = CountingEmbedder(embedder)
    store = Newsroom(settings, embedder=counting).store
    first = Newsroom(settings, embedder=counting, store=store).ingest([inputs])
    assert (len(first.added), first.ok) == (3, True)
    embedded = counting.texts

    again = Newsroom(settings, embedder=counting, store=store).ingest([inputs])
    assert len(again.unchanged) == 3
    assert counting.texts == embedded  # not one text embedded again

    write_record(inputs, "1.json", 1, body="Story 1 was rewritten. The vote is now reported as 9 to 0.")
    changed = Newsroom(settings, embedder=counting, store=store).ingest([inputs])
    assert (len(changed.updated), len(changed.unchanged)) == (1, 2)
    hits = store.dense_search(counting.embed(["rewritten vote 9 to 0"])[0], limit=10)
    texts = [h.chunk.text for h in hits if h.article.title == "Story number 1"]
    assert texts == ["Story 1 was rewritten. The vote is now reported as 9 to 0."]
    assert consistent(store)["articles"] == 3


def test_exact_duplicates_are_stored_once(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_record(inputs, "a.json", 1)
    write_record(inputs, "b.json", 1, url="https://gazette.example/story-1?utm_source=feed")  # same canonical URL
    write_record(inputs, "c.json", 1, url="https://mirror.example/copy", title="Copied")  # same body
    report = Newsroom(settings, embedder=embedder).ingest([inputs])
    assert len(report.added) == 1
    assert len(report.duplicates) == 2
    again = Newsroom(settings, embedder=embedder).ingest([inputs / "c.json"])
    assert len(again.duplicates) == 1


def test_bad_inputs_are_named_and_the_rest_goes_on(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(store=StoreSettings(path=tmp_path / "store"), ingest=IngestSettings(max_file_mb=0.01))
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = write_record(inputs, "good.json", 1)
    (inputs / "empty.txt").write_text("  \n")
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (inputs / "latin1.txt").write_bytes("Caf\xe9 news\n\nLe caf\xe9 a ferm\xe9.".encode("latin-1"))
    (inputs / "big.txt").write_text("Headline\n\n" + "word " * 5000)
    (inputs / "broken.json").write_text('{"title": "x", "body": ')
    (inputs / "feed.jsonl").write_text(
        json.dumps({"title": "Fine", "body": "A fine record.", "url": "https://x.example/1"})
        + "\n{oops\n"
        + json.dumps({"title": "No body"})
        + "\n"
    )
    report = Newsroom(settings, embedder=embedder).ingest([inputs, tmp_path / "missing"])
    reasons = {Path(f.origin).name: f.reason for f in report.failures}
    assert reasons["empty.txt"] == "file is empty"
    assert reasons["binary.txt"] == "file is binary, not text"
    assert reasons["latin1.txt"].startswith("file is not UTF-8 text")
    assert reasons["big.txt"].startswith("file is too large")
    assert reasons["broken.json"].startswith("invalid JSON")
    assert reasons["feed.jsonl:2"].startswith("invalid JSON")
    assert reasons["feed.jsonl:3"].startswith("record has no article text")
    assert reasons["missing"] == "no such file or folder"
    assert not report.ok
    assert sorted(Path(o).name for o in report.added) == sorted([good.name, "feed.jsonl:1"])


def test_ctrl_c_mid_ingest_then_rerun_completes(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    long_body = " ".join(f"Sentence {i} of a long report on the harbour budget." for i in range(40))
    for number in range(12):
        write_record(inputs, f"{number:02d}.json", number, body=f"Report {number}. {long_body}")
    settings.embedder.batch_size = 4  # several write batches
    store = Newsroom(settings, embedder=embedder).store
    with pytest.raises(KeyboardInterrupt):
        Newsroom(settings, embedder=CountingEmbedder(embedder, interrupt_on_call=3), store=store).ingest([inputs])
    partial = consistent(store)
    assert 0 < partial["articles"] < 12
    rerun = Newsroom(settings, embedder=embedder, store=store).ingest([inputs])
    assert len(rerun.unchanged) == partial["articles"]
    assert consistent(store)["articles"] == 12


def indexed_count(catalog_file: Path) -> int:
    """Articles marked indexed so far by another process; 0 before its catalog has a schema."""
    if not catalog_file.exists():
        return 0
    with closing(sqlite3.connect(catalog_file)) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles WHERE status='indexed'").fetchone()[0])
        except sqlite3.OperationalError:  # the file exists, its tables are not created yet
            return 0


def test_killed_process_leaves_no_half_article_and_rerun_completes(tmp_path: Path, settings: Settings) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    long_body = " ".join(f"Sentence {i} about the flood barrier and its repairs." for i in range(60))
    for number in range(40):
        write_record(inputs, f"{number:02d}.json", number, body=f"Report {number}. {long_body}")
    env = dict(os.environ, BRIEFING_STORE__PATH=str(settings.store.path), BRIEFING_EMBEDDER__BATCH_SIZE="4")
    process = subprocess.Popen([sys.executable, "-m", "briefing", "ingest", str(inputs)], env=env)
    catalog_file = settings.store.path / "catalog.sqlite3"
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if indexed_count(catalog_file):
                break
            time.sleep(0.05)
        assert process.poll() is None, "ingest finished before it could be interrupted"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    from briefing.providers.local_embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    store = Newsroom(settings, embedder=embedder).store
    interrupted = store.catalog.counts()
    assert interrupted["articles"] < 40
    rerun = Newsroom(settings, embedder=embedder, store=store).ingest([inputs])
    assert rerun.ok
    assert len(rerun.unchanged) == interrupted["articles"]
    assert consistent(store)["articles"] == 40


def test_seed_format_fixture_ingests(settings: Settings, embedder: Embedder) -> None:
    report = Newsroom(settings, embedder=embedder).ingest([FIXTURES / "scraped_page.txt"])
    assert len(report.added) == 1
    store = Newsroom(settings, embedder=embedder).store
    (article,) = store.catalog.all_indexed()
    assert article.source == "lakesidepost.example"
    hits = store.dense_search(embedder.embed(["ferry subsidy vote"])[0], limit=3)
    assert hits
    assert all(article.body[h.chunk.start : h.chunk.end] == h.chunk.text for h in hits)


DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "realtimeqa-2025"


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="shared development corpus not present")
def test_development_corpus_loads_as_it_is() -> None:
    from briefing.ingest.files import read_articles

    week = DEV_CORPUS / "20250103_gcs.jsonl.gz"
    items = list(read_articles([week], max_bytes=50_000_000))
    articles = [i for i in items if not isinstance(i, Exception)]
    failures = [i for i in items if isinstance(i, Exception)]
    assert len(articles) > 50
    assert all(f.reason.startswith("record has no article text") for f in failures)
    assert sum(a.published is not None for a in articles) > len(articles) * 0.8
    assert all(a.url and a.title and a.body for a in articles)


class _OtherProcessFirst:
    """An embedder that, before its first batch, lets another process store its own copy of the same text: the
    moment between this ingest's check for copies and its write."""

    def __init__(self, inner: Embedder, meanwhile: Newsroom, copy: Path) -> None:
        self._inner, self._meanwhile, self._copy = inner, meanwhile, copy
        self.name = inner.name

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if self._copy.exists():
            assert self._meanwhile.ingest([self._copy]).added
            self._copy.unlink()
        return self._inner.embed(texts)


def test_a_copy_another_process_stored_meanwhile_is_a_duplicate(
    tmp_path: Path, settings: Settings, embedder: Embedder
) -> None:
    body = "The ferry company cut its winter timetable to two crossings a day after fuel costs rose. " * 4
    (tmp_path / "ours.json").write_text(json.dumps({"title": "Ferry cuts", "body": body, "url": "https://a.example/1"}))
    theirs = tmp_path / "theirs" / "copy.json"
    theirs.parent.mkdir()
    theirs.write_text(json.dumps({"title": "Ferry cuts", "body": body, "url": "https://b.example/9"}))
    other = Newsroom(settings, embedder=embedder)  # another process on the same store
    racing = _OtherProcessFirst(embedder, other, theirs)
    report = Newsroom(settings, embedder=racing, store=ArticleStore(settings.store, embedder.name)).ingest(
        [tmp_path / "ours.json"]
    )
    assert report.added == []
    assert [origin for origin, _ in report.duplicates] == [str(tmp_path / "ours.json")]
    assert report.chunks == 0
    catalog = other.store.catalog
    assert [a.url for a in catalog.all_indexed()] == ["https://b.example/9"]
    assert other.store.chunk_count() == catalog.indexed_chunk_count()
    assert other.doctor().healthy
