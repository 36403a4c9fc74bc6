"""The eval suite's logic: metrics, dataset files, the runner (with a fake model through `llm=`), reports and
thresholds. The real gate (the gold set with the local model) runs as `briefing eval --check` in `make test`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from briefing import Citation, Newsroom
from briefing.errors import InputError
from briefing.grounding.judges import EvidenceJudge
from briefing.index.store import ArticleStore
from briefing.providers import Embedder
from briefing.settings import Settings
from evals.datasets import (
    EvalQuestion,
    asked_free_form,
    bundled,
    load_pairs,
    load_questions,
    load_realtimeqa,
    sample,
)
from evals.evidence import EvidenceSpan, locate_evidence, on_evidence
from evals.metrics import (
    bootstrap_mean,
    citation_scores,
    judge_agreement,
    matches,
    mean_of,
    normalise_answer,
    recall_at_k,
    reciprocal_rank,
    sign_test,
    token_f1,
    wilson,
)
from evals.report import check_thresholds, differences, html_report, markdown_report
from evals.run import EvalRun, aggregate, run_checker, run_questions
from tests.fakes import FakeChat

STRIKE = "About 3,400 dockworkers walked out at Port Alder on Tuesday."
TALKS = "Talks with the mediator were called for Wednesday at 10 a.m."


def test_alce_citation_recall_and_precision() -> None:
    judge = EvidenceJudge()
    scores = citation_scores(
        [
            ("About 3,400 dockworkers walked out at Port Alder.", [STRIKE, TALKS]),  # TALKS is irrelevant
            ("Talks were called for Wednesday at 10 a.m.", [TALKS]),
            ("The strike ended on Friday.", [STRIKE]),  # unsupported: its citation is imprecise too
        ],
        judge,
    )
    assert (scores.sentences, scores.supported, scores.citations, scores.precise) == (3, 2, 4, 2)
    assert scores.verdicts == (True, True, False)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.precision == pytest.approx(2 / 4)


def test_a_citation_needed_with_another_is_precise() -> None:
    sentence = "The dockworkers walked out at Port Alder on Tuesday, and talks were called for Wednesday at 10 a.m."
    scores = citation_scores([(sentence, [STRIKE, TALKS])], EvidenceJudge())
    assert (scores.supported, scores.precise) == (1, 2)


@pytest.mark.parametrize(
    ("answer", "short", "expected"),
    [
        ("Officials revised it to 2,100 homes. [1]", ["2100"], True),
        ("The rate is now 3.75%. [2]", ["3.75%"], True),
        ("The rate is now 3.755%.", ["3.75%"], False),
        ("Viktor Sand dissented.", ["Sand"], True),
        ("Sandra spoke.", ["Sand"], False),
        ("Anything.", [], False),
    ],
)
def test_normalised_match(answer: str, short: list[str], expected: bool) -> None:
    assert matches(answer, short) is expected


def test_normalisation_and_token_f1() -> None:
    assert normalise_answer("The vote was 7-4. [3]") == "vote was 7 4"
    assert token_f1("the vote was 7-4", "The council approved it 7-4") == pytest.approx(4 / 9)  # P 2/4, R 2/5
    assert token_f1("", "") == 1.0
    assert token_f1("nothing shared", "other words") == 0.0


def test_retrieval_metrics() -> None:
    ranked = ["a", "b", "c", "d"]
    assert recall_at_k(ranked, ["c", "x"], 3) == 0.5
    assert recall_at_k(ranked, [], 3) is None
    assert reciprocal_rank(ranked, ["c"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, ["x"]) == 0.0


def test_the_sign_test_gives_the_chance_of_a_split_this_uneven() -> None:
    assert sign_test(0, 0) == 1.0
    assert sign_test(3, 3) == 1.0
    assert sign_test(5, 0) == pytest.approx(2 / 32)  # five of five one way: 2 * (1/2)^5
    assert sign_test(0, 5) == sign_test(5, 0)
    assert sign_test(26, 18) == pytest.approx(0.2912, abs=1e-4)  # binomial(44, 1/2), two-sided


def test_intervals_hold_the_value_and_are_reproducible() -> None:
    rate = wilson(8, 10)
    assert rate is not None
    assert rate.low < 0.8 < rate.high <= 1.0
    assert wilson(0, 0) is None
    values = [0.2, 0.5, 0.9, 0.4, 0.7]
    first, second = bootstrap_mean(values, seed=1), bootstrap_mean(values, seed=1)
    assert first == second
    assert first is not None
    assert first.low <= first.value <= first.high
    assert mean_of([1.0, 0.0, None, 1.0]) == wilson(2, 3)


def test_judge_agreement_counts_partial_as_not_supported() -> None:
    scores = judge_agreement(
        ["supported", "supported", "partial", "unsupported"], ["supported", "partial", "supported", "unsupported"]
    )
    assert scores.precision == 0.5
    assert scores.recall == 0.5
    assert scores.accuracy == 0.5
    assert scores.confusion["partial"] == {"supported": 1}


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


QUESTION = {
    "id": "q1",
    "question": "How many dockworkers walked out?",
    "category": "numeric",
    "as_of": "2026-11-26",
    "reference": "About 3,400.",
    "short_answers": ["3,400"],
    "articles": ["a1"],
}


def test_dataset_errors_name_the_file_line_and_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(QUESTION) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.jsonl:2"):
        load_questions(broken)
    with pytest.raises(InputError, match=r"question q2.*category"):
        load_questions(_write(tmp_path / "bad.jsonl", [{**QUESTION, "id": "q2", "category": "guess"}]))
    with pytest.raises(InputError, match="repeats the ids q1"):
        load_questions(_write(tmp_path / "twice.jsonl", [QUESTION, QUESTION]))
    with pytest.raises(InputError, match="cannot be read"):
        load_questions(tmp_path / "missing.jsonl")
    pair = {"id": "c1", "sentence": "s", "passages": ["p"], "label": "supported", "kind": "exact", "split": "tune"}
    with pytest.raises(InputError, match=r"pairs.jsonl:2 \(pair c2\).*label"):
        load_pairs(_write(tmp_path / "pairs.jsonl", [pair, {**pair, "id": "c2", "label": "mostly"}]))


def test_realtimeqa_loader_reads_choices_and_dates(tmp_path: Path) -> None:
    record = {
        "question_id": "20250103_0",
        "question_date": "2025/01/01",
        "question_sentence": "Which city hosted it?",
        "choices": ["Carrow", "Northgate", "Port Alder", "Hollins Bridge"],
        "answer": ["2"],
        "evidence": "",
    }
    with gzip.open(tmp_path / "20250103_qa.jsonl.gz", "wt") as file:
        file.write(json.dumps(record) + "\n")
    (question,) = load_realtimeqa(tmp_path, ["20250103"])
    assert question.as_of.isoformat() == "2025-01-01"
    assert question.answer_index == 2
    assert question.reference == "Port Alder"
    assert question.category == "choice"
    port, carrow = asked_free_form(
        [question, question.model_copy(update={"reference": "Carrow"})],
        ["The summit was held in Port Alder, the organisers said.", "Northgate and Carrowby sent delegates."],
    )
    assert (port.choices, port.answer_index, port.answerable, port.category) == ([], None, True, "choice")
    assert (carrow.answerable, carrow.category) == (False, "unanswerable")  # "Carrowby" is not "Carrow"


def test_sample_is_fixed_by_seed_and_keeps_every_category() -> None:
    questions = [
        EvalQuestion.model_validate({**QUESTION, "id": f"q{i}", "category": "numeric" if i % 5 else "unanswerable"})
        for i in range(50)
    ]
    first = sample(questions, 10, seed=3)
    assert [q.id for q in first] == [q.id for q in sample(questions, 10, seed=3)]
    assert {q.category for q in first} == {"numeric", "unanswerable"}
    assert len(first) == 10
    more = sample(questions, 10, seed=3, unanswerable=6)
    assert sum(q.category == "unanswerable" for q in more) == 6
    assert {q.id for q in first} <= {q.id for q in more}  # the same questions, and more unanswerable ones


def test_bundled_datasets_are_valid_and_cover_what_the_issue_asks() -> None:
    questions = load_questions(bundled("sample_gold.jsonl"))
    counts = {c: sum(q.category == c for q in questions) for c in {q.category for q in questions}}
    assert len(questions) >= 80
    assert counts["unanswerable"] >= 15
    assert {"single", "multi", "time", "quote", "numeric"} <= set(counts)
    assert all(q.short_answers and q.articles for q in questions if q.answerable)
    pairs = load_pairs(bundled("checker_pairs.jsonl"))
    assert {"supported", "unsupported", "partial"} == {p.label for p in pairs}


def test_gold_articles_and_quotes_exist_in_the_sample_corpus(sample_store: ArticleStore) -> None:
    questions = load_questions(bundled("sample_gold.jsonl"))
    stored = sample_store.catalog.indexed(a for q in questions for a in q.articles)
    for question in questions:
        for quote in question.evidence:
            article = stored[quote.article]
            assert quote.quote in article.body or quote.quote in article.title, (question.id, quote.quote)


def test_runner_scores_answers_abstentions_and_retrieval(
    sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    questions = load_questions(bundled("sample_gold.jsonl"))
    flood = next(q for q in questions if q.answerable and any("2,100" in s for s in q.short_answers))
    missing = next(q for q in questions if not q.answerable)
    quote = next(e for e in flood.evidence if "2,100" in e.quote)
    reply = json.dumps({"answerable": True, "sentences": [{"text": quote.quote, "citations": [1, 2, 3]}]})
    stored = sample_store.catalog.indexed(e.article for e in flood.evidence)
    compose = sample_settings.updated(answer={"mode": "compose"})
    run = run_questions(
        [flood, missing],
        dataset="sample",
        room=Newsroom(compose, embedder=embedder, store=sample_store, llm=FakeChat(reply)),
        judge=EvidenceJudge(),
        evidence=locate_evidence([flood, missing], stored),
    )
    answered, declined = run.rows
    assert answered.citations
    assert answered.sentences[0].supported
    assert answered.correct is True
    assert answered.citation_recall == 1.0
    assert answered.evidence_cited is True  # it cites the gold quote itself
    assert answered.on_evidence >= 1
    assert answered.recall_at["10"] is not None
    assert answered.mrr is not None
    assert declined.answerable is False
    assert declined.evidence_cited is None
    assert run.aggregate["verifier_agreement"] is not None  # the verifier judging itself is not citation recall
    assert "citation_recall" not in run.aggregate
    assert run.aggregate["evidence_recall"] is not None
    assert run.aggregate["evidence_recall"].value == 1.0
    assert run.aggregate["abstention_recall"] is not None
    assert run.judge == "evidence"
    assert run.model == "fake"


def test_reports_thresholds_and_baseline(
    tmp_path: Path, sample_settings: Settings, embedder: Embedder, sample_store: ArticleStore
) -> None:
    questions = [q for q in load_questions(bundled("sample_gold.jsonl")) if q.answerable][:2]
    reply = json.dumps(
        {"answerable": True, "sentences": [{"text": "The moon is <b>cheese</b> | 7.", "citations": [1]}]}
    )
    compose = sample_settings.updated(answer={"mode": "compose"})
    run = run_questions(
        questions,
        dataset="sample",
        room=Newsroom(compose, embedder=embedder, store=sample_store, llm=FakeChat(reply)),
        judge=EvidenceJudge(),
    )
    assert all(r.answer.startswith("The answer is not in the articles") for r in run.rows)
    assert run.aggregate["unsupported_rate"] is not None
    assert run.aggregate["unsupported_rate"].value == 1.0
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[sample]\nunsupported_rate = { max = 0.2 }\nanswer_match = { min = 0.0 }\n")
    checks = {c.metric: c.passed for c in check_thresholds(run, thresholds)}
    assert checks == {"unsupported_rate": False, "answer_match": True}
    better = run.model_copy(update={"aggregate": aggregate([])})
    assert differences(run, better)["unsupported_rate"] is None
    html = html_report(run, None, [])
    assert "<b>cheese</b>" not in html
    assert "&lt;b&gt;cheese&lt;/b&gt;" in html
    assert "\\|" in markdown_report(run, run, [])


def test_briefing_scores_count_rejected_points_and_judge_shown_sentences() -> None:
    from datetime import date, datetime

    from briefing.briefs.page import Briefing, BriefingStats, CitedSentence, StoryBrief
    from briefing.grounding.citations import Citation
    from evals.run import briefing_aggregate, score_briefing

    span = "The council approved the plan 7-4 on Wednesday night."
    cited = Citation(number=1, article_id="a", title="t", source="s", text=span, start=0, end=len(span))
    story = StoryBrief(
        story_id="a",
        headline="Plan approved",
        outlets=["s"],
        article_ids=["a"],
        points=[
            CitedSentence(text="The council approved the plan 7-4 on Wednesday night.", citations=[1]),
            CitedSentence(text="The council rejected the plan 9-2.", citations=[1]),
        ],
    )
    day = date(2026, 11, 25)
    stats = BriefingStats(stories_shown=1, sentences_checked=5, sentences_passed=4)
    made = Briefing(
        title="b",
        since=day,
        until=day,
        timezone="UTC",
        generated_at=datetime(2026, 11, 26),
        stories=[story],
        citations=[cited],
        stats=stats,
    )
    row = score_briefing(made, EvidenceJudge())
    assert [s.supported for s in row.shown] == [True, False]
    metrics = briefing_aggregate([row])
    assert metrics["briefing_unsupported_rate"] is not None
    assert metrics["briefing_unsupported_rate"].value == pytest.approx(0.2)
    assert metrics["briefing_citation_recall"] is not None
    assert metrics["briefing_citation_recall"].value == pytest.approx(0.5)
    assert briefing_aggregate([]) == {}


def test_checker_is_measured_on_the_test_half_with_its_confusion_by_kind() -> None:
    pairs = load_pairs(bundled("checker_pairs.jsonl"))[:40]
    tested = [p for p in pairs if p.split == "test"]
    result = run_checker(pairs, EvidenceJudge())
    assert result.pairs == len(tested)
    assert result.tuning["pairs"] == len(pairs) - len(tested)
    assert set(result.kinds) == {p.kind for p in tested}
    assert sum(k.pairs for k in result.kinds.values()) == len(tested)
    assert len(result.mistakes) == round(len(tested) * (1 - result.accuracy))
    shown_but_false = [m.shown_but_false for m in result.mistakes]
    assert shown_but_false == sorted(shown_but_false, reverse=True)  # the worst first


@pytest.mark.llm
def test_briefing_eval_runs_the_gold_set_and_gates_on_thresholds(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    strict = tmp_path / "strict.toml"
    strict.write_text("[sample]\nanswer_match = { min = 1.01 }\n[checker]\nprecision = { min = 0.0 }\n")
    args = ["eval", "--sample", "3", "--seed", "1", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [*args, "--thresholds", str(strict), "--check"])
    assert result.exit_code == 1, result.output
    assert "FAIL answer_match" in result.output
    assert "ok   checker.precision" in result.output
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert len(saved["rows"]) >= 3
    assert saved["judge"] == "evidence+embedding"
    assert saved["rows"][0]["latency_s"] > 0
    assert saved["rows"][0]["prompt_tokens"] > 0
    assert (tmp_path / "out" / "report.html").read_text().startswith("<!doctype html>")
    [briefing] = saved["briefings"]  # the sample's Wednesday, briefed by the local model and scored
    assert briefing["written"] >= briefing["passed"] > 0
    assert briefing["shown"]
    assert saved["aggregate"]["briefing_unsupported_rate"]["n"] == briefing["written"]
    assert "## Briefing" in (tmp_path / "out" / "report.md").read_text()
    again_args = [*args, "--baseline", str(tmp_path / "out" / "results.json"), "--no-checker", "--no-briefing"]
    again = CliRunner().invoke(app, again_args)
    assert again.exit_code == 0, again.output
    assert "+0.000" in (tmp_path / "out" / "report.md").read_text()  # the same run again: no change


def test_eval_refuses_an_unknown_judge(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    result = CliRunner().invoke(app, ["eval", "--judge", "oracle", "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert "oracle" in result.output


def test_the_saved_baseline_meets_the_versioned_thresholds() -> None:
    from evals.report import bundled_thresholds, load_run

    baseline = load_run(Path("evals/baselines/sample.json"))
    checks = check_thresholds(baseline, bundled_thresholds())
    wanted = {"evidence_recall", "evidence_precision", "unsupported_rate", "abstention_recall", "checker.precision"}
    assert {c.metric for c in checks} >= wanted
    assert all(c.passed for c in checks), [str(c) for c in checks if not c.passed]


def test_an_evidence_quote_not_found_verbatim_is_an_error_naming_the_question(sample_store: ArticleStore) -> None:
    questions = load_questions(bundled("sample_gold.jsonl"))
    flood = next(q for q in questions if q.evidence)
    stored = sample_store.catalog.indexed(e.article for e in flood.evidence)
    located = locate_evidence([flood], stored)
    for span, evidence in zip(located[flood.id], flood.evidence, strict=False):
        assert stored[span.article_id].body[span.start : span.end] == evidence.quote
    altered = flood.model_copy(update={"evidence": [flood.evidence[0].model_copy(update={"quote": "Not in it."})]})
    with pytest.raises(InputError, match=rf"sample_gold.jsonl:\d+ \(question {flood.id}\).*not found verbatim"):
        locate_evidence([altered], stored)
    missing = flood.model_copy(update={"evidence": [flood.evidence[0].model_copy(update={"article": "nope"})]})
    with pytest.raises(InputError, match="not in the store"):
        locate_evidence([missing], stored)


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [(0, 10, False), (0, 11, True), (15, 18, True), (19, 30, True), (20, 30, False)],
)
def test_a_citation_is_on_the_evidence_when_they_share_a_character(start: int, end: int, overlaps: bool) -> None:
    evidence = [EvidenceSpan("a", 10, 20), EvidenceSpan("b", 0, 100)]
    span = Citation(article_id="a", title="t", source="s", text="x" * (end - start), start=start, end=end, number=1)
    assert on_evidence(span, evidence) is overlaps


def test_a_run_without_thresholds_has_not_passed() -> None:
    from evals.suite import EvalOutcome

    run = EvalRun(dataset="mine", model="m", embedder="e", judge="j", retrieval={}, started="now")
    assert not EvalOutcome(run, checks=[], files=[]).passed


@pytest.mark.parametrize(
    ("answer", "short", "found"),
    [("It rose 7.2% [1].", "7.2", True), ("a 7.2 per cent rise", "7.2%", True), ("it rose 17.2%", "7.2", False)],
)
def test_percentages_and_plain_numbers_compare(answer: str, short: str, found: bool) -> None:
    assert matches(answer, [short]) is found
