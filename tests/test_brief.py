"""Briefings of the sample corpus: stories, ranking, verified key points, corrections, budget, cache."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from briefing import Newsroom
from briefing.briefs.key_points import select_sentences
from briefing.briefs.periods import Period
from briefing.briefs.same_event import GroupingWeights
from briefing.briefs.stories import group_stories, rank_stories, split_at
from briefing.index.store import ArticleStore
from briefing.ingest.articles import Article
from briefing.providers import Embedder, Message
from briefing.settings import Settings
from tests.fakes import FakeChat

CET = timezone(timedelta(hours=1))
WEDNESDAY = Period(date(2026, 11, 25), date(2026, 11, 25), CET)
SAMPLE_DAYS = Period(date(2026, 11, 24), date(2026, 11, 26), CET)


def _settings(sample_settings: Settings, tmp_path: Path, **briefing: object) -> Settings:
    """The sample store's settings with an empty summary cache of the test's own."""
    settings = sample_settings.model_copy(deep=True)
    settings.briefing = settings.briefing.model_copy(update={"cache_dir": tmp_path / "cache", **briefing})
    return settings


def _article(article_id: str, title: str, source: str = "Outlet", body: str = "Body text of the article.") -> Article:
    return Article(id=article_id, title=title, body=body, source=source, published=date(2026, 11, 25))


def test_copies_stay_together_and_close_leads_merge() -> None:
    items = [
        (_article("a", "A"), "s1"),
        (_article("b", "B"), "s1"),
        (_article("c", "C"), "c"),
        (_article("d", "D"), "d"),
    ]
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [0.8, 0.2, 0], [0, 0, 1]], dtype=np.float32)
    stories = group_stories(items, vectors, GroupingWeights(meaning=1.0, words=0.0, threshold=0.9))
    assert sorted(sorted(a.id for a in s.articles) for s in stories) == [["a", "b", "c"], ["d"]]
    assert {s.id for s in stories} == {"s1", "d"}  # a story is named after its first article's copy group


def test_a_story_from_before_the_period_is_developing_and_keeps_an_earlier_briefings_id() -> None:
    items = [
        (_article("old", "Ferry strike begins", body="Ferry crews walked out at dawn."), "s-old"),
        (_article("new", "Ferry strike ends", body="Ferry crews returned at noon."), "s-new"),
        (_article("x", "Orchestra tour", body="The orchestra plays in Lyon."), "x"),
    ]
    vectors = np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32)
    stories = group_stories(items, vectors)
    [story] = split_at(stories, current={"new"}, known={})
    assert story.id == "s-old"  # named after its oldest article's copy group
    assert [a.id for a in story.articles] == ["new"]
    assert [a.id for a in story.earlier] == ["old"]
    [followed] = split_at(stories, current={"new"}, known={"old": "story-7"})
    assert followed.id == "story-7"
    assert split_at(stories, current={"x"}, known={})[0].earlier == []


def test_ranking_prefers_stories_many_outlets_covered() -> None:
    wide = [(_article(f"w{i}", "Bridge", source=f"Outlet {i}", body="The bridge opened."), f"w{i}") for i in range(3)]
    narrow = [(_article("n", "Choir", source="Outlet 0", body="A choir sang carols."), "n")]
    vectors = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32)
    stories = group_stories([*wide, *narrow], vectors)
    ranked = rank_stories(stories, WEDNESDAY)
    assert [s.id for s, _ in ranked] == ["w0", "n"]
    assert ranked[0][1] > ranked[1][1]


def test_selected_sentences_are_exact_spans_without_repeats(sample_store: ArticleStore) -> None:
    articles = [a for a in sample_store.catalog.all_indexed() if "Lumora" in a.title]
    chosen = select_sentences(articles, limit=8)
    assert 4 <= len(chosen) <= 8
    for candidate in chosen:
        assert candidate.article.body[candidate.start : candidate.end] == candidate.text
        assert not candidate.text.startswith("NORTHGATE, Nov.")  # datelines are not part of a point
    assert len({c.text for c in chosen}) == len(chosen)


def test_extractive_briefing_of_a_day(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    settings = _settings(sample_settings, tmp_path, extractive=True)
    briefing = Newsroom(settings, embedder=embedder, store=sample_store).brief(WEDNESDAY)
    assert briefing.stats.articles == 11  # the sample's Wednesday in its own timezone (UTC+01:00)
    assert 2 <= briefing.stats.stories_shown <= briefing.stats.stories_found
    assert briefing.word_count() <= settings.briefing.words
    assert briefing.stats.sentences_passed == briefing.stats.sentences_checked > 0
    headlines = [s.headline for s in briefing.stories]
    assert any("Alder" in h or "strike" in h for h in headlines)
    assert any("Lumora" in h for h in headlines)
    assert all(s.status == "developing" for s in briefing.stories if "Lumora" in s.headline)  # began on Tuesday
    numbers = [c.number for c in briefing.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    bodies = {a.id: a.body for a in sample_store.catalog.all_indexed()}
    for citation in briefing.citations:
        assert bodies[citation.article_id][citation.start : citation.end] == citation.text
    for sentence in briefing.sentences():
        assert sentence.citations
        assert all(1 <= n <= len(numbers) for n in sentence.citations)


def test_the_corrected_flood_figure_is_reported_as_a_change(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    settings = _settings(sample_settings, tmp_path, extractive=True)
    briefing = Newsroom(settings, embedder=embedder, store=sample_store).brief(SAMPLE_DAYS)
    corrections = [c for c in briefing.changes if c.kind == "correction"]
    assert any("2,100 homes" in c.text and "1,200 homes" in c.text for c in corrections)
    room = Newsroom(settings, embedder=embedder, store=sample_store)
    breach = room.brief(SAMPLE_DAYS, topic="Lumora data breach")  # on the three days' page it is a headline
    disputes = [d.text for s in breach.stories for d in s.disagreements]
    assert any("6.2 million" in d and "1.4 million" in d for d in disputes)


def test_generated_points_are_verified_and_invented_ones_dropped(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    settings = _settings(sample_settings, tmp_path, max_stories=1)
    reply = {
        "points": [
            {"text": "The mayor resigned after the vote and left the country.", "citations": [1]},
            {"text": "PLACEHOLDER", "citations": [1]},
        ],
    }
    llm = FakeChat("{}")
    first = Newsroom(settings, embedder=embedder, store=sample_store, llm=llm).brief(WEDNESDAY)
    assert "Sentences from articles about one news story" in llm.asked[0][1]["content"]
    assert llm.schemas[0] is not None  # citations constrained to the numbered sentences, no more points than shown
    assert llm.schemas[0]["properties"]["points"]["maxItems"] == settings.briefing.points
    # The model's first sentence is invented; its second repeats sentence [1] of the prompt.
    prompt = llm.asked[0][1]["content"]
    first_sentence = prompt.split("[1] (", 1)[1].split(") ", 1)[1].split("\n", 1)[0]
    reply["points"][1]["text"] = first_sentence
    llm = FakeChat(json.dumps(reply))
    settings.briefing.cache_dir = tmp_path / "another cache"
    second = Newsroom(settings, embedder=embedder, store=sample_store, llm=llm).brief(WEDNESDAY)
    story = second.stories[0]
    assert story.points[0].text == first_sentence
    assert all("mayor resigned" not in p.text for p in story.points)
    assert any("mayor resigned" in u.text for u in second.unsupported)
    assert second.stats.sentences_checked == 2
    assert second.stats.sentences_passed == 1
    assert first.stories[0].headline == story.headline


@pytest.mark.parametrize("words", [150, 300])
def test_word_budget_is_enforced(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path, words: int
) -> None:
    settings = _settings(sample_settings, tmp_path, extractive=True, words=words)
    briefing = Newsroom(settings, embedder=embedder, store=sample_store).brief(SAMPLE_DAYS)
    assert briefing.stories  # the most important story is always shown
    assert briefing.word_count() <= words or len(briefing.stories) == 1


def test_unchanged_stories_are_not_summarised_again(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    settings = _settings(sample_settings, tmp_path, max_stories=2)
    store = sample_store
    llm = FakeChat('{"points": []}')
    first = Newsroom(settings, embedder=embedder, store=store, llm=llm).brief(WEDNESDAY)
    calls = len(llm.asked)
    assert calls == 2
    assert first.stats.summaries_cached == 0
    again = Newsroom(settings, embedder=embedder, store=store, llm=llm).brief(WEDNESDAY)
    assert len(llm.asked) == calls  # nothing summarised twice
    assert again.stats.summaries_cached == 2
    assert again.model_dump(exclude={"generated_at", "stats"}) == first.model_dump(exclude={"generated_at", "stats"})


def test_an_empty_period_gives_an_empty_briefing(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    period = Period(date(2030, 1, 1), date(2030, 1, 1), CET)
    briefing = Newsroom(_settings(sample_settings, tmp_path), embedder=embedder, store=sample_store).brief(period)
    assert briefing.stories == []
    assert briefing.stats.articles == 0


def test_a_topic_limits_the_briefing_to_its_stories(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    settings = _settings(sample_settings, tmp_path, extractive=True)
    briefing = Newsroom(settings, embedder=embedder, store=sample_store).brief(SAMPLE_DAYS, topic="port strike")
    assert len(briefing.stories) == 1
    assert "Alder" in briefing.stories[0].headline
    assert briefing.stats.articles == 9  # the strike's articles, not the football match at Port Alder


def test_a_story_that_cannot_fit_the_page_is_not_summarised(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    reply = '{"points": []}'  # nothing written: each story shows its best sentences
    wide = Newsroom(
        _settings(sample_settings, tmp_path / "wide"), embedder=embedder, store=sample_store, llm=FakeChat(reply)
    ).brief(WEDNESDAY)
    assert len(wide.stories) > 1
    llm = FakeChat(reply)
    settings = _settings(sample_settings, tmp_path / "tight", words=wide.stories[0].word_count())
    tight = Newsroom(settings, embedder=embedder, store=sample_store, llm=llm).brief(WEDNESDAY)
    assert [s.story_id for s in tight.stories] == [wide.stories[0].story_id]
    assert len(llm.asked) == 1  # the page was full: no summary made for a story it could not show


class _TakesItsTime(FakeChat):
    """A FakeChat that takes a moment per reply and counts the most requests it had at once."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self._lock = threading.Lock()
        self.now = self.most = 0

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.3)
        with self._lock:
            self.now -= 1
            return super().complete(messages, schema)


def test_stories_summarised_together_give_the_page_of_one_at_a_time(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    reply = '{"points": []}'
    pages, models = [], []
    for concurrency in (1, 3):
        settings = _settings(sample_settings, tmp_path / str(concurrency), max_stories=3)
        settings = settings.updated(llm={"concurrency": concurrency})
        models.append(_TakesItsTime(reply))
        pages.append(Newsroom(settings, embedder=embedder, store=sample_store, llm=models[-1]).brief(WEDNESDAY))
    assert [m.most for m in models] == [1, 3]
    assert len(models[1].asked) == len(models[0].asked) == 3
    assert pages[1].model_dump(exclude={"generated_at", "stats"}) == pages[0].model_dump(
        exclude={"generated_at", "stats"}
    )
