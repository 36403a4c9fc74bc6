"""Retrieval and answering on the sample corpus, with a fake chat model entered through the `llm=` seam."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from briefing import Newsroom
from briefing.answer.prompting import answer_messages
from briefing.answer.types import NOT_IN_ARTICLES
from briefing.errors import BriefingError
from briefing.index.store import ArticleStore, Filters
from briefing.providers import Embedder
from briefing.search.retrieval import approximate_tokens, retrieve
from briefing.settings import Settings
from briefing.templates import render_prompt
from tests.fakes import FakeChat, FakeRater, evidence_reply

NOTHING_PICKED = json.dumps({"answer": "", "evidence": []})


def test_answer_cites_the_retrieved_passages(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    reply = json.dumps({"answerable": True, "sentences": [{"text": "Dockworkers went on strike.", "citations": [2]}]})
    llm = FakeChat(reply)
    question = "Why did the dockworkers at the Port of Alder strike?"
    compose = sample_settings.updated(answer={"mode": "compose"})
    answer = Newsroom(compose, embedder=embedder, store=sample_store, llm=llm).ask(question)
    passages = retrieve(question, settings=sample_settings, embedder=embedder, store=sample_store)
    assert answer.text == "Dockworkers went on strike. [1]"
    (citation,) = answer.citations
    assert citation.article_id == passages[1].article_id
    assert citation.text in passages[1].text  # narrowed to the sentence(s) that support the answer
    assert passages[1].start <= citation.start < citation.end <= passages[1].end
    article = sample_store.catalog.indexed([citation.article_id])[citation.article_id]
    assert article.body[citation.start : citation.end] == citation.text
    assert citation.authors == list(article.authors)  # the byline travels with the citation
    prompt = llm.asked[0][-1]["content"]
    assert question in prompt
    assert f"[1] {passages[0].title}" in prompt


@pytest.mark.parametrize("question", ["xqzt vlorp snerk?", "What is the capital of France?"])
def test_unrelated_question_is_not_in_the_articles_without_calling_the_model(
    question: str, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    llm = FakeChat("{}")
    answer = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm).ask(question)
    assert answer.text == NOT_IN_ARTICLES
    assert llm.asked == []


@pytest.mark.parametrize(
    ("since", "until"),
    [(date(2026, 11, 25), None), (None, date(2026, 11, 24)), (date(2026, 11, 25), date(2026, 11, 25))],
)
def test_date_filters(
    since: date | None, until: date | None, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    filters = Filters(since=since, until=until)
    passages = retrieve(
        "strike flood rates breach council",
        filters=filters,
        settings=sample_settings,
        embedder=embedder,
        store=sample_store,
        k=20,
    )
    assert passages
    for p in passages:
        assert p.published is not None
        day = p.published.date() if isinstance(p.published, datetime) else p.published
        assert since is None or day >= since
        assert until is None or day <= until


def test_source_filter_and_per_article_cap(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    source = sample_store.catalog.sources()[0]
    passages = retrieve(
        "what happened",
        filters=Filters(sources=(source,)),
        settings=sample_settings,
        embedder=embedder,
        store=sample_store,
        k=10,
    )
    assert passages
    assert {p.source for p in passages} == {source}
    ids = [p.article_id for p in passages]
    assert max(ids.count(i) for i in ids) <= sample_settings.retrieval.per_article


def test_prompt_files_fail_loudly_on_missing_values() -> None:
    with pytest.raises(BriefingError, match="needs a value for"):
        render_prompt("answer_user", question="q")
    with pytest.raises(BriefingError, match="No prompt template"):
        render_prompt("no_such_prompt")


def test_messages_number_passages_and_carry_the_rules(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    passages = retrieve("flood evacuation", settings=sample_settings, embedder=embedder, store=sample_store)
    system, user = answer_messages("How many homes?", passages)
    assert system["role"] == "system"
    assert "[1] " in user["content"]
    assert f"passage numbers 1 to {len(passages)} only" in user["content"]


def test_multiple_choice_returns_the_letter_and_a_checked_justification(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    reply = {"choice": "B", "sentences": [{"text": "The Bank of Corvenia cut its rate to 3.75%.", "citations": [1, 2]}]}
    llm = FakeChat(json.dumps(reply))
    result = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm).ask_choice(
        "What did the Bank of Corvenia do to its policy rate?",
        ["Raised it to 4.5%", "Cut it to 3.75%", "Held it at 4.25%", "Cut it to 4.0%"],
    )
    assert result.choice == 1
    assert result.answer.citations
    assert all("3.75" in c.text or "3.75" in c.title for c in result.answer.citations)
    assert "B) Cut it to 3.75%" in llm.asked[0][-1]["content"]


@pytest.mark.parametrize(
    "reply", ['{"choice": "none", "sentences": []}', "not json", '{"choice": "Q", "sentences": []}']
)
def test_multiple_choice_without_a_valid_letter_is_none(
    reply: str, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    result = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=FakeChat(reply)).ask_choice(
        "What did the Bank of Corvenia do?", ["A thing", "Another"]
    )
    assert result.choice is None
    assert result.answer.not_in_articles


def test_a_configured_llm_judge_rechecks_the_answer(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    settings = sample_settings.updated(answer={"mode": "compose"}, verify={"judge": "llm"})
    reply = json.dumps({"answerable": True, "sentences": [{"text": "Dockworkers went on strike.", "citations": [2]}]})
    llm = FakeChat(reply, json.dumps({"reason": "the passage says nothing of it", "verdict": "unsupported"}))
    question = "Why did the dockworkers at the Port of Alder strike?"
    answer = Newsroom(settings, embedder=embedder, store=sample_store, llm=llm).ask(question)
    assert answer.not_in_articles
    assert answer.unsupported[-1].reason == "self-judging llm:fake: the passage says nothing of it"
    assert len(llm.asked) == 2  # the answer, then one verdict for its one sentence


def test_evidence_first_shows_the_picked_sentence_verbatim_with_its_exact_span(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    llm = FakeChat(evidence_reply("9 percent", 1))
    answer = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm).ask(
        "What pay rise does the dockworkers' union want?"
    )
    (sentence,) = answer.sentences
    (citation,) = answer.citations
    assert "9 percent" in sentence.text
    article = sample_store.catalog.indexed([citation.article_id])[citation.article_id]
    assert article.body[citation.start : citation.end] == citation.text
    assert " ".join(citation.text.split()) == sentence.text
    prompt = llm.asked[0][-1]["content"]
    assert prompt.count("\n[") <= sample_settings.answer.sentences  # only the best-ranked sentences are read
    assert "Article: " in prompt
    assert llm.schemas[0] is not None
    assert llm.schemas[0]["properties"]["evidence"]["items"]["enum"] == list(range(1, prompt.count("\n[") + 1))


def test_evidence_first_streams_the_picked_sentences_as_the_draft_before_the_checked_answer(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    llm = FakeChat(evidence_reply("9 percent", 1))
    room = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm)
    stream = room.stream("What pay rise does the dockworkers' union want?")
    (draft,) = list(stream)
    assert "9 percent" in draft
    assert draft == stream.answer.sentences[0].text  # the draft is the pick; the checked answer keeps it
    nothing = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=FakeChat(NOTHING_PICKED))
    assert list(nothing.stream("Which forensics firm did the port hire after the strike?")) == []


def test_evidence_first_abstains_when_nothing_is_picked(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    llm = FakeChat(NOTHING_PICKED)
    answer = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm).ask(
        "Which forensics firm did the port hire after the strike?"
    )
    assert answer.not_in_articles


def test_evidence_first_abstains_when_the_picked_sentences_article_never_names_the_questions_subject(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    llm = FakeChat(evidence_reply("9 percent"))
    answer = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm).ask(
        "What pay rise does the Kestrel Ferry Union want?"
    )
    assert answer.not_in_articles
    assert answer.unsupported
    assert answer.unsupported[0].reason == "its article never mentions Ferry, Kestrel"


@pytest.mark.parametrize(("sure", "shown"), [(0.9, True), (0.4, False)])
def test_evidence_first_shows_the_answer_only_when_a_second_look_is_sure_it_answers(
    sure: float, shown: bool, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    llm = FakeRater(evidence_reply("9 percent", 1), yes=sure)
    question = "What pay rise does the dockworkers' union want?"
    answer = Newsroom(sample_settings, embedder=embedder, store=sample_store, llm=llm).ask(question)
    (look,) = llm.rated
    assert question in look[-1]["content"]
    assert "9 percent" in look[-1]["content"]
    assert answer.not_in_articles is not shown
    if not shown:
        assert "9 percent" in answer.unsupported[0].text
        assert answer.unsupported[0].reason == "it does not say what was asked (a second look is 40% sure it does)"
    off = sample_settings.updated(answer={"second_look": 0})
    unlooked = Newsroom(
        off, embedder=embedder, store=sample_store, llm=FakeRater(evidence_reply("9 percent", 1), yes=0)
    )
    assert not unlooked.ask(question).not_in_articles


def test_retrieval_with_leads_adds_each_articles_lead_before_its_first_passage(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    question = "How many container ships were waiting at anchor?"
    plain = retrieve(question, settings=sample_settings, embedder=embedder, store=sample_store, k=6)
    led = retrieve(question, settings=sample_settings, embedder=embedder, store=sample_store, k=6, leads=True)
    assert [p.number for p in led] == list(range(1, len(led) + 1))
    assert {(p.article_id, p.start) for p in plain} <= {(p.article_id, p.start) for p in led}
    firsts: dict[str, int] = {}
    for p in led:
        firsts.setdefault(p.article_id, p.start)
    assert set(firsts.values()) == {0}  # every article found opens with its lead


def test_the_queries_in_also_join_the_fusion_so_each_choice_finds_its_evidence(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    question = "xqzt vlorp snerk?"
    plain = retrieve(question, settings=sample_settings, embedder=embedder, store=sample_store, k=3)
    sought = retrieve(
        question,
        settings=sample_settings,
        embedder=embedder,
        store=sample_store,
        k=3,
        also=[f"{question} pearl mussels in the River Orme"],
    )
    assert not any("mussel" in p.text.lower() for p in plain)
    assert any("mussel" in p.text.lower() for p in sought)


def test_an_articles_lead_counts_against_the_token_budget(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    question = "How many container ships were waiting at anchor?"
    led = retrieve(
        question, settings=sample_settings, embedder=embedder, store=sample_store, k=6, leads=True, tokens=300
    )
    assert len(led) > 1
    assert sum(approximate_tokens(p.text) for p in led) <= 300
