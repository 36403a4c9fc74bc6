"""Follow-up questions made standalone, and the readable draft of a streamed reply."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing import Newsroom
from briefing.answer.conversation import DraftReader, Exchange, draft_text, needs_context, parse_standalone
from briefing.answer.flow import standalone_question
from briefing.index.store import ArticleStore
from briefing.providers import Embedder
from briefing.settings import Settings
from tests.fakes import FakeChat, answer_reply

EARLIER = [Exchange("What did the port authority offer the dockworkers?", "A 4.5 percent raise over two years. [1]")]


@pytest.mark.parametrize(
    "question",
    [
        "And what did the union say?",
        "What did they say about it?",
        "Why?",
        "When does it start?",
        "What about Russia?",
        "How did his party react?",
    ],
)
def test_questions_that_lean_on_the_conversation_are_recognised(question: str) -> None:
    assert needs_context(question)


@pytest.mark.parametrize(
    "question",
    [
        "What did the port authority offer the dockworkers?",
        "How many homes were evacuated in Hollins Bridge this week?",
        "Who chairs the Northgate City Council transport committee?",
        "",
    ],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    assert not needs_context(question)


def test_a_follow_up_is_rewritten_by_the_model_and_a_standalone_question_costs_nothing() -> None:
    llm = FakeChat(json.dumps({"question": "What did the dockworkers' union say about the offer?"}))
    assert standalone_question("And what did the union say?", EARLIER, llm) == (
        "What did the dockworkers' union say about the offer?"
    )
    prompt = llm.asked[0][1]["content"]
    assert EARLIER[0].question in prompt
    assert "And what did the union say?" in prompt
    assert standalone_question("How many homes were evacuated in Hollins Bridge?", EARLIER, llm) == (
        "How many homes were evacuated in Hollins Bridge?"
    )
    assert standalone_question("And what did the union say?", [], llm) == "And what did the union say?"
    assert len(llm.asked) == 1


@pytest.mark.parametrize(
    "reply",
    [
        "not json",
        "{}",
        json.dumps({"question": ""}),
        json.dumps({"question": "x " * 90}),
        json.dumps({"question": "What did the port authority offer the dockworkers?"}),  # asks something else
    ],
)
def test_an_unusable_rewrite_falls_back_to_the_previous_question_and_the_follow_up(reply: str) -> None:
    assert parse_standalone(reply, "And the union?", EARLIER) == f"{EARLIER[0].question} And the union?"


def test_the_draft_of_a_streamed_reply_reads_as_text_as_it_arrives() -> None:
    reply = json.dumps(
        {
            "answerable": True,
            "sentences": [
                {"text": 'He said "no" \u2014 twice.', "citations": [1]},
                {"text": "It rained.", "citations": [2]},
            ],
        }
    )
    reader = DraftReader()
    pieces = [reader.feed(reply[i : i + 3]) for i in range(0, len(reply), 3)]
    assert "".join(pieces) == 'He said "no" \u2014 twice. It rained.'
    assert draft_text('{"answerable": true, "sentences": [{"text": "Half a sent') == "Half a sent"
    assert draft_text('{"sentences": [{"text": "cut \\u20') == "cut "


@given(st.lists(st.text(max_size=40), max_size=4), st.integers(min_value=1, max_value=9))
def test_streamed_pieces_add_up_to_the_final_text(texts: list[str], size: int) -> None:
    reply = answer_reply(*texts)
    reader = DraftReader()
    streamed = "".join(reader.feed(reply[i : i + size]) for i in range(0, len(reply), size))
    assert streamed == draft_text(reply) == " ".join(t for t in texts if t)


def test_stream_answer_understands_a_follow_up_and_checks_the_draft(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    rewritten = "What pay rise is the Port Alder Dockworkers' Union seeking?"
    reply = answer_reply(
        "The union is seeking a 9 percent pay rise over two years.", "The union also wants a four-day week from 2031."
    )
    llm = FakeChat(json.dumps({"question": rewritten}), reply)
    compose = sample_settings.updated(answer={"mode": "compose"})  # the model writes, so there is a draft to stream
    stream = Newsroom(compose, embedder=embedder, store=sample_store, llm=llm).stream(
        "And what does the union want?", history=EARLIER
    )
    drafted = "".join(stream)
    assert drafted.startswith("The union is seeking a 9 percent pay rise")
    answer = stream.answer
    assert answer.question == "And what does the union want?"
    assert answer.asked_as == rewritten
    assert [s.text for s in answer.sentences] == ["The union is seeking a 9 percent pay rise over two years."]
    assert [u.text for u in answer.unsupported] == ["The union also wants a four-day week from 2031."]
    assert answer.citations
    assert "9 percent" in answer.citations[0].text
    assert rewritten in llm.asked[1][1]["content"]  # retrieval and the answer used the standalone question
