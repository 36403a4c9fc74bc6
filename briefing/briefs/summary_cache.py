"""Verified story summaries kept on disk, so an unchanged story is never summarised twice (I/O edge)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from briefing.answer.types import UnsupportedSentence
from briefing.atomic import replace_atomically
from briefing.grounding.citations import Citation


class StorySummary(BaseModel):
    """A story's checked key points (each with its cited spans) and the sentences the verifier rejected."""

    points: list[tuple[str, list[Citation]]]
    unsupported: list[UnsupportedSentence]
    checked: int  # sentences the model wrote, all checked
    extracted: int = 0  # points that are source sentences verbatim, added when too few written ones passed


def summary_key(*parts: object) -> str:
    """A key that changes whenever anything that shapes the summary changes."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


class SummaryCache:
    """One JSON file per summary under `folder`; unreadable entries are treated as missing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> StorySummary | None:
        try:
            return StorySummary.model_validate_json((self.folder / f"{key}.json").read_bytes())
        except (OSError, ValidationError):
            return None

    def put(self, key: str, summary: StorySummary) -> None:
        """Write atomically: a crash leaves the old entry or none, never half a file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(self.folder / f"{key}.json", summary.model_dump_json().encode())
