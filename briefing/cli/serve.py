"""`briefing ui` and `briefing demo`: the Streamlit app, on the store or on the bundled sample articles."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from briefing.cli.articles import ingest
from briefing.cli.common import app, out, settings_of


def _app_file() -> Path:
    return Path(str(resources.files("briefing.ui").joinpath("app.py")))


@app.command()
def ui(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501,
) -> None:
    """Start the Streamlit app on http://localhost:PORT."""
    settings = settings_of(ctx)
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
