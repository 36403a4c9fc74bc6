"""What a sentence claims, checked against its source: clauses and the contradictions a word count misses."""

from __future__ import annotations

import pytest

from briefing.grounding.claims import clauses, contradictions, deeds, number_value, same_word, stem, tokens

SOURCE = (
    "Council member Erik Lund said he would sign the petition but would not campaign for it. "
    "The committee does not have a veto. "
    "Of the total, 6.3 million corvens is set aside for household grants and 9 million for repairs to roads. "
    "Officials revised the figure to 2,100 homes, up from the 1,200 reported on Tuesday. "
    "Unemployment fell to 5.9 percent in October. "
    "The ministry proposed banning disposable vapes from July. "
    "Six of the seven banks passed. "
    "It was the club's first win since 2017. "
    "The government will announce an aid package during the visit. "
    "The team beat Rovers 3-1 to reach the semi-finals."
)


def test_clauses_split_where_another_claim_starts() -> None:
    assert clauses("Six bus lines will be rerouted, and the city will waive parking charges on Tanner Street.") == [
        "Six bus lines will be rerouted",
        "and the city will waive parking charges on Tanner Street.",
    ]
    assert clauses("About 70 percent live with their parents, mostly because of high rents.") == [
        "About 70 percent live with their parents",
        "mostly because of high rents.",
    ]
    assert clauses("Lumora, the Northgate firm, said so.") == ["Lumora, the Northgate firm, said so."]


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Erik Lund said he would not sign the petition.", "opposite"),
        ("The committee has a veto over new cranes.", "opposite"),
        ("9 million corvens is set aside for household grants.", "9 for something else"),
        ("Officials revised the figure from 2,100 homes to 1,200.", "other way round"),
        ("Unemployment rose to 5.9 percent in October.", "opposite direction"),
        ("The ministry has banned disposable vapes from July.", "not a decision"),
        ("All seven banks passed.", "“all”"),
        ("It was the club's first win ever, the first time in its history.", "first ... since"),
        ("The 7.2% rise is less than the opening offer of 4.5%.", "wrong way round"),
        ("The 7.2% rise is less than the demand of 9% and the offer of 4.5%.", "wrong way round"),
        ("The government announced an aid package.", "not a decision"),
    ],
)
def test_contradictions_are_found_in_any_sentence_of_the_source(sentence: str, reason: str) -> None:
    found = contradictions(sentence, [SOURCE])
    assert any(reason in f for f in found), found


@pytest.mark.parametrize(
    "sentence",
    [
        "Erik Lund said he would sign the petition but not campaign for it.",
        "The committee has no veto.",
        "6.3 million corvens is set aside for household grants.",
        "Officials raised the figure to 2,100 homes from 1,200.",
        "Unemployment fell to 5.9 percent.",
        "The ministry has proposed a ban on disposable vapes.",
        "All but one of the seven banks passed.",
        "It was the club's first win since 2017.",
        "The 4.5% offer is less than the 7.2% rise.",
        "The government is due to announce an aid package.",
        "The team reached the semi-finals by beating Rovers 3-1.",
    ],
)
def test_faithful_sentences_raise_no_contradiction(sentence: str) -> None:
    assert contradictions(sentence, [SOURCE]) == []


def test_words_and_numbers_compare_in_their_other_forms() -> None:
    assert [number_value(n) for n in ("3,400", "4.0", "7.20%")] == ["3400", "4", "7.2"]
    assert all(same_word(a, b) for a, b in [("vote", "voted"), ("rerouted", "reroute"), ("fell", "fallen")])
    assert stem("notified") == stem("notify")
    assert not same_word("rose", "fell")


CAUSE_SOURCE = [
    "Valley Courier. Ferry service suspended\nThe Tallow ferry was suspended on Monday. Gales are forecast for the "
    "whole coast this week. The harbour master closed the slipway because of storm damage to the ramp."
]


def test_a_cause_must_be_linked_to_its_effect_by_the_source() -> None:
    stitched = "The Tallow ferry was suspended because of storm damage to the ramp."
    assert any("as the reason" in c for c in contradictions(stitched, CAUSE_SOURCE))
    stated = "The harbour master closed the slipway because of storm damage to the ramp."
    assert contradictions(stated, CAUSE_SOURCE) == []


QUOTE_SOURCE = [
    'Northgate Tribune. Budget vote\n"We will not raise the fare again this decade," Tollak said on Monday.'
]


def test_a_quotation_repeated_as_fact_is_not_the_source_saying_it() -> None:
    bare = "We will not raise the fare again this decade."
    assert "repeats a quotation as fact, without saying who said it" in contradictions(bare, QUOTE_SOURCE)
    for attributed in (
        "Tollak said: “We will not raise the fare again this decade.”",
        "Tollak said they will not raise the fare again this decade.",
    ):
        assert not any("quotation" in c for c in contradictions(attributed, QUOTE_SOURCE))


def test_what_was_done_to_someone_is_a_deed_the_source_must_state() -> None:
    assert deeds(tokens("A man was killed when he was pinned beneath a truck.")) == ["killed", "pinned"]
    assert deeds(tokens("Shelters were evacuated on Monday.")) == ["evacuated"]
    assert deeds(tokens("The mound was not damaged.")) == []
    assert deeds(tokens("The bridge was the oldest in the city.")) == []
