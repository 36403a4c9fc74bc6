"""Model seams: the offline embedder, configuration errors, and the OpenAI-compatible path against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from briefing import Newsroom
from briefing.errors import ConfigError, ModelUnavailableError
from briefing.index.store import ArticleStore
from briefing.providers import Embedder, Message, RatesYesNo, make_chat_model
from briefing.providers.model_files import DEFAULT_MODEL_BYTES, default_model_path
from briefing.settings import LLMSettings, Settings
from tests.conftest import free_port, serving_the_local_model


def test_embedder_vectors_are_unit_length_and_meaningful(embedder: Embedder) -> None:
    texts = [
        "The central bank cut interest rates by a quarter point.",
        "Policymakers lowered borrowing costs by 25 basis points.",
        "The striker scored twice in the second half.",
        "word " * 600,  # longer than the model's 256 tokens: truncated, not an error
    ]
    vectors = embedder.embed(texts)
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    # Batching and ordering do not change the result.
    assert np.allclose(embedder.embed(texts[::-1])[::-1], vectors, atol=1e-5)


def test_openai_without_key_or_server_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings = Settings(llm=LLMSettings(provider="openai"))
    with pytest.raises(ConfigError, match="set OPENAI_API_KEY"):
        make_chat_model(settings)


def test_unreachable_server_is_a_clear_error() -> None:
    settings = Settings(llm=LLMSettings(provider="openai", base_url=f"http://127.0.0.1:{free_port()}/v1", timeout_s=5))
    model = make_chat_model(settings)
    with pytest.raises(ModelUnavailableError, match=r"Cannot reach http://127\.0\.0\.1"):
        model.complete([{"role": "user", "content": "hello"}])


def test_default_model_file_is_assembled_and_verified() -> None:
    path = default_model_path()
    assert path.stat().st_size == DEFAULT_MODEL_BYTES
    assert default_model_path() == path  # verified once, then reused


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    """The local model behind a real OpenAI-compatible server, shared by this module's tests."""
    with serving_the_local_model() as base_url:
        yield base_url


def server_settings(base_url: str, sample_settings: Settings) -> Settings:
    return Settings(
        store=sample_settings.store,
        llm=LLMSettings(provider="openai", base_url=base_url, model="local", json_schema_format="json_object"),
    )


@pytest.mark.server
@pytest.mark.llm
def test_openai_compatible_server_answers_with_citations(
    llama_server: str, sample_settings: Settings, embedder: Embedder, sample_store: object
) -> None:

    settings = server_settings(llama_server, sample_settings)
    llm = make_chat_model(settings)
    answer = Newsroom(settings, embedder=embedder, store=sample_store, llm=llm).ask(SERVER_QUESTION)  # type: ignore[arg-type]
    assert not answer.not_in_articles, answer
    assert answer.citations
    assert SERVER_EXPECTED in answer.text
    streamed = "".join(llm.stream([{"role": "user", "content": "Reply with the single word: ready"}]))
    assert "ready" in streamed.lower()


@pytest.mark.server
@pytest.mark.llm
def test_a_compatible_server_rates_a_yes_no_reply(llama_server: str, sample_settings: Settings) -> None:
    """From the first token's log-probabilities, or from the one-word reply when the server gives none."""
    llm = make_chat_model(server_settings(llama_server, sample_settings))
    assert isinstance(llm, RatesYesNo)
    assert llm.yes_probability(yes_no("Is Paris in France?")) > 0.5
    assert llm.yes_probability(yes_no("Is Paris in Spain?")) < 0.5


@pytest.mark.server
@pytest.mark.llm
def test_a_server_that_refuses_log_probabilities_is_read_from_its_reply(sample_settings: Settings) -> None:
    with serving_the_local_model("--logits_all", "false") as base_url:
        llm = make_chat_model(server_settings(base_url, sample_settings))
        assert isinstance(llm, RatesYesNo)
        assert llm.yes_probability(yes_no("Is Paris in France?")) == 1.0
        assert llm.yes_probability(yes_no("Is Paris in Spain?")) == 0.0


def yes_no(question: str) -> list[Message]:
    return [{"role": "user", "content": f"{question} Answer yes or no."}]


SERVER_QUESTION = "How many homes were evacuated in Hollins Bridge?"
SERVER_EXPECTED = "2,100"


@pytest.mark.server
@pytest.mark.llm
def test_the_eval_runs_against_a_compatible_server_with_an_llm_judge(
    llama_server: str, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    from briefing.grounding.judges import LLMJudge
    from evals.datasets import bundled, load_questions
    from evals.run import run_questions

    settings = server_settings(llama_server, sample_settings)
    llm = make_chat_model(settings)
    question = next(q for q in load_questions(bundled("sample_gold.jsonl")) if SERVER_EXPECTED in q.short_answers)
    run = run_questions(
        [question],
        dataset="sample",
        room=Newsroom(settings, embedder=embedder, store=sample_store, llm=llm),
        judge=LLMJudge(llm),
    )
    (row,) = run.rows
    assert run.model == "local"
    assert run.judge == "llm:local"
    assert (row.prompt_tokens or 0) > 100  # counted by the server
    assert (row.completion_tokens or 0) > 0
    assert row.sentences, row.answer
    assert run.aggregate["citation_recall"] is not None
