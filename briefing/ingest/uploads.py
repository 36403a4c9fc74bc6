"""Files people upload through the app, kept in the data folder under names that cannot point anywhere else."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from briefing.atomic import replace_atomically
from briefing.errors import InputError

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_file_name(name: str) -> str:
    """The uploaded name reduced to a plain file name: no folders, no '..', no hidden file, no control or
    reserved characters, at most 120 characters with its extension kept."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > MAX_NAME_CHARS:
        _, dot, suffix = base.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        base = base[: MAX_NAME_CHARS - len(keep) - 1].rstrip(" .") + (f".{keep}" if keep else "")
    return base or "upload"


def save_upload(folder: Path, name: str, data: bytes) -> Path:
    """Write the upload into `folder` under its safe name (replacing an earlier upload of that name)."""
    folder = folder.resolve()
    path = (folder / safe_file_name(name)).resolve()
    if path.parent != folder:  # cannot happen with a safe name; checked because the cost of a mistake is high
        raise InputError(name, "not a plain file name")
    folder.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, data)
    return path
