"""An answer must give what the question asks for: a name, a time or a number."""

from __future__ import annotations

import pytest

from briefing.answer.checking import finalise
from briefing.answer.question_kinds import counted, expected_kind, gives_expected_kind
from briefing.answer.types import DraftAnswer, DraftSentence
from briefing.search.passages import Passage


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who will Port Alder FC play in the semi-final?", "who"),
        ("When is the next rate decision due?", "when"),
        ("On what day did the cranes restart?", "when"),
        ("What date was the vote?", "when"),
        ("How many homes were evacuated?", "how many"),
        ("How much aid did the government release?", "how many"),
        ("Why did the dockworkers strike?", None),
    ],
)
def test_expected_kind(question: str, kind: str | None) -> None:
    assert expected_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "answer", "gives"),
    [
        ("Who will Port Alder FC play?", "Port Alder FC will play in the semi-finals.", False),
        ("Who will Port Alder FC play?", "Port Alder FC will play Carrow United.", True),
        ("Who led the survey?", "The survey counted 214 mussels on Tuesday.", False),
        ("When is the next decision due?", "The next decision is due on Thursday, Feb. 4.", True),
        ("When is the next decision due?", "The board will decide again.", False),
        ("How many homes were evacuated?", "About 2,100 homes were evacuated.", True),
        ("How many homes were evacuated?", "Many homes were evacuated.", False),
        ("How many ships were at anchor?", "Forty-one ships waited.", False),  # hyphenated words are one token
        ("Why did they strike?", "Anything at all.", True),
        ("How many people died in the strike?", "About 3,400 dockworkers walked off the job.", False),
        ("How many people died in the strike?", "Two people died in the crush at the gate.", True),
        ("How many homes were evacuated in the flood?", "The evacuation covered 2,100 homes.", True),
        ("How much will the city borrow for the line?", "It will issue 708 million corvens in bonds.", True),
    ],
)
def test_gives_expected_kind(question: str, answer: str, gives: bool) -> None:
    assert gives_expected_kind(question, answer) is gives


def test_a_true_sentence_that_does_not_answer_is_not_an_answer() -> None:
    text = "Port Alder FC won 3-1 and will play in the Corvenian Cup semi-finals."
    passage = Passage(number=1, article_id="a", title="Cup", source="s", text=text, start=0, end=len(text), score=1.0)
    draft = DraftAnswer(answerable=True, sentences=[DraftSentence(text=text, citations=[1])])
    answer = finalise("Who will Port Alder FC play in the Corvenian Cup semi-final?", draft, [passage])
    assert answer.not_in_articles
    assert "does not say who" in answer.unsupported[0].reason
    assert not finalise("Who will they play?", draft, [passage], check_kind=False).not_in_articles


def test_what_a_how_many_question_counts() -> None:
    assert counted("How many people died in the Port of Alder strike?") == {"died"}
    assert counted("How many container ships were waiting off Port Alder?") == {"container", "ships", "waiting"}
    assert counted("Who won?") == set()
