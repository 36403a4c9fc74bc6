"""What people ask to ingest is sorted once, and read in batches: files, pages, then each feed (pure sorting)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest.inputs import Inputs, read_batches
from tests.conftest import free_port


@pytest.mark.parametrize(
    ("given", "paths", "pages"),
    [
        (["news/", "a.txt"], [Path("news"), Path("a.txt")], []),
        (["https://example.org/a.html", "b.json"], [Path("b.json")], ["https://example.org/a.html"]),
        (["http://example.org/x", Path("https-notes.txt")], [Path("https-notes.txt")], ["http://example.org/x"]),
        (["ftp://example.org/x"], [Path("ftp://example.org/x")], []),  # not fetched: read as a (missing) path
    ],
)
def test_inputs_are_sorted_into_paths_and_pages(given: list[str | Path], paths: list[Path], pages: list[str]) -> None:
    sorted_inputs = Inputs.sort(given, feeds=["https://example.org/rss.xml"])
    assert (sorted_inputs.paths, sorted_inputs.pages) == (paths, pages)
    assert sorted_inputs.feeds == ["https://example.org/rss.xml"]


def test_nothing_to_ingest_is_falsy() -> None:
    assert not Inputs.sort([])
    assert Inputs.sort([], feeds=["https://example.org/rss.xml"])


def test_each_feed_asks_for_the_stored_urls_only_when_its_turn_comes(tmp_path: Path) -> None:
    asked: list[int] = []

    def stored_urls() -> list[str]:
        asked.append(len(asked))
        return []

    dead = f"http://127.0.0.1:{free_port()}"
    inputs = Inputs.sort([tmp_path / "missing.txt"], feeds=[f"{dead}/one.xml", f"{dead}/two.xml"])
    batches = read_batches(inputs, max_bytes=1_000_000, stored_urls=stored_urls)
    files = list(next(batches))
    assert [type(item) for item in files] == [InputError]  # the missing file, named
    assert asked == []
    first_feed = list(next(batches))
    assert len(asked) == 1  # after the files were indexed, before the first feed
    assert isinstance(first_feed[0], InputError)
    assert "one.xml" in str(first_feed[0])
    list(next(batches))
    assert len(asked) == 2
    assert next(batches, None) is None
