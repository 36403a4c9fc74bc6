"""`briefing eval`: the grounding eval suite, its report, and the CI gate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing import BriefingError
from briefing.cli.common import app, err, fail, out, progress_bars, settings_of

if TYPE_CHECKING:
    from briefing.evals.suite import EvalOutcome


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Option(help="'sample' (the gold set), 'realtimeqa' (the development corpus) or a .jsonl file.")
    ] = "sample",
    sample: Annotated[int | None, typer.Option(help="Ask only this many questions (fixed-seed sample).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sample.")] = 0,
    unanswerable: Annotated[
        int, typer.Option(help="At least this many unanswerable questions in the sample (abstention needs them).")
    ] = 0,
    judge: Annotated[str, typer.Option(help="'evidence' (offline checker) or 'llm' (the chat model as judge).")] = (
        "evidence"
    ),
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for results.json, report.md and report.html.")] = Path(
        "eval-results"
    ),
    baseline: Annotated[Path | None, typer.Option(help="An earlier results.json to compare with.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a threshold is missed.")] = False,
    thresholds: Annotated[Path | None, typer.Option(help="Thresholds file (default: evals/thresholds.toml).")] = None,
    store: Annotated[Path | None, typer.Option(help="Store folder for the dataset (default: a cache folder).")] = None,
    articles: Annotated[list[Path] | None, typer.Option(help="Article files to ingest first (own datasets).")] = None,
    corpus: Annotated[Path, typer.Option(help="RealTime QA folder.")] = Path("../shared/corpora/realtimeqa-2025"),
    weeks: Annotated[str, typer.Option(help="RealTime QA weeks as a slice of the sorted list, e.g. 40:52.")] = "40:52",
    checker: Annotated[bool, typer.Option(help="Also measure the judge on the labelled pairs.")] = True,
    free_form: Annotated[
        bool,
        typer.Option(
            "--free-form",
            help="RealTime QA: ask the quiz questions without their choices (answerable when the gold choice's "
            "text is in the store).",
        ),
    ] = False,
    briefing: Annotated[
        bool, typer.Option(help="Also brief the sample's busiest day and score it (sample only).")
    ] = True,
    llm_provider: Annotated[str | None, typer.Option(help="Override BRIEFING_LLM__PROVIDER (local, openai).")] = None,
    llm_base_url: Annotated[str | None, typer.Option(help="Override BRIEFING_LLM__BASE_URL.")] = None,
    llm_model: Annotated[str | None, typer.Option(help="Override BRIEFING_LLM__MODEL.")] = None,
) -> None:
    """Run the grounding eval suite and write its report; with --check, fail when a threshold is missed."""
    from briefing.evals.suite import EvalOptions, evaluate

    if judge not in ("evidence", "llm"):
        raise typer.BadParameter(f"{judge!r} is not 'evidence' or 'llm'", param_hint="--judge")
    try:
        settings = settings_of(ctx).updated(
            llm={"provider": llm_provider, "base_url": llm_base_url, "model": llm_model}
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--llm-provider") from exc
    options = EvalOptions(
        dataset=dataset,
        corpus=corpus,
        weeks=weeks,
        articles=articles or [],
        store=store,
        sample_size=sample,
        seed=seed,
        unanswerable=unanswerable,
        judge="llm" if judge == "llm" else "evidence",
        out=out_dir,
        baseline=baseline,
        thresholds=thresholds,
        checker=checker,
        free_form=free_form,
        briefing=briefing,
    )
    try:
        with progress_bars() as advance:
            outcome = evaluate(options, settings, advance)
    except BriefingError as error:
        raise fail(error) from error
    _print_eval(outcome)
    if check and not outcome.passed:
        err.print("[red]grounding thresholds missed[/red]")
        raise typer.Exit(1)


_HEADLINE_METRICS = (
    "evidence_recall",
    "evidence_precision",
    "citation_recall",
    "citation_precision",
    "self_judged_citation_recall",
    "verifier_agreement",
    "unsupported_rate",
    "answer_match",
    "choice_accuracy",
    "abstention_recall",
    "abstention_precision",
    "wrong_abstention_rate",
    "recall@5",
    "mrr",
    "latency_s",
    "briefing_unsupported_rate",
    "briefing_citation_recall",
    "briefing_self_judged_citation_recall",
    "briefing_verifier_agreement",
    "briefing_seconds",
)


def _print_eval(outcome: EvalOutcome) -> None:
    run = outcome.run
    if outcome.skipped:
        err.print(
            f"skipped {len(outcome.skipped)} unreadable article records, first: {outcome.skipped[0]}", highlight=False
        )
    out.print(f"{run.dataset}: {len(run.rows)} questions in {run.seconds:.0f} s, judge {run.judge}")
    for name in _HEADLINE_METRICS:
        if (estimate := run.aggregate.get(name)) is not None:
            out.print(f"  {name:<22} {estimate.value:.3f} [{estimate.low:.3f}, {estimate.high:.3f}] n={estimate.n}")
    if run.checker:
        c = run.checker
        scores = ", ".join(
            f"{k} {'n/a' if v is None else f'{v:.3f}'}" for k, v in [("precision", c.precision), ("recall", c.recall)]
        )
        out.print(f"  judge on {c.pairs} labelled pairs: {scores}")
    for file in outcome.files:
        out.print(f"wrote {file}")
    for threshold in outcome.checks:
        out.print(str(threshold), highlight=False)
