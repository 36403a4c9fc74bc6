"""Hybrid retrieval: rank fusion, the BM25 index kept in step with the store, and the three modes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefing import Newsroom
from briefing.index.lexical import tokenize
from briefing.index.store import ArticleStore, Filters
from briefing.providers import Embedder
from briefing.search.ranking import cap_per_group, favour_recent, newest_first_on_ties, reciprocal_rank_fusion
from briefing.search.retrieval import retrieve
from briefing.settings import Settings


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert [key for key, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_ties_go_to_the_most_recent_item() -> None:
    scored = [("old", 0.5), ("best", 0.9), ("new", 0.5), ("newer but worse", 0.4)]
    days = {"old": 1, "best": 0, "new": 2, "newer but worse": 3}
    ranked = newest_first_on_ties(scored, days.__getitem__)
    assert [key for key, _ in ranked] == ["best", "new", "old", "newer but worse"]


def test_older_items_are_weighted_down_and_undated_ones_are_not() -> None:
    scored = [("recap", 0.030), ("fresh", 0.028), ("undated", 0.027), ("much better old", 0.050)]
    ages = {"recap": 900, "fresh": 2, "undated": None, "much better old": 3000}
    ranked = favour_recent(scored, ages.__getitem__, recent_days=14, older_weight=0.8)
    assert [key for key, _ in ranked] == ["much better old", "fresh", "undated", "recap"]
    assert favour_recent(scored, ages.__getitem__, recent_days=14, older_weight=1.0) == sorted(
        scored, key=lambda pair: -pair[1]
    )


def test_cap_per_group_keeps_order_and_limits() -> None:
    items = ["a1", "a2", "a3", "b1", "c1", "b2", "b3"]
    assert cap_per_group(items, lambda s: s[0], cap=2, limit=5) == ["a1", "a2", "b1", "c1", "b2"]


def test_tokenize_keeps_numbers_whole_and_stems_words() -> None:
    assert tokenize(["The council voted 7-4 on 2,100 homes, cutting rates to 3.75%."]) == [
        ["council", "vote", "7-4", "2,100", "home", "cut", "rate", "3.75"]
    ]


def write(folder: Path, name: str, title: str, body: str, day: int, source: str = "Gazette") -> None:
    record = {
        "title": title,
        "body": body,
        "published_at": f"2026-11-{day:02d}",
        "source": source,
        "url": f"https://gazette.example/{name}",
    }
    (folder / f"{name}.json").write_text(json.dumps(record))


def test_bm25_index_follows_ingest_update_and_delete(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write(inputs, "otters", "Otters return", "Sea otters were seen in the Vell estuary for the first time.", 24)
    write(inputs, "bridge", "Bridge closed", "The Ashby Weir bridge closed for repairs on Tuesday.", 25)
    store = Newsroom(settings, embedder=embedder).store
    Newsroom(settings, embedder=embedder, store=store).ingest([inputs])
    assert [h.article.title for h in store.lexical_search("otters estuary", 5)] == ["Otters return"]

    write(inputs, "otters", "Otters return", "Grey herons nest in the Vell estuary again, wardens said.", 24)
    Newsroom(settings, embedder=embedder, store=store).ingest([inputs])
    assert store.lexical_search("sea first time", 5) == []  # words only the old text had
    assert [h.chunk.text for h in store.lexical_search("herons", 5)] == [
        "Grey herons nest in the Vell estuary again, wardens said."
    ]

    reopened = Newsroom(settings, embedder=embedder).store  # the index persists beside the store and reloads
    assert [h.article.title for h in reopened.lexical_search("herons", 5)] == ["Otters return"]
    reopened.delete([h.article.id for h in reopened.lexical_search("herons", 5)])
    assert store.lexical_search("herons", 5) == []
    assert [h.article.title for h in store.lexical_search("bridge", 5)] == ["Bridge closed"]


def test_bm25_search_honours_filters(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for day in (24, 25, 26):
        write(inputs, f"flood-{day}", f"Flood day {day}", f"Flood waters rose again on day {day}.", day, f"S{day}")
    store = Newsroom(settings, embedder=embedder).store
    Newsroom(settings, embedder=embedder, store=store).ingest([inputs])
    titles = {h.article.title for h in store.lexical_search("flood waters", 10, Filters(since=_day(25)))}
    assert titles == {"Flood day 25", "Flood day 26"}
    titles = {h.article.title for h in store.lexical_search("flood", 10, Filters(sources=("S24", "S26")))}
    assert titles == {"Flood day 24", "Flood day 26"}


def test_the_latest_report_wins_over_an_old_recap_but_an_old_article_still_answers_about_itself(
    tmp_path: Path, settings: Settings, embedder: Embedder
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    record = {"source": "Gazette", "url": "https://gazette.example/"}
    articles = [
        ("recap", "Who won the Harbour Cup final?", "Port Alder won the Harbour Cup final.", "2023-11-20"),
        (
            "fresh",
            "Port Alder lift the cup",
            "Port Alder beat Northgate to win the Harbour Cup.",
            "2026-11-29",
        ),
        (
            "envoy",
            "Envoy Brask speaks",
            "Envoy Ilse Brask said talks could resume at once.",
            "2019-03-02",
        ),
    ]
    for name, title, body, day in articles:
        record |= {"title": title, "body": body, "published_at": day, "url": f"https://gazette.example/{name}"}
        (inputs / f"{name}.json").write_text(json.dumps(record))
    dated = settings.updated(retrieval={"today": _day(30)})
    store = Newsroom(dated, embedder=embedder).store
    Newsroom(dated, embedder=embedder, store=store).ingest([inputs])

    def titles(question: str, older_weight: float) -> list[str]:
        tuned = dated.updated(retrieval={"older_weight": older_weight})
        return [p.title for p in retrieve(question, settings=tuned, embedder=embedder, store=store, k=3)]

    question = "Who won the Harbour Cup final?"
    assert titles(question, 1.0)[0] == "Who won the Harbour Cup final?"  # the recap has the question's words
    assert titles(question, 0.8)[0] == "Port Alder lift the cup"
    assert titles("What did envoy Ilse Brask say about talks?", 0.8)[0] == "Envoy Brask speaks"


def _day(day: int) -> object:
    from datetime import date

    return date(2026, 11, day)


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_every_mode_finds_an_exact_name(
    mode: str, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    passages = retrieve(
        "What did Viktor Sand say?",
        settings=sample_settings,
        embedder=embedder,
        store=sample_store,
        mode=mode,  # type: ignore[arg-type]
    )
    assert any("Sand" in p.text for p in passages[:3])
    assert [p.number for p in passages] == list(range(1, len(passages) + 1))


def test_context_budget_limits_passages(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    tight = sample_settings.model_copy(deep=True)
    tight.retrieval.context_tokens = 150
    passages = retrieve("port strike", settings=tight, embedder=embedder, store=sample_store, k=5)
    assert 1 <= len(passages) < 5


def test_bm25_rebuilds_only_the_month_an_ingest_changed(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for month, title in ((10, "Otters return"), (11, "Herons nest")):
        body = f"{title}: volunteers counted them along the estuary on a cold morning in month {month}. " * 3
        record = {"title": title, "body": body, "published": f"2026-{month}-05"}
        (folder / f"{month}.json").write_text(json.dumps(record))
    room = Newsroom(settings, embedder=embedder)
    assert room.ingest([folder]).ok
    assert [h.article.title for h in room.store.lexical_search("otters", 5)] == ["Otters return"]
    shards = settings.store.path / f"bm25__{embedder.name}"
    assert sorted(p.name for p in shards.iterdir()) == ["202610", "202611"]
    october = (shards / "202610" / "rows.json").stat().st_mtime_ns
    record = {"title": "Herons fledge", "body": "Herons fledged at the estuary weeks early this year. " * 3}
    (folder / "later.json").write_text(json.dumps(record | {"published": "2026-11-20"}))
    assert room.ingest([folder / "later.json"]).ok
    assert {h.article.title for h in room.store.lexical_search("herons", 5)} == {"Herons nest", "Herons fledge"}
    assert (shards / "202610" / "rows.json").stat().st_mtime_ns == october  # October was not rebuilt
    in_october = [h.article.title for h in room.store.lexical_search("herons", 5, Filters(until=date(2026, 10, 31)))]
    assert in_october == []
    room.store.delete([h.article.id for h in room.store.lexical_search("otters", 5)])
    assert room.store.lexical_search("otters", 5) == []
    assert sorted(p.name for p in shards.iterdir()) == ["202611"]
    assert room.doctor().healthy
