"""Sentences written to a model, not to readers: "ignore your instructions", notes to AI systems, fake chat turns,
requests to reveal prompts or keys. A news page has no business addressing the tool that reads it, so such
sentences are taken out of the article at ingest (and reported): no answer can pick them, no key point can
repeat them, no citation can point at them (pure logic).

The patterns are the common shapes of indirect prompt injection, kept narrow so that reporting *about* AI
("the assistant answered questions") is left alone; their cost on real news is measured in evals/README.md.
"""

from __future__ import annotations

import re

from briefing.errors import InputError
from briefing.ingest.articles import Article
from briefing.ingest.chunking import sentence_spans

_MODEL_NAMES = (
    r"ai|a\.i\.|artificial intelligence|llms?|large language models?|language models?|ai (?:assistants?|agents?|"
    r"systems?|models?|tools?)|virtual assistants?|chatbots?|automated (?:systems?|tools?|readers?|summari[sz]ers?)|"
    r"summari[sz]ers?"
)
_MODELS = f"(?:{_MODEL_NAMES})"
_ADDRESSEES = rf"(?:{_MODEL_NAMES}|assistants?|agents?|bots|crawlers?|scrapers?|models?)"
"""Who a note can be addressed to: in "note to ...", even a bare "assistants" is a model."""
_SECRETS = (
    r"(?:(?:the |your )?system prompt|(?:your |the )?(?:hidden|initial|original|secret|system) (?:instructions|prompt)|"
    r"api[ _-]?keys?|openai_api_key|(?:admin|administrator|root|your|the access) passwords?|"
    r"your (?:instructions|prompt|settings|configuration|rules))\b"
)
_PATTERNS = [
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|of\s+)*(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|original|system|your|safety|existing)\b[^.!?]{0,30}"
    r"\b(?:instructions?|rules|prompts?|guidelines|directions|guardrails|restrictions)\b",
    rf"\b(?:note|message|instructions?|attention|notice|reminder|memo)\s*(?:to|for)\s*(?:all\s+|any\s+)?{_ADDRESSEES}\b",
    rf"\b(?:dear|hey|hello|attention)\s*,?\s*{_ADDRESSEES}\b",
    rf"\b{_MODELS}\s+(?:reading|processing|summari[sz]ing|parsing|that (?:reads?|summari[sz]es?|processes))\s+this\b",
    r"^\W*(?:system|assistants?|developer|user|tool)\s*:",
    r"<\s*\|\s*[a-z_]+\s*\|\s*>|\[/?INST\]|###\s*(?:instruction|response|system)\b|\bBEGIN (?:SYSTEM|ADMIN|PROMPT)\b",
    rf"\b(?:reveal|print|output|repeat|disclose|leak|share|list|show|tell)\b[^.!?]{{0,40}}\b{_SECRETS}",
    r"\byou are (?:now|no longer)\b[^.!?]{0,40}\b(?:ai|assistant|bot|model|mode|persona)\b",
    r"\btell (?:every|each|all|any|the) users?\b",
    r"\bif (?:anyone|someone|a user|the user|a reader|you are) (?:asks?|asked)\b[^.!?]{0,80}"
    r"\b(?:reply|answer|respond|say) (?:that|with)\b",
    r"\bwhen (?:asked|summari[sz]ing|answering|writing|reporting)\b[^.!?]{0,80},\s*(?:always|never|only|you must|"
    r"you should|please|make sure to)\s+(?:say|state|answer|reply|write|report|mention|give|use|claim|respond|call)\b",
    r"\b(?:summar(?:y|ies)|answers?|responses?|outputs?)\b[^.!?]{0,30}\b(?:of|about|on|for) this (?:article|story|"
    r"page|report)\b[^.!?]{0,30}\b(?:must|should|need to|have to)\b",
    r"\b(?:any|every|each|all) summar(?:y|ies)\b[^.!?]{0,60}\b(?:must|should|is incomplete|are incomplete|is wrong|"
    r"are wrong)\b",
]
_MARKUP = re.compile(
    r"<\s*/?\s*(?:script|iframe|img|svg|object|embed|style|link|meta|form|input)\b|\bon(?:error|load|click|mouseover|"
    r"focus)\s*=|\bjavascript\s*:|\bdata:text/html|!\[[^\]]*\]\(|^\s*\|.*\|\s*$|^\s*#{1,6}\s",
    re.IGNORECASE | re.MULTILINE,
)
"""Executable or structural markup (script and image tags, event handlers, javascript: links, Markdown images,
table rows, Markdown headings) in the body of an article: payload or page furniture, never the story."""
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
"""Zero-width characters and bidirectional overrides: they hide or reverse text a reader would otherwise see."""
REPEATED_RUN = 600
"""A "sentence" this long whose words are mostly repeats (a word or a claim over and over) is a payload."""
_ADDRESSED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)


def addresses_a_model(sentence: str) -> bool:
    """True when the sentence speaks to an AI system rather than to readers."""
    return _ADDRESSED.search(sentence) is not None


def is_payload(sentence: str) -> bool:
    """True for what is not a sentence of the story: instructions to a model, live markup, or a long run of the
    same words over and over."""
    return addresses_a_model(sentence) or _not_prose(sentence)


def _not_prose(sentence: str) -> bool:
    """Live markup, or a long run of the same words."""
    return _MARKUP.search(sentence) is not None or _is_repeated_run(sentence)


def _is_repeated_run(sentence: str) -> bool:
    if len(sentence) < REPEATED_RUN:
        return False
    words = sentence.lower().split()
    return len(set(words)) < 0.2 * len(words)


def without_model_instructions(body: str) -> tuple[str, list[str]]:
    """The body without the paragraphs that address a model (the false claims an instruction carries sit beside
    it), without live markup and repeated runs, and the sentences taken out."""
    paragraphs: list[str] = []
    removed: list[str] = []
    visible = _INVISIBLE.sub("", body)
    for paragraph in visible.split("\n\n"):
        sentences = [paragraph[start:end] for start, end in sentence_spans(paragraph)]
        if any(addresses_a_model(s) for s in sentences):  # its claims travel with the instruction: all of it goes
            removed += sentences
            continue
        dropped = [s for s in sentences if _not_prose(s)]  # none addresses a model: checked just above
        if not dropped:
            paragraphs.append(paragraph)
            continue
        removed += dropped
        if kept := [s for s in sentences if s not in dropped]:
            paragraphs.append(" ".join(kept))
    return ("\n\n".join(paragraphs) if removed else visible), removed


def without_instructions(article: Article) -> Article:
    """The article with the sentences that address a model taken out, and a note saying so; an InputError when
    nothing else is left."""
    body, removed = without_model_instructions(article.body)
    if not removed:
        return article
    if not body.strip():
        raise InputError(article.origin, "the text only gives instructions to AI systems")
    quoted = "; ".join(repr(sentence[:60] + ("…" if len(sentence) > 60 else "")) for sentence in removed[:2])
    note = f"{len(removed)} sentence(s) addressed to AI systems or not part of the story taken out: {quoted}"
    return article.model_copy(update={"body": body, "notes": (*article.notes, note)})
