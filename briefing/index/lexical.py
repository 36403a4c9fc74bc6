"""BM25 over chunk texts (bm25s), derived from the catalog and persisted beside the vector store.

The index is a cache of the catalog, in shards: one per month of publication (and one for undated articles). Each
shard records the generation of its month it was built from and is rebuilt (atomically, into a fresh folder) when an
ingest or a delete changed that month, so it can never drift, and a day's ingest rebuilds that month alone, not
the whole library. A search reads the shards its dates allow and merges their results by score (each shard weighs
words by its own month's counts: a word rare in a month counts as rare there).
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


@dataclass
class _Shard:
    """One month's index: its rows, their days and outlets (to filter), and the generation it was built from."""

    generation: int
    bm25: bm25s.BM25 | None
    rows: list[LexicalRow]
    days: np.ndarray
    sources: np.ndarray

    @classmethod
    def of(cls, generation: int, bm25: bm25s.BM25 | None, rows: list[LexicalRow]) -> _Shard:
        days = np.array([r.day for r in rows], dtype=np.int64)
        return cls(generation, bm25, rows, days, np.array([r.source for r in rows], dtype=object))

    def search(
        self, words: list[str], limit: int, since_day: int, until_day: int, sources: tuple[str, ...]
    ) -> list[tuple[LexicalRow, float]]:
        if self.bm25 is None or not self.rows:
            return []
        known = [w for w in words if w in self.bm25.vocab_dict]
        if not known:
            return []
        # get_scores and a partial sort: bm25s's retrieve() costs ~0.6 ms of fixed work a call, paid once per shard.
        scores = self.bm25.get_scores(known)
        if since_day or until_day or sources:
            keep = self.days >= max(since_day, 1) if since_day or until_day else np.ones(len(self.rows), bool)
            if until_day:
                keep &= self.days <= until_day
            if sources:
                keep &= np.isin(self.sources, list(sources))
            scores = np.where(keep, scores, 0.0)
        count = min(limit, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.rows[int(i)], float(scores[i])) for i in best if scores[i] > 0]


class LexicalIndex:
    """A BM25 index of every indexed chunk, in monthly shards; thread-safe, each shard rebuilt lazily when stale."""

    def __init__(self, folder: Path, catalog: Catalog) -> None:
        self._folder = folder
        self._catalog = catalog
        self._lock = threading.Lock()
        self._generation = -1
        self._shards: dict[int, _Shard] = {}

    def search(
        self, query: str, limit: int, since_day: int = 0, until_day: int = 0, sources: tuple[str, ...] = ()
    ) -> list[tuple[LexicalRow, float]]:
        """The best chunks for the query among those published in [since_day, until_day] by these sources."""
        self._ensure_fresh()
        words = tokenize([query])[0]
        found: list[tuple[LexicalRow, float]] = []
        for shard, part in list(self._shards.items()):
            if _outside(shard, since_day, until_day):
                continue
            found += part.search(words, limit, since_day, until_day, sources)
        return sorted(found, key=lambda hit: -hit[1])[:limit]

    def _ensure_fresh(self) -> None:
        generation = self._catalog.generation()
        if generation == self._generation:
            return
        with self._lock:
            if generation == self._generation:
                return
            wanted = self._catalog.shard_generations()
            for gone in set(self._shards) - set(wanted):
                del self._shards[gone]
                shutil.rmtree(self._folder / str(gone), ignore_errors=True)
            for shard, shard_generation in wanted.items():
                held = self._shards.get(shard)
                if held is None or held.generation != shard_generation:
                    self._shards[shard] = self._load(shard, shard_generation) or self._build(shard, shard_generation)
            self._generation = generation

    def problem(self) -> str | None:
        """What is wrong with the index on disk (a shard unreadable, or not matching the catalog it was built from),
        or None. Missing or out of date is not a problem: it is built on the next search."""
        counts = self._catalog.shard_chunk_counts()
        for shard, generation in sorted(self._catalog.shard_generations().items()):
            try:
                saved = _read_saved(self._folder / str(shard), generation)
            except (OSError, ValueError, KeyError, TypeError) as error:
                return f"unreadable ({type(error).__name__}: {error}) in the shard {shard}"[:200]
            if saved is None:
                continue
            rows, bm25 = saved
            if len(rows) != counts.get(shard, 0):
                return f"{len(rows)} rows for the catalog's {counts.get(shard, 0)} chunks in the shard {shard}"
            if rows and (bm25 is None or len(bm25.vocab_dict) == 0):
                return f"the word index of the shard {shard} is empty"
        return None

    def rebuild(self) -> None:
        """Build every shard from the catalog again, whatever is on disk."""
        with self._lock:
            generation = self._catalog.generation()
            shutil.rmtree(self._folder, ignore_errors=True)
            self._shards = {
                shard: self._build(shard, shard_generation)
                for shard, shard_generation in self._catalog.shard_generations().items()
            }
            self._generation = generation

    def _load(self, shard: int, generation: int) -> _Shard | None:
        """The shard on disk when it is of this generation; None when it is missing, stale or unreadable (a
        truncated or corrupted file is rebuilt, never an error)."""
        try:
            saved = _read_saved(self._folder / str(shard), generation)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return _Shard.of(generation, saved[1], saved[0]) if saved is not None else None

    def _build(self, shard: int, generation: int) -> _Shard:
        rows: list[LexicalRow] = []
        texts: list[str] = []
        for article, spans in self._catalog.indexed_chunks(shard):
            day = day_number(article.published_day) or 0
            for index, (start, end) in enumerate(spans):
                rows.append(LexicalRow(article.id, index, start, end, day, article.source))
                texts.append(f"{article.title}\n{article.body[start:end]}")
        bm25 = None
        if (self._folder / "rows.json").exists():  # an index from before the shards: replaced by them
            shutil.rmtree(self._folder, ignore_errors=True)
        folder = self._folder / str(shard)
        fresh = folder.with_name(folder.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        if texts:
            bm25 = bm25s.BM25()
            bm25.index(tokenize(texts), show_progress=False)
            bm25.save(str(fresh), show_progress=False)
        saved = {"generation": generation, "rows": [list(vars(r).values()) for r in rows]}
        (fresh / "rows.json").write_text(json.dumps(saved))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        return _Shard.of(generation, bm25, rows)


def _outside(shard: int, since_day: int, until_day: int) -> bool:
    """True when no day of the shard's month (YYYYMM; 0 holds the undated) lies in [since_day, until_day]."""
    if shard == 0:
        return bool(since_day or until_day)  # undated articles are left out by any date bound
    return (bool(since_day) and shard * 100 + 99 < since_day) or (bool(until_day) and shard * 100 > until_day)


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
