"""The article catalog: full cleaned articles and their indexing state, in SQLite beside the vector store.

An article is `pending` from the moment its chunks start to change until they are all written; only
`indexed` articles are ever shown. A crash leaves at most some articles pending, and the next ingest redoes them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from briefing.errors import StoreUnavailableError
from briefing.ingest.articles import Article
from briefing.ingest.near_copies import band_keys

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'indexed')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published TEXT,
    published_day INTEGER,
    authors TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    origin TEXT NOT NULL,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    chunk_spans TEXT NOT NULL DEFAULT '[]',
    signature TEXT NOT NULL DEFAULT '[]',
    story_id TEXT
);
CREATE TABLE IF NOT EXISTS bands (key TEXT NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_key ON bands (key);
CREATE INDEX IF NOT EXISTS bands_article ON bands (article_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('generation', 0);
CREATE TABLE IF NOT EXISTS embedder (one INTEGER PRIMARY KEY CHECK (one = 1), name TEXT NOT NULL, dimension INTEGER);
CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles (fingerprint);
CREATE INDEX IF NOT EXISTS articles_day ON articles (published_day);
"""


_ADDED_COLUMNS = {
    "chunk_spans": "TEXT NOT NULL DEFAULT '[]'",
    "signature": "TEXT NOT NULL DEFAULT '[]'",
    "story_id": "TEXT",
}


@dataclass(frozen=True)
class Entry:
    """An article about to be indexed: its content hash, the story it belongs to, and its MinHash signature."""

    article: Article
    content_hash: str
    story_id: str
    signature: list[int]


def day_number(day: date | None) -> int | None:
    """20261125 for 2026-11-25: a sortable integer that Chroma can filter on."""
    return day.year * 10000 + day.month * 100 + day.day if day else None


class Catalog:
    """SQLite table of articles; every method is one transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:  # truncated or overwritten: say so, and touch nothing
            self._db.close()
            raise StoreUnavailableError(
                f"The article catalog {path} is damaged ({exc}): restore it from a backup, or move it away and "
                "ingest the articles again."
            ) from exc
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        for column, kind in _ADDED_COLUMNS.items():
            if column not in columns:  # a store from an earlier version; re-ingest fills the column
                self._db.execute(f"ALTER TABLE articles ADD COLUMN {column} {kind}")
        self._db.execute("CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id)")

    def close(self) -> None:
        """Release the database file."""
        self._db.close()

    def state(self, article_id: str) -> tuple[str, str] | None:
        """(content_hash, status) of a stored article, or None."""
        row = self._db.execute("SELECT content_hash, status FROM articles WHERE id = ?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def id_with_fingerprint(self, fingerprint: str, other_than: str) -> str | None:
        """The id of another stored article with the same normalised body, if any."""
        row = self._db.execute(
            "SELECT id FROM articles WHERE fingerprint = ? AND id != ? LIMIT 1", (fingerprint, other_than)
        ).fetchone()
        return row[0] if row else None

    def mark_pending(self, entries: Sequence[Entry]) -> None:
        """Record articles as about to be (re)indexed, with their story and near-copy keys."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO articles (id, fingerprint, content_hash, status, title, body, published, "
                "published_day, authors, source, url, origin, signature, story_id) "
                "VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.article.id,
                        e.article.fingerprint,
                        e.content_hash,
                        e.article.title,
                        e.article.body,
                        e.article.published.isoformat() if e.article.published else None,
                        day_number(e.article.published_day),
                        json.dumps(list(e.article.authors)),
                        e.article.source,
                        e.article.url,
                        e.article.origin,
                        json.dumps(e.signature),
                        e.story_id,
                    )
                    for e in entries
                ],
            )
            self._db.executemany("DELETE FROM bands WHERE article_id = ?", [(e.article.id,) for e in entries])
            self._db.executemany(
                "INSERT INTO bands VALUES (?, ?)",
                [(key, e.article.id) for e in entries for key in band_keys(e.signature)],
            )

    def copy_candidates(self, keys: Sequence[str], other_than: str) -> list[tuple[str, list[int]]]:
        """(story id, signature) of stored articles sharing a near-copy key with these keys."""
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT DISTINCT a.id, COALESCE(a.story_id, a.id), a.signature FROM bands b JOIN articles a "
            f"ON a.id = b.article_id WHERE b.key IN ({marks}) AND a.id != ?",
            [*keys, other_than],
        )
        return [(story, json.loads(sig)) for _, story, sig in rows]

    def stories(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The story id of each of these articles (its own id when it has no copies)."""
        ids, marks = _distinct_with_marks(article_ids)
        if not ids:
            return {}
        rows = self._db.execute(f"SELECT id, COALESCE(story_id, id) FROM articles WHERE id IN ({marks})", ids)
        return dict(rows.fetchall())

    def story_outlets(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """The outlets of the stored articles of each story (a story id is the id of its first article)."""
        ids, marks = _distinct_with_marks(story_ids)
        if not ids:
            return {}
        rows = self._db.execute(
            f"SELECT COALESCE(story_id, id), source FROM articles WHERE status = 'indexed' "
            f"AND (story_id IN ({marks}) OR id IN ({marks})) ORDER BY published",
            [*ids, *ids],
        )
        outlets: dict[str, list[str]] = {}
        for story, source in rows.fetchall():
            if source not in outlets.setdefault(story, []):
                outlets[story].append(source)
        return outlets

    def mark_indexed(self, chunk_spans: dict[str, list[tuple[int, int]]]) -> None:
        """Record that all chunks of these articles, with these (start, end) spans, are stored."""
        with self._transaction():
            self._db.executemany(
                "UPDATE articles SET status = 'indexed', chunk_count = ?, chunk_spans = ? WHERE id = ?",
                [(len(spans), json.dumps(spans), article_id) for article_id, spans in chunk_spans.items()],
            )
            self._bump_generation()

    def generation(self) -> int:
        """A number that changes whenever the set of indexed chunks changes."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def _bump_generation(self) -> None:
        self._db.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")

    def built_with(self) -> tuple[str, int | None] | None:
        """The embedder (name, vector dimension) the stored vectors come from; None for a store that has none yet.
        The dimension is None until the first vectors are written."""
        row = self._db.execute("SELECT name, dimension FROM embedder").fetchone()
        return (str(row[0]), None if row[1] is None else int(row[1])) if row else None

    def record_embedder(self, name: str, dimension: int | None) -> None:
        """Record the embedder the stored vectors come from."""
        self._db.execute("INSERT OR REPLACE INTO embedder VALUES (1, ?, ?)", (name, dimension))

    def start_over(self, embedder: str) -> list[str]:
        """Every article made pending, to be embedded again by `embedder` (recorded, its dimension not yet known):
        one transaction; returns their ids."""
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO embedder VALUES (1, ?, NULL)", (embedder,))
            self._db.execute("UPDATE articles SET status = 'pending'")
            self._bump_generation()
            return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY id")]

    def has_indexed(self) -> bool:
        """True when any article is indexed."""
        return bool(self._db.execute("SELECT EXISTS (SELECT 1 FROM articles WHERE status = 'indexed')").fetchone()[0])

    def indexed_chunks(self) -> Iterator[tuple[Article, list[tuple[int, int]]]]:
        """Every indexed article with its chunk spans, in a stable order."""
        rows = self._db.execute(
            "SELECT id, title, body, published, authors, source, url, origin, chunk_spans FROM articles "
            "WHERE status = 'indexed' ORDER BY id"
        )
        for row in rows:
            yield _article(row[:8]), [(start, end) for start, end in json.loads(row[8])]

    def entries(self, article_ids: Iterable[str]) -> list[Entry]:
        """The stored articles among these ids as they were queued for indexing (any status), to index again."""
        ids, marks = _distinct_with_marks(article_ids)
        if not ids:
            return []
        rows = self._db.execute(
            f"SELECT id, title, body, published, authors, source, url, origin, content_hash, "
            f"COALESCE(story_id, id), signature FROM articles WHERE id IN ({marks}) ORDER BY id",
            ids,
        )
        return [Entry(_article(row[:8]), row[8], row[9], json.loads(row[10] or "[]")) for row in rows]

    def integrity_problems(self) -> list[str]:
        """What SQLite's own check finds wrong with the database file (empty when sound)."""
        found = [str(row[0]) for row in self._db.execute("PRAGMA integrity_check")]
        return [] if found == ["ok"] else found

    def pending_ids(self) -> list[str]:
        """Articles whose indexing was interrupted."""
        return [row[0] for row in self._db.execute("SELECT id FROM articles WHERE status = 'pending'")]

    def delete(self, article_ids: Iterable[str]) -> None:
        """Forget articles."""
        with self._transaction():
            ids = [(i,) for i in article_ids]
            self._db.executemany("DELETE FROM articles WHERE id = ?", ids)
            self._db.executemany("DELETE FROM bands WHERE article_id = ?", ids)
            self._bump_generation()

    def indexed(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The indexed articles among these ids."""
        ids, marks = _distinct_with_marks(article_ids)
        if not ids:
            return {}
        rows = self._db.execute(
            f"SELECT id, title, body, published, authors, source, url, origin FROM articles "
            f"WHERE status = 'indexed' AND id IN ({marks})",
            ids,
        )
        return {row[0]: _article(row) for row in rows}

    def all_indexed(self) -> list[Article]:
        """Every indexed article, newest first."""
        rows = self._db.execute(
            "SELECT id, title, body, published, authors, source, url, origin FROM articles "
            "WHERE status = 'indexed' ORDER BY published_day DESC, published DESC, title"
        )
        return [_article(row) for row in rows]

    def published_between(self, low: int, high: int) -> list[tuple[Article, str]]:
        """Indexed articles with day numbers low..high (YYYYMMDD, inclusive) and their story ids, oldest first."""
        rows = self._db.execute(
            "SELECT id, title, body, published, authors, source, url, origin, COALESCE(story_id, id) FROM articles "
            "WHERE status = 'indexed' AND published_day BETWEEN ? AND ? ORDER BY published, id",
            (low, high),
        )
        return [(_article(row[:8]), row[8]) for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of articles by status, and chunks stored."""
        indexed, pending, chunks = self._db.execute(
            "SELECT COALESCE(SUM(status = 'indexed'), 0), COALESCE(SUM(status = 'pending'), 0), "
            "COALESCE(SUM(chunk_count), 0) FROM articles"
        ).fetchone()
        return {"articles": int(indexed), "pending": int(pending), "chunks": int(chunks)}

    def indexed_chunk_count(self) -> int:
        """Chunks of the indexed articles (what the vector store and the BM25 index should hold)."""
        row = self._db.execute("SELECT COALESCE(SUM(chunk_count), 0) FROM articles WHERE status = 'indexed'")
        return int(row.fetchone()[0])

    def sources(self) -> list[str]:
        """Outlets of the indexed articles, sorted."""
        rows = self._db.execute("SELECT DISTINCT source FROM articles WHERE status = 'indexed' ORDER BY source")
        return [row[0] for row in rows]

    def url_sources(self) -> list[tuple[str | None, str]]:
        """(url, source) of the stored articles that have a URL."""
        return list(self._db.execute("SELECT url, source FROM articles WHERE url IS NOT NULL"))

    def stored_urls(self) -> list[str]:
        """The URLs of the stored articles (a feed does not fetch them again)."""
        return [url for url, _ in self.url_sources() if url]

    def day_range(self) -> tuple[date, date] | None:
        """First and last publication day among indexed, dated articles."""
        low, high = self._db.execute(
            "SELECT MIN(published_day), MAX(published_day) FROM articles WHERE status = 'indexed' AND published_day > 0"
        ).fetchone()
        return (_from_day_number(low), _from_day_number(high)) if low else None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Commit on success, roll back on any exception (Ctrl-C included)."""
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _distinct_with_marks(ids: Iterable[str]) -> tuple[list[str], str]:
    """The ids without repeats, and the "?,?,?" placeholders of an SQL `IN (...)` for them."""
    distinct = list(dict.fromkeys(ids))
    return distinct, ",".join("?" * len(distinct))


def _from_day_number(number: int) -> date:
    return date(number // 10000, number // 100 % 100, number % 100)


def _article(row: tuple[str, str, str, str | None, str, str, str | None, str]) -> Article:
    article_id, title, body, published, authors, source, url, origin = row
    when: date | datetime | None = None
    if published:
        when = date.fromisoformat(published) if len(published) == 10 else datetime.fromisoformat(published)
    return Article(
        id=article_id,
        title=title,
        body=body,
        published=when,
        authors=tuple(json.loads(authors)),
        source=source,
        url=url,
        origin=origin,
    )
