"""The Newsroom: the one object that owns what briefing works with (settings, embedder, store with its catalog and
BM25 index, chat model), built once, with the operations people use as methods. The CLI, the app, the evals and
the benchmarks parse their input, call it, and present the result.

    room = Newsroom()                                   # everything from BRIEFING_* settings
    room.ingest(["~/news/", "https://example.org/story.html"], feeds=["https://example.org/rss.xml"])
    answer = room.ask("What did the port authority offer?")
    page = room.brief(Period(date(2026, 11, 25), date(2026, 11, 25), zone("UTC")))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from briefing.answer.checking import make_llm_judge
from briefing.answer.conversation import Exchange
from briefing.answer.flow import AnswerStream, ChoiceResult, Tools
from briefing.answer.types import Answer
from briefing.briefs.archive import earlier_briefings
from briefing.briefs.compose import brief
from briefing.briefs.daily import DailyRun, exclusive
from briefing.briefs.page import Briefing
from briefing.briefs.periods import Period
from briefing.grounding.judges import Judge
from briefing.index.doctor import DoctorReport, examine
from briefing.index.indexer import IngestReport, embed_again, index_articles
from briefing.index.store import ArticleStore, Filters
from briefing.ingest.inputs import Inputs, read_batches
from briefing.ingest.outbound import HostGuard
from briefing.ingest.web import FetchOptions
from briefing.progress import Progress
from briefing.providers import ChatModel, Embedder, make_chat_model, make_embedder
from briefing.render import FORMATS, Format
from briefing.render.publish import folder_name, publish, publish_feed
from briefing.search.passages import Passage
from briefing.search.retrieval import passages_for
from briefing.settings import FetchSettings, Settings


class Newsroom:
    """Articles in, cited answers and briefings out. Collaborators not given are built from the settings: the
    embedder and the store at once, the chat model on first use."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        store: ArticleStore | None = None,
        llm: ChatModel | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder or make_embedder(self.settings)
        self.store = store or ArticleStore(self.settings.store, self.embedder.name)
        self._llm = llm

    @property
    def llm(self) -> ChatModel:
        """The chat model, built from the settings the first time it is needed."""
        if self._llm is None:
            self._llm = make_chat_model(self.settings)
        return self._llm

    def using(self, settings: Settings | None = None, *, llm: ChatModel | None = None) -> Newsroom:
        """The same embedder and store with other settings (a date to count from, a word budget...) or another
        chat model."""
        return Newsroom(settings or self.settings, embedder=self.embedder, store=self.store, llm=llm or self._llm)

    @property
    def tools(self) -> Tools:
        """What the stages work with."""
        return Tools(self.settings, self.embedder, self.store, lambda: self.llm)

    # ---- articles in ---------------------------------------------------------------------------------------

    def ingest(
        self,
        inputs: Iterable[str | Path] = (),
        *,
        feeds: Iterable[str] = (),
        default_source: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read, clean, chunk and index files, folders and page URLs, then each feed's new pages. Unchanged
        articles cost nothing, changed ones replace their chunks; an input that cannot be read is reported in
        `failures` and the others are stored."""
        report = IngestReport()
        batches = read_batches(
            Inputs.sort(inputs, feeds),
            max_bytes=int(self.settings.ingest.max_file_mb * 1_000_000),
            stored_urls=self.store.catalog.stored_urls,
            default_source=default_source,
            fetch=fetch_options(self.settings.fetch),
        )
        for batch in batches:
            indexed = index_articles(
                batch, settings=self.settings, embedder=self.embedder, store=self.store, progress=progress
            )
            report.add(indexed)
        return report

    def reindex(self, *, progress: Progress | None = None) -> tuple[int, int]:
        """Embed every stored article again with the embedder the settings select, after switching embedders (the
        earlier vectors are dropped); returns (articles, chunks)."""
        return embed_again(settings=self.settings, embedder=self.embedder, store=self.store, progress=progress)

    def doctor(self, *, repair: bool = False, progress: Progress | None = None) -> DoctorReport:
        """Check that the catalog, the vector store, the BM25 index and the summary cache agree; with `repair`,
        mend what can be mended."""
        return examine(self.store, self.settings, self.embedder, repair=repair, progress=progress)

    # ---- questions -----------------------------------------------------------------------------------------

    def search(self, question: str, *, filters: Filters = Filters(), k: int | None = None) -> list[Passage]:
        """The passages retrieved for the question, with the dates its own time words imply."""
        return passages_for(
            question, filters=filters, settings=self.settings, embedder=self.embedder, store=self.store, k=k
        )

    def ask(self, question: str, *, filters: Filters = Filters(), passages: Sequence[Passage] | None = None) -> Answer:
        """Answer from the articles, every sentence citing its passages, or say the articles do not contain it.
        `passages` skips retrieval (they must come from `search`)."""
        return AnswerStream(question, self.tools, filters=filters, passages=passages, streamed=False).answer

    def stream(self, question: str, *, history: Sequence[Exchange] = (), filters: Filters = Filters()) -> AnswerStream:
        """Like `ask`, in a conversation: a follow-up is understood from `history`, and the draft streams as it is
        written before the checked answer is ready."""
        return AnswerStream(question, self.tools, history=history, filters=filters)

    def ask_choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        filters: Filters = Filters(),
        passages: Sequence[Passage] | None = None,
    ) -> ChoiceResult:
        """Pick one of the choices from the articles, with a justification whose citations are checked."""
        stream = AnswerStream(question, self.tools, filters=filters, passages=passages, choices=choices, streamed=False)
        answer = stream.answer  # read first: the choice is known once the reply is
        return ChoiceResult(stream.choice, answer)

    def llm_judge(self) -> Judge:
        """The LLM judge of grounding: `verify.judge_llm` when it is set, else the chat model."""
        return make_llm_judge(self.settings, None if self.settings.verify.judge_llm else self.llm)

    # ---- briefings -----------------------------------------------------------------------------------------

    def brief(
        self,
        period: Period,
        *,
        sources: Sequence[str] = (),
        topic: str | None = None,
        title: str = "Briefing",
        progress: Progress | None = None,
    ) -> Briefing:
        """The one-page briefing of the period: the most important stories that fit the word budget, each
        sentence verified against the spans it cites."""
        earlier = earlier_briefings(self.settings.briefing.out_dir, period)
        return brief(
            period, self.tools, sources=sources, topic=topic, title=title, progress=progress, earlier_briefings=earlier
        )

    def daily(
        self, period: Period, *, formats: Sequence[Format] = FORMATS, progress: Progress | None = None
    ) -> DailyRun:
        """Under the output folder's lock: ingest the configured folders and feeds, brief the period, write
        `<out_dir>/<day>/briefing.<format>`, and rebuild `<out_dir>/feed.xml` from the briefings saved there."""
        options = self.settings.briefing
        with exclusive(options.out_dir):
            run = DailyRun(ingest=self.ingest(options.folders, feeds=options.feeds, progress=progress))
            run.briefing = self.brief(period, title="Daily briefing", progress=progress)
            run.files = publish(run.briefing, options.out_dir / folder_name(run.briefing), formats, options.page_size)
            run.files.append(publish_feed(options.out_dir))
        return run


def fetch_options(fetch: FetchSettings) -> FetchOptions:
    """The fetch settings as the web reader takes them."""
    return FetchOptions(
        timeout=fetch.timeout_s,
        max_bytes=int(fetch.max_page_mb * 1_000_000),
        guard=HostGuard.of(fetch.allow_private_hosts, fetch.allowed_networks),
        max_feed_entries=fetch.max_feed_entries,
    )
