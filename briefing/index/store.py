"""The store: chunk vectors in Chroma (through llama-index's Chroma vector store) kept in step with the catalog."""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from briefing.errors import EmbedderMismatchError, StoreUnavailableError
from briefing.index.catalog import Catalog, Entry, day_number
from briefing.index.lexical import LexicalIndex
from briefing.ingest.articles import Article
from briefing.ingest.chunking import Chunk
from briefing.settings import StoreSettings

if TYPE_CHECKING:  # chromadb and llama-index take about 2 s to import: loaded when a store is opened
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.core.vector_stores.types import MetadataFilters


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return: published days (inclusive) and outlets."""

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A stored chunk found by a search, with its article and score (cosine similarity, or BM25)."""

    chunk: Chunk
    article: Article
    score: float


class ArticleStore:
    """Chroma collection of chunks + catalog of articles (SQLite or PostgreSQL), changed together article by article."""

    def __init__(self, settings: StoreSettings, embedder_name: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.embedder_name = embedder_name
        self._settings = settings
        self.catalog = Catalog(settings.catalog_location())
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_host:
            try:
                client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
            except Exception as exc:  # chromadb raises plain exceptions for connection failures
                raise StoreUnavailableError(
                    f"Cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port}: start it or "
                    f"unset BRIEFING_STORE__CHROMA_HOST ({exc})."
                ) from exc
        else:
            client = chromadb.PersistentClient(path=str(settings.path / "chroma"), settings=chroma_settings)
        self._client = client
        self._collection = client.get_or_create_collection(
            name=_collection_name(settings, embedder_name), metadata={"hnsw:space": "cosine"}
        )
        self._vectors = ChromaVectorStore(chroma_collection=self._collection)
        self.lexical = LexicalIndex(settings.path / f"bm25__{embedder_name}", self.catalog)
        self._unrecorded = None if self.catalog.built_with() else self._earlier_embedder()

    @property
    def built_with(self) -> tuple[str, int | None] | None:
        """The embedder (name, vector dimension) the stored vectors come from, as the catalog records it now
        (another process sharing it may have re-indexed); None for a store with no vectors yet."""
        return self.catalog.built_with() or self._unrecorded

    def _earlier_embedder(self) -> tuple[str, int | None] | None:
        """For a store from before the embedder was recorded: this embedder when its collection holds vectors
        (then recorded), an unknown one when the catalog holds articles but they are not, else None (empty)."""
        if self._collection.count():
            found = self._collection.peek(1)["embeddings"]
            dimension = len(found[0]) if found is not None and len(found) else None
            self.catalog.record_embedder(self.embedder_name, dimension)
            return None
        return (UNKNOWN_EMBEDDER, None) if self.catalog.has_indexed() else None

    def require_embedder(self, dimension: int | None = None) -> None:
        """Raise EmbedderMismatchError unless the stored vectors come from this embedder (and, given, have this
        dimension): vectors of two models must never mix."""
        built_with = self.built_with
        if built_with is None:
            return
        name, stored = built_with
        path = self._settings.path
        if name != self.embedder_name:
            size = f" ({stored} dimensions)" if stored else ""
            built = "another embedder" if name == UNKNOWN_EMBEDDER else f"the embedder '{name}'{size}"
            raise EmbedderMismatchError(
                f"The store at {path} was built with {built}, but the settings select '{self.embedder_name}'. Run "
                f"`briefing reindex` to embed its articles again with '{self.embedder_name}', or select '{name}' "
                "again (BRIEFING_EMBEDDER__PROVIDER, BRIEFING_EMBEDDER__OPENAI_MODEL)."
            )
        if dimension is not None and stored is not None and dimension != stored:
            raise EmbedderMismatchError(
                f"'{name}' now gives {dimension}-dimensional vectors, but the store at {path} holds "
                f"{stored}-dimensional ones from it: the model behind that name has changed. Run `briefing reindex` "
                "to embed the articles again with it, or serve the earlier model under that name."
            )

    def start_over(self) -> list[str]:
        """Forget every stored vector (of this embedder and of the one the store was built with) and make every
        article pending, to be embedded again by this embedder; returns their ids."""
        built_with = self.built_with
        earlier = built_with[0] if built_with else None
        ids = self.catalog.start_over(self.embedder_name)
        self._unrecorded = None
        names = {self._collection.name, *([_collection_name(self._settings, earlier)] if earlier else [])}
        for name in names & {c.name for c in self._client.list_collections()}:
            self._client.delete_collection(name)
        if earlier and earlier != self.embedder_name:
            shutil.rmtree(self._settings.path / f"bm25__{earlier}", ignore_errors=True)
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self._collection = self._client.get_or_create_collection(
            name=_collection_name(self._settings, self.embedder_name), metadata={"hnsw:space": "cosine"}
        )
        self._vectors = ChromaVectorStore(chroma_collection=self._collection)
        return ids

    def replace_chunks(
        self, entries: Sequence[Entry], chunks: Sequence[Chunk], vectors: NDArray[np.float32]
    ) -> dict[str, str]:
        """Swap in the new chunks of these articles; a crash leaves them pending. An article whose body another
        stored article has (stored by another process meanwhile) is left out: returns those, id -> the other's
        id."""
        if len(chunks):
            self.require_embedder(int(vectors.shape[1]))
            built_with = self.built_with
            if built_with is None or built_with[1] is None:
                self.catalog.record_embedder(self.embedder_name, int(vectors.shape[1]))
        copies = self.catalog.mark_pending(entries)
        if copies:
            entries = [entry for entry in entries if entry.article.id not in copies]
            keep = [i for i, chunk in enumerate(chunks) if chunk.article_id not in copies]
            chunks, vectors = [chunks[i] for i in keep], vectors[keep]
        ids = [entry.article.id for entry in entries]
        if not ids:
            return copies
        self._collection.delete(where=_document_in(ids))
        by_id = {entry.article.id: entry.article for entry in entries}
        nodes: list[BaseNode] = [
            _node(chunk, by_id[chunk.article_id], vector) for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        if nodes:
            self._vectors.add(nodes)
        spans: dict[str, list[tuple[int, int]]] = {article_id: [] for article_id in ids}
        for chunk in chunks:
            spans[chunk.article_id].append((chunk.start, chunk.end))
        self.catalog.mark_indexed(spans)
        return copies

    def dense_search(self, query_vector: NDArray[np.float32], limit: int, filters: Filters = Filters()) -> list[Hit]:
        """The chunks most similar to the query vector among indexed articles, best first."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        self.require_embedder(len(query_vector))
        result = self._vectors.query(
            VectorStoreQuery(
                query_embedding=[float(x) for x in query_vector],
                similarity_top_k=limit,
                filters=_chroma_filters(filters),
            )
        )
        nodes = result.nodes or []
        articles = self.catalog.indexed(node.metadata["article_id"] for node in nodes)
        hits = []
        for node, score in zip(nodes, result.similarities or [], strict=True):
            article = articles.get(node.metadata["article_id"])
            if article is None:  # pending after an interrupted ingest: never shown
                continue
            chunk = Chunk(
                article_id=article.id,
                index=int(node.metadata["chunk_index"]),
                start=int(node.metadata["start"]),
                end=int(node.metadata["end"]),
                text=node.get_content(),
            )
            # llama-index reports exp(-cosine_distance); turn it back into the cosine similarity.
            hits.append(Hit(chunk=chunk, article=article, score=1.0 + math.log(max(score, 1e-12))))
        return hits

    def lexical_search(self, query: str, limit: int, filters: Filters = Filters()) -> list[Hit]:
        """The chunks that best match the query's words (BM25) among indexed articles, best first."""
        found = self.lexical.search(
            query,
            limit,
            since_day=day_number(filters.since) or 0,
            until_day=day_number(filters.until) or 0,
            sources=filters.sources,
        )
        articles = self.catalog.indexed(row.article_id for row, _ in found)
        hits = []
        for row, score in found:
            if (article := articles.get(row.article_id)) is not None:
                text = article.body[row.start : row.end]
                chunk = Chunk(article_id=article.id, index=row.index, start=row.start, end=row.end, text=text)
                hits.append(Hit(chunk=chunk, article=article, score=score))
        return hits

    def chunk_count(self) -> int:
        """Chunks in the vector store."""
        return int(self._collection.count())

    def stored_spans(self, page: int = 5000) -> dict[str, set[tuple[int, int, int]]]:
        """Every chunk in the vector store as article id -> {(chunk index, start, end)}, read page by page."""
        found: dict[str, set[tuple[int, int, int]]] = {}
        offset = 0
        while True:
            batch = self._collection.get(include=["metadatas"], limit=page, offset=offset)
            metadatas = batch["metadatas"] or []
            for meta in metadatas:
                key = (int(str(meta["chunk_index"])), int(str(meta["start"])), int(str(meta["end"])))
                found.setdefault(str(meta["article_id"]), set()).add(key)
            if len(metadatas) < page:
                return found
            offset += page

    def drop_chunks(self, article_ids: Sequence[str]) -> None:
        """Remove these articles' chunks from the vector store only (chunks the catalog does not know)."""
        if article_ids:
            self._collection.delete(where=_document_in(article_ids))

    def delete(self, article_ids: Sequence[str]) -> None:
        """Remove articles and their chunks."""
        self._collection.delete(where=_document_in(article_ids))
        self.catalog.delete(article_ids)


UNKNOWN_EMBEDDER = "?"
"""The embedder of a store from before embedders were recorded, whose vectors are not this embedder's."""


def _collection_name(settings: StoreSettings, embedder_name: str) -> str:
    """One collection per embedder: switching embedders never writes into another's collection."""
    return f"{settings.collection}__{embedder_name}"


def _document_in(article_ids: Sequence[str]) -> Any:
    """Chroma's filter for the chunks of these articles (llama-index stores the article id as document_id)."""
    return {"document_id": {"$in": list(article_ids)}}


def _node(chunk: Chunk, article: Article, vector: NDArray[np.float32]) -> TextNode:
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    metadata: dict[str, str | int] = {
        "article_id": article.id,
        "chunk_index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": article.title,
        "source": article.source,
        "url": article.url or "",
        "published": article.published.isoformat() if article.published else "",
        "published_day": day_number(article.published_day) or 0,
    }
    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        embedding=[float(x) for x in vector],
        metadata=metadata,
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=list(metadata),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article.id)},
    )


def _chroma_filters(filters: Filters) -> MetadataFilters | None:
    from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

    conditions: list[MetadataFilter | MetadataFilters] = []
    if filters.since or filters.until:
        # Undated articles are stored with day 0, so any date bound leaves them out.
        since = day_number(filters.since) or 1
        conditions.append(MetadataFilter(key="published_day", operator=FilterOperator.GTE, value=since))
    if filters.until:
        until = day_number(filters.until)
        conditions.append(MetadataFilter(key="published_day", operator=FilterOperator.LTE, value=until))
    if filters.sources:
        conditions.append(MetadataFilter(key="source", operator=FilterOperator.IN, value=list(filters.sources)))
    if not conditions:
        return None
    return MetadataFilters(filters=conditions, condition=FilterCondition.AND)
