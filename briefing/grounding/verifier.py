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

from briefing.grounding.claims import (
    NEGATIONS,
    NUMBER,
    QUOTATION_AS_FACT,
    SAY,
    STOP,
    WORD_NUMBERS,
    clauses,
    contradictions,
    deeds,
    number_value,
    same_word,
    stem,
    unattributed_quotation,
)
from briefing.ingest.chunking import sentence_spans

MIN_WORD_RECALL = 0.5
"""Share of the sentence's content words that must appear in the span."""
MIN_PARAPHRASE_RECALL = 0.3
"""With an embedding similarity of at least `MIN_PARAPHRASE_SIMILARITY`, this share of aligned words is enough."""
MIN_PARAPHRASE_SIMILARITY = 0.70
MIN_CLAUSE_RECALL = 0.5
"""Share of each clause's content words that must appear in the span: a sentence is only as supported as its
least supported clause."""

Similarity = Callable[[str, Sequence[str]], Sequence[float]]
"""Cosine similarity of a sentence to each of several texts (an embedding model behind it)."""

_SPELLED = re.compile(rf"(?<![-‑])\b({'|'.join(WORD_NUMBERS)})\b(?![-‑])")  # not "two-fifths" or "three-quarters"
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)(?<!\n)(?<![\"“])\b[A-Z][a-zA-Z'’-]+")
_PROPER = r"[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)*"
_SPEAKER = re.compile(
    rf"\b({_PROPER})\s*,?\s+{SAY}\b|\b{SAY}\s+({_PROPER})|\b({_PROPER}),[^,\"“”]{{3,80}},\s+{SAY}\b"
)  # "Sand said", "said Sand", "Sand, the board member who voted to hold, said"
_BODY_SAYS = re.compile(rf"\b(?:[Tt]he|[Ii]ts|[Aa]n?)\s+(?:[\w'’-]+\s+){{0,4}}?([a-z]+)\s+{SAY}\b")
_PRONOUN_SAYS = re.compile(rf"\b(?:he|she|they|we)\s+{SAY}\b", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]|(?:(?<=\s)|^)['‘]([^'‘’]{12,}?)['’](?=[\s.,;:!?]|$)")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower().replace("cannot", "can not").replace("n't", " not"))


def _numbers(text: str) -> set[str]:
    """The numbers in the text, in digits or in words ("three" -> "3"; "one" is too often a pronoun)."""
    spelled = {WORD_NUMBERS[w] for w in _SPELLED.findall(text.lower()) if w != "one"}
    return {number_value(n) for n in NUMBER.findall(text)} | spelled


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
    wrong_speakers: tuple[str, ...] = ()
    clause_recall: tuple[tuple[str, float], ...] = ()  # each clause of the sentence and its aligned words
    contradictions: tuple[str, ...] = ()
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
            or self.wrong_speakers
            or self.contradictions
        )

    @property
    def unstated_clauses(self) -> tuple[str, ...]:
        """Clauses too few of whose words the span has."""
        return tuple(clause for clause, recall in self.clause_recall if recall < MIN_CLAUSE_RECALL)

    @property
    def paraphrased(self) -> bool:
        """True when fewer words align but the embedding model finds the sentence close to the span."""
        return (
            self.similarity is not None
            and self.similarity >= MIN_PARAPHRASE_SIMILARITY
            and self.word_recall >= MIN_PARAPHRASE_RECALL
            and all(recall >= MIN_PARAPHRASE_RECALL for _, recall in self.clause_recall)
        )

    @property
    def supported(self) -> bool:
        """True when every check passes."""
        return self.passes_hard_checks and (
            (self.word_recall >= MIN_WORD_RECALL and not self.unstated_clauses) or self.paraphrased
        )

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
    words = [w for w in _words(sentence) if w not in STOP and w not in NEGATIONS]
    evidence = f"{span.title}\n{span.text}"
    span_stems = {stem(w) for w in _words(evidence)}
    matched = tuple(w for w in dict.fromkeys(words) if stem(w) in span_stems)
    missing = tuple(w for w in dict.fromkeys(words) if stem(w) not in span_stems)
    recall = len(matched) / (len(matched) + len(missing)) if words else 0.0
    body_stems = {stem(w) for w in _words(span.text)}
    body_recall = sum(stem(w) in body_stems for w in dict.fromkeys(words)) / len(set(words)) if words else 0.0
    flat_span = _flat(evidence)
    quotes = [q.strip(" .,;:") for pair in _QUOTE.findall(sentence) for q in pair if len(q.split()) >= 3]
    return Evidence(
        span=span,
        word_recall=recall,
        body_recall=body_recall,
        matched=matched,
        missing=missing,
        missing_numbers=tuple(sorted(_numbers(sentence) - _numbers(evidence))),
        missing_names=tuple(sorted(n for n in names_in(sentence) if not _has_name(n, flat_span))),
        missing_quotes=tuple(q for q in quotes if _flat(q) not in flat_span),
        wrong_speakers=wrong_speakers(sentence, f"{span.title}\n{span.text}" if span.title else span.text)
        + ((subject(sentence),) if wrong_subject(sentence, span.text) else ()),
        clause_recall=tuple((c, clause_support(c, span, first=i == 0)) for i, c in enumerate(clauses(sentence))),
    )


def check_together(sentence: str, spans: Sequence[Span]) -> Evidence:
    """The evidence that the spans, read together, support the sentence: every clause stated by one of them (a
    clause cannot take its subject from one story and its deed from another), no name, number or quotation
    missing from all of them."""
    joined = Span(spans[0].article_id, 0, 0, "\n".join(f"{s.title}\n{s.text}" for s in spans))
    together = check(sentence, joined)
    parts = clauses(sentence)
    recalls = [max(clause_support(c, span, first=i == 0) for span in spans) for i, c in enumerate(parts)]
    return replace(together, clause_recall=tuple(zip(parts, recalls, strict=True)))


def names_in(text: str, *, first: bool = False) -> set[str]:
    """The names the text mentions (capitalised words not starting it); with `first`, the name it starts with too."""
    found = {re.sub(r"['’]s?$", "", n) for n in _NAME.findall(text)}
    return found | set(subject(text).split()) if first else found


def mentions(text: str, name: str) -> bool:
    """True when the text mentions the name (one of the words `names_in` gives)."""
    return _has_name(name, _flat(text))


def _has_name(name: str, flat_text: str) -> bool:
    lowered = name.lower()
    return lowered in flat_text or (lowered.endswith("s") and lowered[:-1] in flat_text)


def clause_support(clause: str, span: Span, *, first: bool = False) -> float:
    """How well one sentence (or two of the same span) of the span, read with its headline, states the clause.

    The sentence must name everyone the clause names that the span names anywhere (so a clause cannot borrow one
    person's deeds from another's sentence) and have the words that say what was done ("has dropped"); then the
    support is the share of the clause's other content words it has. 0 when no sentence qualifies.
    """
    tokens_ = _words(clause)
    whole = f"{span.title}\n{span.text}"
    names = {n for n in names_in(clause, first=first) if n in whole}
    named = {part.lower() for name in names for part in name.split()}
    words = {stem(w) for w in tokens_ if w not in STOP and w not in NEGATIONS and w not in named}
    done = deeds(tokens_)
    best = 0.0
    for window in _sentence_pairs(span.text):
        evidence = f"{span.title}\n{window}"
        said = _words(evidence)
        if not all(_has_name(n, _flat(evidence)) for n in names):
            continue
        if not all(any(same_word(d, w) for w in said) for d in done):
            continue
        if not words:
            return 1.0
        best = max(best, len(words & {stem(w) for w in said}) / len(words))
    return best


def _sentence_pairs(text: str) -> list[str]:
    """The text's sentences, alone and in pairs (adjacent or not: the same article)."""
    sentences = [text[a:b] for a, b in sentence_spans(text)] or [text]
    pairs = [f"{a} {b}" for i, a in enumerate(sentences) for b in sentences[i + 1 :]]
    return sentences + pairs


def speakers(sentence: str) -> list[str]:
    """The surnames (or last words of names) of the people the sentence says spoke: "Sand said", "said Sand"."""
    found = []
    for match in _SPEAKER.finditer(sentence):
        name = (match.group(1) or match.group(2) or match.group(3)).split()
        if name[0] in {"The", "A", "An", "But", "And", "He", "She", "They", "We", "It"}:
            name = name[1:]
        if name:
            found.append(re.sub(r"['’]s?$", "", name[-1]))
    return found


def aligned_sentence(sentence: str, span_text: str, leave_out: str = "") -> str:
    """The span's sentence that shares most content words with the sentence (the first on ties)."""
    claim = {stem(w) for w in _words(sentence) if w not in STOP and w not in NEGATIONS} - {leave_out.lower()}
    sentences = [span_text[a:b] for a, b in sentence_spans(span_text)] or [span_text]
    overlap = [len(claim & {stem(w) for w in _words(s)}) for s in sentences]
    return sentences[max(range(len(sentences)), key=lambda i: (overlap[i], -i))]


_LEADING = re.compile(r"((?:[A-Z][\w'’&-]*\s+)*[A-Z][\w'’&-]*)(?=,|\s+[a-z(])")
_NOT_A_NAME = set(
    "The A An In On At By After Before Under Of For But And Since Until With From As It This That".split()
)


def subject(sentence: str) -> str:
    """The name the sentence starts with, when it starts with one ("Carrow Mutual, the city's largest lender,
    said ..." -> "Carrow Mutual")."""
    match = _LEADING.match(sentence.strip())
    words = match.group(1).split() if match else []
    while words and words[0] in _NOT_A_NAME:
        words = words[1:]
    return " ".join(words)


def wrong_subject(sentence: str, span_text: str) -> bool:
    """True when the span's sentence that states the rest of the claim starts with another name: "Carrow Mutual,
    the city's largest lender, said" where the span has "Northgate Savings Bank, the city's largest lender, said"."""
    name = subject(sentence)
    if not name or name not in span_text:
        return False  # no name, or a common word starting the sentence ("Hashed passwords ...")
    rest = sentence.strip()[len(sentence.strip().split(name, 1)[0]) + len(name) :]
    nearby = aligned_sentence(rest, span_text)
    named = names_in(span_text)
    theirs = [part for part in subject(nearby).split() if part in named]  # a name, not "Most economists see"
    return bool(theirs) and not any(part.lower() in nearby.lower() for part in name.split() if len(part) > 2)


def wrong_speakers(sentence: str, span_text: str) -> tuple[str, ...]:
    """Speakers the span does not name beside the words the sentence attributes to them.

    The span's sentence that shares most words with the claim must name the speaker, or, when it is a quotation or
    attributes the words to "he/she/they", one of the two sentences before it must (a quotation runs on).
    """
    wrong = []
    for speaker in speakers(sentence):
        nearby = _with_speaker(aligned_sentence(sentence, span_text, leave_out=speaker), span_text)
        if speaker.lower() not in nearby.lower():
            wrong.append(speaker)
    for match in _BODY_SAYS.finditer(sentence):
        speaker = match.group(1)
        said = sentence[: match.start()] + sentence[match.end() :]  # what was said, without who said it
        nearby = aligned_sentence(said, span_text)
        if speaker.lower() not in nearby.lower() and speakers(nearby):
            wrong.append(f"the {speaker}")  # "the board said" where the span has "Tollak said"
    return tuple(wrong)


def _with_speaker(nearby: str, span_text: str) -> str:
    """The sentence, with the one before it when its speaker is a pronoun, or with those since the quotation it is
    part of opened (a quotation runs on over sentences; its speaker is named where it opens)."""
    if (start := span_text.find(nearby)) <= 0:
        return nearby
    before = [span_text[a:b] for a, b in sentence_spans(span_text[:start])]
    opened = next((i for i in range(len(before) - 1, -1, -1) if _opens_quote(" ".join(before[i:]))), None)
    if opened is not None:  # and, when that sentence names no speaker, the one before it (which does)
        start_at = opened if re.search(SAY, before[opened]) else max(0, opened - 1)
        return " ".join([*before[start_at:], nearby])
    if _PRONOUN_SAYS.search(nearby):
        return " ".join([*before[-1:], nearby])
    return nearby


def _opens_quote(text: str) -> bool:
    """True when the text leaves a quotation open: more opening than closing marks, or an odd number of "."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


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


def is_verbatim(sentence: str, text: str) -> bool:
    """True when the whole sentence (of at least four words) is in the text word for word."""
    words = _flat(sentence).rstrip(" .!?").split()
    return len(words) >= 4 and " ".join(words) in _flat(text)


def best_evidence(sentence: str, passages: Sequence[Span], similarity: Similarity | None = None) -> Evidence | None:
    """The strongest evidence for the sentence among the passages' sentences (or pairs of sentences).

    When no span passes on aligned words alone, the few spans that pass every hard check and align at least
    `MIN_PARAPHRASE_RECALL` of the words are scored with `similarity` (when given), so a paraphrase can pass.
    """
    texts = [f"{p.title}\n{p.text}" for p in passages]
    if any(is_verbatim(sentence, p.text) for p in passages):  # the source's own words do not contradict it...
        conflicts: tuple[str, ...] = (QUOTATION_AS_FACT,) if unattributed_quotation(sentence, texts) else ()
    else:  # ...unless they are someone's words shown as fact
        conflicts = tuple(contradictions(sentence, texts))
    candidates = [check(sentence, window) for passage in passages for window in sentence_windows(passage)]
    candidates += [check(sentence, passage) for passage in passages]
    candidates = [replace(e, contradictions=conflicts) for e in candidates]
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
    if evidence.wrong_speakers:
        parts.append("the source does not attribute these words to " + ", ".join(evidence.wrong_speakers))
    parts += list(evidence.contradictions)
    if evidence.unstated_clauses and len(evidence.clause_recall) > 1 and not evidence.paraphrased:
        parts.append("the source does not state: " + "; ".join(f"“{c}”" for c in evidence.unstated_clauses))
    if evidence.word_recall < MIN_WORD_RECALL and not evidence.paraphrased:
        parts.append(f"only {evidence.word_recall:.0%} of its words are in the source")
    return "; ".join(parts) or "not supported"
