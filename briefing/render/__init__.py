"""A briefing on paper and screen: Markdown, standalone HTML, a one-page PDF, JSON and an HTML e-mail; and writing
them to a folder.

`render` is pure; `write` is the one place here that touches files, and it replaces each file atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from briefing.atomic import replace_atomically
from briefing.briefs.page import Briefing
from briefing.render.email import render_email
from briefing.render.html import render_html
from briefing.render.markdown import escape_markdown, render_markdown
from briefing.render.pdf import PageSize, render_pdf, render_pdf_with_pages

Format = Literal["md", "html", "pdf", "json", "email"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf", "json", "email")
FILE_STEM = "briefing"
_SUFFIXES: dict[Format, str] = {"email": "email.html"}  # an HTML file too, beside the page: briefing.email.html

__all__ = [
    "FILE_STEM",
    "FORMATS",
    "Format",
    "PageSize",
    "escape_markdown",
    "file_name",
    "render",
    "render_email",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_pdf_with_pages",
    "write",
]


def render(briefing: Briefing, fmt: Format, page_size: PageSize = "A4") -> bytes:
    """The briefing in one format, as the bytes of its file (text formats in UTF-8)."""
    if fmt == "md":
        return render_markdown(briefing).encode()
    if fmt == "html":
        return render_html(briefing).encode()
    if fmt == "pdf":
        return render_pdf(briefing, page_size)
    if fmt == "json":
        return briefing.model_dump_json(indent=2).encode()
    if fmt == "email":
        return render_email(briefing).encode()
    raise ValueError(f"unknown briefing format {fmt!r}: choose one of {', '.join(FORMATS)}")


def file_name(fmt: Format) -> str:
    """The file a format is written to: 'briefing.md', ..., 'briefing.json', 'briefing.email.html'."""
    return f"{FILE_STEM}.{_SUFFIXES.get(fmt, fmt)}"


def write(
    briefing: Briefing, folder: Path, formats: Iterable[Format] = FORMATS, page_size: PageSize = "A4"
) -> list[Path]:
    """Write briefing.md / .html / .pdf / .json / .email.html into the folder, each replaced atomically; the paths
    written.

    Every format is rendered before any file is touched, so a failing renderer leaves the old files as they were.
    """
    rendered = {fmt: render(briefing, fmt, page_size) for fmt in dict.fromkeys(formats)}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, data in rendered.items():
        path = folder / file_name(fmt)
        replace_atomically(path, data)
        written.append(path)
    return written
