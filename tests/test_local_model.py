"""Real generations with the local model (llama.cpp, Qwen2.5-Coder-1.5B) on the sample corpus. Slow: run serially."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from briefing import Newsroom
from briefing.answer.second_look import second_look
from briefing.answer.types import Answer, AnswerSentence
from briefing.cli import app
from briefing.grounding.citations import Citation
from briefing.index.store import ArticleStore
from briefing.providers import ChatModel, Embedder, Message, RatesYesNo
from briefing.settings import Settings

pytestmark = pytest.mark.llm


@pytest.fixture
def ask_samples(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore, local_llm: ChatModel
) -> Callable[[str], Answer]:
    """Ask the sample corpus with the real local model."""
    return lambda question: Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=local_llm).ask(
        question
    )


def test_answer_states_the_corrected_figure_with_exact_spans(
    ask_samples: Callable[[str], Answer], sample_store: ArticleStore
) -> None:
    answer = ask_samples("How many homes were evacuated in Hollins Bridge?")
    assert "2,100" in answer.text
    assert answer.citations
    assert any("2,100" in c.text for c in answer.citations)
    articles = sample_store.catalog.indexed(c.article_id for c in answer.citations)
    for citation in answer.citations:
        assert articles[citation.article_id].body[citation.start : citation.end] == citation.text
    assert all(1 <= n <= len(answer.citations) for s in answer.sentences for n in s.citations)


def test_question_the_articles_do_not_answer(ask_samples: Callable[[str], Answer]) -> None:
    answer = ask_samples("How many people died in the Port of Alder strike?")
    assert answer.not_in_articles, answer.text
    assert answer.citations == []


def test_the_local_model_rates_a_yes_no_reply(local_llm: ChatModel) -> None:
    assert isinstance(local_llm, RatesYesNo)
    assert local_llm.yes_probability([{"role": "user", "content": "Is Paris in France? Answer yes or no."}]) > 0.9
    assert local_llm.yes_probability([{"role": "user", "content": "Is Paris in Spain? Answer yes or no."}]) < 0.3


def test_the_second_look_doubts_a_sentence_about_the_match_that_does_not_name_the_referee(
    local_llm: ChatModel,
) -> None:
    report = "Luka Brenn scored twice as Port Alder FC beat Northgate Rovers 3-1 on Wednesday."
    span = Citation(
        article_id="a",
        title="Port Alder FC into Cup semi-finals",
        source="Gazette",
        text=report,
        start=0,
        end=81,
        number=1,
    )
    cited = Answer(question="", text=report, sentences=[AnswerSentence(text=report, citations=[1])], citations=[span])
    threshold = Settings().answer.second_look
    scorer = "Who scored Port Alder FC's goals against Northgate Rovers?"
    referee = "Who refereed Port Alder FC's match against Northgate Rovers?"
    assert not second_look(scorer, cited, local_llm, threshold).not_in_articles
    assert second_look(referee, cited, local_llm, threshold).not_in_articles


def test_cli_ask_json(sample_settings: Settings, sample_store: ArticleStore) -> None:
    result = CliRunner().invoke(
        app,
        ["--data-dir", str(sample_settings.store.path), "ask", "How did the council vote on Eastline?", "--json"],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert "7-4" in answer["text"]
    assert answer["citations"][0]["source"] in sample_store.catalog.sources()


def test_a_kept_prompt_start_changes_nothing_but_what_is_read(local_llm: ChatModel) -> None:
    from briefing.providers.llama_local import LlamaChat

    assert isinstance(local_llm, LlamaChat)
    instructions = "You answer with the city's name only. " * 12  # a start every prompt of this kind shares

    def asked(city_of: str) -> list[Message]:
        return [{"role": "system", "content": instructions}, {"role": "user", "content": f"Capital of {city_of}?"}]

    local_llm.starts.forget()
    local_llm.complete(asked("Italy"))
    local_llm.yes_probability([{"role": "user", "content": "Is Paris in France? Answer yes or no."}])
    local_llm.complete(asked("Spain"))  # shares the start with the first: it is kept
    local_llm.yes_probability([{"role": "user", "content": "Is Paris in France? Answer yes or no."}])
    read_before = local_llm.usage.read
    with_kept_start = local_llm.complete(asked("France"))
    read_with_kept_start = local_llm.usage.read - read_before
    local_llm.starts.forget()
    local_llm.yes_probability([{"role": "user", "content": "Is Paris in France? Answer yes or no."}])
    read_before = local_llm.usage.read
    read_whole = local_llm.complete(asked("France"))
    assert with_kept_start == read_whole == "Paris"
    assert read_with_kept_start < (local_llm.usage.read - read_before) / 3
    local_llm.complete(asked("Peru"))
    local_llm.complete(asked("Chile"))  # kept again: its context (about 28 kB a token), not 0.6 MB of scores a token
    assert 0 < local_llm.starts.held_bytes() < 20_000_000


def test_constrained_writing_gives_llama_cpp_pythons_reply_faster(local_llm: ChatModel) -> None:
    from briefing.providers.llama_local import SAMPLING, LlamaChat

    assert isinstance(local_llm, LlamaChat)
    messages: list[Message] = [{"role": "user", "content": "Name a colour and a number. Reply with JSON."}]
    schema = {  # choices the model would not make unprompted: the grammar has to refuse its first pick
        "type": "object",
        "properties": {"colour": {"enum": ["teal", "mauve"]}, "number": {"type": "integer", "enum": [17, 23]}},
        "required": ["colour", "number"],
    }
    reply = local_llm.complete(messages, schema)
    assert json.loads(reply)["colour"] in ("teal", "mauve")
    assert "".join(local_llm.stream(messages, schema)) == reply
    local_llm.starts.forget()
    response_format: Any = {"type": "json_object", "schema": schema}
    theirs = local_llm._llama.create_chat_completion(
        messages=cast(Any, messages), response_format=response_format, max_tokens=64, **SAMPLING
    )
    assert cast(dict[str, Any], theirs)["choices"][0]["message"]["content"] == reply
