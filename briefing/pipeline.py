"""The pipeline layer: ingest articles, retrieve passages, answer questions. The CLI and the app call only this."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from briefing.answers import (
    LETTERS,
    Answer,
    DraftAnswer,
    DraftSentence,
    Passage,
    choice_schema,
    finalise,
    parse_choice,
    parse_reply,
    recheck,
    reply_schema,
)
from briefing.articles import Article, outlet_names, with_outlet_name
from briefing.catalog import Entry
from briefing.chunking import Chunk, chunk_text
from briefing.conversation import (
    DraftReader,
    Exchange,
    needs_context,
    parse_standalone,
    standalone_messages,
    standalone_schema,
)
from briefing.errors import InputError
from briefing.judges import Judge, LLMJudge, embedding_similarity
from briefing.nearcopies import band_keys, signature, story_of_copy
from briefing.providers import ChatModel, Embedder, Message, make_chat_model, make_embedder
from briefing.ranking import cap_per_group, newest_first_on_ties, reciprocal_rank_fusion
from briefing.settings import RetrievalMode, Settings
from briefing.sources import read_articles
from briefing.store import ArticleStore, Filters
from briefing.templates import render_prompt
from briefing.timeframes import timeframe_of

CHUNKER_VERSION = "2"
ProgressCallback = Callable[[int, int], None]


def open_store(settings: Settings, embedder: Embedder) -> ArticleStore:
    """The store at the configured place, for this embedder's vectors."""
    return ArticleStore(settings.store, embedder.name)


def with_defaults(
    settings: Settings | None, embedder: Embedder | None, store: ArticleStore | None
) -> tuple[Settings, Embedder, ArticleStore]:
    """What the caller passed, and the rest built from settings."""
    settings = settings or Settings()
    embedder = embedder or make_embedder(settings)
    return settings, embedder, store or open_store(settings, embedder)


# ---- ingest ----------------------------------------------------------------------------------------------------


@dataclass
class IngestReport:
    """What an ingest did, article by article."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
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
        self.chunks += other.chunks

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.duplicates)} duplicates skipped, {len(self.failures)} failed ({self.chunks} chunks embedded)"
        )


def content_hash(article: Article, settings: Settings, embedder: Embedder) -> str:
    """Changes whenever anything that ends up in the store would change."""
    key = [
        article.title, article.body, article.published.isoformat() if article.published else None,
        list(article.authors), article.source, article.url, CHUNKER_VERSION, settings.ingest.chunk_words,
        embedder.name,
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()


def ingest(
    paths: Sequence[Path],
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: ArticleStore | None = None,
    default_source: str | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Read, clean, chunk and index articles; unchanged articles cost nothing, changed ones replace their chunks."""
    settings = settings or Settings()
    max_bytes = int(settings.ingest.max_file_mb * 1_000_000)
    items = read_articles(paths, max_bytes=max_bytes, default_source=default_source)
    return ingest_articles(items, settings=settings, embedder=embedder, store=store, progress=progress)


def ingest_articles(
    items: Iterable[Article | InputError],
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: ArticleStore | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Index articles already read (from files, pages or feeds); the errors among them are reported, not raised."""
    settings, embedder, store = with_defaults(settings, embedder, store)
    report = IngestReport()
    todo: list[Entry] = []
    bands: dict[str, list[Entry]] = {}  # near-copy keys of the articles queued in this run
    first_with: dict[str, str] = {}  # id or body fingerprint -> origin of the first article seen in this run
    articles: list[Article] = []
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(item)
        else:
            articles.append(item)
    names = outlet_names([*store.catalog.url_sources(), *((a.url, a.source) for a in articles)])
    for article in (with_outlet_name(a, names) for a in articles):
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
    report.chunks = _index(todo, settings, embedder, store, progress)
    return report


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
    progress: ProgressCallback | None,
) -> int:
    """Embed and store articles in batches of whole articles; each batch is written as one unit."""
    batch: list[Entry] = []
    chunks: list[Chunk] = []
    done = total_chunks = 0
    for position, entry in enumerate(todo):
        article = entry.article
        batch.append(entry)
        chunks.extend(chunk_text(article.id, article.body, settings.ingest.chunk_words))
        if len(chunks) >= 2 * settings.embedder.batch_size or position == len(todo) - 1:
            titles = {e.article.id: e.article.title for e in batch}
            vectors = embedder.embed([f"{titles[c.article_id]}\n{c.text}" for c in chunks])
            store.replace_chunks(batch, chunks, vectors)
            done += len(batch)
            total_chunks += len(chunks)
            batch, chunks = [], []
            if progress:
                progress(done, len(todo))
    return total_chunks


# ---- ask -------------------------------------------------------------------------------------------------------


def retrieve(
    question: str,
    *,
    filters: Filters = Filters(),
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    k: int | None = None,
    mode: RetrievalMode | None = None,
) -> list[Passage]:
    """The best passages for the question, numbered from 1: dense and BM25 results fused by reciprocal rank,
    at most `per_article` from one article, within the k and token budgets."""
    options = settings.retrieval
    mode = mode or options.mode
    depth = max(options.candidates, (k or options.k) * 4)
    dense = store.dense_search(embedder.embed([question])[0], depth, filters) if mode != "bm25" else []
    lexical = store.lexical_search(question, depth, filters) if mode != "dense" else []
    by_id = {hit.chunk.id: hit for hit in (*lexical, *dense)}
    similarity = {hit.chunk.id: hit.score for hit in dense}
    fused = dict(
        newest_first_on_ties(
            reciprocal_rank_fusion(
                [[h.chunk.id for h in dense], [h.chunk.id for h in lexical]], weights=[1.0, options.bm25_weight]
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
    budget = options.context_tokens
    for hit in ranked:
        budget -= approximate_tokens(hit.chunk.text)
        if passages and budget < 0:
            break
        passages.append(
            Passage(
                number=len(passages) + 1, article_id=hit.article.id, title=hit.article.title,
                source=hit.article.source, published=hit.article.published, url=hit.article.url,
                text=hit.chunk.text, start=hit.chunk.start, end=hit.chunk.end, score=fused[hit.chunk.id],
                similarity=similarity.get(hit.chunk.id),
                also_in=[
                    o for o in outlets.get(stories.get(hit.article.id, hit.article.id), []) if o != hit.article.source
                ],
            )
        )  # fmt: skip
    return passages


def _day_ordinal(article: Article) -> int:
    day = article.published_day
    return day.toordinal() if day else 0


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


_EXAMPLE = DraftAnswer(
    answerable=True,
    sentences=[
        DraftSentence(text="The library reopened on Monday after a two-year renovation.", citations=[2]),
        DraftSentence(text="It cost 4.5 million euros, according to the mayor, Ines Varga.", citations=[1, 2]),
    ],
)


def _passage_blocks(passages: Sequence[Passage]) -> str:
    blocks = []
    for p in passages:
        day = p.published.isoformat()[:10] if p.published else "undated"
        blocks.append(f"[{p.number}] {p.title} ({p.source}, {day})\n{p.text}")
    return "\n\n".join(blocks)


def build_messages(question: str, passages: Sequence[Passage]) -> list[Message]:
    """The chat messages for an answer, from the prompt files."""
    user = render_prompt(
        "answer_user",
        passages=_passage_blocks(passages),
        question=question.strip(),
        count=len(passages),
        example=_EXAMPLE.model_dump_json(),
    )
    return _with_system(user)


def _with_system(user: str) -> list[Message]:
    return [{"role": "system", "content": render_prompt("answer_system")}, {"role": "user", "content": user}]


def passages_for(
    question: str,
    *,
    filters: Filters = Filters(),
    settings: Settings,
    embedder: Embedder,
    store: ArticleStore,
    k: int | None = None,
) -> list[Passage]:
    """Retrieval for a question, with the date filters its own time words imply."""
    filters = with_question_timeframe(filters, question, settings.retrieval.today or date.today())
    return retrieve(question, filters=filters, settings=settings, embedder=embedder, store=store, k=k)


def ask(
    question: str,
    *,
    filters: Filters = Filters(),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: ArticleStore | None = None,
    llm: ChatModel | None = None,
    passages: Sequence[Passage] | None = None,
) -> Answer:
    """Answer from the articles, every sentence citing its passages, or say the articles do not contain it.
    `passages` skips retrieval (they must come from `passages_for` or `retrieve`)."""
    settings, embedder, store = with_defaults(settings, embedder, store)
    if passages is None:
        passages = passages_for(question, filters=filters, settings=settings, embedder=embedder, store=store)
    if looks_unrelated(passages, settings.retrieval.min_similarity):
        return Answer.nothing_found(question)
    llm = llm or make_chat_model(settings)
    reply = llm.complete(build_messages(question, passages), schema=reply_schema(len(passages)))
    return verify_draft(question, parse_reply(reply), passages, settings, embedder, llm)


def standalone_question(question: str, history: Sequence[Exchange], llm: ChatModel) -> str:
    """The question as it would be asked on its own: a follow-up that leans on the conversation is rewritten by the
    model from the last exchanges; any other question is returned as it is."""
    if not history or not needs_context(question):
        return question
    reply = llm.complete(standalone_messages(question, history), schema=standalone_schema())
    return parse_standalone(reply, question, history)


class AnswerStream:
    """An answer as it is written: iterate for the draft's text piece by piece, then read `answer`, checked.

    The draft is what the model is writing, before verification; only `answer` is the checked reply.
    """

    def __init__(
        self, question: str, history: Sequence[Exchange], filters: Filters, settings: Settings, embedder: Embedder,
        store: ArticleStore, llm: ChatModel,
    ) -> None:  # fmt: skip
        self.question = question
        self._history, self._filters, self._llm = history, filters, llm
        self._settings, self._embedder, self._store = settings, embedder, store
        self.asked_as: str | None = None
        self.passages: list[Passage] = []
        self._answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        standalone = standalone_question(self.question, self._history, self._llm)
        self.asked_as = standalone if standalone != self.question else None
        self.passages = passages_for(
            standalone, filters=self._filters, settings=self._settings, embedder=self._embedder, store=self._store
        )
        if looks_unrelated(self.passages, self._settings.retrieval.min_similarity):
            self._answer = Answer.nothing_found(self.question).model_copy(update={"asked_as": self.asked_as})
            return
        reader = DraftReader()
        messages = build_messages(standalone, self.passages)
        for piece in self._llm.stream(messages, schema=reply_schema(len(self.passages))):
            if text := reader.feed(piece):
                yield text
        answer = verify_draft(
            standalone, parse_reply(reader.reply), self.passages, self._settings, self._embedder, self._llm
        )
        self._answer = answer.model_copy(update={"question": self.question, "asked_as": self.asked_as})

    @property
    def answer(self) -> Answer:
        """The checked answer, once the stream has been read to its end."""
        if self._answer is None:
            for _ in self:
                pass
        assert self._answer is not None
        return self._answer


def stream_answer(
    question: str,
    *,
    history: Sequence[Exchange] = (),
    filters: Filters = Filters(),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: ArticleStore | None = None,
    llm: ChatModel | None = None,
) -> AnswerStream:
    """Like `ask`, in a conversation: a follow-up is understood from `history`, and the draft streams as it is
    written before the checked answer is ready."""
    settings, embedder, store = with_defaults(settings, embedder, store)
    return AnswerStream(question, history, filters, settings, embedder, store, llm or make_chat_model(settings))


def verify_draft(
    question: str, draft: DraftAnswer, passages: Sequence[Passage], settings: Settings, embedder: Embedder,
    llm: ChatModel | None, *, check_kind: bool = True,
) -> Answer:  # fmt: skip
    """The draft checked by the offline verifier, then by the LLM judge when one is configured."""
    similarity = embedding_similarity(embedder) if settings.verify.paraphrase_similarity else None
    answer = finalise(question, draft, passages, similarity, check_kind=check_kind)
    if settings.verify.judge == "llm" and answer.sentences:
        return recheck(answer, make_llm_judge(settings, llm))
    return answer


def make_llm_judge(settings: Settings, llm: ChatModel | None = None) -> Judge:
    """An LLM judge on `verify.judge_llm` when it is set, else on the chat model."""
    if settings.verify.judge_llm is not None:
        return LLMJudge(make_chat_model(settings.model_copy(update={"llm": settings.verify.judge_llm})))
    return LLMJudge(llm or make_chat_model(settings))


@dataclass(frozen=True)
class ChoiceResult:
    """A multiple-choice answer: the chosen index (None when the articles do not say) and its checked answer."""

    choice: int | None
    answer: Answer


def ask_choice(
    question: str,
    choices: Sequence[str],
    *,
    filters: Filters = Filters(),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: ArticleStore | None = None,
    llm: ChatModel | None = None,
    passages: Sequence[Passage] | None = None,
) -> ChoiceResult:
    """Pick one of the choices from the articles, with a justification whose citations are checked."""
    settings, embedder, store = with_defaults(settings, embedder, store)
    if passages is None:
        passages = passages_for(question, filters=filters, settings=settings, embedder=embedder, store=store)
    if not passages:
        return ChoiceResult(None, Answer.nothing_found(question))
    lettered = "\n".join(f"{LETTERS[i]}) {choice}" for i, choice in enumerate(choices))
    user = render_prompt(
        "choice_user", passages=_passage_blocks(passages), question=question.strip(), choices=lettered,
        count=len(passages),
    )  # fmt: skip
    llm = llm or make_chat_model(settings)
    reply = llm.complete(_with_system(user), schema=choice_schema(len(passages), len(choices)))
    choice, draft = parse_choice(reply, len(choices))
    justification = verify_draft(question, draft, passages, settings, embedder, llm, check_kind=False)
    return ChoiceResult(choice, justification)
