"""Salience, measured (issue 17): does a week's briefing carry the week's main news? The development corpus's weekly
quizzes ask about it. For each chosen week of 2025, brief the week's articles and count the quiz answers (the gold
choice) that appear on the page, next to two baselines of the same length: the newest articles' lead sentences,
and random articles' lead sentences (five fixed seeds, averaged).

A week is the seven days ending on the quiz date; its articles are every unique URL of the corpus's search results
(any week's) published in it. They are ingested, with the week before each (what "what changed" compares with),
into one cached store. A question the week's stored articles cannot answer (its answer in none of them) is skipped
and counted.

The scoring functions are pure; reading the corpus, ingesting, briefing and writing the report are the I/O below them.

Run: python -m evals.salience [--weeks 20250117,20250214,...] [--out DIR] [--extractive | --generate] [--store DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from briefing import Article, Briefing, IngestReport, InputError, Newsroom, Period, Settings, zone
from briefing.ingest.chunking import sentence_spans
from evals.datasets import load_realtimeqa
from evals.metrics import normalise_answer, wilson

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "realtimeqa-2025"
STORE = Path(user_cache_dir("briefing")) / "eval-stores" / "salience"
WEEK_DAYS = 7
MIN_POOL = 25  # fewer articles than this and a week is too thin to rank
TUNING_WEEKS = frozenset({"20250307", "20250606", "20251003"})
"""Weeks used to tune other parts of the product: never among the default weeks."""
DEFAULT_WEEKS = (
    "20250117",
    "20250214",
    "20250328",
    "20250425",
    "20250516",
    "20250627",
    "20250718",  # 20250725's pool has 24 articles
    "20250912",  # 20250905's has 8
    "20251010",  # 20250926's has 20
    "20251121",
)
"""Ten weeks spread over 2025, each with at least MIN_POOL articles, none of TUNING_WEEKS."""
RANDOM_SEEDS = range(5)


# ---- weeks and their articles (pure) -------------------------------------------------------------------------------


def week_window(quiz_day: date) -> tuple[date, date]:
    """The first and last day (inclusive) of the week a quiz asks about: the seven days ending on the quiz date."""
    return quiz_day - timedelta(days=WEEK_DAYS - 1), quiz_day


def week_day(week: str) -> date:
    """The quiz date of a week named like 20250117."""
    return date(int(week[:4]), int(week[4:6]), int(week[6:8]))


def publish_day(value: object) -> date | None:
    """The day of a search result's publish_date ("2025/01/17", or an ISO date or time), None when unreadable."""
    text = str(value or "").strip().replace("/", "-")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def week_pool(records: Iterable[dict[str, Any]], since: date, until: date) -> list[dict[str, Any]]:
    """The search results published since..until with a URL and a text, one per URL (the first seen)."""
    pool: dict[str, dict[str, Any]] = {}
    for record in records:
        day = publish_day(record.get("publish_date"))
        url, text = record.get("url"), str(record.get("text") or "")
        if url and text.strip() and day is not None and since <= day <= until:
            pool.setdefault(str(url), record)
    return list(pool.values())


# ---- coverage (pure) -----------------------------------------------------------------------------------------------


def normalised(lines: Iterable[str]) -> list[str]:
    """Each line normalised as answers are (evals.metrics), padded with a space so whole words can be found."""
    return [f" {normalise_answer(line)} " for line in lines]


def covers(lines: Sequence[str], answer: str) -> bool:
    """True when one of the normalised lines contains the normalised answer as whole words."""
    wanted = normalise_answer(answer)
    return bool(wanted) and any(f" {wanted} " in line for line in lines)


def answerable(answers: dict[str, str], texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """The ids of the questions whose answer one of the (normalised) article texts holds, and of the others."""
    found = [qid for qid, answer in answers.items() if covers(texts, answer)]
    return found, [qid for qid in answers if qid not in found]


def briefing_lines(briefing: Briefing) -> list[str]:
    """Every line of text on the page: each cited sentence (changes, key points, quotes, timeline, disagreements),
    each story's headline, and each quote's speaker on a line of its own (an answer never runs from the name into
    the words)."""
    lines = [sentence.text for sentence in briefing.sentences()]
    for story in briefing.stories:
        lines += [story.headline, *(quote.speaker for quote in story.quotes)]
    return [line for line in lines if line.strip()]


# ---- the baselines (pure) ------------------------------------------------------------------------------------------


def lead_sentence(body: str) -> str:
    """The first sentence of an article's body, as ingest cuts sentences ('' for an empty body)."""
    spans = sentence_spans(body)
    return body[spans[0][0] : spans[0][1]] if spans else ""


def newest_first(articles: Sequence[Article]) -> list[Article]:
    """Articles newest first; the corpus dates days only, so within a day the (fixed, arbitrary) id decides."""
    by_id = sorted(articles, key=lambda a: a.id)
    return sorted(by_id, key=lambda a: str(a.published or ""), reverse=True)


def shuffled(articles: Sequence[Article], seed: int) -> list[Article]:
    """Articles in a fixed random order of the seed, the same whatever order they came in."""
    order = sorted(articles, key=lambda a: a.id)
    random.Random(seed).shuffle(order)
    return order


def equal_length(leads: Iterable[str], words: int) -> list[str]:
    """Lead sentences in order until they hold `words` words; the last one is cut so the total is exactly `words`
    (or every lead, when they hold fewer)."""
    taken: list[str] = []
    left = words
    for lead in leads:
        tokens = lead.split()
        if left <= 0:
            break
        if tokens:
            taken.append(" ".join(tokens[:left]))
            left -= min(len(tokens), left)
    return taken


def leads_of(articles: Iterable[Article]) -> list[str]:
    """Each article's lead sentence, in the given order."""
    return [lead for lead in (lead_sentence(a.body) for a in articles) if lead]


# ---- results (pure) ------------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    id: str
    question: str
    answer: str
    briefing: bool
    newest: bool
    random: float  # share of the random seeds whose leads cover it
    in_story: bool = False  # an article holding the answer is in a story on the page (ranked high enough)


@dataclass
class WeekResult:
    week: str
    since: str
    until: str
    pool: int  # unique URLs of the corpus published in the week
    articles: int  # stored articles of the week (near copies dropped at ingest): what the briefing reads
    questions: int
    skipped: list[dict[str, str]] = field(default_factory=list)  # questions no article of the week answers
    words: int = 0
    stories: int = 0
    leads: int = 0  # articles whose lead sentence the newest-leads baseline holds
    seconds: float = 0.0
    model: str = ""  # "extractive", or the chat model that wrote the key points
    rows: list[QuestionResult] = field(default_factory=list)

    @property
    def answerable(self) -> int:
        return len(self.rows)

    @property
    def by_briefing(self) -> int:
        return sum(r.briefing for r in self.rows)

    @property
    def by_newest(self) -> int:
        return sum(r.newest for r in self.rows)

    @property
    def by_random(self) -> float:
        return sum(r.random for r in self.rows)

    @property
    def in_stories(self) -> int:
        return sum(r.in_story for r in self.rows)


def score_week(
    result: WeekResult,
    answers: dict[str, tuple[str, str]],
    page: Sequence[str],
    articles: Sequence[Article],
    shown: Collection[str] = (),
) -> WeekResult:
    """Fill in which answerable questions (id -> (question, answer)) the page and the two baselines of the page's
    length cover, and whether an article holding the answer is among the page's stories' articles (`shown`, ids);
    questions no article answers go to `skipped`."""
    texts = normalised(f"{a.title}\n{a.body}" for a in articles)
    found, missing = answerable({qid: a for qid, (_, a) in answers.items()}, texts)
    result.skipped = [{"id": qid, "question": answers[qid][0], "answer": answers[qid][1]} for qid in missing]
    lines = normalised(page)
    newest_leads = equal_length(leads_of(newest_first(articles)), result.words)
    newest, result.leads = normalised(newest_leads), len(newest_leads)
    randoms = [normalised(equal_length(leads_of(shuffled(articles, seed)), result.words)) for seed in RANDOM_SEEDS]
    for qid in found:
        question, answer = answers[qid]
        share = sum(covers(leads, answer) for leads in randoms) / len(randoms)
        in_story = any(a.id in shown and covers([text], answer) for a, text in zip(articles, texts, strict=True))
        row = QuestionResult(qid, question, answer, covers(lines, answer), covers(newest, answer), share, in_story)
        result.rows.append(row)
    return result


def totals(results: Sequence[WeekResult]) -> dict[str, Any]:
    """Shares covered over all weeks (with 95% Wilson intervals), and the questions only one side covers."""
    n = sum(r.answerable for r in results)
    rows = [row for r in results for row in r.rows]
    briefing, newest = sum(r.by_briefing for r in results), sum(r.by_newest for r in results)
    return {
        "weeks": len(results),
        "questions": sum(r.questions for r in results),
        "answerable": n,
        "skipped": sum(len(r.skipped) for r in results),
        "briefing": briefing,
        "newest": newest,
        "random": round(sum(r.by_random for r in results), 2),
        "briefing_share": briefing / n if n else None,
        "newest_share": newest / n if n else None,
        "random_share": sum(r.by_random for r in results) / n if n else None,
        "briefing_interval": str(wilson(briefing, n)),
        "newest_interval": str(wilson(newest, n)),
        "in_stories": sum(r.in_stories for r in results),
        "briefing_only": sum(row.briefing and not row.newest for row in rows),
        "newest_only": sum(row.newest and not row.briefing for row in rows),
        "briefing_seconds_mean": sum(r.seconds for r in results) / len(results) if results else None,
    }


COLUMNS = (
    "week",
    "articles",
    "answerable",
    "words",
    "stories / leads",  # stories on the page / articles whose lead the newest-leads baseline holds
    "briefing",
    "newest leads",
    "random leads",
    "story shown",
    "seconds",
)


def markdown(results: Sequence[WeekResult], mode: str, words: int) -> str:
    """The report: a row per week and the totals."""
    total = totals(results)
    lines = [
        f"# Salience: quiz answers on the week's page ({mode}, budget {words} words)",
        "",
        _row(COLUMNS),
        "|" + " --- |" * len(COLUMNS),
    ]
    for r in results:
        cells = [f"{r.since} – {r.until}", r.articles, f"{r.answerable} of {r.questions}", r.words]
        cells += [f"{r.stories} / {r.leads}", r.by_briefing, r.by_newest, f"{r.by_random:.1f}", r.in_stories]
        lines.append(_row([*cells, f"{r.seconds:.1f}"]))
    n = total["answerable"]
    cells = ["**total**", sum(r.articles for r in results), f"{n} of {total['questions']}"]
    cells += [sum(r.words for r in results), f"{sum(r.stories for r in results)} / {sum(r.leads for r in results)}"]
    cells += [f"**{_share(total['briefing'], n)}**", _share(total["newest"], n), _share(total["random"], n)]
    lines.append(_row([*cells, _share(total["in_stories"], n), f"{sum(r.seconds for r in results):.1f}"]))
    lines += [
        "",
        f"- Briefing {total['briefing_interval']}, newest leads {total['newest_interval']} (95% Wilson).",
        f"- Covered by the briefing only: {total['briefing_only']}; by the newest leads only: {total['newest_only']}.",
        "- Story shown: an article holding the answer is in a story on the page (the ranking reached it), whether or "
        "not the page's lines carry the answer.",
        f"- Skipped (the answer is in none of the week's articles): {total['skipped']} of {total['questions']}.",
    ]
    return "\n".join(lines) + "\n"


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _share(count: float, n: int) -> str:
    return f"{count:g} ({count / n:.3f})" if n else "-"


# ---- I/O -----------------------------------------------------------------------------------------------------------


def search_results(corpus: Path) -> list[dict[str, Any]]:
    """Every search result of the corpus, weeks in order."""
    records = []
    for path in sorted(corpus.glob("*_gcs.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            records += [record for line in lines for record in json.loads(line)["search_result"]]
    return records


def ingest_weeks(
    room: Newsroom, records: Sequence[dict[str, Any]], weeks: Sequence[str]
) -> tuple[IngestReport, dict[str, int]]:
    """Ingest each week's articles and the week before's into the store; returns the report and each week's pool
    size."""
    pools: dict[str, int] = {}
    wanted: dict[str, dict[str, Any]] = {}
    for week in weeks:
        since, until = week_window(week_day(week))
        pool = week_pool(records, since, until)
        pools[week] = len(pool)
        before = week_pool(records, since - timedelta(days=WEEK_DAYS), since - timedelta(days=1))
        wanted.update((r["url"], r) for r in [*pool, *before])
    with tempfile.TemporaryDirectory(prefix="briefing-salience-") as scratch:
        path = Path(scratch) / "articles.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in wanted.values()), encoding="utf-8")
        return room.ingest([path]), pools


def measure_week(room: Newsroom, corpus: Path, week: str, pool: int) -> WeekResult:
    """Brief the week, then score the page and the baselines against the week's quiz."""
    since, until = week_window(week_day(week))
    period = Period(since, until, zone("UTC"))
    articles = [a for a, _ in room.store.catalog.published_between(*period.day_numbers) if period.contains(a.published)]
    quiz = load_realtimeqa(corpus, [week])
    started = time.perf_counter()
    page = room.brief(period, title=f"Week to {until:%-d %B %Y}")
    result = WeekResult(week, str(since), str(until), pool, len(articles), len(quiz))
    result.seconds = round(time.perf_counter() - started, 2)
    result.words, result.stories, result.model = page.word_count(), len(page.stories), page.model
    answers = {q.id: (q.question, q.reference) for q in quiz}
    shown = {article_id for story in page.stories for article_id in story.article_ids}
    return score_week(result, answers, briefing_lines(page), articles, shown)


def run(settings: Settings, corpus: Path, weeks: Sequence[str], store: Path) -> tuple[list[WeekResult], str]:
    """Ingest, brief and score the weeks; returns the results and the mode ('extractive' or the model's name)."""
    local = settings.store.model_copy(update={"path": store, "chroma_host": None})  # always a local store
    room = Newsroom(settings.model_copy(update={"store": local}))
    started = time.perf_counter()
    report, pools = ingest_weeks(room, search_results(corpus), weeks)
    print(
        f"ingest: {len(report.added) + len(report.updated)} stored, {len(report.unchanged)} unchanged, "
        f"{len(report.duplicates)} duplicates, {len(report.failures)} failed in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    for week in (w for w in weeks if pools[w] < MIN_POOL):
        print(f"{week}: only {pools[week]} articles in the week (fewer than {MIN_POOL})", file=sys.stderr)
    results: list[WeekResult] = []
    # An empty summary cache (time the briefing, not a cache) and no saved briefings to continue from.
    with tempfile.TemporaryDirectory(prefix="briefing-salience-") as scratch:
        empty = {"cache_dir": Path(scratch) / "summaries", "out_dir": Path(scratch) / "briefings"}
        briefing_room = room.using(room.settings.updated(briefing=empty))
        for week in weeks:
            results.append(measure_week(briefing_room, corpus, week, pools[week]))
            r = results[-1]
            print(
                f"{week}: {r.by_briefing}/{r.answerable} on the page, {r.by_newest} newest leads, "
                f"{r.by_random:.1f} random leads ({r.words} words, {r.seconds:.0f} s)",
                file=sys.stderr,
            )
    fallback = "extractive" if settings.briefing.extractive else "chat model"  # no page had a story
    return results, next((r.model for r in results if r.model), fallback)


def write(results: Sequence[WeekResult], mode: str, words: int, out: Path) -> str:
    """Write results.json and report.md into `out`; returns the report."""
    out.mkdir(parents=True, exist_ok=True)
    weeks = [asdict(r) | {"answerable": r.answerable, "covered": _covered(r)} for r in results]
    data = {"mode": mode, "words": words, "weeks": weeks, "totals": totals(results)}
    (out / "results.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    report = markdown(results, mode, words)
    (out / "report.md").write_text(report, encoding="utf-8")
    return report


def _covered(result: WeekResult) -> dict[str, float]:
    return {"briefing": result.by_briefing, "newest": result.by_newest, "random": result.by_random}


def chosen_weeks(text: str | None, corpus: Path) -> list[str]:
    """The weeks asked for (comma-separated YYYYMMDD), or the default ones; an unknown week is an error."""
    weeks = [w.strip() for w in text.split(",") if w.strip()] if text else list(DEFAULT_WEEKS)
    for week in weeks:
        if not (corpus / f"{week}_qa.jsonl.gz").is_file():
            raise InputError(week, f"is not a week of {corpus} (weeks are named like 20250117)")
    return weeks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", help="comma-separated quiz dates (YYYYMMDD); default: ten weeks of 2025")
    parser.add_argument("--out", type=Path, default=Path("eval-results") / "salience")
    parser.add_argument("--store", type=Path, default=STORE, help="the cached store the weeks are ingested into")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the realtimeqa-2025 folder")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--extractive", dest="extractive", action="store_true", default=None, help="no model")
    mode.add_argument("--generate", dest="extractive", action="store_false", help="key points by the chat model")
    args = parser.parse_args(argv)
    try:
        weeks = chosen_weeks(args.weeks, args.corpus)
    except InputError as error:
        parser.error(str(error))
    settings = Settings().updated(briefing={"extractive": args.extractive})
    started = time.perf_counter()
    results, name = run(settings, args.corpus, weeks, args.store)
    print(write(results, name, settings.briefing.words, args.out))
    print(f"{len(weeks)} weeks in {time.perf_counter() - started:.0f} s; wrote {args.out}/results.json and report.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
