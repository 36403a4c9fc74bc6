"""BM25 over chunk texts (bm25s), derived from the catalog and persisted beside the vector store.

The index is a cache of the catalog: it records the catalog generation it was built from and is rebuilt
(atomically, into a fresh folder) whenever ingest or delete moved the catalog on, so it can never drift.
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from briefing.index.catalog import Catalog, day_number

_STEMMER = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class LexicalRow:
    """What the index knows of one chunk, to filter and to return it."""

    article_id: str
    index: int
    start: int
    end: int
    day: int
    source: str


# Words, and numbers kept whole with their separators ("7-4", "2,100", "3.75").
_TOKEN = r"(?u)\b\w+(?:[.,'’-]\w+)*\b"


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lowercased, stemmed words and whole numbers, without English stopwords."""
    tokens = bm25s.tokenize(
        texts, token_pattern=_TOKEN, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return [list(t) for t in tokens]


class LexicalIndex:
    """A BM25 index of every indexed chunk; thread-safe, rebuilt lazily when stale."""

    def __init__(self, folder: Path, catalog: Catalog) -> None:
        self._folder = folder
        self._catalog = catalog
        self._lock = threading.Lock()
        self._generation = -1
        self._bm25: bm25s.BM25 | None = None
        self._rows: list[LexicalRow] = []
        self._days = np.zeros(0, dtype=np.int64)
        self._sources = np.zeros(0, dtype=object)

    def search(
        self, query: str, limit: int, since_day: int = 0, until_day: int = 0, sources: tuple[str, ...] = ()
    ) -> list[tuple[LexicalRow, float]]:
        """The best chunks for the query among those published in [since_day, until_day] by these sources."""
        self._ensure_fresh()
        if self._bm25 is None or not self._rows:
            return []
        allowed = None
        if since_day or until_day or sources:
            keep = self._days >= max(since_day, 1) if since_day or until_day else np.ones(len(self._rows), bool)
            if until_day:
                keep &= self._days <= until_day
            if sources:
                keep &= np.isin(self._sources, list(sources))
            allowed = keep.astype(np.float32)
        vocabulary = self._bm25.vocab_dict
        words = [w for w in tokenize([query])[0] if w in vocabulary]
        if not words:
            return []
        found, scores = self._bm25.retrieve(
            [words], k=min(limit, len(self._rows)), show_progress=False, n_threads=1, weight_mask=allowed
        )
        return [(self._rows[int(i)], float(s)) for i, s in zip(found[0], scores[0], strict=True) if s > 0]

    def _ensure_fresh(self) -> None:
        generation = self._catalog.generation()
        if generation == self._generation:
            return
        with self._lock:
            if generation == self._generation:
                return
            if not self._load(generation):
                self._build(generation)

    def problem(self) -> str | None:
        """What is wrong with the index on disk (unreadable, or not matching the catalog it was built from), or
        None. Missing or out of date is not a problem: it is built on the next search."""
        try:
            saved = _read_saved(self._folder, self._catalog.generation())
        except (OSError, ValueError, KeyError, TypeError) as error:
            return f"unreadable ({type(error).__name__}: {error})"[:200]
        if saved is None:
            return None
        rows, bm25 = saved
        expected = self._catalog.indexed_chunk_count()
        if len(rows) != expected:
            return f"{len(rows)} rows for the catalog's {expected} chunks"
        if rows and (bm25 is None or len(bm25.vocab_dict) == 0):
            return "its word index is empty"
        return None

    def rebuild(self) -> None:
        """Build the index from the catalog again, whatever is on disk."""
        with self._lock:
            self._build(self._catalog.generation())

    def _load(self, generation: int) -> bool:
        """Use the index on disk when it is of this generation; False when it is missing, stale or unreadable
        (a truncated or corrupted file is rebuilt, never an error)."""
        try:
            saved = _read_saved(self._folder, generation)
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if saved is None:
            return False
        rows, bm25 = saved
        self._use(bm25, rows, generation)
        return True

    def _use(self, bm25: bm25s.BM25 | None, rows: list[LexicalRow], generation: int) -> None:
        self._days = np.array([r.day for r in rows], dtype=np.int64)
        self._sources = np.array([r.source for r in rows], dtype=object)
        self._bm25, self._rows, self._generation = bm25, rows, generation

    def _build(self, generation: int) -> None:
        rows: list[LexicalRow] = []
        texts: list[str] = []
        for article, spans in self._catalog.indexed_chunks():
            day = day_number(article.published_day) or 0
            for index, (start, end) in enumerate(spans):
                rows.append(LexicalRow(article.id, index, start, end, day, article.source))
                texts.append(f"{article.title}\n{article.body[start:end]}")
        bm25 = None
        fresh = self._folder.with_name(self._folder.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        if texts:
            bm25 = bm25s.BM25()
            bm25.index(tokenize(texts), show_progress=False)
            bm25.save(str(fresh), show_progress=False)
        saved = {"generation": generation, "rows": [list(vars(r).values()) for r in rows]}
        (fresh / "rows.json").write_text(json.dumps(saved))
        old = self._folder.with_name(self._folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self._folder.exists():
            self._folder.rename(old)
        fresh.rename(self._folder)
        shutil.rmtree(old, ignore_errors=True)
        self._use(bm25, rows, generation)


def _read_saved(folder: Path, generation: int) -> tuple[list[LexicalRow], bm25s.BM25 | None] | None:
    """(rows, index) as saved in the folder for this generation, or None when nothing is saved or it is of another
    generation (the index itself is then not read); raises on a damaged file."""
    stamp = folder / "rows.json"
    if not stamp.exists():
        return None
    saved = json.loads(stamp.read_text())
    if int(saved["generation"]) != generation:
        return None
    rows = [LexicalRow(*row) for row in saved["rows"]]
    bm25 = bm25s.BM25.load(str(folder), show_progress=False) if rows else None
    return rows, bm25
