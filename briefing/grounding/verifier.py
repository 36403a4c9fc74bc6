"""Checking an answer sentence against the spans it cites (pure logic, no model).

No NLI model ships offline here, so support is judged from evidence a person can inspect: the sentence's
numbers, names and quotations must appear in the span, the speakers it names must be the ones the span names
beside those words, most of its content words must align with it, and a negation on one side only (in the
span's sentence that matches the claim) counts against it. A paraphrase that shares fewer words can still pass
when an embedding model (given as a `Similarity` function) finds it close to the span and every hard check passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from briefing.ingest.chunking import sentence_spans

MIN_WORD_RECALL = 0.5
"""Share of the sentence's content words that must appear in the span."""
MIN_PARAPHRASE_RECALL = 0.3
"""With an embedding similarity of at least `MIN_PARAPHRASE_SIMILARITY`, this share of aligned words is enough."""
MIN_PARAPHRASE_SIMILARITY = 0.70

Similarity = Callable[[str, Sequence[str]], Sequence[float]]
"""Cosine similarity of a sentence to each of several texts (an embedding model behind it)."""

_STOP = set(
    """
    a an and are as at be been but by for from had has have he her his i in is it its of on or our she so
    than that the their them then there these they this those to was we were what when where which who will
    with would about after before also into over said says say told according more most while
    """.split()
)
_NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "denied", "refused"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’-]+")
_SAY = r"(?:said|says|say|told|tells|warned|warns|argued|argues|added|adds|stated|insisted|wrote|according to)"
_PROPER = r"[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)*"
_SPEAKER = re.compile(rf"\b({_PROPER})\s*,?\s+{_SAY}\b|\b{_SAY}\s+({_PROPER})")
_PRONOUN_SAYS = re.compile(rf"\b(?:he|she|they|we)\s+{_SAY}\b", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“‘']([^\"“”‘’']{12,}?)[\"”’']")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower().replace("n't", " not"))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[\"“”‘’']", "'", text).lower().split())


@dataclass(frozen=True)
class Span:
    """A stretch of an article: `text == body[start:end]`."""

    article_id: str
    start: int
    end: int
    text: str
    title: str = ""  # the article's headline counts as evidence too, though citations point into the body


@dataclass(frozen=True)
class Evidence:
    """Why a sentence is or is not supported by a span."""

    span: Span
    word_recall: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    missing_numbers: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    missing_quotes: tuple[str, ...] = ()
    negation_mismatch: bool = False
    wrong_speakers: tuple[str, ...] = ()
    similarity: float | None = None
    body_recall: float = 0.0  # aligned words found in the span itself, without the headline
    notes: list[str] = field(default_factory=list)

    @property
    def passes_hard_checks(self) -> bool:
        """True when no number, name or quotation is missing and no negation is added."""
        return not (
            self.missing_numbers
            or self.missing_names
            or self.missing_quotes
            or self.negation_mismatch
            or self.wrong_speakers
        )

    @property
    def paraphrased(self) -> bool:
        """True when fewer words align but the embedding model finds the sentence close to the span."""
        return (
            self.similarity is not None
            and self.similarity >= MIN_PARAPHRASE_SIMILARITY
            and self.word_recall >= MIN_PARAPHRASE_RECALL
        )

    @property
    def supported(self) -> bool:
        """True when every check passes."""
        return self.passes_hard_checks and (self.word_recall >= MIN_WORD_RECALL or self.paraphrased)

    @property
    def strength(self) -> float:
        """For choosing among spans: support first, then aligned words (in the span itself before the headline)."""
        return (
            float(self.supported)
            + self.word_recall
            + 0.5 * self.body_recall
            - 0.2 * len(self.missing_numbers + self.missing_names)
        )


def check(sentence: str, span: Span) -> Evidence:
    """The evidence that `span` supports `sentence`."""
    words = [w for w in _words(sentence) if w not in _STOP and w not in _NEGATIONS]
    evidence = f"{span.title}\n{span.text}"
    span_stems = {_stem(w) for w in _words(evidence)}
    matched = tuple(w for w in dict.fromkeys(words) if _stem(w) in span_stems)
    missing = tuple(w for w in dict.fromkeys(words) if _stem(w) not in span_stems)
    recall = len(matched) / (len(matched) + len(missing)) if words else 0.0
    body_stems = {_stem(w) for w in _words(span.text)}
    body_recall = sum(_stem(w) in body_stems for w in dict.fromkeys(words)) / len(set(words)) if words else 0.0
    flat_span = _flat(evidence)
    names = {re.sub(r"['’]s?$", "", n) for n in _NAME.findall(sentence)}
    quotes = [q for q in _QUOTE.findall(sentence) if len(q.split()) >= 3]
    sentence_negated = bool(_NEGATIONS & set(_words(sentence)))
    aligned_negated = bool(_NEGATIONS & set(_words(aligned_sentence(sentence, span.text))))
    return Evidence(
        span=span,
        word_recall=recall,
        body_recall=body_recall,
        matched=matched,
        missing=missing,
        missing_numbers=tuple(sorted(_numbers(sentence) - _numbers(evidence))),
        missing_names=tuple(sorted(n for n in names if n.lower() not in flat_span)),
        missing_quotes=tuple(q for q in quotes if _flat(q) not in flat_span),
        negation_mismatch=sentence_negated != aligned_negated,
        wrong_speakers=wrong_speakers(sentence, span.text),
    )


def speakers(sentence: str) -> list[str]:
    """The surnames (or last words of names) of the people the sentence says spoke: "Sand said", "said Sand"."""
    found = []
    for match in _SPEAKER.finditer(sentence):
        name = (match.group(1) or match.group(2)).split()
        if name[0] in {"The", "A", "An", "But", "And", "He", "She", "They", "We", "It"}:
            name = name[1:]
        if name:
            found.append(re.sub(r"['’]s?$", "", name[-1]))
    return found


def aligned_sentence(sentence: str, span_text: str, leave_out: str = "") -> str:
    """The span's sentence that shares most content words with the sentence (the first on ties)."""
    claim = {_stem(w) for w in _words(sentence) if w not in _STOP and w not in _NEGATIONS} - {leave_out.lower()}
    sentences = [span_text[a:b] for a, b in sentence_spans(span_text)] or [span_text]
    overlap = [len(claim & {_stem(w) for w in _words(s)}) for s in sentences]
    return sentences[max(range(len(sentences)), key=lambda i: (overlap[i], -i))]


def wrong_speakers(sentence: str, span_text: str) -> tuple[str, ...]:
    """Speakers the span does not name beside the words the sentence attributes to them.

    The span's sentence that shares most words with the claim must name the speaker, or, when it attributes
    the words to "he/she/they", the sentence before it must.
    """
    wrong = []
    for speaker in speakers(sentence):
        nearby = aligned_sentence(sentence, span_text, leave_out=speaker)
        if _PRONOUN_SAYS.search(nearby) and (start := span_text.find(nearby)) > 0:
            before = [span_text[a:b] for a, b in sentence_spans(span_text[:start])]
            nearby = (before[-1] if before else "") + " " + nearby
        if speaker.lower() not in nearby.lower():
            wrong.append(speaker)
    return tuple(wrong)


def sentence_windows(passage: Span, width: int = 2) -> list[Span]:
    """The passage's sentences, alone and in runs of up to `width`, as spans of the article."""
    spans = sentence_spans(passage.text)
    windows = []
    for first in range(len(spans)):
        for last in range(first, min(first + width, len(spans))):
            start, end = spans[first][0], spans[last][1]
            windows.append(
                Span(
                    passage.article_id,
                    passage.start + start,
                    passage.start + end,
                    passage.text[start:end],
                    passage.title,
                )
            )
    return windows


PARAPHRASE_CANDIDATES = 3
"""How many near-miss spans are shown to the embedding model."""


def best_evidence(sentence: str, passages: Sequence[Span], similarity: Similarity | None = None) -> Evidence | None:
    """The strongest evidence for the sentence among the passages' sentences (or pairs of sentences).

    When no span passes on aligned words alone, the few spans that pass every hard check and align at least
    `MIN_PARAPHRASE_RECALL` of the words are scored with `similarity` (when given), so a paraphrase can pass.
    """
    candidates = [check(sentence, window) for passage in passages for window in sentence_windows(passage)]
    candidates += [check(sentence, passage) for passage in passages]
    best = max(candidates, key=lambda e: (e.strength, -len(e.span.text)), default=None)
    if best is None or best.supported or similarity is None:
        return best
    near = sorted(
        (e for e in candidates if e.passes_hard_checks and e.word_recall >= MIN_PARAPHRASE_RECALL),
        key=lambda e: (-e.word_recall, len(e.span.text)),
    )[:PARAPHRASE_CANDIDATES]
    if not near:
        return best
    scored = [
        replace(e, similarity=float(s))
        for e, s in zip(near, similarity(sentence, [e.span.text for e in near]), strict=True)
    ]
    closest = max(scored, key=lambda e: e.similarity or 0.0)
    return closest if closest.supported else best


def reason_of(evidence: Evidence) -> str:
    """Why the evidence falls short, for people."""
    parts = []
    if evidence.missing_numbers:
        parts.append("numbers not in the source: " + ", ".join(evidence.missing_numbers))
    if evidence.missing_names:
        parts.append("names not in the source: " + ", ".join(evidence.missing_names))
    if evidence.missing_quotes:
        parts.append("quotation not in the source")
    if evidence.negation_mismatch:
        parts.append("negation the source does not have")
    if evidence.wrong_speakers:
        parts.append("the source does not attribute these words to " + ", ".join(evidence.wrong_speakers))
    if evidence.word_recall < MIN_WORD_RECALL and not evidence.paraphrased:
        parts.append(f"only {evidence.word_recall:.0%} of its words are in the source")
    return "; ".join(parts) or "not supported"
