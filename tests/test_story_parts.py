"""What's new, timeline, who said what, coverage and the inputs line: pure parts, then the sample's briefings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from briefing import Newsroom
from briefing.briefs.key_points import already_told, select_sentences
from briefing.briefs.page import Briefing, CitedSentence, StoryBrief
from briefing.briefs.periods import Period
from briefing.briefs.stories import Story
from briefing.briefs.story_parts import inputs_summary, only_outlet, said_before, timeline
from briefing.index.store import ArticleStore
from briefing.ingest.articles import Article
from briefing.providers import Embedder
from briefing.settings import Settings
from briefing.words import content_words

CET = timezone(timedelta(hours=1))
THURSDAY = Period(date(2026, 11, 26), date(2026, 11, 26), CET)


def _article(article_id: str, body: str, day: int, source: str = "Harbor Ledger", hour: int = 9) -> Article:
    return Article(
        id=article_id,
        title=f"Ferry story {article_id}",
        body=body,
        source=source,
        published=datetime(2026, 11, day, hour, tzinfo=CET),
    )


TUESDAY = _article("t", "Ferry crews walked out at dawn on Tuesday over a pay offer of 3 percent.", 24)
WEDNESDAY = _article("w", "Talks between the ferry union and the operator resumed on Wednesday under a mediator.", 25)
THURSDAY_ARTICLE = _article(
    "th",
    "The ferry strike ended on Thursday after crews accepted a 5 percent rise over two years. "
    '"We got what we came for," union leader Mara Quist told reporters at the harbour gate.',
    26,
    source="Valley Courier",
)


def _wednesdays(stories: list[StoryBrief]) -> Briefing:
    """Wednesday 25 November's daily briefing with these stories: what readers were told the day before."""
    return Briefing(
        title="Daily briefing",
        since=date(2026, 11, 25),
        until=date(2026, 11, 25),
        timezone="+01:00",
        generated_at=datetime(2026, 11, 25, 7, tzinfo=UTC),
        stories=stories,
    )


def test_a_repeat_of_what_readers_were_told_is_not_news() -> None:
    told = content_words("The ferry strike began on Tuesday, with crews asking for a 5 percent rise.")
    assert already_told(content_words("Crews asked for a 5 percent rise when the ferry strike began Tuesday."), told)
    assert not already_told(content_words("The ferry strike ended on Thursday with a 5 percent rise."), told)
    assert not already_told(content_words("Crews asked for a 7 percent rise when the ferry strike began."), told)


def test_sentences_readers_were_told_are_left_out() -> None:
    said = "The ferry strike ended on Thursday after crews accepted a 5 percent rise over two years."
    chosen = select_sentences([THURSDAY_ARTICLE], 4, exclude=[said])
    assert said not in [c.text for c in chosen]
    assert chosen  # the quote's sentence is new


def test_said_before_prefers_an_earlier_briefings_lines() -> None:
    story = Story(id="s1", articles=[THURSDAY_ARTICLE], earlier=[TUESDAY, WEDNESDAY])
    earlier = _wednesdays(
        [
            StoryBrief(
                story_id="s1",
                headline="Ferry talks resume",
                points=[CitedSentence(text="Talks resumed under a mediator.", citations=[1])],
                outlets=["Harbor Ledger"],
                article_ids=["t", "w"],
            )
        ]
    )
    assert said_before(story, [earlier]) == ["Talks resumed under a mediator."]
    without_briefing = said_before(story, [])
    assert any("walked out at dawn" in text for text in without_briefing)  # its earlier articles' best sentences
    assert said_before(Story(id="new", articles=[THURSDAY_ARTICLE]), []) == []


def test_a_story_over_several_days_gets_one_dated_entry_a_day() -> None:
    story = Story(id="s1", articles=[THURSDAY_ARTICLE], earlier=[TUESDAY, WEDNESDAY])
    entries = timeline(story, THURSDAY)
    assert [day for day, _ in entries] == [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    for _, candidate in entries:
        assert candidate.article.body[candidate.start : candidate.end] == candidate.text
    assert timeline(Story(id="one-day", articles=[THURSDAY_ARTICLE]), THURSDAY) == []


def test_a_fact_only_one_outlet_reported_is_marked() -> None:
    other = _article("o", "Ferry crews returned to work on Thursday, the operator said.", 26, source="Meridian Wire")
    story = Story(id="s1", articles=[THURSDAY_ARTICLE, other])
    rise = "The ferry strike ended on Thursday after crews accepted a 5 percent rise over two years."
    assert only_outlet([("Valley Courier", rise)], story) == "Valley Courier"
    returned = "Ferry crews returned to work on Thursday, the operator said."
    assert only_outlet([("Meridian Wire", returned), ("Valley Courier", rise)], story) is None  # two outlets cited
    told_too = _article("o2", "Crews accepted a 5 percent rise over two years; the ferry strike ended.", 26, "Post")
    assert only_outlet([("Valley Courier", rise)], Story(id="s2", articles=[THURSDAY_ARTICLE, told_too])) is None
    assert only_outlet([("Valley Courier", rise)], Story(id="s3", articles=[THURSDAY_ARTICLE])) is None  # one outlet


def test_the_inputs_line_counts_outlets_times_and_quiet_outlets() -> None:
    summary = inputs_summary([THURSDAY_ARTICLE, _article("x", "More ferry news.", 26, hour=15)], [TUESDAY, WEDNESDAY])
    assert summary.articles == 2
    assert set(summary.outlets) == {"Valley Courier", "Harbor Ledger"}
    assert summary.oldest == datetime(2026, 11, 26, 9, tzinfo=CET)
    assert summary.newest == datetime(2026, 11, 26, 15, tzinfo=CET)
    quiet = inputs_summary([THURSDAY_ARTICLE], [TUESDAY])
    assert quiet.quiet_outlets == ["Harbor Ledger"]


def _settings(sample_settings: Settings, tmp_path: Path) -> Settings:
    settings = sample_settings.model_copy(deep=True)
    settings.briefing = settings.briefing.model_copy(
        update={"cache_dir": tmp_path / "cache", "extractive": True, "out_dir": tmp_path / "out"}
    )
    return settings


def test_the_next_days_briefing_follows_its_stories_and_tells_only_whats_new(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    room = Newsroom(_settings(sample_settings, tmp_path), embedder=embedder, store=sample_store)
    wednesday = room.brief(Period(date(2026, 11, 25), date(2026, 11, 25), CET), title="Daily briefing")
    from briefing.render.publish import publish

    publish(wednesday, tmp_path / "out" / "2026-11-25", ("json",))
    thursday = room.brief(THURSDAY, title="Daily briefing")
    ids = {s.story_id for s in wednesday.stories}
    followed = [s for s in thursday.stories if s.story_id in ids]
    assert followed, "a story of Wednesday's briefing keeps its id on Thursday"
    told = {line.text for s in wednesday.stories for line in s.lines()}
    for story in followed:
        assert story.status == "developing"
        assert story.first_seen is not None
        assert story.first_seen < THURSDAY.since
        assert not told & {line.text for line in story.points}, "Thursday repeats none of Wednesday's points"
    lead = thursday.stories[0]
    assert lead.timeline, "the lead story spans three days"
    assert [e.day for e in lead.timeline] == sorted(e.day for e in lead.timeline)
    bodies = {a.id: a.body for a in sample_store.catalog.all_indexed()}
    by_number = {c.number: c for c in thursday.citations}
    for story in thursday.stories:
        for quote in story.quotes:  # who said what: the words exactly as the cited article prints them
            [number] = quote.citations
            cited = by_number[number]
            assert cited.text == quote.text == bodies[cited.article_id][cited.start : cited.end]
            assert quote.speaker.split()[-1] in bodies[cited.article_id]
    assert thursday.inputs.articles == 11
    assert len(thursday.inputs.outlets) == 5
    assert thursday.word_count() <= room.settings.briefing.words


def test_a_story_with_nothing_new_is_folded_into_one_line(
    sample_settings: Settings, sample_store: ArticleStore, embedder: Embedder, tmp_path: Path
) -> None:
    room = Newsroom(_settings(sample_settings, tmp_path), embedder=embedder, store=sample_store)
    thursday = room.brief(THURSDAY, title="Daily briefing")
    everything = [  # an earlier briefing that told every sentence of Thursday's articles
        StoryBrief(
            story_id=story.story_id,
            headline=story.headline,
            points=[CitedSentence(text=a.body, citations=[1]) for a in sample_store.catalog.all_indexed()],
            outlets=story.outlets,
            article_ids=story.article_ids,
        )
        for story in thursday.stories[:1]
    ]
    told = _wednesdays(everything)
    from briefing.render.publish import publish

    publish(told, tmp_path / "out" / "2026-11-25", ("json",))
    again = room.brief(THURSDAY, title="Daily briefing")
    [folded] = [s for s in again.stories if s.story_id == everything[0].story_id]
    assert folded.nothing_new
    assert folded.points == []
    assert folded.headline_citation is not None
    assert again.stories[-1].nothing_new  # after the stories with news
