"""`briefing doctor`: the catalog, Chroma, the BM25 index and the summary cache checked against each other, each kind
of damage found, repaired, and the store answering again; a damaged catalog is one clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing import Newsroom, Settings
from briefing.cli import app
from briefing.providers import Embedder
from briefing.settings import StoreSettings

STORIES = {
    "ferry": (
        "Kestrel Bay ferry returns",
        "The Kestrel Bay ferry returned to service on Monday after a month of repairs.",
    ),
    "bridge": (
        "Sallow bridge reopens",
        "The Sallow bridge reopened to trams on Friday after a restoration of two years.",
    ),
    "market": (
        "Night market opens",
        "The night market in Carrow opened on Saturday with eighty stalls and a brass band.",
    ),
}


@pytest.fixture
def room(tmp_path: Path, embedder: Embedder) -> Newsroom:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (title, body) in STORIES.items():
        (folder / f"{name}.json").write_text(
            json.dumps({"title": title, "body": body, "url": f"https://x.example/{name}"})
        )
    newsroom = Newsroom(Settings(store=StoreSettings(path=tmp_path / "store")), embedder=embedder)
    assert len(newsroom.ingest([folder]).added) == 3
    return newsroom


def _id(room: Newsroom, title: str) -> str:
    return next(a.id for a in room.store.catalog.all_indexed() if a.title == title)


def _problems(room: Newsroom) -> dict[str, str]:
    return {f.check: f.detail for f in room.doctor().findings if not f.ok}


def test_a_sound_store_is_healthy(room: Newsroom) -> None:
    report = room.doctor()
    assert report.healthy, report.findings
    assert report.counts == {"articles": 3, "pending": 0, "catalog_chunks": 3, "vector_chunks": 3}


def test_missing_chunks_are_embedded_again(room: Newsroom) -> None:
    ferry = _id(room, STORIES["ferry"][0])
    room.store.drop_chunks([ferry])  # Chroma lost them; the catalog still has the article
    assert _problems(room) == {
        "missing chunks": f"1 article(s) whose chunks are missing or differ from the catalog's: {ferry}"
    }
    assert room.doctor(repair=True).healthy
    assert room.doctor().healthy
    assert any(h.article.id == ferry for h in room.store.dense_search(room.embedder.embed(["ferry repairs"])[0], 3))


def test_orphan_chunks_are_dropped(room: Newsroom) -> None:
    market = _id(room, STORIES["market"][0])
    room.store.catalog.delete([market])  # the catalog forgot it; Chroma did not
    assert "orphan chunks" in _problems(room)
    assert room.doctor(repair=True).healthy
    assert room.store.chunk_count() == 2


def test_an_interrupted_article_is_indexed_again(room: Newsroom) -> None:
    bridge = _id(room, STORIES["bridge"][0])
    room.store.catalog.mark_pending(room.store.catalog.entries([bridge]))  # as a crash mid-write leaves it
    room.store.drop_chunks([bridge])
    assert "interrupted" in _problems(room)
    assert room.doctor(repair=True).healthy
    assert bridge in {a.id for a in room.store.catalog.all_indexed()}


def test_a_corrupted_bm25_index_is_rebuilt_and_search_never_fails(room: Newsroom) -> None:
    room.store.lexical_search("ferry", 3)  # built and saved
    rows = next(room.settings.store.path.glob("bm25__*/*/rows.json"))  # a month's shard
    rows.write_text(rows.read_text()[:40])  # truncated
    assert _problems(room)["bm25 index"].startswith("unreadable (JSONDecodeError")
    fresh = Newsroom(room.settings, embedder=room.embedder)  # a new process: loads from disk
    assert fresh.store.lexical_search("ferry", 3)  # rebuilt, not an error
    rows.write_text("{}")
    assert room.doctor(repair=True).healthy


def test_unreadable_cached_summaries_are_removed(room: Newsroom) -> None:
    cache = room.settings.store.path / "summaries"
    cache.mkdir()
    (cache / "0123.json").write_text('{"points": [["cut sh')
    (cache / "4567.json").write_text('{"points": [], "unsupported": [], "checked": 0}')
    assert _problems(room) == {"summary cache": "1 cached summaries unreadable: 0123.json"}
    assert room.doctor(repair=True).healthy
    assert [p.name for p in cache.iterdir()] == ["4567.json"]


def test_the_command_and_its_json(room: Newsroom) -> None:
    store = str(room.settings.store.path)
    room.store.drop_chunks([_id(room, STORIES["ferry"][0])])
    found = CliRunner().invoke(app, ["--data-dir", store, "doctor", "--json"])
    assert found.exit_code == 1
    data = json.loads(found.stdout)
    assert data["healthy"] is False
    assert {f["check"] for f in data["findings"] if not f["ok"]} == {"missing chunks"}
    assert "briefing doctor --repair" in CliRunner().invoke(app, ["--data-dir", store, "doctor"]).stderr
    assert CliRunner().invoke(app, ["--data-dir", store, "doctor", "--repair"]).exit_code == 0
    assert CliRunner().invoke(app, ["--data-dir", store, "doctor"]).exit_code == 0


def test_a_damaged_catalog_is_one_clear_message(room: Newsroom) -> None:
    catalog = room.settings.store.path / "catalog.sqlite3"
    room.store.catalog.close()
    for extra in catalog.parent.glob("catalog.sqlite3-*"):
        extra.unlink()
    catalog.write_bytes(b"SQLite format 3\x00" + b"\x07" * 200)  # a header, then garbage
    result = CliRunner().invoke(app, ["--data-dir", str(room.settings.store.path), "doctor"])
    assert result.exit_code == 2
    assert "is damaged" in result.stderr
    assert "Traceback" not in result.output
