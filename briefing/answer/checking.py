"""The draft checked before it is shown: every sentence against the spans it cites, then optionally by an LLM
judge; what nothing supports is kept from the reader, with its reason."""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.answer.question_kinds import expected_kind, gives_expected_kind
from briefing.answer.replies import MARKER, marker_numbers
from briefing.answer.types import NOT_IN_ARTICLES, Answer, AnswerSentence, DraftAnswer, UnsupportedSentence
from briefing.grounding.citations import Citation, CitationNumbering, supporting_spans
from briefing.grounding.judges import Judge, LLMJudge, embedding_similarity
from briefing.grounding.verifier import Similarity
from briefing.providers import ChatModel, Embedder, make_chat_model
from briefing.search.passages import Passage
from briefing.settings import Settings

_COMPLETE = re.compile(r"[.!?…]['\"”’)\]]*$")
_SOURCE_NOTE = re.compile(r"\s*\([^()]*\b\d{4}-\d{2}-\d{2}\)(?=[.!?]?$)")  # "(Outlet, 2026-11-25)" copied from a header
# A sentence ending on one of these words was cut off (typically where the model opened a double quote).
_DANGLING = re.compile(
    r"\b(?:the|a|an|and|or|but|of|to|in|on|at|for|with|by|from|that|which|who|whose|said|says|say|was|were|is|"
    r"are|be|been|showed|called|as|than|because)$",
    re.IGNORECASE,
)
_OPENED_QUOTE = re.compile(r"\s*([:,]?)\s*[“\"]([^“”\"]{1,200})[”\"]")
_TAIL_WORDS = 4
"""Words at the end of a sentence that must match the source just before the quotation it stops at."""
_DONT_KNOW = re.compile(r"not in the (?:articles|passages)|i don'?t know|cannot be (?:found|answered)", re.IGNORECASE)


def verify_draft(
    question: str,
    draft: DraftAnswer,
    passages: Sequence[Passage],
    settings: Settings,
    embedder: Embedder,
    llm: ChatModel | None,
    *,
    check_kind: bool = True,
) -> Answer:
    """The draft checked by the offline verifier, then by the LLM judge when one is configured."""
    similarity = embedding_similarity(embedder) if settings.verify.paraphrase_similarity else None
    answer = finalise(question, draft, passages, similarity, check_kind=check_kind)
    if settings.verify.judge == "llm" and answer.sentences:
        return recheck(answer, make_llm_judge(settings, llm))
    return answer


def make_llm_judge(settings: Settings, llm: ChatModel | None = None) -> Judge:
    """An LLM judge on `verify.judge_llm` when it is set to another model, else on the chat model itself (then
    marked self-judging: the model that wrote the answers is no independent judge of them)."""
    judge_llm = settings.verify.judge_llm
    if judge_llm is not None and judge_llm != settings.llm:
        return LLMJudge(make_chat_model(settings.model_copy(update={"llm": judge_llm})))
    return LLMJudge(llm or make_chat_model(settings), self_judging=True)


def finalise(
    question: str,
    draft: DraftAnswer,
    passages: Sequence[Passage],
    similarity: Similarity | None = None,
    *,
    check_kind: bool = True,
) -> Answer:
    """Check every sentence against the spans it cites before it is shown.

    A sentence keeps the cited sentences (of its passages) that support it; when none does, it is re-pointed to
    the retrieved span that does, or removed. Numbers that do not exist are dropped, citations narrow to the
    supporting sentences of the article and are renumbered in order of first use. Nothing supported left means
    the "not in the articles" answer. `similarity` (an embedding model) lets close paraphrases pass. With
    `check_kind`, supported sentences that do not give what the question asks for (a name for "who", a time for
    "when", a number for "how many") are not an answer either.
    """
    by_number = {p.number: p for p in passages}
    kept: list[tuple[str, list[Citation]]] = []
    unsupported: list[UnsupportedSentence] = []
    for sentence in draft.sentences if draft.answerable else []:
        numbers = dict.fromkeys([*sentence.citations, *marker_numbers(sentence.text)])
        cited = [by_number[n] for n in numbers if n in by_number]
        text = _SOURCE_NOTE.sub("", " ".join(MARKER.sub("", sentence.text).split()))
        text = close_quotation(text, cited)
        if not text or _DONT_KNOW.search(text) or _DANGLING.search(text):
            continue  # empty, a refusal, or cut off mid-sentence
        if not _COMPLETE.search(text):
            text += "."
        support = supporting_spans(text, cited, passages, similarity)
        if isinstance(support, str):
            unsupported.append(UnsupportedSentence(text=text, reason=support, cited=cited))
        else:
            kept.append((text, support))
    if kept and check_kind and not gives_expected_kind(question, " ".join(text for text, _ in kept)):
        reason = f"true to the source, but does not say {expected_kind(question)} the question asks"
        unsupported += [UnsupportedSentence(text=text, reason=reason, cited=list(spans)) for text, spans in kept]
        kept = []
    return assemble(question, kept, unsupported)


def close_quotation(text: str, cited: Sequence[Passage]) -> str:
    """The sentence with the quotation it stops short of, when the model's copy of a source sentence ends where that
    sentence opens a quotation ("warned that core inflation remains." for 'warned that core inflation remains
    "uncomfortably sticky" and ...'): the quoted words are taken from the source, verbatim and in quotation marks.
    A double quotation mark ends the model's JSON string, so such sentences arrive cut off."""
    body = text.rstrip(" .,;:")
    words = body.split()
    if len(words) < _TAIL_WORDS:
        return text
    tail = " ".join(words[-_TAIL_WORDS:])
    for passage in cited:
        flat = " ".join(passage.text.split())
        at = flat.find(tail)
        while at >= 0:
            if opened := _OPENED_QUOTE.match(flat, at + len(tail)):
                quoted = opened.group(2).strip()
                return f"{body}{opened.group(1)} “{quoted}”" + ("" if quoted.endswith((".", "!", "?")) else ".")
            at = flat.find(tail, at + 1)
    return text


def recheck(answer: Answer, judge: Judge) -> Answer:
    """Ask a second judge (e.g. an LLM) about every sentence against its cited spans read together; the
    sentences it does not find supported move to `unsupported`, with its reason."""
    by_number = {c.number: c for c in answer.citations}
    kept: list[tuple[str, list[Citation]]] = []
    unsupported = list(answer.unsupported)
    for sentence in answer.sentences:
        spans = [by_number[n] for n in sentence.citations]
        judgement = judge.judge(sentence.text, [s.text for s in spans])
        if judgement.supported:
            kept.append((sentence.text, spans))
        else:
            unsupported.append(
                UnsupportedSentence(text=sentence.text, reason=f"{judge.name}: {judgement.reason}", cited=spans)
            )
    return assemble(answer.question, kept, unsupported)


def assemble(
    question: str, kept: Sequence[tuple[str, Sequence[Citation]]], unsupported: list[UnsupportedSentence]
) -> Answer:
    """The answer from its supported sentences, citations renumbered in order of first use."""
    if not kept:
        return Answer(question=question, text=NOT_IN_ARTICLES, unsupported=unsupported)
    numbering = CitationNumbering()
    sentences = [AnswerSentence(text=text, citations=numbering.numbers(spans)) for text, spans in kept]
    text = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in sentences)
    return Answer(
        question=question,
        text=text,
        sentences=sentences,
        citations=numbering.citations(),
        unsupported=unsupported,
    )
