"""`briefing brief` and `briefing daily`: one-page briefings, printed or written to dated folders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from briefing import (
    AlreadyRunningError,
    Briefing,
    BriefingError,
    Newsroom,
    Period,
    SavedBriefing,
    Settings,
    list_briefings,
)
from briefing.cli.common import app, err, fail, out, parse_day, progress_bars, settings_of

if TYPE_CHECKING:
    from briefing.render import Format


_FORMAT_CHOICES = ("md", "html", "pdf", "json", "email", "all")


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
        parse_day(day, "--date"),
        parse_day(since, "--since"),
        parse_day(until, "--until"),
        tz=zone(settings.briefing.timezone),
    )


def _with_briefing_options(ctx: typer.Context, **options: object) -> Settings:
    try:
        return settings_of(ctx).updated(briefing=options)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


@app.command("brief")
def brief_command(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="The day to brief (YYYY-MM-DD; default today).")] = None,
    since: Annotated[str | None, typer.Option(help="First day of a longer period (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day of the period (YYYY-MM-DD; default today).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="md, html, pdf, json, email (HTML e-mail), or all (comma-separated).")
    ] = "md",
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
    list_saved: Annotated[
        bool, typer.Option("--list", help="List the briefings written in --out (default: ..._OUT_DIR), newest first.")
    ] = False,
) -> None:
    """Write the one-page briefing of a day (or --since/--until), every line citing its sources."""
    from briefing.render import render_markdown
    from briefing.render.publish import fit_one_page, publish

    if list_saved:
        _list_saved(out_dir or settings_of(ctx).briefing.out_dir)
        return
    settings = _with_briefing_options(ctx, words=words, timezone=timezone, extractive=extractive)
    formats = _formats(fmt)
    try:
        period = _period(settings, day, since, until)
        with progress_bars() as advance:
            briefing = Newsroom(settings).brief(period, sources=source or (), topic=topic, progress=advance)
        if out_dir is None:
            print(render_markdown(fit_one_page(briefing, settings.briefing.page_size)))
        else:
            for path in publish(briefing, out_dir, formats, settings.briefing.page_size):
                out.print(f"wrote {path}")
    except BriefingError as error:
        raise fail(error) from error
    _print_brief_stats(briefing)


def _list_saved(out_dir: Path) -> None:
    """The briefings written in the folder, newest period first, one a line; the unreadable ones on stderr."""
    saved, unreadable = list_briefings(out_dir)
    for problem in unreadable:
        err.print(f"[yellow]skipped:[/yellow] {escape(str(problem.path))}: {escape(problem.reason)}", soft_wrap=True)
    if not saved:
        out.print(f"no briefings written yet in {out_dir}", markup=False, highlight=False)
    for briefing in saved:
        out.print(_saved_line(briefing), markup=False, highlight=False, soft_wrap=True)


def _saved_line(saved: SavedBriefing) -> str:
    """'2026-11-25  Daily briefing  8 stories  598 words  generated 2026-11-25 07:02  /srv/briefings/2026-11-25'."""
    from briefing.render.wording import plural  # the renderers load reportlab: only when listing

    period = str(saved.since) if saved.since == saved.until else f"{saved.since}..{saved.until}"
    generated = saved.generated_at.strftime("%Y-%m-%d %H:%M")
    return "  ".join(
        [
            period,
            " ".join(saved.title.split()),
            plural(saved.stories, "story"),
            f"{saved.words} words",
            f"generated {generated}",
            str(saved.folder),
        ]
    )


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
    configured = settings_of(ctx).briefing
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
        with progress_bars() as advance:
            run = Newsroom(settings).daily(period, progress=advance)
    except AlreadyRunningError as error:
        err.print(f"[yellow]skipped:[/yellow] {escape(str(error))}")
        raise typer.Exit(75) from error
    except BriefingError as error:
        raise fail(error) from error
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
