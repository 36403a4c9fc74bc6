"""`briefing ingest` and `briefing ask`: articles in, cited answers out."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape

from briefing import Answer, BriefingError, Filters, Newsroom, byline, day_label
from briefing.cli.common import app, err, fail, out, parse_day, progress_bars, settings_of


@app.command()
def ingest(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders of .txt, .html, .json, .jsonl(.gz) articles, or http(s) page URLs."),
    ] = None,
    feed: Annotated[list[str] | None, typer.Option(help="An RSS/Atom feed URL: ingest its new articles.")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet name for inputs that do not state one.")] = None,
    allow_private_hosts: Annotated[
        bool,
        typer.Option(
            help="Let page and feed URLs reach this machine or its private network (fetch.allow_private_hosts)."
        ),
    ] = False,
) -> None:
    """Add articles to the store (unchanged ones are skipped, changed ones replaced)."""
    if not inputs and not feed:
        raise typer.BadParameter("give files, folders, page URLs or --feed", param_hint="INPUTS")
    try:
        settings = settings_of(ctx)
        if allow_private_hosts:
            settings = settings.updated(fetch={"allow_private_hosts": True})
        room = Newsroom(settings)
        with progress_bars() as advance:
            report = room.ingest(inputs or [], feeds=feed or [], default_source=source, progress=advance)
    except BriefingError as error:
        raise fail(error) from error
    for failure in report.failures:
        err.print(f"[red]failed:[/red] {escape(str(failure))}")
    for note in report.notes:
        err.print(f"[yellow]note:[/yellow] {escape(note)}")
    out.print(report.summary())
    if not report.ok:
        err.print(f"[red]{len(report.failures)} input(s) could not be read[/red]; the others were stored.")
        raise typer.Exit(1)


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
    filters = Filters(since=parse_day(since, "--since"), until=parse_day(until, "--until"), sources=tuple(source or ()))
    settings = settings_of(ctx).updated(retrieval={"today": parse_day(as_of, "--as-of")})
    try:
        with err.status("thinking…"):
            answer = Newsroom(settings).ask(question, filters=filters)
    except BriefingError as error:
        raise fail(error) from error
    if as_json:
        print(answer.model_dump_json(indent=2))
    else:
        _print_answer(answer)


@app.command()
def reindex(ctx: typer.Context) -> None:
    """Embed every stored article again with the embedder the settings select (after switching embedders, or when
    the model behind an embedding server's name changed); the earlier vectors are dropped."""
    try:
        room = Newsroom(settings_of(ctx))
        with progress_bars() as advance:
            articles, chunks = room.reindex(progress=advance)
    except BriefingError as error:
        raise fail(error) from error
    out.print(f"{articles} articles embedded again with {room.embedder.name}: {chunks} chunks.")


@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option(help="Mend what can be mended (re-embed, drop orphans, rebuild BM25).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check that the catalog, the vector store, the BM25 index and the summary cache agree (exit 1 when not)."""
    try:
        room = Newsroom(settings_of(ctx))
        with progress_bars() as advance:
            report = room.doctor(repair=repair, progress=advance)
    except BriefingError as error:
        raise fail(error) from error
    if as_json:
        print(
            json.dumps(
                {"healthy": report.healthy, "counts": report.counts, "findings": [asdict(f) for f in report.findings]},
                indent=2,
            )
        )
    else:
        for finding in report.findings:
            mark = (
                "[green]ok[/green]"
                if finding.ok
                else "[yellow]repaired[/yellow]"
                if finding.repaired
                else "[red]problem[/red]"
            )
            out.print(f"{mark:>28} {finding.check}: {escape(finding.detail)}")
        out.print(", ".join(f"{value} {name.replace('_', ' ')}" for name, value in report.counts.items()))
        if not report.healthy:
            hint = (
                " (run `briefing doctor --repair`)"
                if not repair and any(f.repairable and not f.ok for f in report.findings)
                else ""
            )
            err.print(f"[red]the store needs care[/red]{hint}")
    if not report.healthy:
        raise typer.Exit(1)


def _print_answer(answer: Answer) -> None:
    out.print(escape(answer.text), highlight=False)
    for citation in answer.citations:
        day = day_label(citation.published)
        out.print(f"\n[bold][{citation.number}][/bold] {escape(citation.title)} — {escape(citation.source)}, {day}")
        if citation.authors:
            out.print(f"    by {escape(byline(citation.authors))}", style="dim")
        if citation.also_in:
            out.print(f"    also published by {escape(', '.join(citation.also_in))}", style="dim")
        if citation.url:
            out.print(f"    {escape(citation.url)}", style="dim")
        out.print(f"    “{escape(citation.text)}”", style="italic", highlight=False)
