"""The briefings as an Atom 1.0 feed (RFC 4287), so any feed reader can deliver them (pure logic).

One entry per briefing, newest period first; its content is the e-mail HTML, so it reads the same in a reader as in
a mailbox. An entry's id is a tag: URI of its period: a briefing written again for the same period updates its
entry instead of adding one. Links are relative (the dated folders sit beside feed.xml, and readers resolve them
against the feed's own address) unless a base URL is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urljoin
from xml.etree import ElementTree

from briefing.briefs.archive import folder_name
from briefing.briefs.page import Briefing
from briefing.render import file_name
from briefing.render.email import email_body
from briefing.render.wording import one_line, summary_line

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
FEED_TITLE = "Briefings"
FEED_ENTRIES = 30
TAG_AUTHORITY = "briefing.local"  # the tagging entity of every id (RFC 4151)
FEED_ID = f"tag:{TAG_AUTHORITY},2026:briefings"
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)  # a feed with no entry still needs an <updated>


def render_atom(
    briefings: Sequence[Briefing],
    *,
    base_url: str | None = None,
    title: str = FEED_TITLE,
    limit: int = FEED_ENTRIES,
) -> bytes:
    """The feed of the newest `limit` briefings as UTF-8 XML; `base_url` is where the output folder is served,
    making the links absolute (and adding the feed's rel="self" link)."""
    newest = sorted(briefings, key=lambda b: (b.until, b.since, _aware(b.generated_at)), reverse=True)[:limit]
    feed = ElementTree.Element("feed", {"xmlns": ATOM_NAMESPACE})
    _child(feed, "id", FEED_ID)
    _child(feed, "title", title)
    updated = max((_aware(b.generated_at) for b in newest), default=EMPTY_FEED_UPDATED)
    _child(feed, "updated", _timestamp(updated))
    if base_url:
        ElementTree.SubElement(feed, "link", rel="self", type="application/atom+xml", href=_link(base_url, FEED_FILE))
    _child(ElementTree.SubElement(feed, "author"), "name", "briefing")
    _child(feed, "generator", "briefing")
    for briefing in newest:
        feed.append(_entry(briefing, base_url))
    ElementTree.indent(feed)
    data: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def entry_id(briefing: Briefing) -> str:
    """'tag:briefing.local,2026-11-25:2026-11-25': the same for every briefing written for the period."""
    return f"tag:{TAG_AUTHORITY},{briefing.since.isoformat()}:{folder_name(briefing)}"


def entry_title(briefing: Briefing) -> str:
    """'Daily briefing · Wednesday 25 November 2026'."""
    return f"{one_line(briefing.title)} · {briefing.period_label}"


def _entry(briefing: Briefing, base_url: str | None) -> ElementTree.Element:
    entry = ElementTree.Element("entry")
    _child(entry, "id", entry_id(briefing))
    _child(entry, "title", entry_title(briefing))
    _child(entry, "updated", _timestamp(_aware(briefing.generated_at)))
    page = f"{folder_name(briefing)}/{file_name('html')}"
    ElementTree.SubElement(entry, "link", rel="alternate", type="text/html", href=_link(base_url, page))
    _child(entry, "summary", summary_line(briefing))
    # type="html": the markup travels as escaped text, which ElementTree does for any text it writes.
    _child(entry, "content", email_body(briefing), type="html")
    return entry


def _child(parent: ElementTree.Element, tag: str, text: str, **attributes: str) -> None:
    ElementTree.SubElement(parent, tag, attributes).text = text


def _aware(moment: datetime) -> datetime:
    """The time with its offset; a time saved without one is taken as UTC (Atom dates need an offset)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _timestamp(moment: datetime) -> str:
    """RFC 3339, as Atom requires: '2026-11-25T07:02:00+01:00'."""
    return moment.isoformat(timespec="seconds")


def _folder_url(base_url: str) -> str:
    """The base URL as a folder, so relative links resolve inside it."""
    return base_url if base_url.endswith("/") else f"{base_url}/"


def _link(base_url: str | None, path: str) -> str:
    return urljoin(_folder_url(base_url), path) if base_url else path
