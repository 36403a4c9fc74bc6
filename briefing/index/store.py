"""The store: chunk vectors in Chroma (through llama-index's Chroma vector store) kept in step with the catalog."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from briefing.errors import StoreUnavailableError
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
    """Chroma collection of chunks + SQLite catalog of articles, changed together article by article."""

    def __init__(self, settings: StoreSettings, embedder_name: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.embedder_name = embedder_name
        self.catalog = Catalog(settings.path / "catalog.sqlite3")
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
        # One collection per embedder: vectors of different models never mix.
        self._collection = client.get_or_create_collection(
            name=f"{settings.collection}__{embedder_name}", metadata={"hnsw:space": "cosine"}
        )
        self._vectors = ChromaVectorStore(chroma_collection=self._collection)
        self.lexical = LexicalIndex(settings.path / f"bm25__{embedder_name}", self.catalog)

    def replace_chunks(self, entries: Sequence[Entry], chunks: Sequence[Chunk], vectors: NDArray[np.float32]) -> None:
        """Swap in the new chunks of these articles; a crash leaves them pending."""
        ids = [entry.article.id for entry in entries]
        self.catalog.mark_pending(entries)
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

    def dense_search(self, query_vector: NDArray[np.float32], limit: int, filters: Filters = Filters()) -> list[Hit]:
        """The chunks most similar to the query vector among indexed articles, best first."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

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
