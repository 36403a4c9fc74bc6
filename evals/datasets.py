"""Eval datasets: the documented JSON Lines format, the bundled gold set, the development corpus's quizzes, and
the labelled sentence-passage pairs that check the checker."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from briefing import InputError
from briefing.errors import first_problem

from .metrics import normalise_answer

Category = Literal["single", "multi", "time", "quote", "numeric", "unanswerable", "choice"]


class EvidenceQuote(BaseModel):
    """A verbatim stretch of a supporting article."""

    article: str
    quote: str


class EvalQuestion(BaseModel):
    """One question of an eval set (one line of a `.jsonl` file; see evals/README.md)."""

    id: str
    question: str
    category: Category
    as_of: date = Field(description="The day 'today' means for the question's time words.")
    reference: str = Field(description="A reference answer.")
    short_answers: list[str] = Field(default_factory=list, description="A correct answer contains one of these.")
    answerable: bool = True
    articles: list[str] = Field(default_factory=list, description="Ids of the articles that support the answer.")
    evidence: list[EvidenceQuote] = Field(default_factory=list)
    choices: list[str] = Field(default_factory=list, description="For multiple choice: the options, in order.")
    answer_index: int | None = Field(default=None, description="For multiple choice: the 0-based correct option.")
    origin: str = Field(default="", exclude=True, description="The file and line it was read from.")


Split = Literal["tune", "test"]


class CheckerPair(BaseModel):
    """A sentence, the spans it cites, and whether they support it, read together (for measuring a judge)."""

    id: str
    sentence: str
    passages: list[str] = Field(min_length=1, description="Each cited span as a reader sees it.")
    label: Literal["supported", "unsupported", "partial"]
    kind: str
    reason: str = Field(default="", description="Why the label, in one line.")
    split: Split = Field(description="Tune the checker on one half, report on the other.")
    origin: str = Field(default="", description="For sentences the product wrote: the answer or briefing.")


def bundled(name: str) -> Path:
    """A dataset file shipped in `evals/datasets/`."""
    return Path(str(resources.files("briefing.evals").joinpath("datasets", name)))


LABELLED_PAIRS = ("checker_pairs.jsonl", "audit_pairs.jsonl")
"""The bundled labelled pairs: made-up ones aimed at each kind of error, and sentences the product wrote."""


def labelled_pairs() -> list[CheckerPair]:
    """Every bundled labelled pair."""
    return [pair for name in LABELLED_PAIRS if bundled(name).is_file() for pair in load_pairs(bundled(name))]


def load_pairs(path: Path) -> list[CheckerPair]:
    """The labelled pairs of a JSON Lines file; a bad line (a label outside the three, say) is an error naming the
    file, the line and the reason."""
    pairs = []
    for number, record in _records(path):
        try:
            pairs.append(CheckerPair.model_validate(record))
        except ValidationError as exc:
            raise InputError(f"{path}:{number} (pair {record.get('id', '?')})", first_problem(exc)) from exc
    return pairs


def _records(path: Path) -> list[tuple[int, dict[str, object]]]:
    """The JSON objects of a JSON Lines file with their line numbers."""
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            records.append((number, record))
        except ValueError as exc:
            raise InputError(f"{path}:{number}", f"is not a JSON object ({exc})") from exc
    ids = [record.get("id") for _, record in records]
    duplicated = sorted({str(i) for i in ids if ids.count(i) > 1})
    if duplicated:
        raise InputError(str(path), f"repeats the ids {', '.join(duplicated)}")
    return records


def load_questions(path: Path) -> list[EvalQuestion]:
    """The questions of a JSON Lines file; a bad line is an error naming the file, the line and the reason."""
    questions = []
    for number, record in _records(path):
        where = f"{path}:{number}"
        try:
            question = EvalQuestion.model_validate(record)
        except ValidationError as exc:
            raise InputError(f"{where} (question {record.get('id', '?')})", first_problem(exc)) from exc
        questions.append(question.model_copy(update={"origin": where}))
    return questions


def realtimeqa_weeks(corpus: Path) -> list[str]:
    """The weeks of the development corpus, oldest first (YYYYMMDD)."""
    return sorted(p.name.split("_")[0] for p in corpus.glob("*_qa.jsonl.gz"))


def load_realtimeqa(corpus: Path, weeks: Sequence[str]) -> list[EvalQuestion]:
    """The multiple-choice quizzes of these weeks of a RealTime QA folder, dated by the quiz's own date."""
    questions = []
    for week in weeks:
        path = corpus / f"{week}_qa.jsonl.gz"
        if not path.is_file():
            raise InputError(str(path), "no such file (weeks are named like 20250103)")
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                choices = [str(c) for c in record["choices"]]
                index = int(record["answer"][0])
                questions.append(
                    EvalQuestion(
                        id=str(record["question_id"]),
                        question=str(record["question_sentence"]),
                        category="choice",
                        as_of=date.fromisoformat(str(record["question_date"]).replace("/", "-")),
                        reference=choices[index],
                        short_answers=[choices[index]],
                        choices=choices,
                        answer_index=index,
                    )
                )
    return questions


def asked_free_form(questions: Sequence[EvalQuestion], bodies: Sequence[str]) -> list[EvalQuestion]:
    """Multiple-choice questions asked without their choices: a correct answer names the gold choice, and a
    question is answerable only when the gold choice's text is somewhere in the stored articles (else the right
    reply is "not in the articles")."""
    stored = " ".join(f" {normalise_answer(body)} " for body in bodies)
    asked = []
    for question in questions:
        wanted = normalise_answer(question.reference)
        answerable = bool(wanted) and f" {wanted} " in stored
        asked.append(
            question.model_copy(
                update={
                    "choices": [],
                    "answer_index": None,
                    "answerable": answerable,
                    "category": "choice" if answerable else "unanswerable",
                }
            )
        )
    return asked


def sample(
    questions: Sequence[EvalQuestion], size: int | None, seed: int, *, unanswerable: int = 0
) -> list[EvalQuestion]:
    """A fixed-seed sample keeping every category (proportionally, at least one each), in the original order,
    with at least `unanswerable` unanswerable questions (or all there are)."""
    if size is None or size >= len(questions):
        return list(questions)
    rng = random.Random(seed)
    by_category: dict[str, list[EvalQuestion]] = {}
    for question in questions:
        by_category.setdefault(question.category, []).append(question)
    chosen: set[str] = set()
    for group in by_category.values():
        share = max(1, round(size * len(group) / len(questions)))
        chosen.update(q.id for q in rng.sample(group, min(share, len(group))))
    more = [q for q in by_category.get("unanswerable", []) if q.id not in chosen]
    missing = unanswerable - sum(q.category == "unanswerable" and q.id in chosen for q in questions)
    if missing > 0:  # added after the sample is drawn: the same questions, and more unanswerable ones
        chosen.update(q.id for q in random.Random(seed).sample(more, min(missing, len(more))))
    return [q for q in questions if q.id in chosen]
