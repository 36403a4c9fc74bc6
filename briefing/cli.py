"""The `briefing` command: ingest articles, ask questions, write briefings, run evals, start the app."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from briefing import AlreadyRunningError, Answer, BriefingError, Filters, Newsroom, Settings, day_label
from briefing import Progress as ProgressCallback

if TYPE_CHECKING:
    from briefing.briefs.page import Briefing
    from briefing.briefs.periods import Period
    from briefing.evals.suite import EvalOutcome
    from briefing.render import Format

app = typer.Typer(
    help="Ask questions of your news articles and get answers that cite their passages.", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _fail(error: BriefingError) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(str(error))}")
    return typer.Exit(2)


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where the store lives (default: BRIEFING_STORE__PATH).")
    ] = None,
) -> None:
    """Local-first news intelligence."""
    try:
        settings = Settings()
    except ValueError as exc:
        err.print(f"[red]error:[/red] invalid settings: {escape(str(exc))}")
        raise typer.Exit(2) from exc
    ctx.obj = settings.updated(store={"path": data_dir})


@app.command()
def ingest(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders of .txt, .html, .json, .jsonl(.gz) articles, or http(s) page URLs."),
    ] = None,
    feed: Annotated[list[str] | None, typer.Option(help="An RSS/Atom feed URL: ingest its new articles.")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet name for inputs that do not state one.")] = None,
) -> None:
    """Add articles to the store (unchanged ones are skipped, changed ones replaced)."""
    if not inputs and not feed:
        raise typer.BadParameter("give files, folders, page URLs or --feed", param_hint="INPUTS")
    try:
        room = Newsroom(_settings(ctx))
        with _progress() as advance:
            report = room.ingest(inputs or [], feeds=feed or [], default_source=source, progress=advance)
    except BriefingError as error:
        raise _fail(error) from error
    for failure in report.failures:
        err.print(f"[red]failed:[/red] {escape(str(failure))}")
    out.print(report.summary())
    if not report.ok:
        err.print(f"[red]{len(report.failures)} input(s) could not be read[/red]; the others were stored.")
        raise typer.Exit(1)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-25", param_hint=option) from exc


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="Your question.")],
    since: Annotated[
        str | None, typer.Option(help="Only articles published on or after this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only articles published on or before this day (YYYY-MM-DD).")
    ] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only this outlet (repeat for several).")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Day that 'yesterday' or 'last week' count from (YYYY-MM-DD; default today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer a question from the stored articles, with cited passages."""
    filters = Filters(since=_day(since, "--since"), until=_day(until, "--until"), sources=tuple(source or ()))
    settings = _settings(ctx).updated(retrieval={"today": _day(as_of, "--as-of")})
    try:
        with err.status("thinking…"):
            answer = Newsroom(settings).ask(question, filters=filters)
    except BriefingError as error:
        raise _fail(error) from error
    if as_json:
        print(answer.model_dump_json(indent=2))
    else:
        _print_answer(answer)


def _print_answer(answer: Answer) -> None:
    out.print(escape(answer.text), highlight=False)
    for citation in answer.citations:
        day = day_label(citation.published)
        out.print(f"\n[bold][{citation.number}][/bold] {escape(citation.title)} — {escape(citation.source)}, {day}")
        if citation.also_in:
            out.print(f"    also published by {escape(', '.join(citation.also_in))}", style="dim")
        if citation.url:
            out.print(f"    {escape(citation.url)}", style="dim")
        out.print(f"    “{escape(citation.text)}”", style="italic", highlight=False)


_FORMAT_CHOICES = ("md", "html", "pdf", "json", "all")


def _formats(value: str) -> list[Format]:
    from briefing.render import FORMATS

    chosen = [f.strip() for f in value.split(",")]
    if "all" in chosen:
        return list(FORMATS)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise typer.BadParameter(
            f"{', '.join(unknown)}: choose from {', '.join(_FORMAT_CHOICES)}", param_hint="--format"
        )
    return [f for f in FORMATS if f in chosen]


def _period(settings: Settings, day: str | None, since: str | None, until: str | None) -> Period:
    from briefing.briefs.periods import period_of, zone

    return period_of(
        _day(day, "--date"), _day(since, "--since"), _day(until, "--until"), tz=zone(settings.briefing.timezone)
    )


def _with_briefing_options(ctx: typer.Context, **options: object) -> Settings:
    try:
        return _settings(ctx).updated(briefing=options)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


@app.command("brief")
def brief_command(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="The day to brief (YYYY-MM-DD; default today).")] = None,
    since: Annotated[str | None, typer.Option(help="First day of a longer period (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day of the period (YYYY-MM-DD; default today).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html, pdf, json, or all (comma-separated).")] = "md",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder to write briefing.<format> into (default: print Markdown).")
    ] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only this outlet (repeat for several).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only articles about this topic, e.g. 'port strike'.")] = None,
    words: Annotated[int | None, typer.Option(help="Word budget of the page (default 600).")] = None,
    timezone: Annotated[str | None, typer.Option(help="Timezone of the days, e.g. Europe/Paris or +01:00.")] = None,
    extractive: Annotated[
        bool | None, typer.Option("--extractive/--generate", help="Key points verbatim (fast, no model).")
    ] = None,
) -> None:
    """Write the one-page briefing of a day (or --since/--until), every line citing its sources."""
    from briefing.render import render_markdown
    from briefing.render.publish import fit_one_page, publish

    settings = _with_briefing_options(ctx, words=words, timezone=timezone, extractive=extractive)
    formats = _formats(fmt)
    try:
        period = _period(settings, day, since, until)
        with _progress() as advance:
            briefing = Newsroom(settings).brief(period, sources=source or (), topic=topic, progress=advance)
        if out_dir is None:
            print(render_markdown(fit_one_page(briefing, settings.briefing.page_size)))
        else:
            for path in publish(briefing, out_dir, formats, settings.briefing.page_size):
                out.print(f"wrote {path}")
    except BriefingError as error:
        raise _fail(error) from error
    _print_brief_stats(briefing)


def _print_brief_stats(briefing: Briefing) -> None:
    s = briefing.stats
    err.print(
        f"{s.stories_shown} of {s.stories_found} stories from {s.articles} articles, {s.words} words; "
        f"{s.sentences_passed} of {s.sentences_checked} written sentences passed the check; "
        f"{s.summaries_cached} summaries from cache; {s.seconds:.1f} s",
        highlight=False,
    )


@app.command()
def daily(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="The day to brief (YYYY-MM-DD; default today).")] = None,
    folder: Annotated[
        list[Path] | None, typer.Option(help="Also ingest this folder (adds to BRIEFING_BRIEFING__FOLDERS).")
    ] = None,
    feed: Annotated[
        list[str] | None, typer.Option(help="Also read this RSS/Atom feed URL (adds to ..._FEEDS).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder of dated briefings (BRIEFING_BRIEFING__OUT_DIR).")
    ] = None,
    timezone: Annotated[str | None, typer.Option(help="Timezone of the day, e.g. Europe/Paris or +01:00.")] = None,
    extractive: Annotated[
        bool | None, typer.Option("--extractive/--generate", help="Key points verbatim (fast, no model).")
    ] = None,
) -> None:
    """Ingest new articles from the configured folders and feeds, then write the day's briefing into
    <out>/<YYYY-MM-DD>/. Exit codes: 0 written; 1 written but some inputs failed; 2 not written; 75 already running."""
    configured = _settings(ctx).briefing
    settings = _with_briefing_options(
        ctx,
        timezone=timezone,
        extractive=extractive,
        out_dir=out_dir,
        folders=[*configured.folders, *(folder or [])],
        feeds=[*configured.feeds, *(feed or [])],
    )
    try:
        period = _period(settings, day, None, None)
        with _progress() as advance:
            run = Newsroom(settings).daily(period, progress=advance)
    except AlreadyRunningError as error:
        err.print(f"[yellow]skipped:[/yellow] {escape(str(error))}")
        raise typer.Exit(75) from error
    except BriefingError as error:
        raise _fail(error) from error
    for failure in run.failures:
        err.print(f"[red]failed:[/red] {escape(str(failure))}")
    out.print(run.ingest.summary())
    for path in run.files:
        out.print(f"wrote {path}")
    if run.briefing:
        _print_brief_stats(run.briefing)
    if run.failures:
        err.print(f"[red]{len(run.failures)} input(s) could not be read[/red]; the briefing was written without them.")
        raise typer.Exit(1)


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A progress bar per stage on stderr; yields the callback the pipeline reports to."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield advance


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Option(help="'sample' (the gold set), 'realtimeqa' (the development corpus) or a .jsonl file.")
    ] = "sample",
    sample: Annotated[int | None, typer.Option(help="Ask only this many questions (fixed-seed sample).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sample.")] = 0,
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
        settings = _settings(ctx).updated(llm={"provider": llm_provider, "base_url": llm_base_url, "model": llm_model})
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
        judge="llm" if judge == "llm" else "evidence",
        out=out_dir,
        baseline=baseline,
        thresholds=thresholds,
        checker=checker,
        briefing=briefing,
    )
    try:
        with _progress() as advance:
            outcome = evaluate(options, settings, advance)
    except BriefingError as error:
        raise _fail(error) from error
    _print_eval(outcome)
    if check and not outcome.passed:
        err.print("[red]grounding thresholds missed[/red]")
        raise typer.Exit(1)


_HEADLINE_METRICS = (
    "citation_recall",
    "citation_precision",
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


def _app_file() -> Path:
    return Path(str(resources.files("briefing.ui").joinpath("app.py")))


@app.command()
def ui(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501,
) -> None:
    """Start the Streamlit app on http://localhost:PORT."""
    settings = _settings(ctx)
    env = dict(os.environ, BRIEFING_STORE__PATH=str(settings.store.path))
    if ctx.find_root().params.get("data_dir") is not None:  # briefings written by the app go beside that store
        env.setdefault("BRIEFING_BRIEFING__OUT_DIR", str(settings.store.path / "briefings"))
    out.print(f"briefing app on http://localhost:{port} (Ctrl-C to stop)")
    raise typer.Exit(subprocess.call(streamlit_command(port), env=env))


def streamlit_command(port: int, address: str | None = None) -> list[str]:
    """The command that serves the app on the port (all interfaces, or only `address`)."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(_app_file()),
        "--server.headless=true",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
    ]
    return [*command, f"--server.address={address}"] if address else command


@app.command()
def demo(ctx: typer.Context, port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501) -> None:
    """Ingest the bundled sample articles, then start the app on them."""
    samples = Path(str(resources.files("briefing").joinpath("samples")))
    ctx.invoke(ingest, ctx=ctx, inputs=[str(samples)], feed=None, source=None)
    ctx.invoke(ui, ctx=ctx, port=port)
