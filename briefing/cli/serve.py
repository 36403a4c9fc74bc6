"""`briefing ui` and `briefing demo`: the Streamlit app, on the store or on the bundled sample articles."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from briefing.access import exposure_problem
from briefing.cli.articles import ingest
from briefing.cli.common import app, err, out, settings_of
from briefing.settings import Settings


def _app_file() -> Path:
    return Path(str(resources.files("briefing.ui").joinpath("app.py")))


Address = Annotated[
    str | None,
    typer.Option(
        help="Address to listen on (default: ui.address, 127.0.0.1). Any other than loopback, such as 0.0.0.0 for "
        "every interface, needs BRIEFING_UI__PASSWORD or BRIEFING_UI__PASSWORD_FILE."
    ),
]


@app.command()
def ui(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501,
    address: Address = None,
) -> None:
    """Start the Streamlit app on http://127.0.0.1:PORT (this machine only, unless --address says otherwise)."""
    settings = settings_of(ctx)
    address = _allowed_address(address, settings)
    env = dict(os.environ, BRIEFING_STORE__PATH=str(settings.store.path))
    if ctx.find_root().params.get("data_dir") is not None:  # briefings written by the app go beside that store
        env.setdefault("BRIEFING_BRIEFING__OUT_DIR", str(settings.store.path / "briefings"))
    shown = f"[{address}]" if ":" in address else address
    notes = [
        *(["password required"] if settings.ui.access_password() else []),
        *(["read-only"] if settings.ui.read_only else []),
    ]
    out.print(f"briefing app on http://{shown}:{port} ({', '.join([*notes, 'Ctrl-C to stop'])})")
    upload_mb = max(1, round(settings.ingest.max_file_mb))
    raise typer.Exit(subprocess.call(streamlit_command(port, address, upload_mb), env=env))


def _allowed_address(address: str | None, settings: Settings) -> str:
    """The address to listen on; exits with the reason when it needs a password that is not set."""
    address = address or settings.ui.address
    if (problem := exposure_problem(address, settings.ui)) is not None:
        err.print(f"[red]error:[/red] {escape(problem)}")
        raise typer.Exit(2)
    return address


def streamlit_command(port: int, address: str = "127.0.0.1", upload_mb: int = 50) -> list[str]:
    """The command that serves the app on the port and address, refusing uploads over `upload_mb` MB while they
    stream in."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(_app_file()),
        "--server.headless=true",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        f"--server.address={address}",
        f"--server.maxUploadSize={upload_mb}",
    ]


@app.command()
def demo(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501,
    address: Address = None,
) -> None:
    """Ingest the bundled sample articles, then start the app on them."""
    _allowed_address(address, settings_of(ctx))  # before the ingest, not after it
    samples = Path(str(resources.files("briefing").joinpath("samples")))
    ctx.invoke(ingest, ctx=ctx, inputs=[str(samples)], feed=None, source=None, allow_private_hosts=False)
    ctx.invoke(ui, ctx=ctx, port=port, address=address)
