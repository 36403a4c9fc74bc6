"""The project's own exception types; every message says what went wrong and how to fix it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import ValidationError

_API_KEY = re.compile(r"\b(sk-)[A-Za-z0-9_\-]{6,}")
_URL_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


def redacted(text: str, secrets: Iterable[str] = ()) -> str:
    """The text without the given secrets, anything shaped like an OpenAI key, or credentials inside a URL: for
    messages that quote a server's reply or a configured address."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return _URL_CREDENTIALS.sub(r"\1[redacted]@", _API_KEY.sub(r"\1[redacted]", text))


def first_problem(error: ValidationError) -> str:
    """'since: Field required', or 'Invalid JSON: EOF while parsing ...', and how many more problems there are."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    problem = f"{where}: {first['msg']}" if where else str(first["msg"])
    more = error.error_count() - 1
    return f"{problem}; {more} more" if more else problem


class BriefingError(Exception):
    """Base class for errors shown to the user as one clear line."""


class InputError(BriefingError):
    """An input (file, record or page) that cannot be read as an article."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ConfigError(BriefingError):
    """Settings that cannot work, such as a missing API key."""


class EmbedderMismatchError(ConfigError):
    """A store built by another embedder (or by the same name giving vectors of another size) than the settings
    select: its vectors and the new ones must not mix."""


class ModelUnavailableError(BriefingError):
    """A model or model server that cannot be reached or loaded."""


class StoreUnavailableError(BriefingError):
    """A Chroma server that cannot be reached."""
