"""The second look: the model's yes/no confidence that the shown sentences answer the question (pure parts)."""

from __future__ import annotations

from briefing.answer.second_look import look_messages, second_look
from briefing.answer.types import Answer, AnswerSentence
from briefing.grounding.citations import Citation
from tests.fakes import FakeChat, FakeRater

QUESTION = "Which company won the contract for the harbour wall?"
SENTENCE = "The council approved the harbour wall on Wednesday by a vote of 7-4."


def shown_answer() -> Answer:
    citation = Citation(
        article_id="a1", title="Harbour wall approved", source="Gazette", text=SENTENCE, start=0, end=67, number=1
    )
    return Answer(
        question=QUESTION,
        text=f"{SENTENCE} [1]",
        sentences=[AnswerSentence(text=SENTENCE, citations=[1])],
        citations=[citation],
    )


def test_the_look_asks_about_the_shown_sentences_after_worked_examples() -> None:
    messages = look_messages(QUESTION, shown_answer())
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert [messages[2]["content"], messages[4]["content"]] == ["no", "yes"]
    last = messages[-1]["content"]
    assert last.startswith("Article: Harbour wall approved\nText:\n- " + SENTENCE)
    assert f"Question: {QUESTION}" in last
    assert last.endswith("Answer yes or no.")


def test_an_answer_the_model_doubts_becomes_not_in_the_articles_with_the_reason() -> None:
    doubted = second_look(QUESTION, shown_answer(), FakeRater(yes=0.25), threshold=0.6)
    assert doubted.not_in_articles
    (kept,) = doubted.unsupported
    assert (kept.text, kept.reason) == (SENTENCE, "it does not say what was asked (a second look is 25% sure it does)")
    assert [c.article_id for c in kept.cited] == ["a1"]


def test_a_sure_look_an_unrating_model_or_a_zero_threshold_leave_the_answer() -> None:
    answer = shown_answer()
    assert second_look(QUESTION, answer, FakeRater(yes=0.6), threshold=0.6) == answer
    assert second_look(QUESTION, answer, FakeChat("no"), threshold=0.6) == answer
    rater = FakeRater(yes=0.0)
    assert second_look(QUESTION, answer, rater, threshold=0) == answer
    assert rater.rated == []
