"""One fact once: sentences that say the same thing in other words are told once, in a story's key points (the
candidates they are drawn from) and between its key points, quotes and timeline. The real embedder (MiniLM) judges
meaning; the sentences are made up."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from briefing import CitedSentence, QuoteLine, StoryBrief, TimelineEntry
from briefing.briefs.compose import _without_repeats
from briefing.briefs.key_points import SAME_MEANING, distinct
from briefing.providers import Embedder, make_embedder
from briefing.settings import Settings

WALKOUT = "About 3,400 dockworkers at Port Alder walked out on Tuesday, halting container traffic at the port."
WALKOUT_AGAIN = "Port Alder dockworkers went on strike Tuesday, some 3,400 of them, and container traffic stopped."
TALKS = "The mediator called both sides to talks at the labour ministry on Wednesday morning."
QUEUE = "Ships queued outside the harbour as the strike at Port Alder entered its second day."


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return make_embedder(Settings())


def test_rows_close_in_meaning_to_a_kept_one_are_dropped() -> None:
    vectors = np.array([[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0.1, 0.99], [0, 0, 0]], dtype=np.float32)
    assert distinct(vectors) == [0, 2, 3, 4]  # a zero vector is like nothing
    assert distinct(vectors, keep_first=2) == [0, 1, 2, 3, 4]
    assert distinct(vectors[:0]) == []


def test_the_same_fact_in_other_words_is_told_once(embedder: Embedder) -> None:
    vectors = np.asarray(embedder.embed([WALKOUT, WALKOUT_AGAIN, TALKS, QUEUE]), dtype=np.float32)
    assert distinct(vectors) == [0, 2, 3]
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert float(unit[0] @ unit[1]) >= SAME_MEANING > float(unit[0] @ unit[3])  # same strike, another fact


def test_quotes_and_timeline_entries_that_repeat_a_key_point_are_dropped(embedder: Embedder) -> None:
    story = StoryBrief(
        story_id="s1",
        headline="Dockworkers strike at Port Alder",
        points=[CitedSentence(text=WALKOUT, citations=[1]), CitedSentence(text=TALKS, citations=[2])],
        quotes=[
            QuoteLine(
                text="We will not go back until the pay offer improves.", speaker="Ann Holt", outlet="W", citations=[3]
            )
        ],
        timeline=[
            TimelineEntry(day=date(2026, 3, 3), text=WALKOUT_AGAIN, citations=[4]),
            TimelineEntry(day=date(2026, 3, 4), text=QUEUE, citations=[5]),
        ],
        outlets=["Meridian Wire"],
        article_ids=["a1", "a2"],
    )
    kept = _without_repeats(story, embedder)
    assert [p.text for p in kept.points] == [WALKOUT, TALKS]  # key points always stay
    assert [q.speaker for q in kept.quotes] == ["Ann Holt"]
    assert [t.text for t in kept.timeline] == [QUEUE]
    assert kept.word_count() < story.word_count()
