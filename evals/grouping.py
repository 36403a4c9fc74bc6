"""One story per event, measured: the briefing's grouping of articles against event labels given by reading.

Labels (evals/datasets/grouping/):
- `dev_events.jsonl`: 341 articles of eight 2025 weeks of the development corpus (every dated article published in
  the 7 days up to a quiz date), each with the event it reports and a one-line reason, drafted by reading and
  checked article by article. Weeks 20250307, 20250606 and 20251003 tune the grouping; the other five are reported.
- `sample_events.jsonl`: the 34 sample articles with the story numbers written in the samples' MANIFEST.

Scores: pairwise precision/recall/F1 (pairs of articles put together) and B-cubed precision/recall/F1 (per article:
the share of its group that shares its event, and the share of its event inside its group), each week on its own.

Run: python -m evals.grouping [--corpus DIR] [--sweep]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from briefing.briefs.same_event import GroupingWeights, lead_text, link, pair_scores
from briefing.errors import InputError
from briefing.ingest.articles import Article, article_from_record, with_outlet_name
from briefing.ingest.files import read_articles
from briefing.ingest.near_copies import signature, story_of_copy
from briefing.providers.local_embedder import MiniLMEmbedder
from evals.datasets import bundled

TUNE_WEEKS = ("20250307", "20250606", "20251003")
SAMPLES = Path(__file__).resolve().parents[1] / "briefing" / "samples"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "realtimeqa-2025"

Labelled = list[tuple[Article, str]]
Grouper = Callable[[Sequence[Article], NDArray[np.float32]], list[list[int]]]


@dataclass(frozen=True)
class Scores:
    pair_precision: float
    pair_recall: float
    bcubed_precision: float
    bcubed_recall: float

    @staticmethod
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def pair_f1(self) -> float:
        return self.f1(self.pair_precision, self.pair_recall)

    @property
    def bcubed_f1(self) -> float:
        return self.f1(self.bcubed_precision, self.bcubed_recall)


def score(sets: Sequence[tuple[Sequence[str], Sequence[int]]]) -> Scores:
    """Micro-averaged scores over several labelled sets: (gold events, predicted group per article) each."""
    together = both = gold_pairs = 0
    precision: list[float] = []
    recall: list[float] = []
    for events, groups in sets:
        for i, j in itertools.combinations(range(len(events)), 2):
            same_event, same_group = events[i] == events[j], groups[i] == groups[j]
            together += same_group
            gold_pairs += same_event
            both += same_event and same_group
        for i in range(len(events)):
            group = [j for j in range(len(events)) if groups[j] == groups[i]]
            event = [j for j in range(len(events)) if events[j] == events[i]]
            shared = sum(events[j] == events[i] for j in group)
            precision.append(shared / len(group))
            recall.append(shared / len(event))
    return Scores(
        pair_precision=both / together if together else 1.0,
        pair_recall=both / gold_pairs if gold_pairs else 1.0,
        bcubed_precision=float(np.mean(precision)),
        bcubed_recall=float(np.mean(recall)),
    )


def copy_groups(articles: Sequence[Article]) -> list[list[int]]:
    """Near copies of one text together, as ingest groups them (each article joins the story of its closest earlier
    copy), every other article alone."""
    seen: list[tuple[str, list[int]]] = []
    groups: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        sig = signature(article.body)
        story = story_of_copy(sig, seen) or str(index)
        seen.append((story, sig))
        groups[story].append(index)
    return list(groups.values())


def lead_centroids(
    articles: Sequence[Article], vectors: NDArray[np.float32], threshold: float = 0.5
) -> list[list[int]]:
    """The grouping before issue 17: copies together, then groups merged while their lead-embedding centroids have
    a cosine of at least 0.5 (centroid linkage)."""
    members = copy_groups(articles)

    def unit(v: NDArray[np.float32]) -> NDArray[np.float32]:
        return v / (np.linalg.norm(v) or 1.0)

    centroids = [unit(vectors[m].mean(axis=0)) for m in members]
    while len(members) > 1:
        matrix = np.stack(centroids)
        sim = matrix @ matrix.T
        np.fill_diagonal(sim, -1.0)
        a, b = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if sim[a, b] < threshold:
            break
        low, high = sorted((int(a), int(b)))
        members[low] = members[low] + members.pop(high)
        centroids.pop(high)
        centroids[low] = unit(vectors[members[low]].mean(axis=0))
    return members


def events_and_signals(weights: GroupingWeights) -> Grouper:
    """The grouping of issue 17: copies together, then average linkage on the pair scores of `same_event`."""

    def group(articles: Sequence[Article], vectors: NDArray[np.float32]) -> list[list[int]]:
        return link(copy_groups(articles), pair_scores(articles, vectors, weights), weights.threshold)

    return group


def labels_of(groups: list[list[int]], count: int) -> list[int]:
    found = [0] * count
    for number, members in enumerate(groups):
        for i in members:
            found[i] = number
    return found


# ---- the labelled sets -----------------------------------------------------------------------------------------


def dev_weeks(corpus: Path) -> dict[str, Labelled]:
    """The labelled development articles, read as ingest reads them, by week."""
    rows = [json.loads(line) for line in bundled("grouping/dev_events.jsonl").read_text().splitlines() if line]
    wanted = {row["url"]: row for row in rows}
    records: dict[str, dict[str, object]] = {}
    for path in sorted(corpus.glob("*_gcs.jsonl.gz")):
        with gzip.open(path, "rt") as lines:
            for line in lines:
                for record in json.loads(line)["search_result"]:
                    if record.get("url") in wanted and record["url"] not in records:
                        records[record["url"]] = record
    missing = set(wanted) - set(records)
    if missing:
        raise SystemExit(f"{len(missing)} labelled URLs are not in {corpus}: {sorted(missing)[:3]}")
    weeks: dict[str, Labelled] = defaultdict(list)
    for row in rows:
        try:
            article = with_outlet_name(article_from_record(records[row["url"]], row["url"]), {})
        except InputError:  # no text to ingest (a podcast page): not part of any briefing either
            continue
        weeks[row["week"]].append((article, row["event"]))
    return dict(weeks)


def sample_set() -> Labelled:
    """The sample articles with their MANIFEST story numbers."""
    rows = [json.loads(line) for line in bundled("grouping/sample_events.jsonl").read_text().splitlines() if line]
    events = {row["origin"]: row["event"] for row in rows}
    found: Labelled = []
    for item in read_articles([SAMPLES], max_bytes=10_000_000):
        if isinstance(item, Article):
            key = Path(item.origin).resolve().relative_to(SAMPLES).as_posix() if "/" in item.origin else item.origin
            key = key.split("samples/", 1)[-1]
            found.append((item, events[key]))
    return found


def evaluate(sets: dict[str, Labelled], vectors: dict[str, NDArray[np.float32]], grouper: Grouper) -> Scores:
    scored = []
    for name, labelled in sets.items():
        articles = [a for a, _ in labelled]
        scored.append(([e for _, e in labelled], labels_of(grouper(articles, vectors[name]), len(articles))))
    return score(scored)


def _line(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.pair_precision:.3f} | {s.pair_recall:.3f} | {s.pair_f1:.3f} | "
        f"{s.bcubed_precision:.3f} | {s.bcubed_recall:.3f} | {s.bcubed_f1:.3f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the realtimeqa-2025 folder")
    parser.add_argument("--sweep", action="store_true", help="search the weights on the tuning weeks only")
    args = parser.parse_args(argv)
    embedder = MiniLMEmbedder()
    sets = {f"dev {week}": labelled for week, labelled in sorted(dev_weeks(args.corpus).items())}
    sets["samples"] = sample_set()
    vectors = {name: embedder.embed([lead_text(a) for a, _ in labelled]) for name, labelled in sets.items()}
    tune = {n: s for n, s in sets.items() if n.removeprefix("dev ") in TUNE_WEEKS}
    test = {n: s for n, s in sets.items() if n.startswith("dev ") and n not in tune}
    if args.sweep:
        return _sweep(tune, vectors)
    articles = {name: len(s) for name, s in sets.items()}
    print(f"articles: {articles}")
    print("| set · grouping | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, chosen in (("tuning weeks", tune), ("reported weeks", test), ("samples", {"samples": sets["samples"]})):
        print(_line(f"{label} · lead centroids (before)", evaluate(chosen, vectors, lead_centroids)))
        print(_line(f"{label} · events and signals", evaluate(chosen, vectors, events_and_signals(GroupingWeights()))))
    return 0


def _sweep(tune: dict[str, Labelled], vectors: dict[str, NDArray[np.float32]]) -> int:
    results = []
    for meaning, per_day, threshold in itertools.product(
        (0.5, 0.6, 0.7, 0.8, 0.9, 1.0), (0.0, 0.01, 0.02), (0.2, 0.25, 0.3, 0.35, 0.4)
    ):
        weights = GroupingWeights(meaning=meaning, words=1 - meaning, per_day=per_day, threshold=threshold)
        results.append((evaluate(tune, vectors, events_and_signals(weights)), weights))
    results.sort(key=lambda pair: -pair[0].bcubed_f1)
    for scores, weights in results[:12]:
        print(_line(str(weights), scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
