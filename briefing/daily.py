"""`briefing daily`: ingest what is new from the configured folders and feeds, then write the day's briefing into a
dated folder. Safe to run from cron: one run at a time (a lock file), and running it twice changes nothing twice."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefing.articles import canonical_url
from briefing.brief import Progress, brief, renumbered
from briefing.briefs import Briefing
from briefing.errors import BriefingError, InputError
from briefing.fetch import read_feed
from briefing.periods import Period
from briefing.pipeline import IngestReport, ingest, ingest_articles, with_defaults
from briefing.providers import ChatModel, Embedder
from briefing.render import FORMATS, Format, PageSize, render_pdf_with_pages, write
from briefing.settings import Settings
from briefing.store import ArticleStore

LOCK_NAME = ".briefing-daily.lock"


class AlreadyRunningError(BriefingError):
    """Another `briefing daily` holds the lock."""


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the folder's lock for the duration, or fail at once when another run holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadyRunningError(
                f"another `briefing daily` is running (it holds {path}); try again later"
            ) from exc
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(handle)  # closing releases the lock


def fit_one_page(briefing: Briefing, page_size: PageSize = "A4") -> Briefing:
    """Drop the least important stories until the PDF is one page (the word budget usually suffices)."""
    while len(briefing.stories) > 1 and render_pdf_with_pages(briefing, page_size)[1] > 1:
        dropped = briefing.stories.pop()
        briefing.changes = [c for c in briefing.changes if c.story_id != dropped.story_id]
        briefing.stats.stories_shown = len(briefing.stories)
        briefing.stats.words = briefing.word_count()
        briefing = renumbered(briefing)
    return briefing


def publish(
    briefing: Briefing, folder: Path, formats: Sequence[Format] = FORMATS, page_size: PageSize = "A4"
) -> list[Path]:
    """Fit the briefing to one page and write it in the formats, each file replaced atomically."""
    return write(fit_one_page(briefing, page_size), folder, formats, page_size)


@dataclass
class DailyRun:
    """What a daily run did."""

    ingest: IngestReport = field(default_factory=IngestReport)
    briefing: Briefing | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def failures(self) -> list[InputError]:
        return self.ingest.failures


def collect(
    settings: Settings, embedder: Embedder, store: ArticleStore, progress: Progress | None = None
) -> IngestReport:
    """Ingest the configured folders, then the feeds' new entries (pages already stored are not fetched again)."""
    report = IngestReport()
    if settings.briefing.folders:
        folder_report = ingest(
            settings.briefing.folders, settings=settings, embedder=embedder, store=store,
            progress=(lambda d, t: progress("indexing folders", d, t)) if progress else None,
        )  # fmt: skip
        report.add(folder_report)
    for position, feed in enumerate(settings.briefing.feeds):
        if progress:
            progress("reading feeds", position, len(settings.briefing.feeds))
        known = {canonical_url(url) for url, _ in store.catalog.url_sources() if url}
        articles = read_feed(feed, skip_urls=known)
        report.add(ingest_articles(articles, settings=settings, embedder=embedder, store=store))
    return report


def daily(
    period: Period,
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    store: ArticleStore | None = None,
    llm: ChatModel | None = None,
    formats: Sequence[Format] = FORMATS,
    progress: Progress | None = None,
) -> DailyRun:
    """Under the output folder's lock: collect new articles, brief the period, write `<out_dir>/<day>/`."""
    settings, embedder, store = with_defaults(settings, embedder, store)
    out_dir = settings.briefing.out_dir
    with exclusive(out_dir):
        run = DailyRun(ingest=collect(settings, embedder, store, progress))
        run.briefing = brief(
            period,
            settings=settings,
            embedder=embedder,
            store=store,
            llm=llm,
            title="Daily briefing",
            progress=progress,
        )
        name = period.since.isoformat() if period.days == 1 else f"{period.since}_{period.until}"
        run.files = publish(run.briefing, out_dir / name, formats, settings.briefing.page_size)
    return run
