"""The salience eval's pure parts (evals/salience.py): week windows and pools, answer coverage with the answers'
normalisation, the equal-length lead baselines and the skip of answers no article holds. Made-up data only: no
corpus, no model."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing import (
    Article,
    Briefing,
    Change,
    Citation,
    CitedSentence,
    InputError,
    QuoteLine,
    StoryBrief,
    TimelineEntry,
)
from evals.salience import (
    DEFAULT_WEEKS,
    TUNING_WEEKS,
    Label,
    QuestionResult,
    WeekResult,
    answerable,
    chosen_weeks,
    covers,
    equal_length,
    lead_sentence,
    load_labels,
    markdown,
    newest_first,
    normalised,
    parse_label,
    publish_day,
    reports,
    score_week,
    shuffled,
    sourced_leads,
    sourced_lines,
    totals,
    week_pool,
    week_window,
)


def article(article_id: str, body: str, day: date | datetime | None = date(2026, 3, 4), title: str = "T") -> Article:
    return Article(id=article_id, title=title, body=body, published=day, url=f"https://news.example/{article_id}")


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
    lines = [text for text, _ in sourced_lines(page)]
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
    lines = [text for text, _ in sourced_lines(page)]
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
    leads = sourced_leads([article("a", "Ann Holt won. More."), article("b", "  ")], words=50)
    assert [text for text, _ in leads] == ["Ann Holt won."]


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
    page = [("Dockworkers strike at Port Alder", frozenset({"old"})), ("Talks failed.", frozenset({"old"}))]
    scored = score_week(result(words=10, questions=3), answers, page, articles, shown={"old"})
    assert [s["id"] for s in scored.skipped] == ["q3"]
    assert [(r.id, r.briefing, r.newest) for r in scored.rows] == [("q1", True, False), ("q2", False, True)]
    assert [(r.id, r.in_story) for r in scored.rows] == [("q1", True), ("q2", False)]
    assert all(0.0 <= r.random <= 1.0 for r in scored.rows)
    assert scored.labelled is None  # no labels: the answer strings only


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
    assert (total["briefing_only"], total["newest_only"], total["sign_test_p"]) == (1, 1, 1.0)
    report = markdown([week], "extractive", 600)
    assert "| 3 of 4 |" in report
    assert "**2 (0.667)**" in report
    assert "| 1 (0.333) |" in report  # one answer's story on the page
    assert "labelled" not in report


# ---- answers reported, by reading ----------------------------------------------------------------------------------


def label(
    qid: str = "q1", urls: tuple[str, ...] = ("https://news.example/lead",), forms: tuple[str, ...] = ("Texas",)
) -> Label:
    return parse_label({"id": qid, "week": "20260306", "answered_by": list(urls), "forms": list(forms), "reason": "r"})


def test_a_label_keeps_canonical_urls_and_needs_a_form_and_a_reason() -> None:
    parsed = label(urls=("https://WWW.news.example/lead/?utm_source=feed",))
    assert parsed.answered_by == frozenset({"https://news.example/lead"})
    assert label(urls=()).answered_by == frozenset()  # read, and no article reports it
    for broken, problem in [
        ({"answered_by": ["https://news.example/a"], "forms": [], "reason": "r"}, "no form"),
        ({"answered_by": [], "forms": ["Texas"], "reason": " "}, "no reason"),
        ({"answered_by": "https://news.example/a", "forms": ["Texas"], "reason": "r"}, "a list answered_by"),
    ]:
        with pytest.raises(ValueError, match=problem):
            parse_label({"id": "q1", "week": "20260306", **broken})


def test_a_bad_labels_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    good = '{"id": "q1", "week": "20260306", "answered_by": [], "forms": ["Texas"], "reason": "chance only"}'
    path.write_text(good + "\n\n" + good.replace("chance only", "") + "\n")
    with pytest.raises(InputError, match=r"labels\.jsonl:3"):
        load_labels(path)
    path.write_text(good + "\n" + good + "\n")
    with pytest.raises(InputError, match="a second time"):
        load_labels(path)


def test_the_bundled_labels_cover_the_default_and_tuning_weeks_and_read_cleanly() -> None:
    labels = load_labels()
    assert set(DEFAULT_WEEKS) | TUNING_WEEKS <= {label.week for label in labels.values()}
    assert all(label.reason.strip() for label in labels.values())


def test_an_answer_counts_only_from_a_line_of_an_article_that_reports_it() -> None:
    texas = label(forms=("Texas", "TX"))
    lines = normalised(["A Texas-based firm built the lander."])
    assert not reports([(lines[0], frozenset({"moon"}))], texas, {"measles"})  # the same word, met by chance
    assert reports([(lines[0], frozenset({"moon", "measles"}))], texas, {"measles"})
    assert reports([(normalised(["Cases rose in TX."])[0], frozenset({"measles"}))], texas, {"measles"})  # a form
    assert not reports([(normalised(["Cases rose."])[0], frozenset({"measles"}))], texas, {"measles"})


def test_page_lines_carry_the_articles_they_cite() -> None:
    def cited(number: int, article_id: str) -> Citation:
        return Citation(article_id=article_id, title="T", source="S", text="x", start=0, end=1, number=number)

    story = StoryBrief(
        story_id="s1",
        headline="Dockworkers strike at Port Alder",
        headline_citation=2,
        points=[CitedSentence(text="About 3,400 walked out.", citations=[1, 2])],
        quotes=[QuoteLine(text="We will not go back.", speaker="Ann Holt", outlet="Meridian Wire", citations=[3])],
        outlets=["Meridian Wire"],
        article_ids=["a1", "a2", "a3"],
    )
    untitled = StoryBrief(story_id="s2", headline="Floods", points=[], outlets=["W"], article_ids=["a4"])
    page = _week_page(story).model_copy(
        update={"stories": [story, untitled], "citations": [cited(1, "a1"), cited(2, "a2"), cited(3, "a3")]}
    )
    assert sourced_lines(page) == [
        ("About 3,400 walked out.", frozenset({"a1", "a2"})),
        ("We will not go back.", frozenset({"a3"})),
        ("Dockworkers strike at Port Alder", frozenset({"a2"})),
        ("Ann Holt", frozenset({"a3"})),
        ("Floods", frozenset({"a4"})),  # a headline citing nothing comes from its story's articles
    ]


def test_lead_baselines_carry_their_articles() -> None:
    articles = [article("a", "One two three. Four."), article("b", " "), article("c", "Five six seven. Eight.")]
    assert sourced_leads(articles, 5) == [("One two three.", frozenset({"a"})), ("Five six", frozenset({"c"}))]


def test_a_labelled_week_scores_answers_reported_not_words_met_by_chance() -> None:
    articles = [
        article("measles", "Measles cases rose to 159 in the state. Officials urged shots.", date(2026, 3, 5)),
        article("moon", "A Texas-based firm landed on the moon. It was a first.", date(2026, 3, 6)),
        article("oscars", "The best picture went to Anora on Sunday. Five awards.", date(2026, 3, 3)),
    ]
    answers = {
        "q1": ("Which state has the measles outbreak?", "Texas"),
        "q2": ("Which film won best picture?", "“Anora”"),
        "q3": ("Who won the cup?", "Greyline"),
    }
    labels = {
        "q1": label("q1", urls=("https://news.example/measles",), forms=("Texas",)),
        "q2": label("q2", urls=("https://news.example/oscars",), forms=("Anora",)),
    }
    page = [("A Texas-based firm landed on the moon.", frozenset({"moon"})), ("Anora won.", frozenset({"oscars"}))]
    scored = score_week(result(words=30, questions=3), answers, page, articles, {"moon", "oscars"}, labels)
    # As strings, "Texas" is answerable and covered by the page and the newest lead; "“Anora”" is found nowhere.
    assert [(r.id, r.briefing, r.newest) for r in scored.rows] == [("q1", True, True)]
    # Read: no article of the page reports the measles state, and the Oscars article reports "Anora".
    assert scored.labelled is not None
    assert [(r.id, r.answer, r.briefing, r.newest, r.in_story) for r in scored.labelled] == [
        ("q1", "Texas", False, False, False),
        ("q2", "Anora", True, True, True),
    ]
    total = totals([scored], labelled=True)
    assert (total["answerable"], total["briefing"], total["skipped"]) == (2, 1, 1)
    report = markdown([scored], "extractive", 600)
    assert report.index("Answers reported") < report.index("Answer strings")
