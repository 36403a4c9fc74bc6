"""One numbering of cited spans, for answers and briefings alike (pure logic)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from briefing.briefs.page import Briefing, Change, CitedSentence, StoryBrief, renumbered
from briefing.grounding.citations import Citation, CitationNumbering
from briefing.ingest.articles import Article
from briefing.search.passages import Passage, SourceSpan

ARTICLE = Article(
    id="a1",
    title="Port offers 6%",
    body="The port offered 6%. The union said no.",
    source="Harbor Ledger",
    published=date(2026, 11, 25),
    url="https://harborledger.example/offer",
)
OFFER = SourceSpan.of_article(ARTICLE, 0, 20, "The port offered 6%.")
REFUSAL = SourceSpan.of_article(ARTICLE, 21, 39, "The union said no.")


def test_a_span_of_an_article_carries_its_metadata_and_slices_back_to_its_text() -> None:
    assert ARTICLE.body[OFFER.start : OFFER.end] == OFFER.text
    assert (OFFER.article_id, OFFER.title, OFFER.source, OFFER.published, OFFER.url) == (
        "a1",
        "Port offers 6%",
        "Harbor Ledger",
        date(2026, 11, 25),
        "https://harborledger.example/offer",
    )
    passage = Passage.of_article(ARTICLE, 0, 20, OFFER.text, number=3, score=0.5)
    assert Citation.of(passage, number=1) == Citation(**OFFER.model_dump(), number=1)  # no passage fields carried


def test_the_same_span_gets_the_same_number_in_order_of_first_use() -> None:
    numbering = CitationNumbering()
    assert numbering.numbers([REFUSAL, OFFER, REFUSAL]) == [1, 2]
    assert numbering.number(OFFER.model_copy(update={"title": "another headline"})) == 2  # the span is the key
    assert [(c.number, c.text) for c in numbering.citations()] == [(1, REFUSAL.text), (2, OFFER.text)]


def test_a_briefing_is_renumbered_in_reading_order_and_loses_unused_footnotes() -> None:
    unused = SourceSpan.of_article(ARTICLE, 0, 3, "The")
    citations = [Citation.of(span, number=n) for n, span in [(1, REFUSAL), (2, unused), (3, OFFER)]]
    story = StoryBrief(
        story_id="s",
        headline="Port offers 6%",
        headline_citation=3,
        points=[CitedSentence(text="No.", citations=[1, 1])],
        outlets=["Harbor Ledger"],
        article_ids=["a1"],
    )
    change = Change(kind="correction", story_id="s", text="Figure corrected.", citations=[1])
    briefing = Briefing(
        title="Briefing",
        since=date(2026, 11, 25),
        until=date(2026, 11, 25),
        timezone="UTC",
        generated_at=datetime(2026, 11, 25, tzinfo=UTC),
        stories=[story],
        changes=[change],
        citations=citations,
    )
    renumbered(briefing)
    assert briefing.changes[0].citations == [1]  # changes come first on the page
    assert briefing.stories[0].headline_citation == 2
    assert briefing.stories[0].points[0].citations == [1]
    assert [(c.number, c.text) for c in briefing.citations] == [(1, REFUSAL.text), (2, OFFER.text)]
