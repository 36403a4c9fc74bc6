"""Evidence first: the retrieved passages cut into sentences, the few most likely to answer numbered for the model,
and the model's pick turned back into exact, cited sentences (pure logic).

A small model picks the sentences that answer far better than it writes an answer; the code does what code can:
it ranks and numbers the sentences, quotes the picked ones verbatim, restores the sentence before one that opens
on a pronoun, and points each at its exact span.

passages ─► sentences ranked by the question's rarer words and by meaning ─► the best few, numbered, grouped by
article ─► the model names the answer and the sentences that state it ─► those sentences, verbatim, as the draft
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from briefing.answer.types import Answer, DraftAnswer, DraftSentence, UnsupportedSentence
from briefing.grounding.verifier import mentions, names_in
from briefing.ingest.chunking import sentence_spans
from briefing.search.passages import Passage
from briefing.words import DATELINE, content_words

MAX_EVIDENCE = 3
"""Most sentences the model may pick."""
MEANING_WEIGHT = 0.5
"""Weight of the embedding similarity against the share of the question's (rarity-weighted) words."""
ALWAYS_KEPT = 4
"""Best-ranked sentences the model always reads, however far the rest trail them."""
_OPENS_ON_REFERENCE = re.compile(r"^[\"“‘']?(?:he|she|they|it|this|that|these|those|his|her|their|its)\b", re.I)
_NORMAL = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage: `text == passage.text[start:end]` (offsets within the passage)."""

    passage: Passage
    start: int
    end: int
    text: str
    index: int  # its place among the passage's sentences


class Selection(BaseModel):
    """The model's pick: the answer in a few words and the numbers of the sentences that state it."""

    answer: str = ""
    evidence: list[int] = Field(default_factory=list)


def candidates_of(passages: Sequence[Passage]) -> list[Candidate]:
    """Every sentence of the passages, in passage order."""
    return [
        Candidate(p, start, end, p.text[start:end], index)
        for p in passages
        for index, (start, end) in enumerate(sentence_spans(p.text))
    ]


def word_scores(question: str, candidates: Sequence[Candidate]) -> list[float]:
    """For each sentence (with its article's title), the share of the question's content words it holds, each word
    weighted by how rare it is among the candidates (a word every sentence has tells nothing)."""
    asked = content_words(question)
    words = [content_words(f"{c.text} {c.passage.title}") for c in candidates]
    rarity = {w: math.log((len(words) + 1) / (sum(w in ws for ws in words) + 0.5)) for w in asked}
    total = sum(rarity.values()) or 1.0
    return [sum(rarity[w] for w in asked & ws) / total for ws in words]


def best_candidates(
    question: str, candidates: Sequence[Candidate], similarities: Sequence[float], limit: int, floor: float = 0.0
) -> list[Candidate]:
    """The `limit` sentences most likely to answer, in passage order (so a sentence keeps its neighbours' order):
    ranked by the question's words they hold plus `MEANING_WEIGHT` times their embedding similarity. Beyond the
    best `ALWAYS_KEPT`, a sentence scoring below `floor` times the best score is left out: when a few sentences
    hold the question's words, the rest are only padding the model would have to read."""
    scores = [w + MEANING_WEIGHT * s for w, s in zip(word_scores(question, candidates), similarities, strict=True)]
    ranked = sorted(range(len(candidates)), key=lambda i: -scores[i])[:limit]
    kept = [i for place, i in enumerate(ranked) if place < ALWAYS_KEPT or scores[i] >= floor * scores[ranked[0]]]
    return [candidates[i] for i in sorted(kept)]


def evidence_blocks(candidates: Sequence[Candidate]) -> str:
    """The numbered sentences as the model reads them, under the title of each article they come from (the outlet
    and the day are left out: on the tuning weeks the model picked as well without them, and they cost about 16
    tokens an article)."""
    lines: list[str] = []
    current = None
    for number, candidate in enumerate(candidates, start=1):
        passage = candidate.passage
        if passage.article_id != current:
            current = passage.article_id
            lines += [""] if lines else []  # a blank line between articles
            lines.append(f"Article: {passage.title}")
        lines.append(f"[{number}] {_one_line(candidate.text)}")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def selection_schema(count: int) -> dict[str, Any]:
    """The JSON schema of the model's pick; evidence can only name sentences that exist (1..count)."""
    number: dict[str, Any] = {"type": "integer", "enum": list(range(1, count + 1))}
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "maxLength": 160},
            "evidence": {"type": "array", "items": number, "maxItems": MAX_EVIDENCE},
        },
        "required": ["answer", "evidence"],
    }


def parse_selection(reply: str, count: int) -> Selection:
    """Read the model's pick; numbers that name no sentence are dropped, an unreadable reply picks nothing."""
    try:
        selection = Selection.model_validate(json.loads(reply))
    except (json.JSONDecodeError, ValidationError, TypeError):
        return Selection()
    evidence = [n for n in dict.fromkeys(selection.evidence) if 1 <= n <= count][:MAX_EVIDENCE]
    return selection.model_copy(update={"evidence": evidence})


def holds(text: str, phrase: str) -> bool:
    """True when the text holds the phrase, ignoring case, punctuation and spacing."""
    wanted = _NORMAL.sub(" ", phrase.lower()).strip()
    return bool(wanted) and f" {wanted} " in f" {_NORMAL.sub(' ', text.lower())} "


def picked(selection: Selection, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The sentences that answer: for each part of the model's answer ("a; b" for a question that asks two
    things), the picked sentences that hold it, or else the best-ranked candidate that does; the model's pick as it
    is when no candidate holds any part."""
    chosen = [candidates[n - 1] for n in selection.evidence]
    parts = [part.strip() for part in selection.answer.split(";") if part.strip()]
    found: list[Candidate] = []
    for part in parts:
        holding = [c for c in chosen if holds(c.text, part)] or [c for c in candidates if holds(c.text, part)][:1]
        found += [c for c in holding if c not in found]
    return _distinct(found or chosen)


def _distinct(chosen: Sequence[Candidate]) -> list[Candidate]:
    """The sentences without repeats (the same sentence can come in two passages)."""
    seen: dict[str, Candidate] = {}
    for candidate in chosen:
        seen.setdefault(_one_line(candidate.text), candidate)
    return list(seen.values())


def unnamed(question: str, chosen: Sequence[Candidate], passages: Sequence[Passage]) -> list[str]:
    """The names the question gives that the articles of the chosen sentences never mention (in their headline,
    outlet or any of their retrieved passages): such sentences are about something else ("How large a fine has the
    regulator imposed on Lumora?" answered from a story about fishing fines)."""
    articles = {c.passage.article_id for c in chosen}
    context = " ".join(
        f"{p.title} {p.source} {' '.join(p.also_in)} {p.text}" for p in passages if p.article_id in articles
    )
    return sorted(name for name in names_in(question) if not mentions(context, name))


def with_antecedent(candidate: Candidate) -> list[Candidate]:
    """The sentence, preceded by the one before it in its passage when it opens on a pronoun ("She said...")."""
    if candidate.index == 0 or not _OPENS_ON_REFERENCE.search(candidate.text):
        return [candidate]
    start, end = sentence_spans(candidate.passage.text)[candidate.index - 1]
    before = Candidate(candidate.passage, start, end, candidate.passage.text[start:end], candidate.index - 1)
    return [before, candidate]


def shown_text(candidate: Candidate) -> str:
    """The sentence as the reader sees it: on one line, and the article's first without its dateline."""
    flat = _one_line(candidate.text)
    opens_article = candidate.passage.start + candidate.start == 0
    return flat[dateline.end() :] if opens_article and (dateline := DATELINE.match(flat)) else flat


def evidence_draft(chosen: Sequence[Candidate]) -> DraftAnswer:
    """The chosen sentences as the answer's draft: verbatim (but for a dateline), in passage order, each citing its
    passage."""
    shown: dict[tuple[int, int], Candidate] = {}
    for candidate in chosen:
        for sentence in with_antecedent(candidate):
            shown.setdefault((sentence.passage.number, sentence.start), sentence)
    ordered = [shown[key] for key in sorted(shown)]
    sentences = [DraftSentence(text=shown_text(c), citations=[c.passage.number]) for c in ordered]
    return DraftAnswer(answerable=bool(sentences), sentences=sentences)


def about_something_else(question: str, chosen: Sequence[Candidate], missing: Sequence[str]) -> Answer:
    """The "not in the articles" answer, keeping back the chosen sentences with the reason: their articles never
    mention what the question names."""
    reason = "its article never mentions " + ", ".join(missing)
    kept_back = [UnsupportedSentence(text=c.text, reason=reason, cited=[c.passage], off_question=True) for c in chosen]
    return Answer.nothing_found(question).model_copy(update={"unsupported": kept_back})
