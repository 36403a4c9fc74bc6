"""Time words in questions become published-day filters."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.index.store import Filters
from briefing.search.retrieval import with_question_timeframe
from briefing.search.time_words import timeframe_of

TODAY = date(2026, 11, 29)  # a Sunday


def test_this_week_is_the_last_seven_days_as_news_is_read() -> None:
    """Asked on a Wednesday, "this week" still takes in last weekend's reports of this week's events."""
    frame = timeframe_of("Which strike ended this week?", date(2026, 11, 25))
    assert frame is not None
    assert (frame.since, frame.until) == (date(2026, 11, 19), date(2026, 11, 25))


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What happened yesterday?", date(2026, 11, 28), date(2026, 11, 28)),
        ("What happened today?", TODAY, TODAY),
        ("What did the bank say last week?", date(2026, 11, 16), date(2026, 11, 22)),
        ("What has changed this week?", date(2026, 11, 23), TODAY),
        ("What happened on December 13?", date(2025, 12, 13), date(2025, 12, 13)),
        ("What happened on Nov. 25?", date(2026, 11, 25), date(2026, 11, 25)),
        ("What happened on 25 November 2026?", date(2026, 11, 25), date(2026, 11, 25)),
        ("Who has resigned since Monday?", date(2026, 11, 23), TODAY),
        ("What did the union say on Tuesday?", date(2026, 11, 24), date(2026, 11, 24)),
        ("Any news in the past 3 days?", date(2026, 11, 26), TODAY),
        ("What happened two days ago?", date(2026, 11, 27), date(2026, 11, 27)),
        ("What did the council decide in October?", date(2026, 10, 1), date(2026, 10, 31)),
        ("What happened last month?", date(2026, 10, 1), date(2026, 10, 31)),
        ("Since March 3, how many ships waited?", date(2026, 3, 3), TODAY),
        ("What happened on 2026-11-24?", date(2026, 11, 24), date(2026, 11, 24)),
    ],
)
def test_time_words(question: str, since: date, until: date) -> None:
    frame = timeframe_of(question, TODAY)
    assert frame is not None
    assert (frame.since, frame.until) == (since, until)


@pytest.mark.parametrize("question", ["What did Viktor Sand say?", "How many homes were evacuated?", "Is 7-4 a rout?"])
def test_questions_without_time_words(question: str) -> None:
    assert timeframe_of(question, TODAY) is None


def test_explicit_dates_win_over_time_words() -> None:
    given = Filters(since=date(2026, 1, 1))
    assert with_question_timeframe(given, "What happened yesterday?", TODAY) is given
    found = with_question_timeframe(Filters(sources=("X",)), "What happened yesterday?", TODAY)
    assert (found.since, found.until, found.sources) == (date(2026, 11, 28), date(2026, 11, 28), ("X",))
