"""Load and soak: many chat sessions at once while an ingest and a briefing run, on one shared Newsroom, as the
app's sessions share one (each Streamlit session is a thread; writes take the app's writing lock).

Checks, against truths the run does not produce itself:
- errors: any exception in any session, the ingest or the briefing;
- articles lost or duplicated: the catalog against the distinct articles of the input files (read before the run),
  and `briefing doctor` (catalog, vectors and BM25 agree);
- answers still verified: each concurrent answer against the same question asked alone before the load, on the same
  store (same text, same citations).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing import Answer, ChatModel, Message, Newsroom, Period


class QueuedChat:
    """The chat model behind a first-come lock, timing how long each call waits for it (the queue)."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.name = inner.name
        self._lock = threading.Lock()
        self.waits: list[float] = []

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """Hold the model for one call, the wait for it recorded."""
        started = time.perf_counter()
        with self._lock:
            self.waits.append(time.perf_counter() - started)
            yield

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        with self._turn():
            return self.inner.complete(messages, schema)

    def stream(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> Iterator[str]:
        with self._turn():
            yield from self.inner.stream(messages, schema)

    def yes_probability(self, messages: Sequence[Message]) -> float:
        with self._turn():
            return self.inner.yes_probability(messages)  # type: ignore[attr-defined, no-any-return]


@dataclass
class SoakResult:
    sessions: int
    answers: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    changed_answers: list[str] = field(default_factory=list)
    expected_articles: int = 0
    stored_articles: int = 0
    store_healthy: bool = False
    briefing_stories: int = 0
    briefing_seconds: float = 0.0
    ingest_seconds: float = 0.0
    refused_inputs: int = 0
    waits: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        def pct(values: list[float], q: float) -> float:
            ordered = sorted(values) or [0.0]
            return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

        lost = self.expected_articles - self.stored_articles
        p50, wait50 = statistics.median(self.latencies or [0]), statistics.median(self.waits or [0])
        return (
            f"{self.sessions} sessions, {self.answers} answers: p50 {p50:.1f} s, "
            f"p95 {pct(self.latencies, 0.95):.1f} s; model queue wait p50 {wait50:.1f} s, "
            f"p95 {pct(self.waits, 0.95):.1f} s; errors {len(self.errors)}; answers changed by the load "
            f"{len(self.changed_answers)}; articles {self.stored_articles}/{self.expected_articles} "
            f"({lost:+d} lost); store consistent: {self.store_healthy}; briefing {self.briefing_stories} stories in "
            f"{self.briefing_seconds:.0f} s; ingest {self.ingest_seconds:.0f} s; wall {self.seconds:.0f} s"
        )


def _chat_page(**options: object) -> None:
    """The app's chat page, as AppTest runs it (its source is run as a script: imports inside)."""
    from briefing.ui import chat

    chat.render(**options)  # type: ignore[arg-type]


def app_session(question: str, llm: ChatModel) -> Answer:
    """One browser session of the app, driven by Streamlit's AppTest: the chat page opened, the question typed; the
    checked answer the page shows (kept in the session's history). The app's own shared Newsroom is used (from the
    BRIEFING_* environment), as a real session's would be."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_chat_page, kwargs={"llm": llm}, default_timeout=1800)
    page.run()
    page.chat_input[0].set_value(question).run()
    if page.exception:
        raise RuntimeError(f"the app failed: {page.exception[0].message}")
    history = page.session_state["chat_history"]
    if not history:
        raise RuntimeError("the app showed no answer: " + "; ".join(e.value for e in page.error))
    return history[-1]  # type: ignore[no-any-return]


def _same(a: Answer, b: Answer) -> bool:
    return a.text == b.text and [s.citations for s in a.sentences] == [s.citations for s in b.sentences]


def soak(
    room: Newsroom,
    questions: Sequence[tuple[str, str]],
    *,
    sessions: int,
    ingest: Sequence[Path],
    expected_articles: int,
    period: Period,
    queued: QueuedChat | None = None,
    through_app: bool = False,
) -> SoakResult:
    """`questions` are (question, day counted from); session i asks question i (cycling), through the app's chat page
    (`through_app`, AppTest; the day then comes from BRIEFING_RETRIEVAL__TODAY) or through the Newsroom directly.
    `expected_articles`: the articles the store must hold after the run, as measured by the same ingest run alone
    into another store."""
    alone = {q: room.using(room.settings.updated(retrieval={"today": day})).ask(q) for q, day in questions}
    result = SoakResult(sessions=sessions, expected_articles=expected_articles)
    writing = threading.Lock()  # the app's Resources.writing
    started = time.perf_counter()

    def ask(index: int) -> None:
        question, day = questions[index % len(questions)]
        begun = time.perf_counter()
        if through_app:
            answer = app_session(question, room.llm)
        else:
            answer = room.using(room.settings.updated(retrieval={"today": day})).ask(question)
        result.latencies.append(time.perf_counter() - begun)
        result.answers += 1
        if not _same(answer, alone[question]):
            result.changed_answers.append(question)

    def ingest_all() -> None:
        begun = time.perf_counter()
        with writing:
            report = room.ingest(list(ingest))
        result.ingest_seconds = time.perf_counter() - begun
        result.refused_inputs = len(report.failures)  # inputs that cannot be read, named in the report: not faults

    def brief() -> None:
        begun = time.perf_counter()
        result.briefing_stories = len(room.brief(period).stories)
        result.briefing_seconds = time.perf_counter() - begun

    with ThreadPoolExecutor(max_workers=sessions + 2) as pool:
        futures = [pool.submit(ingest_all), pool.submit(brief)]
        futures += [pool.submit(ask, index) for index in range(max(sessions, len(questions)))]
        for future in futures:
            try:
                future.result(timeout=3600)
            except Exception as error:  # every failure is counted, none stops the others
                result.errors.append(f"{type(error).__name__}: {error}")
    result.seconds = time.perf_counter() - started
    result.stored_articles = room.store.catalog.counts()["articles"]
    result.store_healthy = room.doctor().healthy
    result.waits = list(queued.waits) if queued else []
    return result
