"""`briefing eval`: pick the dataset, fill its store, build the models and the judge, run, report, check."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir

from briefing import EvidenceJudge, InputError, Judge, Newsroom, Period, Progress, Settings

from .datasets import (
    EvalQuestion,
    asked_free_form,
    bundled,
    labelled_pairs,
    load_questions,
    load_realtimeqa,
    realtimeqa_weeks,
    sample,
)
from .evidence import locate_evidence
from .report import ThresholdCheck, bundled_thresholds, check_thresholds, load_run, write_reports
from .run import EvalRun, briefing_aggregate, grader, run_checker, run_questions, score_briefing

# The sample corpus's busiest day, in the sample outlets' own timezone (UTC+01:00).
SAMPLE_BRIEFING_DAY = Period(date(2026, 11, 25), date(2026, 11, 25), timezone(timedelta(hours=1)))

JudgeChoice = Literal["evidence", "llm"]


@dataclass
class EvalOptions:
    """What to evaluate and where to write it."""

    dataset: str = "sample"  # "sample", "realtimeqa", or a .jsonl file of questions
    corpus: Path = Path("../shared/corpora/realtimeqa-2025")
    weeks: str = "40:52"  # slice of the corpus's sorted weeks, for "realtimeqa"
    articles: list[Path] = field(default_factory=list)  # extra article files to ingest first (own datasets)
    store: Path | None = None
    sample_size: int | None = None
    seed: int = 0
    unanswerable: int = 0  # at least this many unanswerable questions in the sample
    judge: JudgeChoice = "evidence"
    out: Path = Path("eval-results")
    baseline: Path | None = None
    thresholds: Path | None = None
    checker: bool = True
    free_form: bool = False  # "realtimeqa": ask the quiz questions without their choices
    briefing: bool = True  # also brief the sample's busiest day and score it (dataset "sample" only)


@dataclass
class EvalOutcome:
    """A finished run, its threshold checks and the files written."""

    run: EvalRun
    checks: list[ThresholdCheck]
    files: list[Path]
    skipped: list[InputError] = field(default_factory=list)  # article records that could not be read

    @property
    def passed(self) -> bool:
        """True when every threshold was met; a run with no thresholds to meet has not passed."""
        return bool(self.checks) and all(c.passed for c in self.checks)


def dataset_name(options: EvalOptions) -> str:
    """The dataset's short name (the thresholds table it is checked against)."""
    if options.dataset == "realtimeqa" and options.free_form:
        return "realtimeqa-free-form"
    if options.dataset in ("sample", "realtimeqa"):
        return options.dataset
    return Path(options.dataset).stem


def questions_and_articles(options: EvalOptions) -> tuple[list[EvalQuestion], list[Path]]:
    """The dataset's questions and the article files its store must hold."""
    if options.dataset == "sample":
        samples = Path(str(resources.files("briefing").joinpath("samples")))
        return load_questions(bundled("sample_gold.jsonl")), [samples, *options.articles]
    if options.dataset == "realtimeqa":
        start, _, stop = options.weeks.partition(":")
        weeks = realtimeqa_weeks(options.corpus)[int(start or 0) : int(stop) if stop else None]
        if not weeks:
            raise InputError(str(options.corpus), f"has no RealTime QA weeks in the slice {options.weeks!r}")
        files = [options.corpus / f"{week}_gcs.jsonl.gz" for week in weeks]
        return load_realtimeqa(options.corpus, weeks), [*files, *options.articles]
    return load_questions(Path(options.dataset)), list(options.articles)


def make_judge(choice: JudgeChoice, room: Newsroom) -> Judge:
    """The offline evidence judge, or an LLM judge (verify.judge_llm when set, else the chat model)."""
    if choice == "evidence":
        return EvidenceJudge(room.embedder if room.settings.verify.paraphrase_similarity else None)
    return room.llm_judge()


def evaluate(options: EvalOptions, settings: Settings, progress: Progress | None = None) -> EvalOutcome:
    """Run the eval end to end and write results.json, report.md and report.html."""
    name = dataset_name(options)
    questions, article_files = questions_and_articles(options)
    questions = sample(questions, options.sample_size, options.seed, unanswerable=options.unanswerable)
    store = options.store or Path(user_cache_dir("briefing")) / "eval-stores" / name.removesuffix("-free-form")
    local = settings.store.model_copy(update={"path": store, "chroma_host": None})  # always a local store
    settings = settings.model_copy(update={"store": local})
    room = Newsroom(settings)
    skipped: list[InputError] = []
    if article_files:
        skipped = room.ingest(article_files, progress=progress).failures
        if skipped and not room.store.chunk_count():
            raise skipped[0]
    if options.free_form:
        questions = asked_free_form(questions, [a.body for a in room.store.catalog.all_indexed()])
    wanted = {e.article for q in questions for e in q.evidence}
    evidence = locate_evidence(questions, room.store.catalog.indexed(wanted))  # before any model call
    judge = make_judge(options.judge, room)
    run = run_questions(questions, dataset=name, room=room, judge=judge, evidence=evidence, progress=progress)
    if options.briefing and options.dataset == "sample":
        with tempfile.TemporaryDirectory(prefix="briefing-eval-") as cache:  # measure the model, not the cache
            briefing = room.using(settings.updated(briefing={"cache_dir": Path(cache)}))
            made = briefing.brief(SAMPLE_BRIEFING_DAY, progress=progress)
        run.briefings.append(score_briefing(made, judge))
        run.aggregate.update(briefing_aggregate(run.briefings, graded_by=grader(judge)))
    if options.checker:
        run.checker = run_checker(labelled_pairs(), judge)
    baseline = load_run(options.baseline) if options.baseline else None
    checks = check_thresholds(run, options.thresholds or bundled_thresholds())
    files = write_reports(run, options.out, baseline, checks)
    return EvalOutcome(run, checks, files, skipped)
