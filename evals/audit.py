"""The audit set: sentences the product really wrote (answers and briefings, with the local model), each with the
exact spans it cites, to be labelled by reading. It measures the verifier on what users see, not on mutations.

    python -m evals.audit --out audit-candidates.jsonl [--questions 110] [--asked more.jsonl] [--days 2026-11-24 ...]
        [--articles ../shared/corpora/realtimeqa-2025/20251205_gcs.jsonl.gz ...]

collects every sentence drafted for the gold questions and for other questions (`--asked`: lines of {"id",
"question", "as_of"}), shown or kept back by the verifier, and every sentence of the briefings of the given days,
written as unlabelled pairs (`label` to be filled in by a reader, with `reason`). The store holds the bundled
samples, or the `--articles` given instead (files or folders, e.g. weeks of the development corpus: candidates from
that corpus quote its text, so they are kept outside the project).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from briefing import Answer, Briefing, Newsroom, Period, Settings, SourceSpan

from .datasets import bundled, load_questions
from .run import evidence_text
from .suite import SAMPLE_BRIEFING_DAY


@dataclass(frozen=True)
class Asked:
    """A question as a reader asks it on a day."""

    id: str
    question: str
    as_of: date


def candidate(
    origin: str, question: str, sentence: str, spans: Sequence[SourceSpan], reason: str | None = None
) -> dict[str, object]:
    """One unlabelled pair: a sentence with the spans it cites, shown or (with the verifier's `reason`) kept back."""
    return {
        "origin": origin,
        "question": question,
        "sentence": sentence,
        "passages": [evidence_text(span) for span in spans],
        "shown": reason is None,
        "verifier": reason or "",
    }


def answer_sentences(question: Asked, answer: Answer) -> Iterator[dict[str, object]]:
    """Every sentence drafted for the question: those shown with the spans they cite, then those kept back with
    the passages the model cited."""
    by_number = {c.number: c for c in answer.citations}
    origin = f"answer {question.id}"
    for sentence in answer.sentences:
        yield candidate(origin, question.question, sentence.text, [by_number[n] for n in sentence.citations])
    for kept_back in answer.unsupported:
        yield candidate(origin, question.question, kept_back.text, kept_back.cited, kept_back.reason)


def briefing_sentences(briefing: Briefing) -> Iterator[dict[str, object]]:
    """Every sentence on the page with its cited spans, then the written points the verifier kept off it."""
    by_number = {c.number: c for c in briefing.citations}
    origin = f"briefing {briefing.since.isoformat()}"
    for line in briefing.sentences():
        yield candidate(origin, "", line.text, [by_number[n] for n in line.citations if n in by_number])
    for kept_back in briefing.unsupported:
        yield candidate(origin, "", kept_back.text, kept_back.cited, kept_back.reason)


def collect(
    room: Newsroom, questions: Sequence[Asked], periods: Sequence[tuple[date, date]]
) -> Iterator[dict[str, object]]:
    """The candidates of the questions (each asked as of its own date) and of the periods' briefings."""
    for question in questions:
        dated = room.using(room.settings.updated(retrieval={"today": question.as_of}))
        yield from answer_sentences(question, dated.ask(question.question))
    for since, until in periods:
        with tempfile.TemporaryDirectory(prefix="briefing-audit-") as cache:
            fresh = room.using(room.settings.updated(briefing={"cache_dir": Path(cache)}))
            yield from briefing_sentences(fresh.brief(Period(since, until, SAMPLE_BRIEFING_DAY.tz)))


def _period(text: str) -> tuple[date, date]:
    since, _, until = text.partition(":")
    return date.fromisoformat(since), date.fromisoformat(until or since)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.audit", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=None, help="the first N gold questions (default all)")
    parser.add_argument("--asked", type=Path, default=None, help="more questions: lines of {id, question, as_of}")
    parser.add_argument("--days", nargs="*", type=_period, default=[], help="days or periods (SINCE:UNTIL)")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--articles", nargs="*", type=Path, default=[], help="ingest these instead of the samples")
    args = parser.parse_args(argv)
    settings = Settings()
    store = args.store or Path(tempfile.mkdtemp(prefix="briefing-audit-store-"))
    room = Newsroom(settings.model_copy(update={"store": settings.store.model_copy(update={"path": store})}))
    room.ingest(args.articles or [Path(str(resources.files("briefing").joinpath("samples")))])
    gold = load_questions(bundled("sample_gold.jsonl"))[: args.questions]
    questions = [Asked(q.id, q.question, q.as_of) for q in gold]
    if args.asked:
        lines = args.asked.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        questions += [Asked(r["id"], r["question"], date.fromisoformat(r["as_of"])) for r in records]
    with args.out.open("a", encoding="utf-8") as out:
        for number, candidate in enumerate(collect(room, questions, args.days), start=1):
            out.write(json.dumps(candidate, ensure_ascii=False) + "\n")
            out.flush()
            print(number, candidate["origin"], "shown" if candidate["shown"] else "kept back", flush=True)


if __name__ == "__main__":
    main()
