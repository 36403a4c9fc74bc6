"""Eval metrics (pure logic): ALCE citation recall and precision with a pluggable judge, answer correctness,
retrieval recall@k and MRR, abstention, and aggregates with confidence intervals."""

from __future__ import annotations

import math
import random
import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefing import Judge


@dataclass(frozen=True)
class CitationScores:
    """ALCE citation scores of one answer: per sentence supported or not, per citation precise or not."""

    sentences: int
    supported: int
    citations: int
    precise: int
    verdicts: tuple[bool, ...] = ()  # per sentence: supported by its citations together

    @property
    def recall(self) -> float | None:
        """Share of sentences whose cited passages, read together, support them."""
        return self.supported / self.sentences if self.sentences else None

    @property
    def precision(self) -> float | None:
        """Share of citations that are not irrelevant."""
        return self.precise / self.citations if self.citations else None


def citation_scores(sentences: Sequence[tuple[str, Sequence[str]]], judge: Judge) -> CitationScores:
    """ALCE (Gao et al., 2023): a sentence is supported when the concatenation of its cited passages entails it.
    A citation of a supported sentence is irrelevant when it alone does not support the sentence and the other
    citations still do without it; every citation of an unsupported sentence counts as imprecise."""
    supported = citations = precise = 0
    verdicts = []
    for sentence, cited in sentences:
        citations += len(cited)
        verdicts.append(bool(cited) and judge.judge(sentence, cited).supported)
        if not verdicts[-1]:
            continue
        supported += 1
        if len(cited) == 1:
            precise += 1
            continue
        for index, passage in enumerate(cited):
            others = [p for i, p in enumerate(cited) if i != index]
            irrelevant = not judge.judge(sentence, [passage]).supported and judge.judge(sentence, others).supported
            precise += not irrelevant
    return CitationScores(len(sentences), supported, citations, precise, tuple(verdicts))


# ---- correctness -------------------------------------------------------------------------------------------------

_MARKERS = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalise_answer(text: str) -> str:
    """SQuAD-style normalisation: lower case, no citation markers, punctuation or articles, single spaces;
    thousands separators go ("2,100" is "2100") and a percent sign is a word ("7.2%" is "7.2 percent", which
    contains "7.2")."""
    text = _MARKERS.sub("", text).lower()
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"\s*%|\bper cent\b", " percent", text)
    text = "".join(" " if ch in string.punctuation and ch not in ".%" else ch for ch in text)
    text = re.sub(r"\.(?!\d)", " ", text)
    return " ".join(_ARTICLES.sub(" ", text).split())


def matches(answer: str, short_answers: Sequence[str]) -> bool:
    """True when the normalised answer contains one of the normalised short answers as whole words."""
    padded = f" {normalise_answer(answer)} "
    return any(f" {normalise_answer(s)} " in padded for s in short_answers if normalise_answer(s))


def token_f1(answer: str, reference: str) -> float:
    """Token-level F1 of the normalised answer against the normalised reference (SQuAD)."""
    predicted, gold = normalise_answer(answer).split(), normalise_answer(reference).split()
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not predicted or not gold or not common:
        return float(predicted == gold)
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


# ---- retrieval ---------------------------------------------------------------------------------------------------


def recall_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float | None:
    """Share of the gold articles among the first k ranked articles (None without gold articles)."""
    wanted = set(gold)
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else None


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str]) -> float | None:
    """1 / the rank of the first gold article (0 when none is ranked; None without gold articles)."""
    if not gold:
        return None
    return next((1 / rank for rank, item in enumerate(ranked, start=1) if item in set(gold)), 0.0)


# ---- aggregates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """A mean over questions with its 95% confidence interval."""

    value: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}] (n={self.n})"


def wilson(successes: int, n: int, z: float = 1.96) -> Estimate | None:
    """A proportion with its Wilson score interval (good for small n and rates near 0 or 1)."""
    if n == 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test (McNemar's exact test) of paired outcomes: the chance, were both sides equally good,
    of a split of the `wins + losses` discordant pairs at least this uneven. 1.0 when there are none."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(wins, losses) + 1)) / (1 << n)
    return min(1.0, 2 * tail)


def bootstrap_mean(values: Sequence[float], seed: int = 0, resamples: int = 2000) -> Estimate | None:
    """A mean with a percentile bootstrap interval (fixed seed: the same data give the same interval)."""
    if not values:
        return None
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(resamples))
    return Estimate(sum(values) / n, means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1], n)


def mean_of(values: Sequence[float | None], seed: int = 0) -> Estimate | None:
    """The bootstrap mean of the values that are defined; proportions of 0/1 values get a Wilson interval."""
    defined = [v for v in values if v is not None]
    if defined and all(v in (0.0, 1.0) for v in defined):
        return wilson(int(sum(defined)), len(defined))
    return bootstrap_mean(defined, seed)


@dataclass(frozen=True)
class JudgeScores:
    """How a judge's "supported" verdicts agree with human labels."""

    precision: float | None
    recall: float | None
    accuracy: float
    confusion: dict[str, dict[str, int]]  # label -> verdict -> count


def judge_agreement(labels: Sequence[str], verdicts: Sequence[str]) -> JudgeScores:
    """Precision and recall of the "supported" verdict (partial counts as not supported), and the confusion."""
    confusion: dict[str, dict[str, int]] = {}
    for label, verdict in zip(labels, verdicts, strict=True):
        confusion.setdefault(label, {}).setdefault(verdict, 0)
        confusion[label][verdict] += 1
    said = [v == "supported" for v in verdicts]
    truth = [label == "supported" for label in labels]
    true_positive = sum(s and t for s, t in zip(said, truth, strict=True))
    return JudgeScores(
        precision=true_positive / sum(said) if any(said) else None,
        recall=true_positive / sum(truth) if any(truth) else None,
        accuracy=sum(s == t for s, t in zip(said, truth, strict=True)) / len(labels) if labels else 0.0,
        confusion=confusion,
    )
