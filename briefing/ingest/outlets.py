"""Outlet names and page furniture: a readable outlet name for a host, headlines without the outlet's suffix, and
live-blog stamps, share prompts and page labels taken out of the text (pure logic).

"Reported by www.usatoday.com" reads worse than "Reported by USA Today", and a headline ending "- USA Today" or
"| CNN Business" repeats the outlet line under it. Live blogs flattened to text start each update with its time and
a share button ("10:10 pm ET April 28, 2026 Share this update King Charles jokes…"): the stamp belongs to the page,
not the sentence.
"""

from __future__ import annotations

import re

from briefing.words import content_words

KNOWN_OUTLETS = {
    "abcnews.go.com": "ABC News",
    "aljazeera.com": "Al Jazeera",
    "apnews.com": "AP News",
    "axios.com": "Axios",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "bloomberg.com": "Bloomberg",
    "cbsnews.com": "CBS News",
    "cnbc.com": "CNBC",
    "cnn.com": "CNN",
    "economist.com": "The Economist",
    "foxnews.com": "Fox News",
    "ft.com": "Financial Times",
    "latimes.com": "Los Angeles Times",
    "nbcnews.com": "NBC News",
    "npr.org": "NPR",
    "nytimes.com": "The New York Times",
    "politico.com": "Politico",
    "reuters.com": "Reuters",
    "theatlantic.com": "The Atlantic",
    "theguardian.com": "The Guardian",
    "usatoday.com": "USA Today",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
}
"""Display names of common outlets whose pages often lack a site name (a page's own og:site_name wins)."""

_HOST_PREFIXES = ("www.", "m.", "amp.", "edition.", "mobile.")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def bare_host(host: str) -> str:
    """'www.usatoday.com' → 'usatoday.com' (lowercase, no port, no 'www.', 'm.', 'amp.' or 'edition.')."""
    host = host.strip().lower().split(":", 1)[0].rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host.removeprefix(prefix)
    return host


def is_domain(name: str) -> bool:
    """True when an outlet is only known by its host name ('usatoday.com')."""
    return bool(_DOMAIN.fullmatch(name.strip()))


def outlet_display_name(source: str) -> str:
    """A readable outlet name: a real name as it is; a host as the outlet's known name ('USA Today'), else the host
    without 'www.'."""
    if not is_domain(source):
        return " ".join(source.split())
    host = bare_host(source)
    for domain, name in KNOWN_OUTLETS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host


# ---- headlines ---------------------------------------------------------------------------------------------------

_SUFFIX = re.compile(r"\s+[|\-–—:]\s+(?P<suffix>[^|\-–—:]{2,60}?)\s*(?:\.\.\.|…)?\s*$")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")


def _outlet_words(outlet: str, host: str) -> set[str]:
    """Words that name the outlet: those of its name and of its host's labels ('usatoday', 'usa', 'today')."""
    words = {w.casefold() for w in re.findall(r"[\w']+", outlet)} - _LINKING_WORDS
    if host:
        labels = bare_host(host).split(".")[:-1]
        words |= {label for label in labels if len(label) > 2}
    return words


_LINKING_WORDS = {"the", "a", "an", "of", "and", "on"}


def _names_outlet(suffix: str, outlet_words: set[str]) -> bool:
    """True when the suffix is the outlet's name, maybe with a section ('CNN Business', 'USA TODAY Sports')."""
    words = [w.casefold() for w in re.findall(r"[\w']+", suffix)]
    if not words or len(words) > 5:
        return False
    if "".join(words) in outlet_words:  # "USA Today" against the host label "usatoday"
        return True
    named = [w for w in words if w not in _LINKING_WORDS]
    return bool(named) and named[0] in outlet_words and sum(w in outlet_words for w in named) >= len(named) / 2


def tidy_title(title: str, outlet: str, host: str = "") -> str:
    """The headline without a trailing outlet suffix ('… on it - USA Today', '… dead yet | CNN Business'), and
    without a search engine's trailing '...' after such a suffix. Anything else is left as written."""
    title = " ".join(title.split())
    known = _outlet_words(outlet, host) | _outlet_words(outlet_display_name(host or outlet), "")
    match = _SUFFIX.search(title)
    if match and _names_outlet(match.group("suffix"), known):
        kept = title[: match.start()].rstrip()
        if len(content_words(kept)) >= 2:
            return kept
    return title


# ---- live-blog furniture ---------------------------------------------------------------------------------------

_SHARE = r"(?:share this (?:update|post|moment|entry)|copy link(?: to this update)?|link copied!?)"
_TIME = r"\d{1,2}:\d{2}\s*(?:[ap]\.?\s?m\.?)?(?:\s*(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|BST|GMT|UTC|CET|CEST))?"
_DAY = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})"
_STAMP_THEN_SHARE = re.compile(
    rf"^\s*(?:{_TIME}\s*,?\s*(?:{_DAY})?\s*)?{_SHARE}(?=\s+(?-i:[A-Z\"“])|\s*$)\s*", re.IGNORECASE
)
_STAMP_THEN_DAY = re.compile(rf"^\s*{_TIME}\s*,?\s*{_DAY}\s*(?:{_SHARE}\s*)?", re.IGNORECASE)
_STAMP_ALONE = re.compile(rf"^\s*(?:updated\s*)?{_TIME}\s*,?\s*(?:{_DAY})?\s*$", re.IGNORECASE)
_STAMP_SHARE_ANYWHERE = re.compile(rf"\s*\b{_TIME}\s*,?\s*(?:{_DAY})?\s*{_SHARE}(?=\s|$)", re.IGNORECASE)
_SHARE_ANYWHERE = re.compile(rf"\s*\b{_SHARE}(?=\s+(?-i:[A-Z\"“])|\s*$)", re.IGNORECASE)


def without_live_stamps(paragraph: str) -> str:
    """The paragraph without a live-blog update's stamp and share prompt ('10:10 pm ET April 28, 2026 Share this
    update'), '' when it was only that. A time inside a sentence ('kickoff at 6:30 p.m. ET') stays."""
    if _STAMP_ALONE.match(paragraph):
        return ""
    text = _STAMP_THEN_SHARE.sub("", paragraph, count=1)
    text = _STAMP_THEN_DAY.sub("", text, count=1)
    text = _STAMP_SHARE_ANYWHERE.sub("", text)
    return _SHARE_ANYWHERE.sub("", text).strip()


# ---- page labels -----------------------------------------------------------------------------------------------

_PAGE_LABEL = re.compile(r"^\s*AI-assisted summary\b\s*:?\s*", re.IGNORECASE)


def without_page_labels(paragraph: str) -> str:
    """The paragraph without a label the page sets before its text ('AI-assisted summary The fire burned …' keeps
    'The fire burned …'): a key point quoting it would start with the page's label."""
    return _PAGE_LABEL.sub("", paragraph, count=1)
