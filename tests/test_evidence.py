"""Evidence first: sentences ranked and numbered, the model's pick read back, the picked sentences shown verbatim
(pure logic, with hand-made passages)."""

from __future__ import annotations

import json
from datetime import date

from briefing.answer.evidence import (
    ALWAYS_KEPT,
    Selection,
    about_something_else,
    best_candidates,
    candidates_of,
    evidence_blocks,
    evidence_draft,
    holds,
    parse_selection,
    picked,
    selection_schema,
    shown_text,
    unnamed,
)
from briefing.search.passages import Passage
from briefing.search.retrieval import lead_span

FERRY = (
    "The Orme Bay ferry service resumed on Friday after a three-week suspension. "
    "Harbour master Petra Voss said the new pontoon had passed its load tests. "
    "She said crossings would run every 40 minutes until the spring timetable starts."
)
BUDGET = "The town council approved a budget of 12 million crowns on Thursday. Most of it goes to schools."


def passage(number: int, text: str, title: str, article: str, start: int = 0) -> Passage:
    return Passage(
        article_id=article,
        title=title,
        source="Harbor Ledger",
        published=date(2026, 11, 27),
        text=text,
        start=start,
        end=start + len(text),
        number=number,
        score=1.0,
    )


PASSAGES = [passage(1, FERRY, "Ferry back after three weeks", "a1"), passage(2, BUDGET, "Council budget", "a2")]


def test_every_sentence_is_a_candidate_with_its_offsets() -> None:
    candidates = candidates_of(PASSAGES)
    assert [c.passage.number for c in candidates] == [1, 1, 1, 2, 2]
    for c in candidates:
        assert c.passage.text[c.start : c.end] == c.text


def test_the_sentences_holding_the_questions_rarer_words_rank_first_and_keep_passage_order() -> None:
    candidates = candidates_of(PASSAGES)
    neutral = [0.0] * len(candidates)
    best = best_candidates("Who is the harbour master in Orme Bay?", candidates, neutral, 2)
    assert [c.text for c in best] == [candidates[0].text, candidates[1].text]  # passage order, not score order
    by_meaning = best_candidates("What was approved?", candidates, [0, 0, 0, 0.9, 0], 1)
    assert by_meaning == [candidates[3]]


def test_sentences_far_behind_the_best_are_left_out_but_the_best_four_always_read() -> None:
    candidates = candidates_of([*PASSAGES, passage(3, FERRY, "Ferry back, a copy", "a3")])
    similarities = [0.9, 0.8, 0.7, 0.6, 0.5, 0.2, 0.1, 0.0]  # no sentence holds the question's words
    assert len(best_candidates("Xyzzy?", candidates, similarities, 12)) == 8
    kept = best_candidates("Xyzzy?", candidates, similarities, 12, floor=0.5)
    assert kept == candidates[:5]  # 0.5 of the best's similarity or more, in passage order
    assert best_candidates("Xyzzy?", candidates, similarities, 12, floor=0.99) == candidates[:ALWAYS_KEPT]


def test_the_model_reads_numbered_sentences_under_their_article() -> None:
    blocks = evidence_blocks(candidates_of(PASSAGES))
    assert blocks.splitlines()[0] == "Article: Ferry back after three weeks"
    assert "[2] Harbour master Petra Voss said the new pontoon had passed its load tests." in blocks
    assert "\n\nArticle: Council budget\n[4] The town council" in blocks


def test_the_pick_names_only_sentences_that_exist() -> None:
    assert selection_schema(3)["properties"]["evidence"]["items"]["enum"] == [1, 2, 3]
    assert parse_selection(json.dumps({"answer": "Voss", "evidence": [2, 2, 9, 0]}), 3).evidence == [2]
    assert parse_selection("not json", 3) == Selection()
    assert parse_selection(json.dumps({"evidence": "two"}), 3) == Selection()


def test_a_pick_that_misses_its_own_answer_moves_to_the_sentence_that_holds_it() -> None:
    candidates = candidates_of(PASSAGES)
    assert picked(Selection(answer="Petra Voss", evidence=[1, 2]), candidates) == [candidates[1]]
    assert picked(Selection(answer="Petra Voss", evidence=[1]), candidates) == [candidates[1]]
    assert picked(Selection(answer="a new mayor", evidence=[4]), candidates) == [candidates[3]]  # found nowhere
    assert picked(Selection(answer="", evidence=[]), candidates) == []
    assert picked(Selection(answer="", evidence=[2, 2]), [*candidates, candidates[1]]) == [candidates[1]]
    both = picked(Selection(answer="Petra Voss; 12 million crowns", evidence=[2]), candidates)
    assert both == [candidates[1], candidates[3]]  # a two-part answer: a sentence for each part
    assert holds("It cost 12 million crowns.", "12 Million crowns")
    assert not holds("It cost 12 million crowns.", "2 million")


def test_sentences_whose_articles_never_name_the_questions_subject_are_about_something_else() -> None:
    candidates = candidates_of(PASSAGES)
    assert unnamed("How much did the Orme Bay council approve?", [candidates[3]], PASSAGES) == ["Bay", "Orme"]
    assert unnamed("What did the harbour master of Orme Bay say?", [candidates[1]], PASSAGES) == []
    assert unnamed("What budget did the council approve?", [candidates[3]], PASSAGES) == []  # names nothing
    assert unnamed("What did the Harbor Ledger say the council approved?", [candidates[3]], PASSAGES) == []
    answer = about_something_else("How much did the Orme Bay council approve?", [candidates[3]], ["Bay", "Orme"])
    assert answer.not_in_articles
    assert answer.unsupported[0].reason == "its article never mentions Bay, Orme"


def test_picked_sentences_are_shown_verbatim_with_the_sentence_their_pronoun_needs() -> None:
    candidates = candidates_of(PASSAGES)
    draft = evidence_draft([candidates[2], candidates[3]])
    assert [s.text for s in draft.sentences] == [candidates[1].text, candidates[2].text, candidates[3].text]
    assert [s.citations for s in draft.sentences] == [[1], [1], [2]]
    assert draft.answerable
    assert not evidence_draft([]).answerable


def test_an_articles_lead_is_its_first_sentences_within_forty_words() -> None:
    start, end = lead_span(FERRY)
    assert FERRY[start:end] == FERRY  # three short sentences: 37 words
    long_first = "word " * 50 + "ends here. Next sentence."
    assert long_first[slice(*lead_span(long_first))] == "word " * 50 + "ends here."


def test_a_storys_first_sentence_is_shown_without_its_dateline() -> None:
    wire = "PORT ALDER, Nov. 24 (Meridian Wire) - About 3,400  dockworkers walked off. NATO - the alliance - met."
    opening, later = candidates_of([passage(1, wire, "Strike", "a3")])
    assert shown_text(opening) == "About 3,400 dockworkers walked off."
    assert shown_text(later) == "NATO - the alliance - met."  # only an article's first sentence has a dateline
    (inside,) = candidates_of([passage(1, "HOLLINS BRIDGE - Residents returned.", "Flood", "a4", start=120)])
    assert shown_text(inside) == "HOLLINS BRIDGE - Residents returned."
