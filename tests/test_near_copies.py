"""Near copies (republished wire stories) are grouped into one story, and one story does not fill the context."""

from __future__ import annotations

from collections import Counter

from briefing.index.store import ArticleStore
from briefing.ingest.near_copies import SAME_STORY, band_keys, signature, similarity
from briefing.providers import Embedder
from briefing.search.passages import Passage
from briefing.search.retrieval import retrieve
from briefing.settings import Settings

STORY = (
    "Dockworkers at the Port of Alder walked off the job at 6 a.m. on Tuesday, halting container traffic at the "
    "country's busiest port in a dispute over pay and automation. The union said 3,400 members joined the strike "
    "after talks with the employers broke down late on Monday. The employers offered 4.5 percent over two years; "
    "the union wants 9 percent and guarantees that automated cranes will not cost jobs. "
    "The last strike at the port, in 2011, lasted nine days and left more than 60 ships waiting offshore."
)


def test_edited_copy_is_the_same_story_and_other_news_is_not() -> None:
    edited = STORY.replace("percent", "%").replace(
        " The last strike at the port, in 2011, lasted nine days and left more than 60 ships waiting offshore.", ""
    )
    other = "The central bank cut its policy rate by half a point to 3.75% on Wednesday, in a 5-2 vote of its board."
    original = signature(STORY)
    assert similarity(original, signature(edited)) >= SAME_STORY
    assert similarity(original, signature(other)) < 0.1
    assert set(band_keys(original)) & set(band_keys(signature(edited)))


def test_sample_wire_copies_form_one_story(sample_store: ArticleStore) -> None:
    articles = sample_store.catalog.all_indexed()
    stories = sample_store.catalog.stories(a.id for a in articles)
    sizes = Counter(stories.values())
    (wire_story, copies), *_ = sizes.most_common()
    assert copies == 3  # the wire original and its two republications
    outlets = {a.source for a in articles if stories[a.id] == wire_story}
    assert outlets == {"Meridian Wire", "Northgate Tribune", "Capital Daily Post"}
    assert sum(1 for size in sizes.values() if size > 1) == 1


def _strike_passages(settings: Settings, embedder: Embedder, store: ArticleStore) -> list[Passage]:
    """Eight passages for the port strike, the story the wire copies tell."""
    question = "dockworkers walk out at Port of Alder over pay and automation"
    return retrieve(question, settings=settings, embedder=embedder, store=store, k=8)


def test_one_story_does_not_fill_the_context(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    passages = _strike_passages(sample_settings, embedder, sample_store)
    stories = sample_store.catalog.stories(p.article_id for p in passages)
    assert max(Counter(stories[p.article_id] for p in passages).values()) <= sample_settings.retrieval.per_article


def test_a_passage_from_a_republished_story_names_the_other_outlets(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    passages = _strike_passages(sample_settings, embedder, sample_store)
    wire = {"Meridian Wire", "Northgate Tribune", "Capital Daily Post"}
    copies = [p for p in passages if p.also_in]
    assert copies, "the wire story should be among the passages"
    for passage in copies:
        assert {passage.source, *passage.also_in} == wire
        assert passage.source not in passage.also_in
    assert all(not p.also_in for p in passages if p.source == "The Harbor Ledger")
