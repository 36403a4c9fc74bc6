"""The salience eval's pure parts (evals/salience.py): week windows and pools, answer coverage with the answers'
normalisation, the equal-length lead baselines and the skip of answers no article holds. Made-up data only: no
corpus, no model."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing import Article, Briefing, Change, CitedSentence, InputError, QuoteLine, StoryBrief, TimelineEntry
from evals.salience import (
    DEFAULT_WEEKS,
    TUNING_WEEKS,
    QuestionResult,
    WeekResult,
    answerable,
    briefing_lines,
    chosen_weeks,
    covers,
    equal_length,
    lead_sentence,
    leads_of,
    markdown,
    newest_first,
    normalised,
    publish_day,
    score_week,
    shuffled,
    totals,
    week_pool,
    week_window,
)


def article(article_id: str, body: str, day: date | datetime | None = date(2026, 3, 4), title: str = "T") -> Article:
    return Article(id=article_id, title=title, body=body, published=day)


def result(words: int = 0, questions: int = 0) -> WeekResult:
    return WeekResult("20260306", "2026-02-28", "2026-03-06", pool=3, articles=3, questions=questions, words=words)


# ---- weeks ---------------------------------------------------------------------------------------------------------


def test_a_week_is_the_seven_days_ending_on_the_quiz_date() -> None:
    assert week_window(date(2026, 3, 6)) == (date(2026, 2, 28), date(2026, 3, 6))


def test_a_week_can_start_in_the_year_before() -> None:
    assert week_window(date(2026, 1, 2)) == (date(2025, 12, 27), date(2026, 1, 2))


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026/03/04", date(2026, 3, 4)),
        ("2026-03-04", date(2026, 3, 4)),
        ("2026-03-04T23:10:00Z", date(2026, 3, 4)),
        (None, None),
        ("", None),
        ("last Tuesday", None),
    ],
)
def test_publish_dates_are_read_as_days(value: str | None, day: date | None) -> None:
    assert publish_day(value) == day


def test_the_week_pool_holds_each_url_of_the_week_once_with_text() -> None:
    records: list[dict[str, Any]] = [
        {"url": "https://a.example/1", "text": "First copy.", "publish_date": "2026/03/01"},
        {"url": "https://a.example/1", "text": "Second copy.", "publish_date": "2026/03/01"},
        {"url": "https://a.example/2", "text": "On the first day.", "publish_date": "2026/02/28"},
        {"url": "https://a.example/3", "text": "The day before the week.", "publish_date": "2026/02/27"},
        {"url": "https://a.example/4", "text": "The day after.", "publish_date": "2026/03/07"},
        {"url": "https://a.example/5", "text": "  ", "publish_date": "2026/03/02"},
        {"url": "https://a.example/6", "text": "Undated.", "publish_date": None},
        {"url": "", "text": "No address.", "publish_date": "2026/03/02"},
    ]
    pool = week_pool(records, *week_window(date(2026, 3, 6)))
    assert [(r["url"], r["text"]) for r in pool] == [
        ("https://a.example/1", "First copy."),
        ("https://a.example/2", "On the first day."),
    ]


def test_the_default_weeks_leave_out_the_tuning_weeks() -> None:
    assert len(DEFAULT_WEEKS) >= 8
    assert not TUNING_WEEKS & set(DEFAULT_WEEKS)


def test_a_week_not_in_the_corpus_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "20260306_qa.jsonl.gz").write_bytes(b"")
    assert chosen_weeks("20260306", tmp_path) == ["20260306"]
    with pytest.raises(InputError, match="20260313"):
        chosen_weeks("20260306, 20260313", tmp_path)


# ---- coverage ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "answer", "covered"),
    [
        ("Inflation rose to 7.2 percent in February.", "7.2%", True),
        ("Inflation rose to 7.2% in February.", "7.2 percent", True),
        ("About 2100 homes were evacuated.", "2,100", True),
        ("Talks moved to the Hague, officials said.", "The Hague", True),
        ("ANN HOLT WON THE SEAT.", "Ann Holt", True),
        ("Anna Holtby won the seat.", "Ann Holt", False),  # whole words only
        ("Inflation rose to 17.2 percent.", "7.2%", False),
        ("The council met.", "The", False),  # nothing left after normalisation: never covered
    ],
)
def test_an_answer_is_covered_when_a_line_holds_it_after_normalisation(line: str, answer: str, covered: bool) -> None:
    assert covers(normalised([line]), answer) is covered


def test_an_answer_is_not_covered_across_two_lines() -> None:
    assert not covers(normalised(["Officials named Ann", "Holt the new mayor."]), "Ann Holt")


def test_questions_whose_answer_no_article_holds_are_set_apart() -> None:
    articles = ["Port Alder dockworkers struck on Tuesday.", "Kestrel Bank cut its rate to 3.5%."]
    found, missing = answerable({"q1": "3.5 percent", "q2": "Port Alder", "q3": "Greyline"}, normalised(articles))
    assert (found, missing) == (["q1", "q2"], ["q3"])


def _week_page(story: StoryBrief, changes: list[Change] | None = None) -> Briefing:
    """A week's page of one story (and these changes)."""
    return Briefing(
        title="Week",
        since=date(2026, 2, 28),
        until=date(2026, 3, 6),
        timezone="UTC",
        generated_at=datetime(2026, 3, 7),
        stories=[story],
        changes=changes or [],
    )


def test_the_page_lines_are_the_headlines_and_every_sentence() -> None:
    story = StoryBrief(
        story_id="s1",
        headline="Dockworkers strike at Port Alder",
        points=[CitedSentence(text="About 3,400 walked out.", citations=[1])],
        disagreements=[CitedSentence(text="The union says 3,600.", citations=[2])],
        outlets=["Meridian Wire"],
        article_ids=["a1"],
    )
    change = Change(text="New: the strike.", citations=[1], kind="new", story_id="s1")
    page = _week_page(story, [change])
    lines = briefing_lines(page)
    for line in ["Dockworkers strike at Port Alder", "About 3,400 walked out.", "The union says 3,600.", change.text]:
        assert line in lines


def test_quotes_and_timeline_are_lines_with_speakers_apart() -> None:
    story = StoryBrief(
        story_id="s1",
        headline="Dockworkers strike at Port Alder",
        points=[],
        quotes=[QuoteLine(text="We will not go back.", speaker="Ann Holt", outlet="Meridian Wire", citations=[1])],
        timeline=[TimelineEntry(day=date(2026, 3, 2), text="The strike began.", citations=[2])],
        outlets=["Meridian Wire"],
        article_ids=["a1"],
    )
    page = _week_page(story)
    lines = briefing_lines(page)
    for line in ["Ann Holt", "We will not go back.", "The strike began."]:
        assert line in lines
    assert not any("Ann Holt" in line and "go back" in line for line in lines)


# ---- baselines -----------------------------------------------------------------------------------------------------


def test_the_lead_is_the_first_sentence_as_ingest_cuts_them() -> None:
    assert lead_sentence("Dr. Holt resigned on Monday. She cited health.") == "Dr. Holt resigned on Monday."
    assert lead_sentence("A headline-like first line\nThen the story.") == "A headline-like first line"
    assert lead_sentence("") == ""


def test_equal_length_leads_stop_at_exactly_the_word_count() -> None:
    leads = ["one two three", "four five six seven", "eight nine"]
    assert equal_length(leads, 5) == ["one two three", "four five"]
    assert sum(len(lead.split()) for lead in equal_length(leads, 7)) == 7


def test_equal_length_takes_every_lead_when_they_are_fewer_words() -> None:
    assert equal_length(["one two", "", "three"], 50) == ["one two", "three"]
    assert equal_length(["one two"], 0) == []


def test_newest_articles_come_first_and_a_day_is_ordered_by_id() -> None:
    articles = [
        article("b", "x", date(2026, 3, 5)),
        article("c", "x", date(2026, 3, 1)),
        article("a", "x", date(2026, 3, 5)),
    ]
    assert [a.id for a in newest_first(articles)] == ["a", "b", "c"]


def test_a_random_order_depends_on_the_seed_only() -> None:
    articles = [article(str(i), "x") for i in range(20)]
    once = [a.id for a in shuffled(articles, 3)]
    assert once == [a.id for a in shuffled(list(reversed(articles)), 3)]
    assert sorted(once) == sorted(a.id for a in articles)
    assert once != [a.id for a in shuffled(articles, 4)]


def test_articles_without_a_lead_give_no_line() -> None:
    assert leads_of([article("a", "Ann Holt won. More."), article("b", "  ")]) == ["Ann Holt won."]


# ---- a week scored -------------------------------------------------------------------------------------------------


def test_a_week_scores_the_page_and_both_baselines_of_its_length() -> None:
    articles = [
        article("new", "Kestrel Bank cut its rate to 3.5% on Friday. It was expected.", date(2026, 3, 6)),
        article("old", "Port Alder dockworkers struck on Monday. Talks failed.", date(2026, 3, 2)),
    ]
    answers = {
        "q1": ("Where did dockworkers strike?", "Port Alder"),
        "q2": ("What rate did Kestrel Bank set?", "3.5 percent"),
        "q3": ("Who won the cup?", "Greyline"),
    }
    page = ["Dockworkers strike at Port Alder", "Talks failed."]
    scored = score_week(result(words=10, questions=3), answers, page, articles, shown={"old"})
    assert [s["id"] for s in scored.skipped] == ["q3"]
    assert [(r.id, r.briefing, r.newest) for r in scored.rows] == [("q1", True, False), ("q2", False, True)]
    assert [(r.id, r.in_story) for r in scored.rows] == [("q1", True), ("q2", False)]
    assert all(0.0 <= r.random <= 1.0 for r in scored.rows)


def test_totals_and_report_give_shares_over_the_answerable_questions() -> None:
    week = result(words=10, questions=4)
    week.rows = [
        QuestionResult("q1", "?", "Port Alder", briefing=True, newest=False, random=0.4, in_story=True),
        QuestionResult("q2", "?", "3.5 percent", briefing=True, newest=True, random=0.2),
        QuestionResult("q3", "?", "Ann Holt", briefing=False, newest=True, random=0.0),
    ]
    week.skipped = [{"id": "q4", "question": "?", "answer": "Greyline"}]
    total = totals([week])
    assert (total["answerable"], total["skipped"], total["briefing"], total["newest"]) == (3, 1, 2, 2)
    assert total["random_share"] == pytest.approx(0.2)
    assert (total["briefing_only"], total["newest_only"]) == (1, 1)
    report = markdown([week], "extractive", 600)
    assert "| 3 of 4 |" in report
    assert "**2 (0.667)**" in report
    assert "| 1 (0.333) |" in report  # one answer's story on the page
