"""Indexing: articles already read are cleaned of copies, chunked, embedded and written to the store; unchanged
articles cost nothing, changed ones replace their chunks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from briefing.errors import InputError, StoreUnavailableError
from briefing.index.catalog import Entry
from briefing.index.store import ArticleStore
from briefing.ingest.articles import Article, outlet_names, with_outlet_name
from briefing.ingest.chunking import Chunk, chunk_text
from briefing.ingest.injections import without_instructions
from briefing.ingest.near_copies import band_keys, signature, story_of_copy
from briefing.progress import Progress
from briefing.providers import Embedder
from briefing.settings import Settings

CHUNKER_VERSION = "2"
STAGE = "indexing"


@dataclass
class IngestReport:
    """What an ingest did, article by article."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chunks: int = 0

    @property
    def ok(self) -> bool:
        """True when every input was read."""
        return not self.failures

    def add(self, other: IngestReport) -> None:
        """Count another ingest's results in this one."""
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates
        self.failures += other.failures
        self.notes += other.notes
        self.chunks += other.chunks

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.duplicates)} duplicates skipped, {len(self.failures)} failed ({self.chunks} chunks embedded)"
        )


def content_hash(article: Article, settings: Settings, embedder: Embedder) -> str:
    """Changes whenever anything that ends up in the store would change."""
    published = article.published.isoformat() if article.published else None
    key = [
        article.title,
        article.body,
        published,
        list(article.authors),
        article.source,
        article.url,
        CHUNKER_VERSION,
        settings.ingest.chunk_words,
        embedder.name,
    ]
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()


def index_articles(
    items: Iterable[Article | InputError],
    *,
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    progress: Progress | None = None,
) -> IngestReport:
    """Index articles already read (from files, pages or feeds); the errors among them are reported, not raised.
    A store built by another embedder is refused before anything is read (EmbedderMismatchError)."""
    store.require_embedder()
    report = IngestReport()
    todo: list[Entry] = []
    bands: dict[str, list[Entry]] = {}  # near-copy keys of the articles queued in this run
    first_with: dict[str, str] = {}  # id or body fingerprint -> origin of the first article seen in this run
    articles: list[Article] = []
    for item in items:
        try:
            if isinstance(item, InputError):
                raise item
            articles.append(without_instructions(item))
        except InputError as error:
            report.failures.append(error)
    names = outlet_names([*store.catalog.url_sources(), *((a.url, a.source) for a in articles)])
    for article in (with_outlet_name(a, names) for a in articles):
        report.notes += [f"{article.origin}: {note}" for note in article.notes]
        seen = first_with.get(article.id) or first_with.get(article.fingerprint)
        if seen:
            report.duplicates.append((article.origin, seen))
            continue
        first_with[article.id] = first_with[article.fingerprint] = article.origin
        digest = content_hash(article, settings, embedder)
        state = store.catalog.state(article.id)
        if state == (digest, "indexed"):
            report.unchanged.append(article.origin)
        elif other := store.catalog.id_with_fingerprint(article.fingerprint, article.id):
            report.duplicates.append((article.origin, other))
        else:
            (report.updated if state else report.added).append(article.origin)
            sig = signature(article.body)
            entry = Entry(article, digest, _story_of(article.id, sig, store, bands), sig)
            todo.append(entry)
            for key in band_keys(sig):
                bands.setdefault(key, []).append(entry)
    report.chunks, copies = _index(todo, settings, embedder, store, progress)
    if copies:  # another process stored the same text since the check above
        origin = {entry.article.id: entry.article.origin for entry in todo}
        late = {origin[article_id] for article_id in copies}
        report.added = [o for o in report.added if o not in late]
        report.updated = [o for o in report.updated if o not in late]
        report.duplicates += [(origin[article_id], other) for article_id, other in copies.items()]
    return report


def reindex(
    article_ids: Sequence[str],
    *,
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    progress: Progress | None = None,
) -> int:
    """Chunk, embed and store again articles the catalog holds (pending ones, or ones whose chunks are missing);
    returns the chunks written."""
    return _index(store.catalog.entries(article_ids), settings, embedder, store, progress)[0]


def embed_again(
    *, settings: Settings, embedder: Embedder, store: ArticleStore, progress: Progress | None = None, page: int = 500
) -> tuple[int, int]:
    """Every stored article chunked and embedded again by this embedder, into a store emptied of the earlier
    vectors (after switching embedders, or when the model behind a name changed); returns (articles, chunks).
    Interrupted, the articles not done yet stay pending: `briefing reindex` again starts over, `briefing doctor
    --repair` finishes them."""
    ids = store.start_over()
    chunks = 0
    for begin in range(0, len(ids), page):
        entries = [
            replace(entry, content_hash=content_hash(entry.article, settings, embedder))
            for entry in store.catalog.entries(ids[begin : begin + page])
        ]
        chunks += _index(entries, settings, embedder, store, _after(progress, begin, len(ids)))[0]
    return len(ids), chunks


def _after(progress: Progress | None, done_before: int, total: int) -> Progress | None:
    """Progress of one page of a longer job, reported as progress of the whole job."""
    if progress is None:
        return None
    report = progress
    return lambda stage, done, _: report(stage, done_before + done, total)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}"[:200]


def _story_of(article_id: str, sig: list[int], store: ArticleStore, earlier: dict[str, list[Entry]]) -> str:
    """The story of the most similar stored or earlier article when it is a near copy, else a story of its own."""
    keys = band_keys(sig)
    queued = {e.article.id: (e.story_id, e.signature) for key in keys for e in earlier.get(key, [])}
    candidates = [*queued.values(), *store.catalog.copy_candidates(keys, other_than=article_id)]
    return story_of_copy(sig, candidates) or article_id


def _index(
    todo: Sequence[Entry],
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    progress: Progress | None,
) -> tuple[int, dict[str, str]]:
    """Embed and store articles in batches of whole articles; each batch is written as one unit. A batch holds
    enough chunks to keep every embedding request allowed in flight busy. Returns the chunks written and the
    articles left out as copies of an article another process stored meanwhile (id -> the other's id)."""
    per_call = max(2, settings.embedder.concurrency) * settings.embedder.batch_size
    batch: list[Entry] = []
    chunks: list[Chunk] = []
    done = total_chunks = 0
    copies: dict[str, str] = {}
    for position, entry in enumerate(todo):
        article = entry.article
        batch.append(entry)
        chunks.extend(chunk_text(article.id, article.body, settings.ingest.chunk_words))
        if len(chunks) >= per_call or position == len(todo) - 1:
            titles = {e.article.id: e.article.title for e in batch}
            vectors = embedder.embed([f"{titles[c.article_id]}\n{c.text}" for c in chunks])
            try:
                refused = store.replace_chunks(batch, chunks, vectors)
            except Exception as exc:  # a full disk, a store server gone: any failure to write is the store's
                raise StoreUnavailableError(
                    f"Writing to the store failed ({_reason(exc)}); {done} of {len(todo)} articles were stored. Fix "
                    "the cause (free some space, restart the Chroma server) and run the same command again: the "
                    "rest are indexed then, nothing twice."
                ) from exc
            done += len(batch)
            total_chunks += sum(chunk.article_id not in refused for chunk in chunks)
            copies |= refused
            batch, chunks = [], []
            if progress:
                progress(STAGE, done, len(todo))
    return total_chunks, copies
