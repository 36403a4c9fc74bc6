"""The evals page: the latest grounding eval report, its thresholds and its per-question rows."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from briefing.evals.report import (
    CHECKER_KIND_HEADER,
    QUESTION_HEADER,
    SUMMARY_HEADER,
    WORST_HEADER,
    bundled_thresholds,
    check_thresholds,
    checker_kind_rows,
    checker_line,
    load_run,
    question_rows,
    summary_table,
    worst_rows,
)
from briefing.evals.run import EvalRun

from briefing import BriefingError

from .text import escape_markdown

ROW_PIXELS = 35  # a dataframe row, to show every aggregate without scrolling
DEFAULT_FOLDER = "eval-results"  # where `briefing eval` writes by default
HEADLINE = {
    "answer_match": "Answer matches the reference",
    "evidence_recall": "Answers citing the gold evidence",
    "evidence_precision": "Citations on the gold evidence",
    "unsupported_rate": "Sentences the verifier rejected",
}


def bundled_baseline() -> Path:
    """The gate run shipped with the package (evals/baselines/sample.json)."""
    from importlib import resources

    return Path(str(resources.files("briefing.evals").joinpath("baselines", "sample.json")))


def render(folder: str | None = None) -> None:
    """The page; `folder` replaces the results folder asked for."""
    st.title("Grounding evals")
    chosen = folder or st.text_input(
        "Results folder (written by `briefing eval --out`)", value=DEFAULT_FOLDER, key="evals-folder"
    )
    results = Path(chosen).expanduser() / "results.json"
    if results.is_file():
        source = f"`{escape_markdown(str(results))}`"
    else:
        st.info(
            f"No results.json in {escape_markdown(str(chosen))} yet: run `briefing eval`. "
            "Shown below: the baseline run shipped with briefing (the CI gate)."
        )
        results, source = bundled_baseline(), "the bundled baseline"
    try:
        run = load_run(results)
        checks = check_thresholds(run, bundled_thresholds())
    except BriefingError as error:
        st.error(escape_markdown(str(error)))
        return
    show_run(run, checks_failed=[c for c in checks if not c.passed], source=source)
    st.subheader("Aggregates, with 95% intervals and the CI thresholds")
    summary = summary_table(run, None, checks)
    st.dataframe(
        [dict(zip(SUMMARY_HEADER, row, strict=True)) for row in summary],
        hide_index=True,
        use_container_width=True,
        height=ROW_PIXELS * (len(summary) + 1) + 3,
    )
    if run.checker is not None:
        show_checker(run)
    st.subheader(f"Questions ({len(run.rows)})")
    st.dataframe(
        [dict(zip(QUESTION_HEADER, row, strict=True)) for row in question_rows(run)],
        hide_index=True,
        use_container_width=True,
    )


def show_run(run: EvalRun, checks_failed: list[object], source: str) -> None:
    """Which run this is, the headline numbers, and whether it met the thresholds."""
    st.caption(
        f"From {source}: dataset {escape_markdown(run.dataset)}, model {escape_markdown(run.model)}, "
        f"judge {escape_markdown(run.judge)}, started {escape_markdown(run.started[:16])}, {len(run.rows)} questions "
        f"in {run.seconds / 60:.0f} min."
    )
    shown = [(label, run.aggregate.get(name)) for name, label in HEADLINE.items() if run.aggregate.get(name)]
    for column, (label, estimate) in zip(st.columns(max(len(shown), 1)), shown, strict=False):
        if estimate is not None:
            column.metric(
                label,
                f"{estimate.value:.2f}",
                help=f"95% interval {estimate.low:.2f}–{estimate.high:.2f}, n={estimate.n}",
            )
    if checks_failed:
        st.error("Missed thresholds: " + "; ".join(escape_markdown(str(c)) for c in checks_failed))
    else:
        st.success("Every CI threshold is met.", icon=":material/check_circle:")


def show_checker(run: EvalRun) -> None:
    """The verifier against hand labels: its scores on the test half, its confusion by kind of sentence, and its
    worst mistakes (false sentences it lets through first)."""
    st.subheader("The verifier on hand-labelled sentences")
    st.markdown(escape_markdown(checker_line(run)))
    st.dataframe(
        [dict(zip(CHECKER_KIND_HEADER, row, strict=True)) for row in checker_kind_rows(run)],
        hide_index=True,
        use_container_width=True,
    )
    st.markdown("**Worst mistakes** (false sentences let through first)")
    st.dataframe(
        [dict(zip(WORST_HEADER, row, strict=True)) for row in worst_rows(run)],
        hide_index=True,
        use_container_width=True,
    )
