"""Reading inputs from disk: files and folders of scraped text, HTML pages and JSON / JSON Lines records."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from briefing.errors import InputError
from briefing.ingest.articles import Article, article_from_record, nested_records, parse_scraped_text
from briefing.ingest.html_pages import parse_html_article

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

ArticleOrError = Article | InputError
_PIECE = 1 << 20
TOO_DEEP = "JSON nested too deeply to be an article record"


def expand_paths(paths: Sequence[Path]) -> Iterator[Path | InputError]:
    """Files named directly, and the article files found under folders (sorted, hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and _format_suffix(child) in KNOWN_SUFFIXES:
                    yield child
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), "no such file or folder")


def read_articles(
    paths: Sequence[Path], *, max_bytes: int, default_source: str | None = None
) -> Iterator[ArticleOrError]:
    """Every article in the inputs, or an error naming the input and the reason; one bad input stops nothing."""
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            text = read_text(item, max_bytes=max_bytes)
        except InputError as error:
            yield error
            continue
        yield from parse_file_text(text, item, default_source)


def read_text(path: Path, *, max_bytes: int) -> str:
    """The file's text, decompressed when gzip, refused when empty, binary, undecodable or too large."""
    origin = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(origin, f"file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")
    data = _gunzipped(path, max_bytes) if path.suffix.lower() == ".gz" else path.read_bytes()
    if not data.strip():
        raise InputError(origin, "file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(origin, "file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(origin, f"file is not UTF-8 text (undecodable byte at offset {exc.start})") from exc


def _gunzipped(path: Path, max_bytes: int) -> bytes:
    """The decompressed file, read in pieces and refused as soon as it passes `max_bytes` (a small file can
    expand to gigabytes)."""
    pieces: list[bytes] = []
    size = 0
    try:
        with gzip.open(path, "rb") as stream:
            while piece := stream.read(min(_PIECE, max_bytes + 1 - size)):
                pieces.append(piece)
                size += len(piece)
                if size > max_bytes:
                    raise InputError(
                        str(path), f"decompresses to more than {max_bytes / 1e6:.1f} MB (the limit for a file)"
                    )
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(str(path), f"not a valid gzip file ({exc})") from exc
    return b"".join(pieces)


def _format_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def parse_file_text(text: str, path: Path, default_source: str | None = None) -> Iterator[ArticleOrError]:
    """Articles from one file's text, by its extension (or by its first character when unknown)."""
    origin = str(path)
    suffix = _format_suffix(path)
    head = text.lstrip()[:1]
    if suffix not in KNOWN_SUFFIXES:
        suffix = ".html" if head == "<" else ".json" if head in "[{" else ".txt"
    try:
        if suffix in HTML_SUFFIXES:
            yield parse_html_article(text, origin, default_source)
        elif suffix in TEXT_SUFFIXES:
            yield parse_scraped_text(text, origin, default_source)
        elif suffix in JSONL_SUFFIXES:
            yield from _json_lines(text, origin, default_source)
        else:
            yield from _json_document(text, origin, default_source)
    except InputError as error:
        yield error
    except RecursionError:  # deeply nested records or markup
        yield InputError(origin, TOO_DEEP if suffix not in HTML_SUFFIXES else "HTML nested too deeply to read")


def _json_lines(text: str, origin: str, default_source: str | None) -> Iterator[ArticleOrError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield InputError(where, TOO_DEEP)
            continue
        yield from _records(record, where, default_source)


def _json_document(text: str, origin: str, default_source: str | None) -> Iterator[ArticleOrError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError:
        raise InputError(origin, TOO_DEEP) from None
    if isinstance(document, list):
        for index, record in enumerate(document):
            yield from _records(record, f"{origin}[{index}]", default_source)
    else:
        yield from _records(document, origin, default_source)


def _records(record: Any, origin: str, default_source: str | None) -> Iterator[ArticleOrError]:
    if not isinstance(record, Mapping):
        yield InputError(origin, f"expected a JSON object, found {type(record).__name__}")
        return
    inner = nested_records(record)
    if inner is None:
        try:
            yield article_from_record(record, origin, default_source)
        except InputError as error:
            yield error
        return
    for index, item in enumerate(inner):
        yield from _records(item, f"{origin}#{index}", default_source)
