"""The archive of written briefings: a folder per period in the output folder, each holding its briefing.json.

Naming the folders is pure; listing and loading them read files (this module's I/O). A file that cannot be read
is set apart with the reason, never a crash: one damaged folder must not hide a year of briefings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from briefing.briefs.page import Briefing
from briefing.briefs.periods import Period
from briefing.errors import InputError, first_problem

SAVED_FILE = "briefing.json"
# What `briefing daily`, and `briefing brief` or the app, call the briefings they write.
ARCHIVED_TITLES = ("Daily briefing", "Briefing")


def folder_name(briefing: Briefing) -> str:
    """The dated folder of a briefing: '2026-11-25', or '2026-11-24_2026-11-26' for a range."""
    if briefing.since == briefing.until:
        return briefing.since.isoformat()
    return f"{briefing.since}_{briefing.until}"


@dataclass(frozen=True)
class SavedBriefing:
    """A briefing written to the archive: where it is and what it covers, without its stories."""

    folder: Path
    since: date
    until: date
    title: str
    period_label: str  # 'Wednesday 25 November 2026'
    generated_at: datetime
    stories: int
    words: int

    @property
    def path(self) -> Path:
        """Its briefing.json."""
        return self.folder / SAVED_FILE

    def load(self) -> Briefing:
        """The whole briefing, read from its file (InputError when it can no longer be read)."""
        return read_briefing(self.path)


@dataclass(frozen=True)
class UnreadableBriefing:
    """A briefing.json of the archive that cannot be read, and why."""

    path: Path
    reason: str


class Archive(NamedTuple):
    """The briefings of an output folder, newest period first, and the files set apart."""

    saved: list[SavedBriefing]
    unreadable: list[UnreadableBriefing]


def list_briefings(out_dir: Path) -> Archive:
    """The briefings saved in `out_dir/*/briefing.json`, newest period first; unreadable files apart, with why."""
    read, unreadable = _read_all(out_dir)
    return Archive([_described(folder, briefing) for folder, briefing in read], unreadable)


def saved_briefings(out_dir: Path) -> list[Briefing]:
    """Every briefing saved in the folder that can be read, newest period first."""
    return [briefing for _, briefing in _read_all(out_dir)[0]]


def earlier_briefings(out_dir: Path, period: Period) -> list[Briefing]:
    """The saved briefings ("Daily briefing" or "Briefing") that end in the days just before `period`
    (`period.context()`), newest first: which stories readers followed, and what they were told."""
    context = period.context()
    return [
        briefing
        for briefing in saved_briefings(out_dir)
        if context.since <= briefing.until <= context.until and briefing.title in ARCHIVED_TITLES
    ]


def _read_all(out_dir: Path) -> tuple[list[tuple[Path, Briefing]], list[UnreadableBriefing]]:
    """Each readable briefing with its folder, newest period first (each file read once), and the unreadable ones."""
    read: list[tuple[Path, Briefing]] = []
    unreadable: list[UnreadableBriefing] = []
    for path in sorted(out_dir.glob(f"*/{SAVED_FILE}")) if out_dir.is_dir() else []:
        try:
            read.append((path.parent, read_briefing(path)))
        except InputError as error:
            unreadable.append(UnreadableBriefing(path, error.reason))
    read.sort(key=lambda pair: (pair[1].until, pair[1].since, pair[1].generated_at.timestamp()), reverse=True)
    return read, unreadable


def read_briefing(path: Path) -> Briefing:
    """The briefing saved as JSON at `path`; InputError naming the file and the first problem otherwise."""
    try:
        return Briefing.model_validate_json(path.read_bytes())
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from error
    except ValidationError as error:
        raise InputError(str(path), f"is not a saved briefing ({first_problem(error)})") from error


def _described(folder: Path, briefing: Briefing) -> SavedBriefing:
    return SavedBriefing(
        folder=folder,
        since=briefing.since,
        until=briefing.until,
        title=briefing.title,
        period_label=briefing.period_label,
        generated_at=briefing.generated_at,
        stories=len(briefing.stories),
        words=briefing.word_count(),
    )
