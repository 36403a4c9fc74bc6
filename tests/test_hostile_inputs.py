"""Hostile files: deep nesting, decompression bombs, giant pages and unreadable dates each get one clear message;
the rest of the batch is stored and nothing is half-written."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from briefing import Newsroom, Settings
from briefing.errors import InputError
from briefing.ingest.files import read_articles, read_text
from briefing.ingest.html_pages import MAX_HTML_CHARS, parse_html_article
from briefing.providers import Embedder
from briefing.settings import IngestSettings, StoreSettings

MB = 1_000_000


def _zeros_bomb(path: Path, expanded_mb: int) -> None:
    """A gzip file of `expanded_mb` MB of zeros in about a thousandth of that: one compressed megabyte of zeros,
    repeated as gzip members (a reader must take all members)."""
    member = gzip.compress(bytes(MB), compresslevel=9)
    with path.open("wb") as out:
        for _ in range(expanded_mb):
            out.write(member)


def test_a_gzip_bomb_is_refused_while_it_is_read_with_little_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "zeros.jsonl.gz"
    _zeros_bomb(bomb, 1000)  # 1 GB of zeros
    assert bomb.stat().st_size < 2 * MB
    tracemalloc.start()
    with pytest.raises(InputError) as caught:
        read_text(bomb, max_bytes=50 * MB)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert caught.value.reason == "decompresses to more than 50.0 MB (the limit for a file)"
    assert peak < 120 * MB  # the limit, plus pieces; not the gigabyte


def test_a_gzip_of_valid_records_past_the_limit_stores_nothing(tmp_path: Path, embedder: Embedder) -> None:
    record = {"title": "Ferry timetable", "body": "The ferry leaves Kestrel Bay at seven every morning. " * 20}
    lines = "".join(json.dumps({**record, "url": f"https://x.example/{i}"}) + "\n" for i in range(400))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "records.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    settings = Settings(store=StoreSettings(path=tmp_path / "store"), ingest=IngestSettings(max_file_mb=0.2))
    assert len(lines) > 0.2 * MB
    report = Newsroom(settings, embedder=embedder).ingest([tmp_path / "in"])
    assert not report.added
    assert report.failures[0].reason.startswith("decompresses to more than 0.2 MB")


def test_a_broken_gzip_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"title": "x"}')[:-12])
    [error] = list(read_articles([broken], max_bytes=MB))
    assert isinstance(error, InputError)
    assert error.reason.startswith("not a valid gzip file")


def test_deep_nesting_is_one_error_and_the_folder_goes_on(tmp_path: Path, embedder: Embedder) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "brackets.json").write_text("[" * 100_000 + "]" * 100_000)
    (inputs / "objects.jsonl").write_text('{"a":' * 50_000 + "1" + "}" * 50_000 + "\n")
    (inputs / "divs.html").write_text("<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000)
    (inputs / "good.json").write_text(
        json.dumps(
            {
                "title": "Dockers vote",
                "body": "Dockers in Port Alder voted on Friday to accept the deal.",
                "url": "https://x.example/d",
            }
        )
    )
    report = Newsroom(Settings(store=StoreSettings(path=tmp_path / "store")), embedder=embedder).ingest([inputs])
    reasons = {Path(f.origin).name: f.reason for f in report.failures}
    assert reasons["brackets.json"] == "JSON nested too deeply to be an article record"
    assert reasons["objects.jsonl:1"] == "JSON nested too deeply to be an article record"
    assert "divs.html" in reasons
    assert [Path(origin).name for origin in report.added] == ["good.json"]


def test_a_giant_html_page_is_refused_before_parsing() -> None:
    page = "<html><body><p>" + "Harbour news. " * (MAX_HTML_CHARS // 14 + 10) + "</p></body></html>"
    with pytest.raises(InputError, match="HTML page is larger than 5 MB"):
        parse_html_article(page, "giant.html")


def test_an_unreadable_date_is_stored_undated_and_said(tmp_path: Path, embedder: Embedder) -> None:
    (tmp_path / "in").mkdir()
    record = {
        "title": "Night market",
        "body": "The night market in Carrow reopens on Friday with 80 stalls.",
        "published_at": "32/13/2026",
    }
    (tmp_path / "in" / "market.json").write_text(json.dumps(record))
    room = Newsroom(Settings(store=StoreSettings(path=tmp_path / "store")), embedder=embedder)
    report = room.ingest([tmp_path / "in"])
    assert len(report.added) == 1
    assert report.notes == [f"{tmp_path / 'in' / 'market.json'}: date '32/13/2026' not understood; stored as undated"]
    assert room.store.catalog.all_indexed()[0].published is None
