"""Words of English news text: the stop words, and the content words of a text (pure logic)."""

from __future__ import annotations

import re

STOP_WORDS = set(
    "a an the and or but of to in on at for with by from as is are was were be been being has have had it its this "
    "that these those he she they we you i his her their our your them him who whom which what when where why how "
    "not no said says say will would could should can may might also after before about into over than then there "
    "more most some any all one two on its were while because up out so if do did does just only new".split()
)
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^)]{1,40}\))?\s+[-–—]\s+")
"""The dateline before a story's first sentence: "PORT ALDER, Nov. 24 (Meridian Wire) - "."""
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*")


def content_words(text: str) -> set[str]:
    """Lowercased words that carry meaning (no stop words), numbers included."""
    return {w.lower().strip("'’") for w in _WORD.findall(text)} - STOP_WORDS
