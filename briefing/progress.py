"""Progress of long operations, reported the one way: the stage, then how many of how many are done."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""Called as `progress("indexing", done, total)`; a new stage name starts a new bar."""
