"""Retrieval: the best passages for a question from the store, dense and BM25 results fused, with the date filters
its own time words imply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from briefing.index.store import ArticleStore, Filters
from briefing.ingest.articles import Article
from briefing.ingest.chunking import sentence_spans
from briefing.providers import Embedder
from briefing.search.passages import Passage
from briefing.search.ranking import cap_per_group, favour_recent, newest_first_on_ties, reciprocal_rank_fusion
from briefing.search.time_words import timeframe_of
from briefing.settings import RetrievalMode, Settings


def passages_for(
    question: str,
    *,
    filters: Filters = Filters(),
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    k: int | None = None,
    tokens: int | None = None,
    leads: bool = False,
    also: Sequence[str] = (),
) -> list[Passage]:
    """Retrieval for a question, with the date filters its own time words imply."""
    filters = with_question_timeframe(filters, question, settings.retrieval.today or date.today())
    return retrieve(
        question,
        filters=filters,
        settings=settings,
        embedder=embedder,
        store=store,
        k=k,
        tokens=tokens,
        leads=leads,
        also=also,
    )


def retrieve(
    question: str,
    *,
    filters: Filters = Filters(),
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    k: int | None = None,
    mode: RetrievalMode | None = None,
    tokens: int | None = None,
    leads: bool = False,
    also: Sequence[str] = (),
) -> list[Passage]:
    """The best passages for the question, numbered from 1: dense and BM25 results fused by reciprocal rank,
    at most `per_article` from one article, within the k and token budgets (`tokens`, default
    `retrieval.context_tokens`). With `leads`, each article found also gives its lead (where news states what
    happened), just before its first passage, when that passage does not already hold it. The queries in `also`
    (the question with each of its choices, for multiple choice) add their own dense and BM25 rankings to the
    fusion, so evidence for every choice is sought."""
    options = settings.retrieval
    mode = mode or options.mode
    depth = max(options.candidates, (k or options.k) * 4)
    queries = [question, *also]
    vectors = embedder.embed(queries) if mode != "bm25" else None
    denses = [store.dense_search(vector, depth, filters) for vector in vectors] if vectors is not None else []
    lexicals = [store.lexical_search(query, depth, filters) for query in queries] if mode != "dense" else []
    by_id = {hit.chunk.id: hit for hits in (*lexicals, *denses) for hit in hits}
    similarity = {hit.chunk.id: hit.score for hit in (denses[0] if denses else [])}
    rankings = [[h.chunk.id for h in hits] for hits in (*denses, *lexicals)]
    weights = [1.0] * len(denses) + [options.bm25_weight] * len(lexicals)
    today = options.today or date.today()
    fused = dict(
        newest_first_on_ties(
            favour_recent(
                reciprocal_rank_fusion(rankings, weights=weights),
                lambda chunk_id: _age_in_days(by_id[chunk_id].article, today),
                options.recent_days,
                options.older_weight,
            ),
            lambda chunk_id: _day_ordinal(by_id[chunk_id].article),
        )
    )
    stories = store.catalog.stories(h.article.id for h in by_id.values())
    ranked = cap_per_group(
        [by_id[i] for i in fused],
        lambda h: stories.get(h.article.id, h.article.id),
        options.per_article,
        k or options.k,
    )
    outlets = store.catalog.story_outlets(stories.get(h.article.id, h.article.id) for h in ranked)
    passages: list[Passage] = []
    budget = tokens or options.context_tokens
    with_lead: set[str] = {h.article.id for h in ranked if h.chunk.start == 0} if leads else set()
    for hit in ranked:
        spans = [(hit.chunk.start, hit.chunk.end)]
        if leads and hit.article.id not in with_lead:
            spans.insert(0, lead_span(hit.article.body))
        budget -= sum(approximate_tokens(hit.article.body[start:end]) for start, end in spans)  # a lead costs too
        if passages and budget < 0:
            break
        with_lead.add(hit.article.id)
        story_outlets = outlets.get(stories.get(hit.article.id, hit.article.id), [])
        for start, end in spans:
            passages.append(
                Passage.of_article(
                    hit.article,
                    start,
                    end,
                    hit.article.body[start:end],
                    number=len(passages) + 1,
                    score=fused[hit.chunk.id],
                    similarity=similarity.get(hit.chunk.id),
                    also_in=[o for o in story_outlets if o != hit.article.source],
                )
            )
    return passages


LEAD_WORDS = 40
"""An article's lead: its first sentences, up to about this many words (at least one sentence)."""


def lead_span(body: str) -> tuple[int, int]:
    """(start, end) of the article's lead: its first sentence, and the next ones while within `LEAD_WORDS`."""
    spans = sentence_spans(body[:4000]) or [(0, len(body))]
    end = spans[0][1]
    for _, stop in spans[1:]:
        if len(body[:stop].split()) > LEAD_WORDS:
            break
        end = stop
    return spans[0][0], end


def _day_ordinal(article: Article) -> int:
    day = article.published_day
    return day.toordinal() if day else 0


def _age_in_days(article: Article, today: date) -> int | None:
    day = article.published_day
    return (today - day).days if day else None


def with_question_timeframe(filters: Filters, question: str, today: date) -> Filters:
    """Date filters from the question's own time words ("yesterday", "on December 13"), unless dates were given."""
    if filters.since or filters.until or (frame := timeframe_of(question, today)) is None:
        return filters
    return replace(filters, since=frame.since, until=frame.until)


def approximate_tokens(text: str) -> int:
    """Roughly the tokens a model's tokenizer makes of English text (4 for every 3 words)."""
    return len(text.split()) * 4 // 3 + 1


def looks_unrelated(passages: Sequence[Passage], min_similarity: float) -> bool:
    """True when nothing was found, or the dense search found nothing close to the question."""
    similarities = [p.similarity for p in passages if p.similarity is not None]
    return not passages or (bool(similarities) and max(similarities) < min_similarity)
