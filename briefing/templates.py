"""Prompt templates: files in `prompts/`, shipped with the package, filled by name."""

from __future__ import annotations

from importlib import resources
from string import Template

from briefing.errors import BriefingError


def load_prompt(name: str) -> Template:
    """The template `prompts/<name>.txt`."""
    try:
        text = resources.files("briefing.prompts").joinpath(f"{name}.txt").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BriefingError(f"No prompt template named {name!r} in briefing/prompts.") from exc
    return Template(text)


def render_prompt(name: str, **values: object) -> str:
    """Fill a template; a missing variable is an error, never a silent blank."""
    try:
        return load_prompt(name).substitute(values).strip()
    except KeyError as exc:
        raise BriefingError(f"Prompt {name!r} needs a value for {exc.args[0]!r}.") from exc
