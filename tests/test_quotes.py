"""Who said what: the attributed quotes of an article, their speakers and exact offsets, and the few worth showing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.briefs.quotes import Quote, best_quotes, find_quotes, is_verbatim
from briefing.ingest.articles import Article

CET = timezone(timedelta(hours=1))
WORDS = "The new span will carry traffic again by the first week of spring"
LATER = "Nobody in this valley should have to drive forty minutes to reach the school"


def _article(body: str, source: str = "Valley Courier", day: int = 24, title: str = "Brannock bridge") -> Article:
    published = datetime(2026, 11, day, 9, tzinfo=CET)
    return Article(id=f"{source}-{day}", title=title, body=body, published=published, source=source)


def _quotes(body: str, title: str = "Brannock bridge") -> list[Quote]:
    quotes = find_quotes(_article(body, title=title))
    for quote in quotes:
        assert quote.article.body[quote.start : quote.end] == quote.words
        assert is_verbatim(quote)
    return quotes


def _said(body: str) -> list[tuple[str, str]]:
    return [(quote.speaker, quote.words) for quote in _quotes(body)]


# ---- the patterns of an attribution -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"“{WORDS},” Mara Lindqvist said.",
        f'"{WORDS}," said Mara Lindqvist.',
        f'Mara Lindqvist said, "{WORDS}."',
        f"Mara Lindqvist said on Tuesday: “{WORDS}.”",
        f"“{WORDS},” Mara Lindqvist, the county's chief engineer, said.",
        f'"{WORDS}" Mara Lindqvist told reporters after the vote.',
        f"According to Mara Lindqvist, “{WORDS}.”",
        f'"{WORDS}," Mara Lindqvist wrote in a post on the county website.',
        f"“{WORDS},” Mara Lindqvist insisted.",
        f'Earlier, Mara Lindqvist had warned: "{WORDS}."',
    ],
    ids=[
        "quote-X-said",
        "quote-said-X",
        "X-said-comma-quote",
        "X-said-colon-quote",
        "X-appositive-said",
        "X-told-reporters",
        "according-to-X",
        "X-wrote",
        "X-insisted",
        "X-had-warned",
    ],
)
def test_each_pattern_of_attribution_finds_the_speaker_and_the_words(body: str) -> None:
    [(speaker, words)] = _said(body)
    assert speaker == "Mara Lindqvist"
    assert words.rstrip(".") == WORDS


@pytest.mark.parametrize("verb", ["added", "posted", "argued", "stated", "declared", "noted", "says"])
def test_every_verb_of_saying_attributes_a_quote(verb: str) -> None:
    assert _said(f"“{WORDS},” Per Oduya {verb}.") == [("Per Oduya", WORDS)]


def test_a_question_keeps_its_question_mark_and_finds_the_asker() -> None:
    assert _said('"Who will pay for the new span over the river?" Oduya asked.') == [
        ("Oduya", "Who will pay for the new span over the river?")
    ]


def test_a_named_organisation_is_a_speaker() -> None:
    assert _said(f"“{WORDS},” the Pentagon said in a statement.") == [("the Pentagon", WORDS)]


def test_the_words_exclude_the_marks_and_the_comma_that_closes_a_quote_mid_sentence() -> None:
    body = f"On Monday, “{WORDS},” said Ines Varga."
    [quote] = _quotes(body)
    assert (quote.words, body[quote.start - 1], body[quote.end]) == (WORDS, "“", ",")


def test_a_quote_of_several_sentences_is_one_quote() -> None:
    words = "The piers are sound. The deck is not. We will replace it before the floods come back"
    assert _said(f'"{words}," Ines Varga said.') == [("Ines Varga", words)]


def test_a_quote_that_is_a_sentence_of_its_own_belongs_to_the_speaker_of_the_sentence_before() -> None:
    body = f"“{WORDS},” Mara Lindqvist said. “{LATER}.”"
    assert _said(body) == [("Mara Lindqvist", WORDS), ("Mara Lindqvist", f"{LATER}.")]


def test_a_quote_opening_a_sentence_that_goes_on_is_not_given_to_the_speaker_before() -> None:
    body = f"“{WORDS},” Mara Lindqvist said. “{LATER}” for most families in the north, the survey found."
    assert _said(body) == [("Mara Lindqvist", WORDS)]


def test_a_reported_statement_ending_in_its_speaker_attributes_the_quote_after_it() -> None:
    body = f"The county will borrow the money, Ines Varga said on Tuesday. “{LATER}.”"
    assert _said(body) == [("Ines Varga", f"{LATER}.")]


def test_a_quote_split_by_its_attribution_gives_both_parts_to_the_speaker() -> None:
    body = f"“{WORDS},” Lindqvist said, “and {LATER.lower()}.”"
    assert [speaker for speaker, _ in _said(body)] == ["Lindqvist", "Lindqvist"]


# ---- pronouns, surnames, titles ---------------------------------------------------------------------------------


def test_she_said_is_the_one_person_named_in_the_sentences_before() -> None:
    body = f"Mara Lindqvist inspected the piers on Monday. The work took four hours. “{WORDS},” she said."
    assert _said(body) == [("Mara Lindqvist", WORDS)]


def test_she_said_after_two_people_is_skipped() -> None:
    assert _said(f"Mara Lindqvist met Ines Varga at the site on Monday. “{WORDS},” she said.") == []


def test_she_said_after_two_people_of_one_family_is_skipped() -> None:
    body = f"Mara Lindqvist drove to the site. Her brother, Jon Lindqvist, said the road was shut. “{WORDS},” he said."
    assert _said(body) == []


def test_she_said_after_a_person_and_a_speaker_named_by_first_name_is_skipped() -> None:
    body = f"Jon Lindqvist ran the lodge for years. His wife, Mara, said he loved the town.\n\n“{WORDS},” she said."
    assert _said(body) == []


def test_she_said_after_a_man_is_spoken_of_is_skipped() -> None:
    body = f"Per Oduya said, shaking his head, that the road was gone. One mother took the ferry. “{WORDS},” she said."
    assert _said(body) == []


def test_she_said_with_nobody_named_just_before_is_skipped() -> None:
    body = (
        "Mara Lindqvist inspected the piers on Monday. The river rose overnight. Trucks were turned back. "
        f"The ferry ran late. “{WORDS},” she said."
    )
    assert _said(body) == []


def test_a_surname_gets_the_full_name_and_title_given_earlier() -> None:
    body = f"Mayor Ines Varga opened the hearing.\n\n“{WORDS},” Varga said."
    [quote] = _quotes(body)
    assert (quote.speaker, quote.title) == ("Ines Varga", "Mayor")


@pytest.mark.parametrize(
    ("body", "title", "speaker"),
    [
        (f'Prime Minister Ines Varga said: "{WORDS}."', "Prime Minister", "Ines Varga"),
        (f"“{WORDS},” said Sen. Per Oduya.", "Sen.", "Per Oduya"),
        (f"“{WORDS},” Dr. Mara Lindqvist said.", "Dr.", "Mara Lindqvist"),
        (f"“{WORDS},” President Per Oduya told reporters.", "President", "Per Oduya"),
        (f'Transport Secretary Ines Varga said: "{WORDS}."', "Transport Secretary", "Ines Varga"),
        (f"“{WORDS},” the Justice Department said.", "", "the Justice Department"),  # an organisation, no title
    ],
)
def test_a_title_is_split_from_the_name(body: str, title: str, speaker: str) -> None:
    [quote] = _quotes(body)
    assert (quote.title, quote.speaker) == (title, speaker)


def test_an_appositive_is_the_speakers_role() -> None:
    [quote] = _quotes(f"“{WORDS},” said Mara Lindqvist, the county's chief engineer.")
    assert (quote.speaker, quote.role) == ("Mara Lindqvist", "the county's chief engineer")


# ---- what is not a quote with a named speaker -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"“{WORDS},” a county spokesperson said.",
        f'Officials said: "{WORDS}."',
        f"“{WORDS},” Mara Lindqvist and Per Oduya said.",
        f"“{WORDS},” Lindqvist's lawyer said.",
        f'A letter to Mara Lindqvist said: "{WORDS}."',
        f'"{WORDS}." Lindqvist said the county would pay for it.',
        f"“{WORDS},” the Prime Minister said.",
        f'Oduya said Lindqvist told him that "{WORDS.lower()}," according to the minutes.',
    ],
    ids=[
        "unnamed",
        "a-group",
        "two-people",
        "a-possessive",
        "a-name-after-to",
        "a-new-sentence-after-the-quote",
        "a-title-alone",
        "reported-speech-of-another",
    ],
)
def test_a_quote_without_one_clearly_named_speaker_is_skipped(body: str) -> None:
    assert _said(body) == []


def test_a_place_in_a_list_of_appositives_is_never_the_speaker() -> None:
    body = f"Per Oduya, a Brannock, Ostland, engineer, said: “{WORDS}.”"
    assert "Ostland" not in [speaker for speaker, _ in _said(body)]


def test_scare_quotes_and_short_quotes_are_skipped() -> None:
    body = 'Lindqvist called the plan "a folly" on Tuesday. "Never again," Lindqvist said.'
    assert _said(body) == []


def test_a_quote_of_more_than_sixty_words_is_skipped() -> None:
    words = " ".join(["The river keeps rising and the bridge keeps sinking"] * 8)
    assert _said(f'"{words}," Lindqvist said.') == []


def test_a_quote_in_the_headline_is_skipped() -> None:
    headline = f"“{WORDS},” Mara Lindqvist says"
    body = f"{headline}\n\nThe county board met on Tuesday to vote on the bridge."
    assert _quotes(body, title=headline) == []


def test_a_quote_running_over_a_paragraph_break_is_skipped_with_its_continuation() -> None:
    body = f"Mara Lindqvist said: “{WORDS}.\n\n“{LATER}.”\n\n“The vote is on Friday at the town hall,” she said."
    assert _said(body) == [("Mara Lindqvist", "The vote is on Friday at the town hall")]


# ---- the verbatim check -----------------------------------------------------------------------------------------


def test_is_verbatim_fails_when_the_offsets_or_the_speaker_do_not_match_the_article() -> None:
    [quote] = _quotes(f"“{WORDS},” Mara Lindqvist said. The board adjourned. Trucks were turned back.")
    assert not is_verbatim(replace(quote, start=quote.start + 1))
    assert not is_verbatim(replace(quote, words=WORDS.upper()))
    assert not is_verbatim(replace(quote, speaker="Per Oduya"))


_FRAGMENTS = [
    f"“{WORDS},” Mara Lindqvist said.",
    f'Per Oduya said: "{LATER}."',
    f"“{LATER},” she said.",
    "The county board met on Tuesday.",
    '"Short one," he said.',
    "Ines Varga, the mayor, toured the site.",
    "“An unclosed quote runs on",
    "the plan was “a folly” and “worse than nothing at all for us”",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=8), st.lists(st.sampled_from([" ", "\n\n", " \n"]), max_size=8))
def test_every_quote_found_slices_back_to_its_words_and_passes_the_check(parts: list[str], gaps: list[str]) -> None:
    body = "".join(part + (gaps[i] if i < len(gaps) else " ") for i, part in enumerate(parts))
    for quote in find_quotes(_article(body)):
        assert body[quote.start : quote.end] == quote.words
        assert is_verbatim(quote)


# ---- choosing the quotes of a story -----------------------------------------------------------------------------


def test_best_quotes_give_each_speaker_one_quote_before_a_second_quote_of_anyone() -> None:
    body = (
        f"“{WORDS},” Mara Lindqvist said. “{LATER},” Lindqvist added.\n\n"
        "“The county has the money for the whole bridge this year,” Per Oduya said."
    )
    chosen = best_quotes([_article(body)], limit=3)
    assert [q.speaker for q in chosen] == ["Mara Lindqvist", "Per Oduya", "Mara Lindqvist"]
    assert [q.speaker for q in best_quotes([_article(body)], limit=2)] == ["Mara Lindqvist", "Per Oduya"]


def test_best_quotes_prefer_a_substantive_quote_to_a_short_one() -> None:
    body = f"“We will see about that,” Lindqvist said.\n\n“{WORDS},” Lindqvist said."
    assert [q.words for q in best_quotes([_article(body)], limit=1)] == [WORDS]


def test_words_repeated_by_several_outlets_count_once_and_rank_first() -> None:
    shared = f"“{LATER},” Ines Varga said."
    first = _article(f"“{WORDS} and summer,” Per Oduya said.\n\n{shared}", source="Valley Courier", day=24)
    second = _article(shared, source="Meridian Wire", day=25)
    chosen = best_quotes([first, second], limit=3)
    assert [q.words for q in chosen] == [LATER, f"{WORDS} and summer"]
    assert chosen[0].outlet == "Meridian Wire"  # the newest article's copy


def test_the_newest_article_wins_a_tie() -> None:
    older = _article(f"“{WORDS},” Per Oduya said.", source="Valley Courier", day=23)
    newer = _article(f"“{LATER},” Ines Varga said.", source="Meridian Wire", day=26)
    assert [q.speaker for q in best_quotes([older, newer])] == ["Ines Varga", "Per Oduya"]


def test_a_shorter_copy_of_a_quote_in_another_outlet_is_the_same_quote() -> None:
    full = _article(f"“{WORDS}, and {LATER.lower()},” Ines Varga said.", source="Valley Courier", day=24)
    cut = _article(f"“{WORDS},” Ines Varga said.", source="Meridian Wire", day=25)
    [quote] = best_quotes([full, cut])
    assert quote.outlet == "Valley Courier"  # the fullest version of the words
