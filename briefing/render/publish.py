"""Publishing a briefing: fitted to one printed page, then written in its formats (each file replaced
atomically)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefing.briefs.page import Briefing, renumbered
from briefing.render import FORMATS, Format, write
from briefing.render.pdf import PageSize, render_pdf_with_pages


def fit_one_page(briefing: Briefing, page_size: PageSize = "A4") -> Briefing:
    """Drop the least important stories until the PDF is one page (the word budget usually suffices)."""
    while len(briefing.stories) > 1 and render_pdf_with_pages(briefing, page_size)[1] > 1:
        dropped = briefing.stories.pop()
        briefing.changes = [c for c in briefing.changes if c.story_id != dropped.story_id]
        briefing.stats.stories_shown = len(briefing.stories)
        briefing.stats.words = briefing.word_count()
        briefing = renumbered(briefing)
    return briefing


def folder_name(briefing: Briefing) -> str:
    """The dated folder of a briefing: '2026-11-25', or '2026-11-24_2026-11-26' for a range."""
    if briefing.since == briefing.until:
        return briefing.since.isoformat()
    return f"{briefing.since}_{briefing.until}"


def publish(
    briefing: Briefing, folder: Path, formats: Sequence[Format] = FORMATS, page_size: PageSize = "A4"
) -> list[Path]:
    """Fit the briefing to one page and write it in the formats into the folder; the paths written."""
    return write(fit_one_page(briefing, page_size), folder, formats, page_size)
