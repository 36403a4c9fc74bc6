"""Publishing a briefing: fitted to one printed page, then written in its formats into its dated folder; and the
output folder's Atom feed rebuilt from the briefings saved there (each file replaced atomically)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefing.atomic import replace_atomically
from briefing.briefs.archive import folder_name, saved_briefings
from briefing.briefs.page import Briefing, renumbered
from briefing.render import FORMATS, Format, write
from briefing.render.atom import FEED_ENTRIES, FEED_FILE, render_atom
from briefing.render.pdf import PageSize, render_pdf_with_pages

__all__ = ["fit_one_page", "folder_name", "publish", "publish_feed"]  # folder_name: where publish writes, for the app


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
    """Fit the briefing to one page and write it in the formats into the folder; the paths written."""
    return write(fit_one_page(briefing, page_size), folder, formats, page_size)


def publish_feed(out_dir: Path, base_url: str | None = None) -> Path:
    """Rebuild `<out_dir>/feed.xml` from the newest briefings saved in out_dir's folders; its path. Files that
    cannot be read are left out of the feed (`briefing brief --list` names them)."""
    path = out_dir / FEED_FILE
    out_dir.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, render_atom(saved_briefings(out_dir)[:FEED_ENTRIES], base_url=base_url))
    return path
