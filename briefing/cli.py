"""The `briefing` command: ingest articles, ask questions, start the app."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from briefing.answers import Answer
from briefing.errors import BriefingError
from briefing.pipeline import ask as ask_question
from briefing.pipeline import ingest as ingest_paths
from briefing.settings import Settings
from briefing.store import Filters

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
    if data_dir is not None:
        settings.store.path = data_dir
    ctx.obj = settings


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt, .html, .json, .jsonl(.gz) articles.")],
    source: Annotated[str | None, typer.Option(help="Outlet name for inputs that do not state one.")] = None,
) -> None:
    """Add articles to the store (unchanged ones are skipped, changed ones replaced)."""
    settings = _settings(ctx)
    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("indexing", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = ingest_paths(paths, settings=settings, default_source=source, progress=advance)
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
    settings = _settings(ctx)
    settings.retrieval.today = _day(as_of, "--as-of") or settings.retrieval.today
    try:
        with err.status("thinking…"):
            answer = ask_question(question, filters=filters, settings=settings)
    except BriefingError as error:
        raise _fail(error) from error
    if as_json:
        print(answer.model_dump_json(indent=2))
    else:
        _print_answer(answer)


def _print_answer(answer: Answer) -> None:
    out.print(escape(answer.text), highlight=False)
    for citation in answer.citations:
        day = citation.published.isoformat()[:10] if citation.published else "undated"
        out.print(f"\n[bold][{citation.number}][/bold] {escape(citation.title)} — {escape(citation.source)}, {day}")
        if citation.also_in:
            out.print(f"    also published by {escape(', '.join(citation.also_in))}", style="dim")
        if citation.url:
            out.print(f"    {escape(citation.url)}", style="dim")
        out.print(f"    “{escape(citation.text)}”", style="italic", highlight=False)


def _app_file() -> Path:
    return Path(str(resources.files("briefing.ui").joinpath("app.py")))


@app.command()
def ui(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501,
) -> None:
    """Start the Streamlit app on http://localhost:PORT."""
    env = dict(os.environ, BRIEFING_STORE__PATH=str(_settings(ctx).store.path))
    command = [
        sys.executable, "-m", "streamlit", "run", str(_app_file()), "--server.headless=true",
        f"--server.port={port}", "--browser.gatherUsageStats=false", "--client.toolbarMode=minimal",
    ]  # fmt: skip
    out.print(f"briefing app on http://localhost:{port} (Ctrl-C to stop)")
    raise typer.Exit(subprocess.call(command, env=env))


@app.command()
def demo(ctx: typer.Context, port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501) -> None:
    """Ingest the bundled sample articles, then start the app on them."""
    samples = Path(str(resources.files("briefing").joinpath("samples")))
    ctx.invoke(ingest, ctx=ctx, paths=[samples], source=None)
    ctx.invoke(ui, ctx=ctx, port=port)
