"""Uploaded file names can never write outside the upload folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.ingest.uploads import MAX_NAME_CHARS, safe_file_name, save_upload


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("story.txt", "story.txt"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/feed.jsonl", "feed.jsonl"),
        ("..", "upload"),
        (".hidden.html", "hidden.html"),
        ("café <script>.html", "cafe _script_.html"),
        ("line\nbreak\x00.txt", "line_break_.txt"),
        ("", "upload"),
    ],
)
def test_names_are_reduced_to_plain_file_names(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_long_names_keep_their_extension() -> None:
    name = safe_file_name("a" * 500 + ".jsonl")
    assert len(name) <= MAX_NAME_CHARS
    assert name.endswith(".jsonl")


@given(st.text(max_size=300))
def test_any_name_stays_inside_the_folder(name: str) -> None:
    safe = safe_file_name(name)
    assert safe
    assert "/" not in safe
    assert "\\" not in safe
    assert safe not in {".", ".."}
    assert not safe.startswith(".")
    assert len(safe) <= MAX_NAME_CHARS


def test_uploads_are_saved_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    path = save_upload(folder, "../../outside.txt", b"text")
    assert path == (folder / "outside.txt").resolve()
    assert path.read_bytes() == b"text"
    assert not (tmp_path / "outside.txt").exists()
    save_upload(folder, "outside.txt", b"new")
    assert path.read_bytes() == b"new"
