"""Citation checking and repair, and reading the model's reply (pure logic, no model)."""

from __future__ import annotations

import json

import pytest

from briefing.answer.checking import finalise
from briefing.answer.replies import parse_points, parse_reply, points_schema, reply_schema
from briefing.answer.types import NOT_IN_ARTICLES, DraftAnswer, DraftSentence
from briefing.search.passages import Passage


def passage(number: int, text: str) -> Passage:
    return Passage(
        number=number,
        article_id=f"a{number}",
        title=f"Title {number}",
        source="Valley Courier",
        text=text,
        start=10 * number,
        end=10 * number + len(text),
        score=0.5,
    )


PASSAGES = [
    passage(1, "The council voted 7-4 to fund the tram line, a budget of 310 million."),
    passage(2, "Dockworkers at the Port of Alder walked out on Tuesday, demanding a 9% raise."),
    passage(3, "The central bank cut its rate from 4.25% to 4.0%, governor Lena Ostrova said."),
]


def test_valid_citations_are_renumbered_in_order_of_use() -> None:
    draft = DraftAnswer(
        answerable=True,
        sentences=[
            DraftSentence(text="The bank cut its rate to 4.0%.", citations=[3]),
            DraftSentence(text="Dockworkers want a 9% raise.", citations=[2, 3]),
        ],
    )
    answer = finalise("q", draft, PASSAGES)
    # Passage 3 says nothing of dockworkers: that citation is removed.
    assert answer.text == "The bank cut its rate to 4.0%. [1] Dockworkers want a 9% raise. [2]"
    assert [c.article_id for c in answer.citations] == ["a3", "a2"]
    assert answer.citations[0].text == PASSAGES[2].text
    assert (answer.citations[0].start, answer.citations[0].end) == (PASSAGES[2].start, PASSAGES[2].end)


def test_citation_numbers_that_do_not_exist_are_never_shown() -> None:
    draft = DraftAnswer(answerable=True, sentences=[DraftSentence(text="The council voted 7-4.", citations=[1, 9])])
    answer = finalise("q", draft, PASSAGES)
    assert answer.text == "The council voted 7-4. [1]"
    assert len(answer.citations) == 1


def test_uncited_sentence_is_repointed_to_the_passage_it_repeats() -> None:
    draft = DraftAnswer(
        answerable=True, sentences=[DraftSentence(text="Dockworkers at the Port of Alder walked out.", citations=[7])]
    )
    answer = finalise("q", draft, PASSAGES)
    assert answer.sentences[0].citations == [1]
    assert answer.citations[0].article_id == "a2"


def test_sentence_without_final_stop_gets_one() -> None:
    draft = DraftAnswer(
        answerable=True,
        sentences=[DraftSentence(text="The council approved the tram 7-4 (Valley Courier, 2026-11-25)", citations=[1])],
    )
    # The copied "(Outlet, date)" header note goes too.
    assert finalise("q", draft, PASSAGES).text == "The council approved the tram 7-4. [1]"


def test_unsupported_uncited_sentence_is_dropped() -> None:
    draft = DraftAnswer(
        answerable=True,
        sentences=[
            DraftSentence(text="The council voted 7-4.", citations=[1]),
            DraftSentence(text="Meanwhile astronauts landed on Mars.", citations=[]),
        ],
    )
    assert finalise("q", draft, PASSAGES).text == "The council voted 7-4. [1]"


@pytest.mark.parametrize(
    "draft",
    [
        DraftAnswer(answerable=False, sentences=[]),
        DraftAnswer(answerable=False, sentences=[DraftSentence(text="The council voted 7-4.", citations=[1])]),
        DraftAnswer(answerable=True, sentences=[]),
        DraftAnswer(answerable=True, sentences=[DraftSentence(text="I don't know.", citations=[1])]),
        DraftAnswer(answerable=True, sentences=[DraftSentence(text="Volcanoes erupted in Peru.", citations=[])]),
        DraftAnswer(answerable=True, sentences=[DraftSentence(text="The council voted 7-4 and said", citations=[1])]),
    ],
)
def test_nothing_supported_gives_the_not_in_articles_answer(draft: DraftAnswer) -> None:
    answer = finalise("q", draft, PASSAGES)
    assert answer.text == NOT_IN_ARTICLES
    assert answer.not_in_articles
    assert answer.citations == []


def test_key_points_are_read_from_their_own_shape_or_the_answers() -> None:
    assert parse_points(json.dumps({"points": [{"text": "A.", "citations": [2]}]})) == DraftAnswer(
        answerable=True, sentences=[DraftSentence(text="A.", citations=[2])]
    )
    as_answer = json.dumps({"answerable": False, "sentences": [{"text": "B.", "citations": [1]}]})
    assert parse_points(as_answer).sentences == [DraftSentence(text="B.", citations=[1])]
    assert parse_points("Trams run in 2029 [3].").sentences == [DraftSentence(text="Trams run in 2029.", citations=[3])]
    schema = points_schema(passage_count=5, points=3)
    assert schema["properties"]["points"]["maxItems"] == 3
    assert schema["properties"]["points"]["items"]["properties"]["citations"]["items"]["enum"] == [1, 2, 3, 4, 5]


def test_parse_reply_reads_json_and_plain_text() -> None:
    as_json = json.dumps({"answerable": True, "sentences": [{"text": "A.", "citations": [1]}]})
    assert parse_reply(as_json).sentences == [DraftSentence(text="A.", citations=[1])]
    plain = parse_reply("The council voted 7-4 [1]. It cost 310 million [1, 2]. Trams run in 2029.")
    assert [(s.text, s.citations) for s in plain.sentences] == [
        ("The council voted 7-4.", [1]),
        ("It cost 310 million.", [1, 2]),
        ("Trams run in 2029.", []),
    ]


@pytest.mark.parametrize(
    ("sentence", "cited", "reason"),
    [
        ("The council voted 8-3 to fund the tram line.", 1, "numbers not in the source: 3, 8"),
        ("Governor Ines Varga cut the rate to 4.0%.", 3, "names not in the source: Ines, Varga"),
        ("The council did not vote to fund the tram line.", 1, "the source says the opposite"),
        ("Bees swarm in spring across the meadow.", 1, "only 0% of its words are in the source"),
    ],
)
def test_sentences_the_spans_do_not_support_are_not_shown(sentence: str, cited: int, reason: str) -> None:
    draft = DraftAnswer(answerable=True, sentences=[DraftSentence(text=sentence, citations=[cited])])
    answer = finalise("q", draft, PASSAGES)
    assert answer.not_in_articles
    assert [u.reason for u in answer.unsupported] == [reason]


def test_miscited_sentence_is_repointed_to_the_span_that_supports_it() -> None:
    draft = DraftAnswer(answerable=True, sentences=[DraftSentence(text="Rates went to 4.0%.", citations=[1])])
    answer = finalise("q", draft, PASSAGES)
    assert answer.text == "Rates went to 4.0%. [1]"
    assert answer.citations[0].article_id == "a3"


def test_citation_narrows_to_the_supporting_sentence() -> None:
    body = "The mayor spoke first. The council voted 7-4 to fund the tram line. Work starts in March."
    wide = passage(1, body)
    draft = DraftAnswer(answerable=True, sentences=[DraftSentence(text="The council voted 7-4.", citations=[1])])
    (citation,) = finalise("q", draft, [wide]).citations
    assert citation.text == "The council voted 7-4 to fund the tram line."
    assert body[citation.start - wide.start : citation.end - wide.start] == citation.text


def test_quotation_must_be_verbatim() -> None:
    spoken = passage(1, "“We will not sign a deal that costs jobs,” said union leader Marta Quill on Tuesday.")
    exact = DraftSentence(text="Marta Quill said 'We will not sign a deal that costs jobs'.", citations=[1])
    altered = DraftSentence(text="Marta Quill said 'We will never sign any deal that costs jobs'.", citations=[1])
    assert not finalise("q", DraftAnswer(answerable=True, sentences=[exact]), [spoken]).not_in_articles
    rejected = finalise("q", DraftAnswer(answerable=True, sentences=[altered]), [spoken])
    assert rejected.not_in_articles
    assert "quotation not in the source" in rejected.unsupported[0].reason


def test_the_headline_counts_as_evidence_but_the_citation_stays_in_the_body() -> None:
    story = passage(1, "Tonight we decided that the east of the city matters, the council chair said after the vote.")
    story = story.model_copy(update={"title": "Council approves Eastline light rail 7-4"})
    draft = DraftAnswer(
        answerable=True, sentences=[DraftSentence(text="The council approved Eastline 7-4.", citations=[1])]
    )
    (citation,) = finalise("q", draft, [story]).citations
    assert citation.text == story.text


def test_reply_schema_allows_only_existing_passage_numbers() -> None:
    citations = reply_schema(3)["properties"]["sentences"]["items"]["properties"]["citations"]
    assert citations["items"]["enum"] == [1, 2, 3]


def test_a_sentence_cut_where_its_source_opens_a_quotation_gets_the_quotation() -> None:
    source = passage(4, 'Viktor Sand has warned that core inflation remains "uncomfortably sticky" and voted no.')
    draft = DraftAnswer(
        answerable=True,
        sentences=[DraftSentence(text="Viktor Sand has warned that core inflation remains.", citations=[4])],
    )
    answer = finalise("Why did Sand vote no?", draft, [*PASSAGES, source], check_kind=False)
    assert answer.sentences[0].text == "Viktor Sand has warned that core inflation remains “uncomfortably sticky”."
    said = passage(5, 'Council member Erik Lund said: "We will not campaign for it."')
    cut = DraftSentence(text="Council member Erik Lund said", citations=[5])  # no stop: would be dropped as cut off
    (sentence,) = finalise("What did Lund say?", DraftAnswer(answerable=True, sentences=[cut]), [said]).sentences
    assert sentence.text == "Council member Erik Lund said: “We will not campaign for it.”"
    whole = DraftSentence(text="Viktor Sand voted no.", citations=[4])
    kept = finalise("Why?", DraftAnswer(answerable=True, sentences=[whole]), [source], check_kind=False)
    assert kept.sentences[0].text == "Viktor Sand voted no."  # nothing cut: left as written
