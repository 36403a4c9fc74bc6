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
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from briefing import Article, Briefing, IngestReport, InputError, Newsroom, Period, Settings, zone
from briefing.ingest.articles import canonical_url
from briefing.ingest.chunking import sentence_spans
from evals.datasets import bundled, load_realtimeqa
from evals.metrics import normalise_answer, sign_test, wilson

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "realtimeqa-2025"
STORE = Path(user_cache_dir("briefing")) / "eval-stores" / "salience"
WEEK_DAYS = 7
MIN_POOL = 25  # fewer articles than this and a week is too thin to rank
TUNING_WEEKS = frozenset(
    {
        # session 9: the share of the page given to stories in brief was chosen on these
        "20250131",
        "20250307",
        "20250502",
        "20250606",
        "20250801",
        "20251003",
        # session 11: every other week of 2025 with at least MIN_POOL articles and a question to label
        "20250314",
        "20250321",
        "20250404",
        "20250418",
        "20250509",
        "20250530",
        "20250704",
        "20250815",
        "20250919",
        "20251024",
        "20251031",
        "20251107",
    }
)
"""Weeks the briefing may be tuned on (`--weeks` with `--store` of their own): never among the default weeks."""
DEFAULT_WEEKS = (
    # session 9: ten weeks spread over 2025
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
    # session 11: the other weeks with the most questions whose answer string an article of the week holds
    "20250110",
    "20250124",
    "20250207",
    "20250221",
    "20250228",
    "20250411",
    "20250523",
    "20250613",
    "20250620",
    "20250711",
)
"""Twenty weeks of 2025, each with at least MIN_POOL articles, none of TUNING_WEEKS, all labelled (LABELS)."""
RANDOM_SEEDS = range(5)
LABELS = "salience_labels.jsonl"
"""Which of a week's articles report each quiz answer, by reading (see `load_labels`)."""

SourcedLine = tuple[str, frozenset[str]]
"""A line of text and the ids of the articles it comes from."""


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


def sourced_lines(briefing: Briefing) -> list[SourcedLine]:
    """Every line of text on the page with the articles it comes from: each cited sentence (changes, key points,
    quotes, timeline, disagreements) with its citations' articles, each story's headline with the article whose
    title it is (the story's articles when it cites none), and each quote's speaker on a line of its own (an answer
    never runs from the name into the words)."""
    article_of = {citation.number: citation.article_id for citation in briefing.citations}

    def sources(numbers: Iterable[int]) -> frozenset[str]:
        return frozenset(article_of[n] for n in numbers if n in article_of)

    lines = [(sentence.text, sources(sentence.citations)) for sentence in briefing.sentences()]
    for story in briefing.stories:
        headline = sources(story.headline_citations) or frozenset(story.article_ids)
        lines.append((story.headline, headline))
        lines += [(quote.speaker, sources(quote.citations)) for quote in story.quotes]
    return [(text, ids) for text, ids in lines if text.strip()]


# ---- answers reported, by reading (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """Which articles of a week report the answer to one quiz question, by reading: the article reports the fact
    the question asks about and names the answer there (not the same word met by chance), and the forms of the
    answer a reader would accept ("FEMA" for "Federal Emergency Management Agency")."""

    id: str
    week: str
    answered_by: frozenset[str]  # canonical URLs
    forms: tuple[str, ...]
    reason: str


def parse_label(record: dict[str, Any]) -> Label:
    """A label from its JSON record; ValueError says what is wrong."""
    forms = tuple(str(form) for form in record.get("forms") or () if normalise_answer(str(form)))
    urls = record.get("answered_by")
    if not record.get("id") or not record.get("week") or not isinstance(urls, list):
        raise ValueError("needs an id, a week and a list answered_by")
    if urls and not forms:
        raise ValueError("answered by articles but gives no form of the answer")
    if not str(record.get("reason") or "").strip():
        raise ValueError("gives no reason")
    return Label(
        str(record["id"]),
        str(record["week"]),
        frozenset(canonical_url(str(url)) for url in urls),
        forms,
        str(record["reason"]),
    )


def reports(lines: Sequence[SourcedLine], label: Label, answering: Collection[str]) -> bool:
    """True when a (normalised) line holds a form of the answer and comes from an article that reports it."""
    wanted = set(answering)
    return any(ids & wanted and any(covers([text], form) for form in label.forms) for text, ids in lines)


def answering_ids(label: Label, articles: Sequence[Article]) -> set[str]:
    """The ids of the stored articles the label says report the answer."""
    return {a.id for a in articles if a.url and canonical_url(a.url) in label.answered_by}


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


def sourced_leads(articles: Iterable[Article], words: int) -> list[SourcedLine]:
    """The articles' lead sentences in the given order until they hold `words` words (`equal_length`), each with
    its article."""
    pairs = [(a.id, lead) for a in articles if (lead := lead_sentence(a.body))]
    taken = equal_length((lead for _, lead in pairs), words)
    return [(text, frozenset({article_id})) for (article_id, _), text in zip(pairs, taken, strict=False)]


# ---- results (pure) ------------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    id: str
    question: str
    answer: str
    briefing: bool
    newest: bool
    random: float  # share of the random seeds whose leads cover it
    in_story: bool = False  # an article holding (reporting) the answer is in a story on the page


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
    rows: list[QuestionResult] = field(default_factory=list)  # answer strings: covered when a line holds it
    labelled: list[QuestionResult] | None = None  # answers reported, by reading (None: the week has no labels)

    @property
    def answerable(self) -> int:
        return len(self.rows)


def count(rows: Sequence[QuestionResult]) -> dict[str, float]:
    """How many of the rows the page, the newest leads and the random leads (on average) cover, and how many have
    their story on the page."""
    return {
        "briefing": sum(r.briefing for r in rows),
        "newest": sum(r.newest for r in rows),
        "random": sum(r.random for r in rows),
        "in_stories": sum(r.in_story for r in rows),
    }


def score_week(
    result: WeekResult,
    answers: dict[str, tuple[str, str]],
    page: Sequence[SourcedLine],
    articles: Sequence[Article],
    shown: Collection[str] = (),
    labels: dict[str, Label] | None = None,
) -> WeekResult:
    """Fill in which questions (id -> (question, answer)) the page and the two baselines of the page's length
    cover, and whether an article holding the answer is among the page's stories' articles (`shown`, ids).

    Two measures. Answer strings (`rows`): a question is answerable when an article holds its answer, covered when
    a line does; the others go to `skipped`. Answers reported (`labelled`, when the week has `labels`): a question
    is answerable when a stored article reports its answer, by reading, and covered when a line from such an
    article holds a form of it, so the same word met by chance counts for neither."""
    texts = normalised(f"{a.title}\n{a.body}" for a in articles)
    found, missing = answerable({qid: a for qid, (_, a) in answers.items()}, texts)
    result.skipped = [{"id": qid, "question": answers[qid][0], "answer": answers[qid][1]} for qid in missing]
    lines = _normalised_lines(page)
    newest = _normalised_lines(sourced_leads(newest_first(articles), result.words))
    result.leads = len(newest)
    randoms = [_normalised_lines(sourced_leads(shuffled(articles, seed), result.words)) for seed in RANDOM_SEEDS]
    page_texts, newest_texts = [t for t, _ in lines], [t for t, _ in newest]
    random_texts = [[t for t, _ in leads] for leads in randoms]
    for qid in found:
        question, answer = answers[qid]
        share = sum(covers(leads, answer) for leads in random_texts) / len(randoms)
        in_story = any(a.id in shown and covers([text], answer) for a, text in zip(articles, texts, strict=True))
        page_covers, newest_covers = covers(page_texts, answer), covers(newest_texts, answer)
        result.rows.append(QuestionResult(qid, question, answer, page_covers, newest_covers, share, in_story))
    if labels is not None:
        result.labelled = []
        for qid, (question, _) in answers.items():
            label = labels.get(qid)
            if label and (reporting := answering_ids(label, articles)):
                share = sum(reports(leads, label, reporting) for leads in randoms) / len(randoms)
                page_covers, newest_covers = reports(lines, label, reporting), reports(newest, label, reporting)
                in_story = bool(reporting & set(shown))
                row = QuestionResult(qid, question, label.forms[0], page_covers, newest_covers, share, in_story)
                result.labelled.append(row)
    return result


def _normalised_lines(lines: Sequence[SourcedLine]) -> list[SourcedLine]:
    return [(text, ids) for (_, ids), text in zip(lines, normalised(t for t, _ in lines), strict=True)]


def totals(results: Sequence[WeekResult], labelled: bool = False) -> dict[str, Any]:
    """Shares covered over all weeks (with 95% Wilson intervals), and the questions only one side covers: of the
    answer strings, or (`labelled`) of the answers reported, over the weeks that have labels."""
    if labelled:
        weeks = [r for r in results if r.labelled is not None]
        rows = [row for r in weeks for row in r.labelled or []]
    else:
        weeks = list(results)
        rows = [row for r in weeks for row in r.rows]
    n, covered = len(rows), count(rows)
    briefing, newest = int(covered["briefing"]), int(covered["newest"])
    return {
        "weeks": len(weeks),
        "questions": sum(r.questions for r in weeks),
        "answerable": n,
        "skipped": sum(r.questions for r in weeks) - n,
        "briefing": briefing,
        "newest": newest,
        "random": round(covered["random"], 2),
        "briefing_share": briefing / n if n else None,
        "newest_share": newest / n if n else None,
        "random_share": covered["random"] / n if n else None,
        "briefing_interval": str(wilson(briefing, n)),
        "newest_interval": str(wilson(newest, n)),
        "in_stories": int(covered["in_stories"]),
        "briefing_only": (only_briefing := sum(row.briefing and not row.newest for row in rows)),
        "newest_only": (only_newest := sum(row.newest and not row.briefing for row in rows)),
        "sign_test_p": round(sign_test(only_briefing, only_newest), 4),
        "briefing_seconds_mean": sum(r.seconds for r in weeks) / len(weeks) if weeks else None,
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
    """The report: the answers reported (labelled weeks), then the answer strings (every week), each a row per week
    and the totals."""
    lines = [f"# Salience: quiz answers on the week's page ({mode}, budget {words} words)", ""]
    labelled = [r for r in results if r.labelled is not None]
    if labelled:
        lines += ["## Answers reported (labelled by reading)", ""]
        lines += _table(labelled, lambda r: r.labelled or [], totals(results, labelled=True))
        lines += [
            "- Answerable: a stored article of the week reports the answer, by reading; covered: a line from such an "
            "article holds a form of it. The same word met by chance counts for neither.",
            "",
        ]
    strings = totals(results)
    lines += ["## Answer strings (as found, no labels)", ""]
    lines += _table(results, lambda r: r.rows, strings)
    lines.append(
        f"- Answerable: an article holds the answer string; covered: a line holds it. Skipped (in none of the "
        f"week's articles): {strings['skipped']} of {strings['questions']}."
    )
    return "\n".join(lines) + "\n"


def _table(
    results: Sequence[WeekResult], rows_of: Callable[[WeekResult], list[QuestionResult]], total: dict[str, Any]
) -> list[str]:
    lines = [_row(COLUMNS), "|" + " --- |" * len(COLUMNS)]
    for r in results:
        rows = rows_of(r)
        covered = count(rows)
        cells = [f"{r.since} – {r.until}", r.articles, f"{len(rows)} of {r.questions}", r.words]
        cells += [f"{r.stories} / {r.leads}", covered["briefing"], covered["newest"], f"{covered['random']:.1f}"]
        lines.append(_row([*cells, covered["in_stories"], f"{r.seconds:.1f}"]))
    n = total["answerable"]
    cells = ["**total**", sum(r.articles for r in results), f"{n} of {total['questions']}"]
    cells += [sum(r.words for r in results), f"{sum(r.stories for r in results)} / {sum(r.leads for r in results)}"]
    cells += [f"**{_share(total['briefing'], n)}**", _share(total["newest"], n), _share(total["random"], n)]
    lines.append(_row([*cells, _share(total["in_stories"], n), f"{sum(r.seconds for r in results):.1f}"]))
    return [
        *lines,
        "",
        f"- Briefing {total['briefing_interval']}, newest leads {total['newest_interval']} (95% Wilson).",
        f"- Covered by the briefing only: {total['briefing_only']}; by the newest leads only: {total['newest_only']} "
        f"(two-sided sign test on these: p = {total['sign_test_p']:.3f}).",
        "- Story shown: an article with the answer is in a story on the page (the ranking reached it), whether or not "
        "the page's lines carry the answer.",
    ]


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


def load_labels(path: Path | None = None) -> dict[str, Label]:
    """The bundled salience labels (or those of `path`), by question id; a bad line is an error naming the file, the
    line and the reason."""
    path = path or bundled(LABELS)
    labels: dict[str, Label] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            label = parse_label(json.loads(line))
        except ValueError as error:  # JSONDecodeError is a ValueError
            raise InputError(f"{path}:{number}", str(error)) from error
        if label.id in labels:
            raise InputError(f"{path}:{number}", f"labels {label.id} a second time")
        labels[label.id] = label
    return labels


def measure_week(room: Newsroom, corpus: Path, week: str, pool: int, labels: dict[str, Label]) -> WeekResult:
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
    labelled = any(label.week == week for label in labels.values())
    return score_week(result, answers, sourced_lines(page), articles, shown, labels if labelled else None)


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
    labels = load_labels()
    # An empty summary cache (time the briefing, not a cache) and no saved briefings to continue from.
    with tempfile.TemporaryDirectory(prefix="briefing-salience-") as scratch:
        empty = {"cache_dir": Path(scratch) / "summaries", "out_dir": Path(scratch) / "briefings"}
        briefing_room = room.using(room.settings.updated(briefing=empty))
        for week in weeks:
            results.append(measure_week(briefing_room, corpus, week, pools[week], labels))
            r = results[-1]
            rows = r.rows if r.labelled is None else r.labelled
            covered = count(rows)
            print(
                f"{week}: {covered['briefing']}/{len(rows)} on the page, {covered['newest']} newest leads, "
                f"{covered['random']:.1f} random leads ({r.words} words, {r.seconds:.0f} s"
                f"{', labelled' if r.labelled is not None else ''})",
                file=sys.stderr,
            )
    fallback = "extractive" if settings.briefing.extractive else "chat model"  # no page had a story
    return results, next((r.model for r in results if r.model), fallback)


def write(results: Sequence[WeekResult], mode: str, words: int, out: Path) -> str:
    """Write results.json and report.md into `out`; returns the report."""
    out.mkdir(parents=True, exist_ok=True)
    weeks = [asdict(r) | {"answerable": r.answerable} for r in results]
    data = {"mode": mode, "words": words, "weeks": weeks, "totals": totals(results)}
    if any(r.labelled is not None for r in results):
        data["labelled_totals"] = totals(results, labelled=True)
    (out / "results.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    report = markdown(results, mode, words)
    (out / "report.md").write_text(report, encoding="utf-8")
    return report


def chosen_weeks(text: str | None, corpus: Path) -> list[str]:
    """The weeks asked for (comma-separated YYYYMMDD), or the default ones; an unknown week is an error."""
    weeks = [w.strip() for w in text.split(",") if w.strip()] if text else list(DEFAULT_WEEKS)
    for week in weeks:
        if not (corpus / f"{week}_qa.jsonl.gz").is_file():
            raise InputError(week, f"is not a week of {corpus} (weeks are named like 20250117)")
    return weeks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", help="comma-separated quiz dates (YYYYMMDD); default: twenty labelled weeks of 2025")
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
