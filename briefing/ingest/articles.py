"""Articles: the typed record, and pure parsing and cleaning of article text you already have."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil import parser as dateparser
from pydantic import BaseModel, ConfigDict, Field

from briefing.errors import InputError
from briefing.ingest.outlets import (
    bare_host,
    is_domain,
    outlet_display_name,
    tidy_title,
    without_live_stamps,
    without_page_labels,
)

Published = date | datetime | None


class Article(BaseModel):
    """One cleaned news article with its metadata."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    body: str
    published: datetime | date | None = None
    authors: tuple[str, ...] = ()
    source: str = "unknown"
    url: str | None = None
    origin: str = ""
    notes: tuple[str, ...] = Field(default=(), exclude=True)
    """What a reader of the ingest report should know, e.g. a date that could not be read (not stored)."""

    @property
    def published_day(self) -> date | None:
        """The calendar day of publication as the article itself states it."""
        if isinstance(self.published, datetime):
            return self.published.date()
        return self.published

    @property
    def fingerprint(self) -> str:
        """Hash of the normalised body: equal for exact duplicates whatever their metadata."""
        return _sha(normalise_text(self.body))


def day_label(published: Published, missing: str = "undated") -> str:
    """'2026-11-25' (the day as the article states it), or `missing` when the date is unknown."""
    if published is None:
        return missing
    day = published.date() if isinstance(published, datetime) else published
    return day.isoformat()


def byline(authors: Sequence[str]) -> str:
    """'Ann Holt', 'Ann Holt and Per Lund', 'Ann Holt, Per Lund and Mia Berg' ('' for none)."""
    names = [a.strip() for a in authors if a.strip()]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


# ---- ids and normalisation -------------------------------------------------------------------------------------

_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid)$", re.IGNORECASE)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_text(text: str) -> str:
    """Lowercase, unify Unicode, drop punctuation and collapse whitespace (for duplicate detection)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def canonical_url(url: str) -> str:
    """Scheme and host lowercased, no fragment, tracking parameters, 'www.' or trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(((parts.scheme or "https").lower(), host, path, query, ""))


def make_article_id(url: str | None, title: str, published: Published, source: str) -> str:
    """Stable id: from the canonical URL when known, else from title, day and source."""
    if url:
        key = canonical_url(url)
    else:
        day = published.isoformat()[:10] if published else ""
        key = f"{normalise_text(title)}|{day}|{normalise_text(source)}"
    return "a" + _sha(key)[:15]


def source_from_url(url: str) -> str:
    """The site's host name, without 'www.'."""
    return bare_host(urlsplit(url).netloc) or "unknown"


def outlet_names(pairs: Iterable[tuple[str | None, str]]) -> dict[str, str]:
    """Host name -> outlet name, learned from (url, source) pairs whose source is a real name."""
    return {source_from_url(url): source for url, source in pairs if url and not is_domain(source)}


def with_outlet_name(article: Article, names: Mapping[str, str]) -> Article:
    """The article with a readable outlet name (learned from the site's other pages, else known for its host, else
    the host without 'www.') and its headline without the outlet's suffix ('… - USA Today')."""
    source = article.source
    if is_domain(source):
        source = names.get(bare_host(source)) or outlet_display_name(source)
    host = source_from_url(article.url) if article.url else ""
    title = tidy_title(article.title, source, host or (article.source if is_domain(article.source) else ""))
    if (source, title) == (article.source, article.title):
        return article
    new_id = article.id if article.url else make_article_id(None, title, article.published, source)
    return article.model_copy(update={"source": source, "title": title, "id": new_id})


# ---- dates and authors -----------------------------------------------------------------------------------------

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_SLASH_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")


def parse_published(value: object) -> Published:
    """Read a publication date: ISO 8601, '2025/09/10', 'Dec. 14, 2017 - 17:31', epoch seconds...

    Returns a timezone-aware datetime when the text gives a zone, a naive datetime when it gives a time
    without a zone, a date when it gives only a day, and None when it cannot be read.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), tz=UTC)
    text = str(value).strip()
    if match := _SLASH_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _safe_date(year, month, day)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dateparser.parse(text.replace(" - ", " "), fuzzy=True)
        except (ValueError, OverflowError):
            return None
    if not _HAS_TIME.search(text):
        return parsed.date()
    return parsed


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def split_authors(value: object) -> tuple[str, ...]:
    """Author names from a list or a byline string like 'By Ana Ruiz and Tom Becker'."""
    items: Iterable[object]
    if value is None:
        return ()
    if isinstance(value, str):
        items = _AUTHOR_SPLIT.split(re.sub(r"^\s*by\s+", "", value, flags=re.IGNORECASE))
    elif isinstance(value, Iterable):
        items = value
    else:
        items = [value]
    names: list[str] = []
    for item in items:
        name = item.get("name", "") if isinstance(item, Mapping) else str(item)
        name = " ".join(name.split()).strip(" .,")
        if name and name not in names:
            names.append(name)
    return tuple(names)


# ---- cleaning --------------------------------------------------------------------------------------------------

_BOILERPLATE_LINES = {
    "from",
    "send to",
    "share",
    "print",
    "email",
    "e-mail",
    "advertisement",
    "ad",
    "comments",
    "share this article",
    "share on facebook",
    "share on twitter",
    "tweet",
    "subscribe",
    "sign up",
    "read more",
    "related",
    "related stories",
    "skip to content",
    "close",
    "menu",
    "listen",
    "save",
    "video ad feedback",
    "cnn —",
}
_BOILERPLATE_PATTERNS = [
    re.compile(r"^\([^()]{2,60}\)$"),  # photo credit alone on a line: "(Yonhap)"
    re.compile(r"^(?:photo|image|credit|file photo)\s*:.{0,120}$", re.IGNORECASE),
    re.compile(r"^by\s+[^()]{2,80}\(\s*\S+@\S+\s*\)$", re.IGNORECASE),  # footer byline with e-mail
    re.compile(r"^\S+@\S+\.\w+$"),  # an e-mail address alone
    re.compile(r"^\(?(?:additional )?(?:reporting|writing|editing) by\b.{0,150}$", re.IGNORECASE),  # wire credits
    re.compile(r"^(?:updated|published|posted)\b[^.]{0,80}\d{1,2}:\d{2}.{0,20}$", re.IGNORECASE),
    # the site's own promotions: puzzles, subscriptions, newsletters
    re.compile(r"^(?:need a (?:news )?break|looking for a free mini puzzle)\?.{0,100}$", re.IGNORECASE),
    re.compile(r"^check out the all new play hub\b.{0,80}$", re.IGNORECASE),
    re.compile(r"^subscribe to the week\b.{0,300}$", re.IGNORECASE),
    re.compile(r"^.{0,100}\bsign up for\b.{0,60}\bnewsletters?\b.{0,80}$", re.IGNORECASE),
    # a link to another story, a headline without a full stop ("More:Bridge repairs delayed again")
    re.compile(r"^(?:more|live updates|related)\s*:.{0,200}(?<![.!])$", re.IGNORECASE),
    # a live page's note on which day it covers ("Editor's note: This page reflects news of … For the latest …")
    re.compile(
        r"^editor['’]?s note:\s*this (?:page|story|article) (?:reflects|summarizes|is a summary)\b.{0,300}$", re.I
    ),
]


def is_boilerplate(paragraph: str) -> bool:
    """True for lines a scraper picks up around a story: share buttons, photo credits, footer bylines, the site's
    promotions, links to other stories."""
    text = paragraph.strip()
    if not text:
        return True
    if text.lower().rstrip(":") in _BOILERPLATE_LINES:
        return True
    return any(p.match(text) for p in _BOILERPLATE_PATTERNS)


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs separated by blank lines; lines inside a paragraph are joined with spaces."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def clean_body(text: str) -> str:
    """The story's paragraphs only (live-blog stamps, share prompts and page labels taken out), separated by one
    blank line."""
    kept = (without_page_labels(without_live_stamps(p)) for p in paragraphs_of(text))
    return "\n\n".join(p for p in kept if not is_boilerplate(p))


# ---- scraped plain text ----------------------------------------------------------------------------------------

_MONTH_DATE = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}"
_ISO_DATE = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_DATELINE = re.compile(
    rf"^(?:(?:published|updated|posted)\s*:?\s*)?(?P<date>{_MONTH_DATE}|{_ISO_DATE})"
    r"(?:\s*[-–|,]?\s*(?P<time>\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?)(?:\s*(?P<tz>UTC|GMT|Z|[+-]\d{2}:?\d{2}))?)?"
    r"\s*[|,-]?\s*(?:[Bb]y\s+(?P<by>.+))?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^[Bb]y\s+(?P<by>[^()]{2,120}?)\s*(?:\((?P<email>\S+@\S+)\))?$")
_FOOTER_EMAIL = re.compile(r"\(\s*\S+@(?P<domain>[\w.-]+\.\w+)\s*\)\s*$")


def parse_scraped_text(text: str, origin: str, default_source: str | None = None) -> Article:
    """Read a news page scraped to plain text: boilerplate lines, headline, dateline and byline, story, footer."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    position = 0
    while position < len(lines) and is_boilerplate(lines[position]):
        position += 1
    if position == len(lines):
        raise InputError(origin, "no text found")
    title = " ".join(lines[position].split())
    position += 1

    published: Published = None
    authors: tuple[str, ...] = ()
    for look_ahead in range(position, min(position + 6, len(lines))):
        line = lines[look_ahead].strip()
        if not line:
            continue
        if (dateline := _DATELINE.match(line)) and (found := _date_from_dateline(dateline)) is not None:
            published = found
            authors = split_authors(dateline.group("by")) if dateline.group("by") else authors
            position = look_ahead + 1
            continue
        if (byline := _BYLINE.match(line)) and not authors:
            authors = split_authors(byline.group("by"))
            position = look_ahead + 1
            continue
        break

    rest = lines[position:]
    footer = next((line.strip() for line in reversed(rest) if line.strip()), "")
    source = default_source
    if footer_byline := _BYLINE.match(footer):
        authors = authors or split_authors(footer_byline.group("by"))
        if not source and (email := _FOOTER_EMAIL.search(footer)):
            source = email.group("domain").lower()
    body = clean_body("\n".join(rest))
    if not body:
        raise InputError(origin, "no article text after the headline")
    source = source or "unknown"
    return Article(
        id=make_article_id(None, title, published, source),
        title=title,
        body=body,
        published=published,
        authors=authors,
        source=source,
        origin=origin,
    )


def _date_from_dateline(match: re.Match[str]) -> Published:
    stamp = match.group("date")
    if match.group("time"):
        stamp = f"{stamp} {match.group('time')}"
        if match.group("tz"):
            stamp = f"{stamp} {match.group('tz')}"
    return parse_published(stamp)


# ---- structured records (JSON, feeds) --------------------------------------------------------------------------

_TITLE_KEYS = ("title", "headline", "name")
_BODY_KEYS = ("body", "text", "content", "article", "maintext", "description")
_DATE_KEYS = ("published_at", "publish_date", "published", "date_publish", "pubDate", "date", "datetime", "time")
_AUTHOR_KEYS = ("authors", "author", "byline", "creator")
_SOURCE_KEYS = ("source", "outlet", "publisher", "site_name", "sitename", "domain")
_URL_KEYS = ("url", "link", "canonical_url", "href")


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def nested_records(record: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    """Article records held in a list inside a wrapper record (e.g. a search result), or None."""
    if _first(record, _BODY_KEYS) is not None:
        return None
    for value in record.values():
        is_records = isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value)
        if is_records and any(_first(v, _BODY_KEYS) is not None for v in value):
            return cast(list[Mapping[str, Any]], value)
    return None


def article_from_record(record: Mapping[str, Any], origin: str, default_source: str | None = None) -> Article:
    """An article from a JSON-like record with fields such as title, body/text, published_at, authors, url."""
    raw_body = _first(record, _BODY_KEYS)
    if not isinstance(raw_body, str) or not raw_body.strip():
        raise InputError(origin, f"record has no article text (expected one of: {', '.join(_BODY_KEYS[:3])})")
    body = clean_body(raw_body)
    if not body:
        raise InputError(origin, "record's text is only boilerplate")
    url = _first(record, _URL_KEYS)
    url = str(url).strip() if url else None
    raw_title = _first(record, _TITLE_KEYS)
    title = " ".join(str(raw_title).split()) if raw_title else _title_from_body(body)
    raw_source = _first(record, _SOURCE_KEYS)
    if isinstance(raw_source, Mapping):
        raw_source = raw_source.get("name") or raw_source.get("title")
    source = str(raw_source).strip() if raw_source else default_source or (source_from_url(url) if url else "unknown")
    raw_date = _first(record, _DATE_KEYS)
    published = parse_published(raw_date)
    unread = published is None and raw_date not in (None, "")
    return Article(
        id=make_article_id(url, title, published, source),
        title=title,
        body=body,
        published=published,
        authors=split_authors(_first(record, _AUTHOR_KEYS)),
        source=source,
        url=url,
        origin=origin,
        notes=(f"date {str(raw_date)[:40]!r} not understood; stored as undated",) if unread else (),
    )


def _title_from_body(body: str) -> str:
    words = body.split("\n", 1)[0].split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")
