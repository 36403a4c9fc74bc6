"""The `briefing` command: ingest articles, ask questions, write briefings, run evals, start the app.

Each module registers its commands on the one Typer `app`: `articles` (ingest, ask), `briefings` (brief, daily),
`evals` (eval), `serve` (ui, demo).
"""

from briefing.cli import articles, briefings, evals, serve
from briefing.cli.common import app
from briefing.cli.serve import streamlit_command

__all__ = ["app", "articles", "briefings", "evals", "serve", "streamlit_command"]
