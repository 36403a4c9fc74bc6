"""Figures that disagree or are corrected, between articles of a story or within one sentence."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from briefing.briefs.disagreements import describe, find_conflicts, quantities
from briefing.briefs.key_points import Candidate
from briefing.ingest.articles import Article

CET = timezone(timedelta(hours=1))


def _sentence(text: str, source: str = "Valley Courier", day: int = 24, article: str | None = None) -> Candidate:
    body = f"Intro line of the article. {text}"
    published = datetime(2026, 11, day, 9, tzinfo=CET)
    item = Article(id=article or f"{source}-{day}", title="t", body=body, published=published, source=source)
    return Candidate(item, body.index(text), len(body), text, 1, 1.0)


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("About 1,200 homes were evacuated.", ["1,200 homes"]),
        ("The rate fell to 3.75% from 4.25%.", ["3.75%", "4.25%"]),
        ("It costs 1.18-billion-corven and more.", ["1.18-billion-corven"]),
        ("HOLLINS BRIDGE, Nov. 24 (Valley Courier) - Rain fell.", []),  # a dateline's day is not a figure
        ("Talks resume at 10 a.m. on Dec. 3 after a 7-4 vote.", []),  # times, days and votes are not figures
        ("The bridge opened in 1998 to traffic.", []),  # a year is not a figure
    ],
)
def test_quantities(sentence: str, figures: list[str]) -> None:
    assert [q.text for q in quantities(sentence)] == figures


def test_a_later_article_revising_a_figure_is_a_correction() -> None:
    first = _sentence("The flood forced the evacuation of about 1,200 homes in the valley town on Tuesday.")
    later = _sentence(
        "Officials said 2,100 homes had been evacuated in the valley town after revising their estimate.",
        source="Meridian Wire",
        day=25,
    )
    [conflict] = find_conflicts([later, first])
    assert conflict.kind == "correction"
    assert (conflict.earlier, conflict.later) == (first, later)
    text = describe(conflict)
    assert text.startswith("Meridian Wire now reports “")
    for part in ("2,100 homes", "1,200 homes", "(Valley Courier)"):
        assert part in text


def test_one_sentence_disputing_a_figure_is_a_disagreement() -> None:
    sentence = _sentence("The company maintained the total was 1.4 million accounts, not the 6.2 million claimed.")
    [conflict] = find_conflicts([sentence])
    assert conflict.kind == "disagreement"
    assert describe(conflict) == f"Valley Courier: “{sentence.text}”"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # different figures of different things: no revision or dispute is stated
        ("The union is demanding 9 percent over two years.", "Employers have offered 4.5 percent over two years."),
        ("Lumora has about 11 million registered users.", "The file holds 6.2 million unique records."),
        # the same figure in two articles
        ("About 1,200 homes were evacuated on Tuesday.", "Officials revised it: about 1,200 homes were evacuated."),
        # a development within one sentence is not a correction of the reporting
        ("By 6 p.m. 27 ships were waiting at anchor, up from 19 in the morning.", "Ships wait at anchor in the sound."),
    ],
)
def test_no_conflict(first: str, second: str) -> None:
    assert find_conflicts([_sentence(first), _sentence(second, source="Meridian Wire", day=25)]) == []


def test_quotes_are_verbatim_from_their_sentences() -> None:
    first = _sentence("The flood forced the evacuation of about 1,200 homes in the valley town on Tuesday.")
    later = _sentence("A correction: 2,100 homes were evacuated in the valley town, officials said.", day=25)
    [conflict] = find_conflicts([first, later])
    for quoted in describe(conflict).split("“")[1:]:
        fragment = quoted.split("”")[0]
        assert fragment in first.text or fragment in later.text
