"""The article catalog: full cleaned articles and their indexing state, in SQLite beside the vector store, or in a
PostgreSQL database that several processes and machines share (with a Chroma server).

An article is `pending` from the moment its chunks start to change until they are all written; only
`indexed` articles are ever shown. A crash leaves at most some articles pending, and the next ingest redoes them.
The SQL is the part SQLite and PostgreSQL share (upserts with ON CONFLICT), run through SQLAlchemy.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from briefing.errors import StoreUnavailableError, redacted
from briefing.ingest.articles import Article
from briefing.ingest.near_copies import band_keys

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS articles (
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
)""",
    "CREATE TABLE IF NOT EXISTS bands (key TEXT NOT NULL, article_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS bands_key ON bands (key)",
    "CREATE INDEX IF NOT EXISTS bands_article ON bands (article_id)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO meta VALUES ('generation', 0) ON CONFLICT (key) DO NOTHING",
    "CREATE TABLE IF NOT EXISTS shards (shard INTEGER PRIMARY KEY, generation INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS embedder (one INTEGER PRIMARY KEY CHECK (one = 1), name TEXT NOT NULL, "
    "dimension INTEGER)",
    "CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles (fingerprint)",
    "CREATE INDEX IF NOT EXISTS articles_day ON articles (published_day)",
]


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
    """The table of articles, in SQLite (a file) or PostgreSQL (a URL); every method is one transaction."""

    def __init__(self, where: Path | str) -> None:
        """`where`: the SQLite file, or a database URL (postgresql+psycopg://user:password@host/database)."""
        if isinstance(where, Path):
            where.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{where}"
        else:
            url = where
        self.where = redacted(str(where))
        try:
            self._engine = sa.create_engine(url, connect_args=_connect_args(url), pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreUnavailableError(f"The catalog database URL {self.where} cannot be used: {exc}") from exc
        weakref.finalize(self, self._engine.dispose)  # pooled connections closed, not left to the collector
        self.shared = self._engine.dialect.name != "sqlite"
        try:
            with self._engine.begin() as db:
                if self.shared:  # two processes creating the tables at once would collide
                    db.execute(sa.text("SELECT pg_advisory_xact_lock(4242)"))
                else:
                    db.exec_driver_sql("PRAGMA journal_mode=WAL")
                for statement in _SCHEMA:
                    db.exec_driver_sql(statement)
                columns = {c["name"] for c in sa.inspect(db).get_columns("articles")}
                for column, kind in _ADDED_COLUMNS.items():
                    if column not in columns:  # a store from an earlier version; re-ingest fills the column
                        db.exec_driver_sql(f"ALTER TABLE articles ADD COLUMN {column} {kind}")
                db.exec_driver_sql("CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id)")
        except sa.exc.DBAPIError as exc:
            self._engine.dispose()
            if self.shared:
                raise StoreUnavailableError(
                    f"Cannot use the catalog database {self.where}: start it or fix BRIEFING_STORE__CATALOG_URL "
                    f"({type(exc.orig).__name__}: {str(exc.orig).strip().splitlines()[0][:200]})."
                ) from exc
            # truncated or overwritten: say so, and touch nothing
            raise StoreUnavailableError(
                f"The article catalog {where} is damaged ({exc.orig}): restore it from a backup, or move it away and "
                "ingest the articles again."
            ) from exc

    def close(self) -> None:
        """Release the database (file or connections)."""
        self._engine.dispose()

    def _rows(self, sql: str, params: Mapping[str, Any] | None = None, *expanding: str) -> list[Any]:
        """The rows of one query in its own transaction; `expanding` names the list parameters of `IN :name`."""
        with self._engine.begin() as db:
            return list(db.execute(_sql(sql, expanding), dict(params or {})).all())

    def state(self, article_id: str) -> tuple[str, str] | None:
        """(content_hash, status) of a stored article, or None."""
        rows = self._rows("SELECT content_hash, status FROM articles WHERE id = :id", {"id": article_id})
        return (rows[0][0], rows[0][1]) if rows else None

    def id_with_fingerprint(self, fingerprint: str, other_than: str) -> str | None:
        """The id of another stored article with the same normalised body, if any."""
        rows = self._rows(
            "SELECT id FROM articles WHERE fingerprint = :fingerprint AND id != :other LIMIT 1",
            {"fingerprint": fingerprint, "other": other_than},
        )
        return rows[0][0] if rows else None

    def mark_pending(self, entries: Sequence[Entry]) -> dict[str, str]:
        """Record articles as about to be (re)indexed, with their story and near-copy keys, except those whose body
        another stored article already has (another process may have stored it since the check at ingest): returns
        those, article id -> the other article's id. Processes sharing a database take turns here."""
        if not entries:
            return {}
        with self._transaction() as db:
            if self.shared:
                db.execute(sa.text("SELECT pg_advisory_xact_lock(4243)"))
            found = db.execute(
                _sql(
                    "SELECT fingerprint, id FROM articles WHERE fingerprint IN :prints AND id NOT IN :ids",
                    ["prints", "ids"],
                ),
                {"prints": list({e.article.fingerprint for e in entries}), "ids": _ids_of(entries)},
            )
            holder = {fingerprint: article_id for fingerprint, article_id in found}
            copies = {e.article.id: holder[e.article.fingerprint] for e in entries if e.article.fingerprint in holder}
            entries = [e for e in entries if e.article.id not in copies]
            if not entries:
                return copies
            _bump_shards(db, _ids_of(entries))  # the months the articles were in, if they move
            db.execute(
                sa.text(
                    f"INSERT INTO articles ({', '.join(_ENTRY_COLUMNS)}, status) "
                    f"VALUES ({', '.join(':' + c for c in _ENTRY_COLUMNS)}, 'pending') "
                    "ON CONFLICT (id) DO UPDATE SET status = 'pending', chunk_count = 0, chunk_spans = '[]', "
                    + ", ".join(f"{c} = excluded.{c}" for c in _ENTRY_COLUMNS if c != "id")
                ),
                [_entry_row(e) for e in sorted(entries, key=lambda e: e.article.id)],  # one lock order
            )
            db.execute(_sql("DELETE FROM bands WHERE article_id IN :ids", ["ids"]), {"ids": _ids_of(entries)})
            bands = [{"key": key, "id": e.article.id} for e in entries for key in band_keys(e.signature)]
            if bands:
                db.execute(sa.text("INSERT INTO bands VALUES (:key, :id)"), bands)
        return copies

    def copy_candidates(self, keys: Sequence[str], other_than: str) -> list[tuple[str, list[int]]]:
        """(story id, signature) of stored articles sharing a near-copy key with these keys."""
        if not keys:
            return []
        rows = self._rows(
            "SELECT DISTINCT a.id, COALESCE(a.story_id, a.id), a.signature FROM bands b JOIN articles a "
            "ON a.id = b.article_id WHERE b.key IN :keys AND a.id != :other",
            {"keys": list(keys), "other": other_than},
            "keys",
        )
        return [(story, json.loads(sig)) for _, story, sig in rows]

    def stories(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The story id of each of these articles (its own id when it has no copies)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        rows = self._rows("SELECT id, COALESCE(story_id, id) FROM articles WHERE id IN :ids", {"ids": ids}, "ids")
        return {row[0]: row[1] for row in rows}

    def story_outlets(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """The outlets of the stored articles of each story (a story id is the id of its first article)."""
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return {}
        rows = self._rows(
            "SELECT COALESCE(story_id, id), source FROM articles WHERE status = 'indexed' "
            "AND (story_id IN :ids OR id IN :ids) ORDER BY published",
            {"ids": ids},
            "ids",
        )
        outlets: dict[str, list[str]] = {}
        for story, source in rows:
            if source not in outlets.setdefault(story, []):
                outlets[story].append(source)
        return outlets

    def mark_indexed(self, chunk_spans: dict[str, list[tuple[int, int]]]) -> None:
        """Record that all chunks of these articles, with these (start, end) spans, are stored."""
        with self._transaction() as db:
            if chunk_spans:
                db.execute(
                    sa.text(
                        "UPDATE articles SET status = 'indexed', chunk_count = :count, chunk_spans = :spans "
                        "WHERE id = :id"
                    ),
                    [
                        {"count": len(spans), "spans": json.dumps(spans), "id": article_id}
                        for article_id, spans in chunk_spans.items()
                    ],
                )
                _bump_shards(db, list(chunk_spans))
            _bump_generation(db)

    def generation(self) -> int:
        """A number that changes whenever the set of indexed chunks changes."""
        return int(self._rows("SELECT value FROM meta WHERE key = 'generation'")[0][0])

    def built_with(self) -> tuple[str, int | None] | None:
        """The embedder (name, vector dimension) the stored vectors come from; None for a store that has none yet.
        The dimension is None until the first vectors are written."""
        rows = self._rows("SELECT name, dimension FROM embedder")
        return (str(rows[0][0]), None if rows[0][1] is None else int(rows[0][1])) if rows else None

    def record_embedder(self, name: str, dimension: int | None) -> None:
        """Record the embedder the stored vectors come from."""
        with self._transaction() as db:
            _record_embedder(db, name, dimension)

    def start_over(self, embedder: str) -> list[str]:
        """Every article made pending, to be embedded again by `embedder` (recorded, its dimension not yet known):
        one transaction; returns their ids."""
        with self._transaction() as db:
            _record_embedder(db, embedder, None)
            db.execute(sa.text("UPDATE articles SET status = 'pending'"))
            db.execute(sa.text("UPDATE shards SET generation = generation + 1"))
            _bump_generation(db)
            return [row[0] for row in db.execute(sa.text("SELECT id FROM articles ORDER BY id"))]

    def shard_generations(self) -> dict[int, int]:
        """The shards (months of publication: 202511, or 0 for undated articles) holding indexed articles, each with
        a number that changes whenever its indexed chunks change."""
        rows = self._rows(
            f"SELECT a.shard, COALESCE(s.generation, 0) FROM (SELECT DISTINCT {_SHARD} AS shard FROM articles "
            "WHERE status = 'indexed') a LEFT JOIN shards s ON s.shard = a.shard"
        )
        return {int(shard): int(generation) for shard, generation in rows}

    def shard_chunk_counts(self) -> dict[int, int]:
        """Chunks of the indexed articles of each shard."""
        rows = self._rows(
            f"SELECT {_SHARD}, COALESCE(SUM(chunk_count), 0) FROM articles WHERE status = 'indexed' GROUP BY {_SHARD}"
        )
        return {int(shard): int(count) for shard, count in rows}

    def has_indexed(self) -> bool:
        """True when any article is indexed."""
        return bool(self._rows("SELECT EXISTS (SELECT 1 FROM articles WHERE status = 'indexed')")[0][0])

    def indexed_chunks(self, shard: int | None = None) -> Iterator[tuple[Article, list[tuple[int, int]]]]:
        """Every indexed article with its chunk spans, in a stable order; of one shard (a month: 202511, or 0 for
        undated articles) when given."""
        where = "" if shard is None else f" AND {_SHARD} = :shard"
        rows = self._rows(
            "SELECT id, title, body, published, authors, source, url, origin, chunk_spans FROM articles "
            f"WHERE status = 'indexed'{where} ORDER BY id",
            {} if shard is None else {"shard": shard},
        )
        for row in rows:
            yield _article(row[:8]), [(start, end) for start, end in json.loads(row[8])]

    def entries(self, article_ids: Iterable[str]) -> list[Entry]:
        """The stored articles among these ids as they were queued for indexing (any status), to index again."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        rows = self._rows(
            "SELECT id, title, body, published, authors, source, url, origin, content_hash, "
            "COALESCE(story_id, id), signature FROM articles WHERE id IN :ids ORDER BY id",
            {"ids": ids},
            "ids",
        )
        return [Entry(_article(row[:8]), row[8], row[9], json.loads(row[10] or "[]")) for row in rows]

    def integrity_problems(self) -> list[str]:
        """What SQLite's own check finds wrong with the database file (empty when sound; a database server keeps
        its own files sound)."""
        if self.shared:
            return []
        found = [str(row[0]) for row in self._rows("PRAGMA integrity_check")]
        return [] if found == ["ok"] else found

    def pending_ids(self) -> list[str]:
        """Articles whose indexing was interrupted."""
        return [row[0] for row in self._rows("SELECT id FROM articles WHERE status = 'pending'")]

    def delete(self, article_ids: Iterable[str]) -> None:
        """Forget articles."""
        ids = list(dict.fromkeys(article_ids))
        with self._transaction() as db:
            if ids:
                _bump_shards(db, ids)
                db.execute(_sql("DELETE FROM articles WHERE id IN :ids", ["ids"]), {"ids": ids})
                db.execute(_sql("DELETE FROM bands WHERE article_id IN :ids", ["ids"]), {"ids": ids})
            _bump_generation(db)

    def indexed(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The indexed articles among these ids."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        rows = self._rows(
            "SELECT id, title, body, published, authors, source, url, origin FROM articles "
            "WHERE status = 'indexed' AND id IN :ids",
            {"ids": ids},
            "ids",
        )
        return {row[0]: _article(row) for row in rows}

    def all_indexed(self) -> list[Article]:
        """Every indexed article, newest first."""
        rows = self._rows(
            "SELECT id, title, body, published, authors, source, url, origin FROM articles "
            "WHERE status = 'indexed' ORDER BY published_day DESC, published DESC, title"
        )
        return [_article(row) for row in rows]

    def published_between(self, low: int, high: int) -> list[tuple[Article, str]]:
        """Indexed articles with day numbers low..high (YYYYMMDD, inclusive) and their story ids, oldest first."""
        rows = self._rows(
            "SELECT id, title, body, published, authors, source, url, origin, COALESCE(story_id, id) FROM articles "
            "WHERE status = 'indexed' AND published_day BETWEEN :low AND :high ORDER BY published, id",
            {"low": low, "high": high},
        )
        return [(_article(row[:8]), row[8]) for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of articles by status, and chunks stored."""
        indexed, pending, chunks = self._rows(
            "SELECT COALESCE(SUM(CASE WHEN status = 'indexed' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(chunk_count), 0) FROM articles"
        )[0]
        return {"articles": int(indexed), "pending": int(pending), "chunks": int(chunks)}

    def indexed_chunk_count(self) -> int:
        """Chunks of the indexed articles (what the vector store and the BM25 index should hold)."""
        return int(self._rows("SELECT COALESCE(SUM(chunk_count), 0) FROM articles WHERE status = 'indexed'")[0][0])

    def sources(self) -> list[str]:
        """Outlets of the indexed articles, sorted."""
        rows = self._rows("SELECT DISTINCT source FROM articles WHERE status = 'indexed' ORDER BY source")
        return [row[0] for row in rows]

    def url_sources(self) -> list[tuple[str | None, str]]:
        """(url, source) of the stored articles that have a URL."""
        return [(row[0], row[1]) for row in self._rows("SELECT url, source FROM articles WHERE url IS NOT NULL")]

    def stored_urls(self) -> list[str]:
        """The URLs of the stored articles (a feed does not fetch them again)."""
        return [url for url, _ in self.url_sources() if url]

    def day_range(self) -> tuple[date, date] | None:
        """First and last publication day among indexed, dated articles."""
        low, high = self._rows(
            "SELECT MIN(published_day), MAX(published_day) FROM articles WHERE status = 'indexed' AND published_day > 0"
        )[0]
        return (_from_day_number(low), _from_day_number(high)) if low else None

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """Commit on success, roll back on any exception (Ctrl-C included)."""
        with self._engine.begin() as db:
            yield db


_ENTRY_COLUMNS = (
    "id",
    "fingerprint",
    "content_hash",
    "title",
    "body",
    "published",
    "published_day",
    "authors",
    "source",
    "url",
    "origin",
    "signature",
    "story_id",
)


def _entry_row(e: Entry) -> dict[str, Any]:
    return {
        "id": e.article.id,
        "fingerprint": e.article.fingerprint,
        "content_hash": e.content_hash,
        "title": e.article.title,
        "body": e.article.body,
        "published": e.article.published.isoformat() if e.article.published else None,
        "published_day": day_number(e.article.published_day),
        "authors": json.dumps(list(e.article.authors)),
        "source": e.article.source,
        "url": e.article.url,
        "origin": e.article.origin,
        "signature": json.dumps(e.signature),
        "story_id": e.story_id,
    }


def _ids_of(entries: Sequence[Entry]) -> list[str]:
    return list(dict.fromkeys(e.article.id for e in entries))


def _sql(sql: str, expanding: Iterable[str] = ()) -> sa.TextClause:
    """A statement whose `expanding` parameters are lists (`IN :ids`)."""
    statement = sa.text(sql)
    names = list(expanding)
    return statement.bindparams(*(sa.bindparam(name, expanding=True) for name in names)) if names else statement


_SHARD = "(COALESCE(published_day, 0) / 100)"
"""An article's shard: the month it was published (YYYYMM), 0 when undated (integer division in both databases)."""


def _bump_shards(db: Connection, article_ids: list[str]) -> None:
    """Move on the generation of the shards these articles are in."""
    if article_ids:
        db.execute(
            _sql(
                f"INSERT INTO shards SELECT DISTINCT {_SHARD}, 1 FROM articles WHERE id IN :ids "
                "ON CONFLICT (shard) DO UPDATE SET generation = shards.generation + 1",
                ["ids"],
            ),
            {"ids": article_ids},
        )


def _bump_generation(db: Connection) -> None:
    db.execute(sa.text("UPDATE meta SET value = value + 1 WHERE key = 'generation'"))


def _record_embedder(db: Connection, name: str, dimension: int | None) -> None:
    db.execute(
        sa.text(
            "INSERT INTO embedder VALUES (1, :name, :dimension) "
            "ON CONFLICT (one) DO UPDATE SET name = excluded.name, dimension = excluded.dimension"
        ),
        {"name": name, "dimension": dimension},
    )


def _connect_args(url: str) -> dict[str, Any]:
    """SQLite's connection is used from the app's threads; a database server should answer soon or be reported."""
    if url.startswith("sqlite"):
        return {"check_same_thread": False}
    if url.startswith("postgresql"):
        return {"connect_timeout": 10}
    return {}


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
