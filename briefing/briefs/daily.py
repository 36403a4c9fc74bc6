"""`briefing daily`'s safety: one run at a time (a lock file in the output folder), and what a run did.

Safe to run from cron: a second run while one holds the lock fails at once, and running it twice changes nothing
twice (unchanged articles are skipped, summaries are cached, files are replaced atomically).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefing.briefs.page import Briefing
from briefing.errors import BriefingError, InputError
from briefing.index.indexer import IngestReport

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


@dataclass
class DailyRun:
    """What a daily run did."""

    ingest: IngestReport = field(default_factory=IngestReport)
    briefing: Briefing | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def failures(self) -> list[InputError]:
        """The inputs that could not be read."""
        return self.ingest.failures
