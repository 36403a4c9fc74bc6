"""Article pages in HTML: the main text through trafilatura, metadata from the page's own tags."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
import trafilatura

from briefing.errors import InputError
from briefing.ingest.articles import (
    Article,
    Published,
    clean_body,
    is_boilerplate,
    make_article_id,
    normalise_text,
    parse_published,
    source_from_url,
    split_authors,
)

MIN_WORDS = 8
MAX_HTML_CHARS = 5_000_000
"""Larger pages are refused before parsing: no article page is that long, and parsing one costs gigabytes."""
_DATE_META = ("article:published_time", "og:published_time", "datePublished", "pubdate", "date", "dc.date")


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_html_article(
    html: str, origin: str, default_source: str | None = None, url: str | None = None, default_title: str | None = None
) -> Article:
    """Extract the story of an article page, dropping navigation, banners, asides and footers; `default_title`
    (e.g. a feed entry's title) is used when the page has no headline."""
    if len(html) > MAX_HTML_CHARS:
        raise InputError(
            origin, f"HTML page is larger than {MAX_HTML_CHARS / 1e6:.0f} MB of text (the limit for a page)"
        )
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses a decoded str that still declares its encoding
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(origin, f"not a readable HTML page ({exc})") from exc
    meta = _meta_tags(tree)
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    found: dict[str, Any] = {}
    if extracted is not None:
        found = extracted if isinstance(extracted, dict) else extracted.as_dict()
    title = (
        meta.get("og:title")
        or found.get("title")
        or _first_text(tree, "//h1")
        or _first_text(tree, "//title")
        or default_title
    )
    paragraphs = [line for line in (found.get("text") or "").split("\n") if not is_boilerplate(line)]
    # Extraction often starts with the headline itself.
    while paragraphs and title and normalise_text(paragraphs[0]) == normalise_text(str(title)):
        paragraphs.pop(0)
    body = clean_body("\n\n".join(paragraphs))
    if len(body.split()) < MIN_WORDS:
        raise InputError(origin, "no article text found in the HTML page")
    if not title:
        raise InputError(origin, "no headline found in the HTML page")
    page_url = url or _canonical_link(tree) or meta.get("og:url") or found.get("url")
    published = _published(meta, tree) or parse_published(found.get("date"))
    authors = split_authors(meta.get("author") or meta.get("article:author") or found.get("author"))
    source = (
        meta.get("og:site_name")
        or found.get("sitename")
        or default_source
        or (source_from_url(page_url) if page_url else "unknown")
    )
    title = " ".join(str(title).split())
    return Article(
        id=make_article_id(page_url, title, published, source),
        title=title,
        body=body,
        published=published,
        authors=authors,
        source=source,
        url=page_url,
        origin=origin,
    )


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and key not in tags:
            tags[key] = content.strip()
    return tags


def _canonical_link(tree: lxml.html.HtmlElement) -> str | None:
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _first_text(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    nodes = tree.xpath(xpath)
    return " ".join(nodes[0].text_content().split()) if nodes else None


def _published(meta: dict[str, str], tree: lxml.html.HtmlElement) -> Published:
    for key in _DATE_META:
        if key in meta and (value := parse_published(meta[key])):
            return value
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except json.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and (value := parse_published(item.get("datePublished"))):
                return value
    for node in tree.xpath("//time[@datetime]"):
        if value := parse_published(node.get("datetime")):
            return value
    return None
