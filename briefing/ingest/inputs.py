"""What people ask to ingest, sorted once: files and folders, web pages, and feeds; then read in that order, each
feed skipping the pages already stored."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefing.ingest.files import ArticleOrError, read_articles
from briefing.ingest.web import DEFAULT_FETCH, FetchOptions, read_feed, read_urls

WEB_SCHEMES = ("http://", "https://")


def is_web_address(text: str) -> bool:
    """True for an http(s) address, which is fetched rather than opened."""
    return text.startswith(WEB_SCHEMES)


@dataclass(frozen=True)
class Inputs:
    """Inputs sorted by how they are read: paths on disk, page addresses, feed addresses."""

    paths: list[Path] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)

    @classmethod
    def sort(cls, inputs: Iterable[str | Path] = (), feeds: Iterable[str] = ()) -> Inputs:
        """Page addresses apart from files and folders; feeds are named as such by the caller."""
        paths: list[Path] = []
        pages: list[str] = []
        for item in inputs:
            if isinstance(item, str) and is_web_address(item):
                pages.append(item)
            else:
                paths.append(Path(item))
        return cls(paths, pages, list(feeds))

    def __bool__(self) -> bool:
        return bool(self.paths or self.pages or self.feeds)


def read_batches(
    inputs: Inputs,
    *,
    max_bytes: int,
    stored_urls: Callable[[], Collection[str]],
    default_source: str | None = None,
    fetch: FetchOptions = DEFAULT_FETCH,
) -> Iterator[Iterator[ArticleOrError]]:
    """The articles of the inputs (or an error naming the input and the reason), in batches to index one after
    the other: the files, the pages, then each feed, which skips the `stored_urls()` of the moment."""
    if inputs.paths:
        yield read_articles(inputs.paths, max_bytes=max_bytes, default_source=default_source)
    if inputs.pages:
        yield read_urls(
            inputs.pages,
            timeout=fetch.timeout,
            max_bytes=fetch.max_bytes,
            guard=fetch.guard,
            default_source=default_source,
        )
    for feed in inputs.feeds:
        yield read_feed(
            feed,
            skip_urls=stored_urls(),
            timeout=fetch.timeout,
            max_bytes=fetch.max_bytes,
            guard=fetch.guard,
            max_entries=fetch.max_feed_entries,
            default_source=default_source,
        )
