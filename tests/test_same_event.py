"""Which articles report one event: pair scores, average linkage, and the sample's stories against their labels."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray

from briefing.briefs.same_event import GroupingWeights, article_terms, days_apart, link, pair_scores, word_similarity
from briefing.ingest.articles import Article
from briefing.providers import Embedder
from evals.grouping import events_and_signals, labels_of, lead_centroids, sample_set, score
from evals.grouping import lead_text as eval_lead_text


def _naive_average_linkage(scores: NDArray[np.float64], threshold: float) -> list[list[int]]:
    members = [[i] for i in range(len(scores))]
    while len(members) > 1:
        pairs = [
            (float(scores[np.ix_(members[i], members[j])].mean()), i, j)
            for i in range(len(members))
            for j in range(i + 1, len(members))
        ]
        best, i, j = max(pairs)
        if best < threshold:
            break
        members[i] += members.pop(j)
    return sorted(sorted(m) for m in members)


@pytest.mark.parametrize("seed", range(8))
def test_linking_is_average_linkage(seed: int) -> None:
    points = np.random.default_rng(seed).normal(size=(40, 6))
    scores = points @ points.T / 6
    found = link([[i] for i in range(40)], scores.astype(np.float32), 0.2)
    assert sorted(found) == _naive_average_linkage(scores, 0.2)


def test_groups_given_together_stay_together() -> None:
    scores = np.full((3, 3), -1.0, dtype=np.float32)
    assert sorted(link([[0, 2], [1]], scores, 0.0)) == [[0, 2], [1]]


def _article(article_id: str, title: str, body: str, day: int | None = 1) -> Article:
    return Article(
        id=article_id, title=title, body=body, source="Ledger", published=date(2026, 3, day) if day else None
    )


def test_names_in_headlines_weigh_more_than_common_words() -> None:
    terms = article_terms(_article("a", "Quist Wins The Ferry Vote", "The vote for Mara Quist was close on Tuesday."))
    assert terms["quist"] > terms["ferry"] > terms["close"]  # a name; a headline word; a word of the lead
    assert terms["tuesday"] == terms["close"]  # days are not names


def test_rare_shared_words_make_articles_similar() -> None:
    bags = [
        article_terms(_article("a", "Quist wins ferry vote", "Mara Quist won the ferry union vote.")),
        article_terms(_article("b", "Ferry union picks Quist", "The union chose Mara Quist as leader.")),
        article_terms(_article("c", "Orchestra tours Lyon", "The city orchestra began a tour in Lyon.")),
    ]
    similarity = word_similarity(bags)
    assert similarity[0, 1] > 0.3 > similarity[0, 2]


def test_days_apart_lowers_a_pairs_score_and_undated_articles_pay_nothing() -> None:
    articles = [_article("a", "A", "Same words here.", 1), _article("b", "A", "Same words here.", 4)]
    articles.append(_article("c", "A", "Same words here.", None))
    assert days_apart(articles)[0, 1] == 3
    assert days_apart(articles)[0, 2] == 0
    vectors = np.ones((3, 2), dtype=np.float32) / np.sqrt(2)
    scores = pair_scores(articles, vectors, GroupingWeights(per_day=0.05))
    assert scores[0, 1] < scores[0, 2]


def test_the_samples_stories_are_found(embedder: Embedder) -> None:
    labelled = sample_set()
    articles = [a for a, _ in labelled]
    vectors = embedder.embed([eval_lead_text(a) for a in articles])
    events = [e for _, e in labelled]
    grouped = score([(events, labels_of(events_and_signals(GroupingWeights())(articles, vectors), len(events)))])
    before = score([(events, labels_of(lead_centroids(articles, vectors), len(events)))])
    assert grouped.bcubed_f1 >= 0.95
    assert grouped.pair_precision == 1.0  # no two events of the samples are merged
    assert grouped.bcubed_f1 >= before.bcubed_f1
