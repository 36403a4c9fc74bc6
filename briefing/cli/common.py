"""The `briefing` command's shared parts: the Typer app, the settings it starts from, the consoles, errors, dates
and progress bars. The commands live beside it, one module per kind of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from briefing import BriefingError, Settings
from briefing import Progress as ProgressCallback
from briefing.errors import redacted

app = typer.Typer(
    help="Ask questions of your news articles and get answers that cite their passages.", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the command line started from (the environment, and --data-dir)."""
    settings: Settings = ctx.find_root().obj
    return settings


def fail(error: BriefingError) -> typer.Exit:
    """Say what went wrong in one line, and exit with status 2."""
    err.print(f"[red]error:[/red] {escape(redacted(str(error), _configured_secrets()))}")
    return typer.Exit(2)


def _configured_secrets() -> list[str]:
    try:
        return Settings().secrets()
    except ValueError:  # settings that cannot be read name no secret worth hiding
        return []


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


def parse_day(value: str | None, option: str) -> date | None:
    """The day an option names (YYYY-MM-DD), or None when it was not given."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-25", param_hint=option) from exc


@contextmanager
def progress_bars() -> Iterator[ProgressCallback]:
    """A progress bar per stage on stderr; yields the callback the Newsroom reports to."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield advance
