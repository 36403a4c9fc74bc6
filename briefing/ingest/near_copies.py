"""Near-duplicate articles (wire copies under other outlets, lightly edited): MinHash signatures of word
shingles, with banding to find candidates quickly (pure logic)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from briefing.ingest.articles import normalise_text

SHINGLE_WORDS = 5
PERMUTATIONS = 64
ROWS_PER_BAND = 2  # 32 bands of 2: a pair with Jaccard 0.5 becomes a candidate with probability > 0.9999
SAME_STORY = 0.5
"""Estimated Jaccard similarity of shingles above which two articles are copies of one story."""

_PRIME = 4_294_967_311  # the first prime above 2**32
_rng = np.random.default_rng(20261129)
_A = _rng.integers(1, 2**32, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 2**32, size=PERMUTATIONS, dtype=np.uint64)


def signature(body: str) -> list[int]:
    """MinHash signature of the body's 5-word shingles (64 numbers)."""
    words = normalise_text(body).split()
    count = max(len(words) - SHINGLE_WORDS + 1, 1)
    hashes = np.fromiter(
        (zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(count)),
        dtype=np.uint64,
        count=count,
    )
    mixed = (hashes[None, :] * _A[:, None] + _B[:, None]) % np.uint64(_PRIME)
    return [int(v) for v in mixed.min(axis=1)]


def band_keys(sig: Sequence[int]) -> list[str]:
    """Keys that two similar signatures very probably share at least one of."""
    return [
        f"{band}:{zlib.crc32(repr(tuple(sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND])).encode())}"
        for band in range(len(sig) // ROWS_PER_BAND)
    ]


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two articles' shingles."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def story_of_copy(sig: Sequence[int], candidates: Iterable[tuple[str, Sequence[int]]]) -> str | None:
    """The story of the candidate (story id, signature) most similar to `sig`, if it is a near copy."""
    scored = [(similarity(sig, other), story) for story, other in candidates]
    best = max((pair for pair in scored if pair[0] >= SAME_STORY), default=None)
    return best[1] if best else None
