"""Judges of grounding: the offline evidence judge (with and without embeddings), the LLM judge's contract,
and the recheck of an answer by a second judge."""

from __future__ import annotations

import json

import pytest

from briefing.answer.checking import recheck
from briefing.answer.types import NOT_IN_ARTICLES, Answer, AnswerSentence
from briefing.grounding.citations import Citation
from briefing.grounding.judges import JUDGE_SCHEMA, EvidenceJudge, LLMJudge, parse_judgement
from briefing.providers import Embedder
from tests.fakes import FakeChat

PASSAGE = (
    "The Bank of Corvenia cut its main rate from 4.25% to 3.75% on Wednesday. "
    "Governor Mira Reinholt said the cut was needed because inflation had fallen faster than expected. "
    "Two members, including Viktor Sand, voted to cut by only a quarter point."
)


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The Bank of Corvenia cut its main rate to 3.75% on Wednesday.", "supported"),
        ("The Bank of Corvenia cut its main rate to 3.50% on Wednesday.", "partial"),  # wrong number
        ("Viktor Sand said the cut was needed because inflation had fallen faster.", "partial"),  # wrong speaker
        ("The Bank of Corvenia did not cut its main rate on Wednesday.", "partial"),  # negation
        ("Lumora's shares rose sharply after the breach.", "unsupported"),
    ],
)
def test_evidence_judge_verdicts(sentence: str, verdict: str) -> None:
    assert EvidenceJudge().judge(sentence, [PASSAGE]).verdict == verdict


def test_evidence_judge_reads_passages_together() -> None:
    first = "The strike began on Tuesday at Port Alder."
    second = "About 3,400 dockworkers walked out."
    sentence = "The strike at Port Alder began on Tuesday, with about 3,400 dockworkers walking out."
    assert EvidenceJudge().judge(sentence, [first, second]).supported
    assert not EvidenceJudge().judge(sentence, [first]).supported


def test_embedding_similarity_lets_a_close_paraphrase_pass(embedder: Embedder) -> None:
    passage = "Officials revised the number of evacuated homes to 2,100, up from the 1,200 first reported."
    sentence = "Authorities raised the count of homes emptied to 2,100."
    assert not EvidenceJudge().judge(sentence, [passage]).supported
    judged = EvidenceJudge(embedder).judge(sentence, [passage])
    assert judged.supported, judged.reason


def test_embedding_similarity_never_overrides_a_wrong_number(embedder: Embedder) -> None:
    passage = "Officials revised the number of evacuated homes to 2,100, up from the 1,200 first reported."
    judged = EvidenceJudge(embedder).judge("Authorities raised the count of homes emptied to 2,400.", [passage])
    assert not judged.supported
    assert "2400" in judged.reason


def test_llm_judge_asks_with_the_schema_and_reads_the_verdict() -> None:
    llm = FakeChat(json.dumps({"reason": "the rate matches", "verdict": "supported"}))
    judged = LLMJudge(llm).judge("The rate is 3.75%.", [PASSAGE])
    assert judged.supported
    assert judged.reason == "the rate matches"
    assert llm.schemas == [JUDGE_SCHEMA]
    prompt = llm.asked[0][-1]["content"]
    assert "[1] The Bank of Corvenia" in prompt
    assert "Sentence: The rate is 3.75%." in prompt


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ('{"reason": "x", "verdict": "partial"}', "partial"),
        ('{"reason": "x", "verdict": "Supported "}', "supported"),
        ('{"reason": "x", "verdict": "maybe"}', "unsupported"),
        ("not json", "unsupported"),
        ('{"reason": "x"}', "unsupported"),
    ],
)
def test_unreadable_judge_replies_count_as_unsupported(reply: str, verdict: str) -> None:
    assert parse_judgement(reply).verdict == verdict


def _citation(number: int, text: str) -> Citation:
    return Citation(number=number, article_id=f"a{number}", title="t", source="s", text=text, start=0, end=len(text))


def test_recheck_moves_rejected_sentences_out_and_renumbers() -> None:
    answer = Answer(
        question="q",
        text="One. [1] Two. [2]",
        sentences=[AnswerSentence(text="One.", citations=[1]), AnswerSentence(text="Two.", citations=[2])],
        citations=[_citation(1, "one"), _citation(2, "two")],
    )
    llm = FakeChat('{"reason": "no", "verdict": "unsupported"}', '{"reason": "yes", "verdict": "supported"}')
    checked = recheck(answer, LLMJudge(llm))
    assert checked.text == "Two. [1]"
    assert [c.text for c in checked.citations] == ["two"]
    assert checked.unsupported[0].text == "One."
    assert checked.unsupported[0].reason == "llm:fake: no"


def test_recheck_rejecting_everything_gives_the_not_in_articles_answer() -> None:
    answer = Answer(
        question="q",
        text="One. [1]",
        sentences=[AnswerSentence(text="One.", citations=[1])],
        citations=[_citation(1, "one")],
    )
    checked = recheck(answer, LLMJudge(FakeChat('{"reason": "no", "verdict": "partial"}')))
    assert checked.text == NOT_IN_ARTICLES
    assert len(checked.unsupported) == 1


QUOTES = (
    "Governor Mira Reinholt defended the decision at a press conference. "
    "Viktor Sand, one of the two dissenters, disagreed. "
    '"It was a mistake to cut so far," he said.'
)


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        ("Viktor Sand said it was a mistake to cut so far.", True),
        ('"It was a mistake to cut so far," said Sand.', True),
        ("Mira Reinholt said it was a mistake to cut so far.", False),
        ('"It was a mistake to cut so far," said Reinholt.', False),
    ],
)
def test_words_must_be_attributed_to_the_speaker_the_source_names(sentence: str, supported: bool) -> None:
    assert EvidenceJudge().judge(sentence, [QUOTES]).supported is supported


@pytest.mark.parametrize(
    ("sentence", "passage", "supported"),
    [
        ("Lumora said payment card data were involved.", "Lumora said no payment card data were involved.", False),
        ("Lumora said no payment card data were involved.", "Lumora said payment card data were involved.", False),
        ("The strike began on Tuesday.", "The strike began on Tuesday. Talks did not resume that day.", True),
    ],
)
def test_a_negation_counts_on_either_side_but_only_in_the_matching_sentence(
    sentence: str, passage: str, supported: bool
) -> None:
    assert EvidenceJudge().judge(sentence, [passage]).supported is supported


def test_a_citation_points_at_the_sentence_that_supports_it_not_just_the_headline() -> None:
    from briefing.grounding.verifier import Span, best_evidence

    body = "The corven fell 0.9% within minutes. The next rate decision is due on Thursday, Feb. 4."
    title = "Bank of Corvenia cuts; next decision due Feb. 4"
    evidence = best_evidence("The next rate decision is due on Feb. 4.", [Span("a", 0, len(body), body, title)])
    assert evidence is not None
    assert evidence.span.text == "The next rate decision is due on Thursday, Feb. 4."


def test_the_answering_model_judging_itself_is_labelled_so() -> None:
    from briefing.answer.checking import make_llm_judge
    from briefing.settings import Settings
    from evals.run import grader

    settings = Settings()
    own = make_llm_judge(settings, FakeChat("{}"))
    assert own.name == "self-judging llm:fake"
    assert grader(own) == "self"
    assert grader(EvidenceJudge()) == "verifier"
    other = settings.model_copy(update={"verify": settings.verify.model_copy(update={"judge_llm": settings.llm})})
    assert make_llm_judge(other, FakeChat("{}")).name.startswith("self-judging")  # the same model, set twice
    assert grader(LLMJudge(FakeChat("{}"))) == "independent"  # verify.judge_llm set to another model


STATEMENT = (
    "Viktor Sand, one of the two dissenters, spoke to the Post on Wednesday evening. "
    '"We are declaring victory too early. Core inflation is at 3.1%. Services prices are still rising." '
    "The phone test correctly identified 91 percent of patients, the researchers reported. "
    "Speaking to students on Friday, Tollak said her first priority would be student housing."
)


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        ("Viktor Sand said core inflation is at 3.1%.", True),  # a quotation runs on from where he is named
        ("Dr. Ayoub, who led the trial, said the phone test correctly identified 91 percent of patients.", False),
        ("The governing board said student housing would be the first priority.", False),  # Tollak said it
        ("Tollak said her first priority would be student housing.", True),
    ],
)
def test_speakers_are_checked_through_appositions_running_quotations_and_common_nouns(
    sentence: str, supported: bool
) -> None:
    assert EvidenceJudge().judge(sentence, [STATEMENT]).supported is supported
