"""Running an eval: every question through the real pipeline, scored per question, then aggregated."""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from briefing import Answer, Briefing, CountsTokens, Judge, Newsroom, Progress, SourceSpan

from .datasets import CheckerPair, EvalQuestion, Split
from .evidence import EvidenceSpan, on_evidence
from .metrics import (
    Estimate,
    citation_scores,
    judge_agreement,
    matches,
    mean_of,
    recall_at_k,
    reciprocal_rank,
    token_f1,
    wilson,
)

KS = (5, 10)
CITATION_METRICS = ("citation_recall", "citation_precision")


class SentenceRow(BaseModel):
    """An answer sentence, its citation numbers, and the judge's verdict on them."""

    text: str
    citations: list[int]
    supported: bool


class CitationRow(BaseModel):
    """A cited span, short."""

    number: int
    article_id: str
    source: str
    title: str
    text: str


class QuestionRow(BaseModel):
    """Everything measured for one question."""

    id: str
    category: str
    question: str
    as_of: str
    answerable: bool
    reference: str
    answer: str
    abstained: bool
    choice: int | None = None
    answer_index: int | None = None
    correct: bool | None = None
    f1: float | None = None
    sentences: list[SentenceRow] = Field(default_factory=list)
    citations: list[CitationRow] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list, description="Sentences the verifier kept from the user.")
    off_question: list[str] = Field(
        default_factory=list, description="Supported sentences kept back as not answering the question."
    )
    citation_recall: float | None = None
    citation_precision: float | None = None
    evidence_cited: bool | None = Field(
        default=None, description="Answerable with gold evidence: a citation of the answer overlaps that evidence."
    )
    on_evidence: int = Field(default=0, description="Citations of the answer that overlap gold evidence.")
    cited: int = 0
    precise: int = 0
    retrieved: list[str] = Field(default_factory=list)
    recall_at: dict[str, float | None] = Field(default_factory=dict)
    mrr: float | None = None
    answer_in_context: dict[str, bool | None] = Field(default_factory=dict)
    latency_s: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class EstimateRow(BaseModel):
    """An aggregate with its 95% interval."""

    value: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, estimate: Estimate | None) -> EstimateRow | None:
        return cls(**estimate.__dict__) if estimate else None


class CheckerMistake(BaseModel):
    """A labelled pair the judge got wrong, with both reasons."""

    id: str
    kind: str
    label: str
    verdict: str
    sentence: str
    passages: list[str] = Field(default_factory=list)
    label_reason: str = ""
    judge_reason: str = ""

    @property
    def shown_but_false(self) -> bool:
        """The costly mistake: a sentence the judge would let through that the passages do not support."""
        return self.verdict == "supported"


class KindCounts(BaseModel):
    """The confusion of one kind of pair: labelled supported or not, judged supported or not."""

    true_supported: int = 0  # labelled supported, judged supported
    missed: int = 0  # labelled supported, judged not: a true sentence kept from the reader
    let_through: int = 0  # labelled not supported, judged supported: a false sentence shown
    caught: int = 0  # labelled not supported, judged not

    @property
    def pairs(self) -> int:
        return self.true_supported + self.missed + self.let_through + self.caught


class CheckerResult(BaseModel):
    """The judge measured on the test half of the labelled pairs (made-up and natural), against hand labels."""

    pairs: int
    split: str = "test"
    precision: float | None
    recall: float | None
    accuracy: float
    precision_interval: EstimateRow | None = None
    recall_interval: EstimateRow | None = None
    confusion: dict[str, dict[str, int]]
    kinds: dict[str, KindCounts] = Field(default_factory=dict)
    natural: dict[str, EstimateRow | None] = Field(
        default_factory=dict, description="Precision and recall on the sentences the product wrote (kind natural)."
    )
    tuning: dict[str, float | None] = Field(default_factory=dict, description="The same on the tuning half.")
    mistakes: list[CheckerMistake]


class BriefingRow(BaseModel):
    """A briefing made for the eval: what the model wrote, what the verifier kept, and the judge on what is shown."""

    period: str
    stories: int
    written: int  # key points the model wrote, all checked by the verifier
    passed: int
    extracted: int
    unsupported: list[str] = Field(default_factory=list, description="Written points kept off the page, with why.")
    shown: list[SentenceRow] = Field(default_factory=list, description="Sentences on the page and the judge's verdict.")
    seconds: float = 0.0


class EvalRun(BaseModel):
    """One eval run: what was run, per-question rows, aggregates, and the checker's own scores."""

    dataset: str
    model: str
    embedder: str
    judge: str
    retrieval: dict[str, Any]
    started: str
    seconds: float = 0.0
    rows: list[QuestionRow] = Field(default_factory=list)
    aggregate: dict[str, EstimateRow | None] = Field(default_factory=dict)
    checker: CheckerResult | None = None
    briefings: list[BriefingRow] = Field(default_factory=list)


def run_questions(
    questions: Sequence[EvalQuestion],
    *,
    dataset: str,
    room: Newsroom,
    judge: Judge,
    evidence: Mapping[str, Sequence[EvidenceSpan]] | None = None,
    progress: Progress | None = None,
) -> EvalRun:
    """Ask every question (as of its own date), score it, and aggregate; `evidence` is the located gold evidence
    of the questions, by id."""
    run = EvalRun(
        dataset=dataset,
        model=room.llm.name,
        embedder=room.embedder.name,
        judge=judge.name,
        retrieval=room.settings.retrieval.model_dump(mode="json"),
        started=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    began = time.perf_counter()
    for done, question in enumerate(questions, start=1):
        run.rows.append(score_question(question, room, judge, (evidence or {}).get(question.id, [])))
        if progress:
            progress("asking", done, len(questions))
    run.seconds = time.perf_counter() - began
    run.aggregate = aggregate(run.rows, graded_by=grader(judge))
    return run


def score_question(
    question: EvalQuestion, room: Newsroom, judge: Judge, evidence: Sequence[EvidenceSpan] = ()
) -> QuestionRow:
    """Retrieve, answer and score one question."""
    dated = room.using(room.settings.updated(retrieval={"today": question.as_of}))
    ranking = dated.using(dated.settings.updated(retrieval={"context_tokens": 100_000}))  # rank, not the budget
    top = ranking.search(question.question, k=max(KS))
    ranked = list(dict.fromkeys(p.article_id for p in top))
    row = QuestionRow(
        id=question.id,
        category=question.category,
        question=question.question,
        as_of=question.as_of.isoformat(),
        answerable=question.answerable,
        reference=question.reference,
        answer="",
        abstained=False,
        answer_index=question.answer_index,
        retrieved=ranked,
        recall_at={str(k): recall_at_k(ranked, question.articles, k) for k in KS},
        mrr=reciprocal_rank(ranked, question.articles),
        answer_in_context={str(k): _in_context(question, [p.text for p in top[:k]]) for k in KS},
    )
    llm = room.llm
    before = (llm.usage.prompt, llm.usage.completion) if isinstance(llm, CountsTokens) else None
    started = time.perf_counter()
    if question.choices:
        result = dated.ask_choice(question.question, question.choices)
        answer = result.answer
        row.choice = result.choice
        row.correct = result.choice == question.answer_index
    else:
        answer = dated.ask(question.question)
    row.latency_s = time.perf_counter() - started
    if before is not None and isinstance(llm, CountsTokens):
        row.prompt_tokens = llm.usage.prompt - before[0]
        row.completion_tokens = llm.usage.completion - before[1]
    _fill_answer(row, question, answer, judge)
    if question.answerable and question.evidence:
        row.on_evidence = sum(on_evidence(c, evidence) for c in answer.citations)
        row.evidence_cited = row.on_evidence > 0
    return row


def _in_context(question: EvalQuestion, texts: Sequence[str]) -> bool | None:
    if not question.short_answers:
        return None
    return any(matches(text, question.short_answers) for text in texts)


def _fill_answer(row: QuestionRow, question: EvalQuestion, answer: Answer, judge: Judge) -> None:
    row.answer = answer.text
    row.abstained = answer.not_in_articles if not question.choices else row.choice is None
    row.removed = [f"{u.text} ({u.reason})" for u in answer.unsupported if not u.off_question]
    row.off_question = [f"{u.text} ({u.reason})" for u in answer.unsupported if u.off_question]
    by_number = {c.number: c for c in answer.citations}
    # As in ALCE, a cited passage is its article's title and its text.
    cited = [(s.text, [f"{by_number[n].title}\n{by_number[n].text}" for n in s.citations]) for s in answer.sentences]
    scores = citation_scores(cited, judge)
    row.citation_recall, row.citation_precision = scores.recall, scores.precision
    row.cited, row.precise = scores.citations, scores.precise
    row.sentences = [
        SentenceRow(text=s.text, citations=s.citations, supported=v)
        for s, v in zip(answer.sentences, scores.verdicts, strict=True)
    ]
    row.citations = [
        CitationRow(number=c.number, article_id=c.article_id, source=c.source, title=c.title, text=c.text)
        for c in answer.citations
    ]
    if question.answerable and not question.choices:
        row.correct = not answer.not_in_articles and matches(answer.text, question.short_answers)
        row.f1 = 0.0 if answer.not_in_articles else token_f1(answer.text, question.reference)


Grader = Literal["verifier", "self", "independent"]


def grader(judge: Judge) -> Grader:
    """Who grades the answers: the offline checker (the verifier itself), the model that wrote them, or an
    independent judge. Only an independent judge's ALCE scores are reported as citation recall and precision."""
    if judge.name.startswith("evidence"):
        return "verifier"
    return "self" if judge.name.startswith("self-judging") else "independent"


ALCE_NAMES: dict[Grader, tuple[str, str]] = {
    "verifier": ("verifier_agreement", "verifier_agreement_precision"),
    "self": ("self_judged_citation_recall", "self_judged_citation_precision"),
    "independent": CITATION_METRICS,
}
BRIEFING_ALCE_NAMES: dict[Grader, str] = {
    "verifier": "briefing_verifier_agreement",
    "self": "briefing_self_judged_citation_recall",
    "independent": "briefing_citation_recall",
}


def aggregate(rows: Sequence[QuestionRow], *, graded_by: Grader = "independent") -> dict[str, EstimateRow | None]:
    """Every metric over the questions where it is defined, with a 95% interval. ALCE citation recall and
    precision keep their names only when an independent judge graded them: graded by the verifier they are
    `verifier_agreement*` (the verifier agreeing with itself measures nothing about grounding), by the model that
    wrote the answers `self_judged_citation_*`."""
    answered = [r for r in rows if r.sentences]
    answerable = [r for r in rows if r.answerable and r.answer_index is None]
    with_evidence = [r for r in rows if r.evidence_cited is not None]
    alce = ALCE_NAMES[graded_by]
    unanswerable = [r for r in rows if not r.answerable]
    abstained = [r for r in rows if r.abstained]
    drafted = sum(len(r.sentences) + len(r.removed) for r in rows)
    latencies = sorted(r.latency_s for r in rows)
    metrics: dict[str, Estimate | None] = {
        "evidence_recall": wilson(sum(bool(r.evidence_cited) for r in with_evidence), len(with_evidence)),
        "evidence_precision": wilson(
            sum(r.on_evidence for r in with_evidence), sum(len(r.citations) for r in with_evidence)
        ),
        alce[0]: mean_of([r.citation_recall for r in answered]),
        alce[1]: mean_of([r.citation_precision for r in answered]),
        "unsupported_rate": wilson(sum(len(r.removed) for r in rows), drafted),
        "verified_rate": wilson(
            sum(bool(r.sentences) and not r.removed for r in rows if r.answerable), sum(r.answerable for r in rows)
        ),
        "answer_match": mean_of([float(bool(r.correct)) for r in answerable]),
        "answer_f1": mean_of([r.f1 for r in answerable]),
        "choice_accuracy": mean_of([float(bool(r.correct)) for r in rows if r.answer_index is not None]),
        "abstention_precision": wilson(sum(not r.answerable for r in abstained), len(abstained)),
        "abstention_recall": wilson(sum(r.abstained for r in unanswerable), len(unanswerable)),
        "wrong_abstention_rate": wilson(sum(r.abstained for r in answerable), len(answerable)),
        "mrr": mean_of([r.mrr for r in rows]),
        "latency_s": mean_of([r.latency_s for r in rows]),
        "latency_p95_s": _quantile_estimate(latencies, 0.95),
        "prompt_tokens": mean_of([r.prompt_tokens for r in rows if r.prompt_tokens is not None]),
        "completion_tokens": mean_of([r.completion_tokens for r in rows if r.completion_tokens is not None]),
    }
    for k in KS:
        metrics[f"recall@{k}"] = mean_of([r.recall_at[str(k)] for r in rows])
        metrics[f"answer_in_context@{k}"] = mean_of(
            [None if r.answer_in_context[str(k)] is None else float(bool(r.answer_in_context[str(k)])) for r in rows]
        )
    return {name: EstimateRow.of(value) for name, value in metrics.items()}


def _quantile_estimate(ordered: Sequence[float], q: float) -> Estimate | None:
    if len(ordered) < 2:
        return None
    value = statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]
    return Estimate(value, value, value, len(ordered))


def evidence_text(span: SourceSpan) -> str:
    """A cited span as a reader sees it: the outlet and headline, then the span's text."""
    return f"{span.source}. {span.title}\n{span.text}"


def score_briefing(briefing: Briefing, judge: Judge) -> BriefingRow:
    """The briefing's verifier counts, and the judge's verdict on every sentence shown against its cited spans
    read together (ALCE citation recall)."""
    # The outlet and headline go with each span: "Meridian Wire reports ..." is supported by a span from it.
    spans = {c.number: evidence_text(c) for c in briefing.citations}
    shown = [
        SentenceRow(
            text=s.text,
            citations=s.citations,
            supported=judge.judge(s.text, [spans[n] for n in s.citations if n in spans]).supported,
        )
        for s in briefing.sentences()
    ]
    stats = briefing.stats
    return BriefingRow(
        period=f"{briefing.since}..{briefing.until} ({briefing.timezone})",
        stories=stats.stories_shown,
        written=stats.sentences_checked,
        passed=stats.sentences_passed,
        extracted=stats.points_extracted,
        unsupported=[f"{u.text} ({u.reason})" for u in briefing.unsupported],
        shown=shown,
        seconds=stats.seconds,
    )


def briefing_aggregate(
    rows: Sequence[BriefingRow], *, graded_by: Grader = "independent"
) -> dict[str, EstimateRow | None]:
    """Briefing metrics: the share of written points the verifier rejected, and of shown sentences the judge
    finds supported by their citations."""
    if not rows:
        return {}
    shown = [s for r in rows for s in r.shown]
    metrics = {
        "briefing_unsupported_rate": wilson(sum(r.written - r.passed for r in rows), sum(r.written for r in rows)),
        BRIEFING_ALCE_NAMES[graded_by]: wilson(sum(s.supported for s in shown), len(shown)),
        "briefing_seconds": mean_of([r.seconds for r in rows]),
    }
    return {name: EstimateRow.of(value) for name, value in metrics.items()}


def run_checker(pairs: Sequence[CheckerPair], judge: Judge, split: Split = "test") -> CheckerResult:
    """The judge's verdict on every labelled pair of the split, compared with the labels: the checker is tuned on
    the other half, so only this one measures it. The tuning half's scores are kept for comparison."""
    measured = [p for p in pairs if p.split == split]
    judgements = [judge.judge(p.sentence, p.passages) for p in measured]
    verdicts = [j.verdict for j in judgements]
    scores = judge_agreement([p.label for p in measured], verdicts)
    kinds: dict[str, KindCounts] = {}
    for pair, verdict in zip(measured, verdicts, strict=True):
        counts = kinds.setdefault(pair.kind, KindCounts())
        said, true = verdict == "supported", pair.label == "supported"
        if true:
            counts.true_supported += said
            counts.missed += not said
        else:
            counts.let_through += said
            counts.caught += not said
    mistakes = [
        CheckerMistake(
            id=p.id,
            kind=p.kind,
            label=p.label,
            verdict=j.verdict,
            sentence=p.sentence,
            passages=p.passages,
            label_reason=p.reason,
            judge_reason=j.reason,
        )
        for p, j in zip(measured, judgements, strict=True)
        if (j.verdict == "supported") != (p.label == "supported")
    ]
    mistakes.sort(key=lambda m: not m.shown_but_false)  # shown-but-false first: the worst
    tuning = [p for p in pairs if p.split != split]
    tuned = judge_agreement([p.label for p in tuning], [judge.judge(p.sentence, p.passages).verdict for p in tuning])
    return CheckerResult(
        pairs=len(measured),
        split=split,
        precision=scores.precision,
        recall=scores.recall,
        accuracy=scores.accuracy,
        precision_interval=EstimateRow.of(_share(measured, verdicts, by="verdict")),
        recall_interval=EstimateRow.of(_share(measured, verdicts, by="label")),
        confusion=scores.confusion,
        kinds=dict(sorted(kinds.items())),
        natural=_natural_scores(measured, verdicts),
        tuning={"pairs": len(tuning), "precision": tuned.precision, "recall": tuned.recall},
        mistakes=mistakes,
    )


def _share(pairs: Sequence[CheckerPair], verdicts: Sequence[str], by: str) -> Estimate | None:
    """Precision (`by="verdict"`: of the pairs judged supported, labelled so) or recall (`by="label"`), with a
    Wilson interval."""
    said = [v == "supported" for v in verdicts]
    true = [p.label == "supported" for p in pairs]
    hits = sum(s and t for s, t in zip(said, true, strict=True))
    return wilson(hits, sum(said) if by == "verdict" else sum(true))


def _natural_scores(pairs: Sequence[CheckerPair], verdicts: Sequence[str]) -> dict[str, EstimateRow | None]:
    chosen = [(p, v) for p, v in zip(pairs, verdicts, strict=True) if p.kind == "natural"]
    if not chosen:
        return {}
    natural, said = [p for p, _ in chosen], [v for _, v in chosen]
    return {
        "precision": EstimateRow.of(_share(natural, said, by="verdict")),
        "recall": EstimateRow.of(_share(natural, said, by="label")),
    }
