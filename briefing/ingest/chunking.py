"""Splitting a cleaned article body into sentence-whole chunks that know their character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "prof",
    "gen",
    "gov",
    "sen",
    "rep",
    "lt",
    "col",
    "capt",
    "sgt",
    "mt",
    "no",
    "vs",
    "etc",
    "inc",
    "co",
    "corp",
    "ltd",
    "dept",
    "est",
    "approx",
    "fig",
    "al",
    "ft",
    "rev",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "a.m",
    "p.m",
    "d.c",
}
# A candidate end of sentence: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9]")


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article; `text == body[start:end]`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        """Stable id of the chunk within the store."""
        return f"{self.article_id}:{self.index}"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; paragraph breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        offset = paragraph.start()
        chunk = paragraph.group()
        start = 0
        for match in _BOUNDARY.finditer(chunk):
            end = match.end()
            if not _NEXT_STARTS_SENTENCE.match(chunk, end) or _ends_with_abbreviation(chunk[start:end]):
                continue
            spans.append(_trimmed(text, offset + start, offset + end))
            start = end
        if chunk[start:].strip():
            spans.append(_trimmed(text, offset + start, offset + len(chunk)))
    return [span for span in spans if span[1] > span[0]]


def _ends_with_abbreviation(sentence: str) -> bool:
    words = sentence.rstrip("\"'”’)]").split()
    if not words:
        return False
    last = words[-1].rstrip(".!?").lstrip("\"'“‘([").lower()
    is_initial = len(last) == 1 and last.isalpha()
    return last in _ABBREVIATIONS or is_initial


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def chunk_text(article_id: str, body: str, max_words: int) -> list[Chunk]:
    """Pack whole sentences into chunks of about `max_words` words; a short tail joins the chunk before it."""
    groups: list[list[tuple[int, int]]] = []
    words_in_group = 0
    for span in sentence_spans(body):
        words = len(body[span[0] : span[1]].split())
        if groups and words_in_group + words <= max_words:
            groups[-1].append(span)
            words_in_group += words
        else:
            groups.append([span])
            words_in_group = words
    if len(groups) > 1:
        tail_words = sum(len(body[s:e].split()) for s, e in groups[-1])
        before_words = sum(len(body[s:e].split()) for s, e in groups[-2])
        if tail_words < max_words // 4 and before_words + tail_words <= max_words * 3 // 2:
            groups[-2].extend(groups.pop())
    chunks = []
    for index, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        chunks.append(Chunk(article_id=article_id, index=index, start=start, end=end, text=body[start:end]))
    return chunks
