"""The project's own exception types; every message says what went wrong and how to fix it."""

from __future__ import annotations


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


class ModelUnavailableError(BriefingError):
    """A model or model server that cannot be reached or loaded."""


class StoreUnavailableError(BriefingError):
    """A Chroma server that cannot be reached."""
