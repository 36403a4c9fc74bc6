"""Reading an eval run: thresholds, the difference with a baseline, and the Markdown, HTML and JSON reports."""

from __future__ import annotations

import html
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from briefing import InputError

from .run import EstimateRow, EvalRun, QuestionRow

LOWER_IS_BETTER = {"unsupported_rate", "wrong_abstention_rate", "latency_s", "latency_p95_s"}


@dataclass(frozen=True)
class ThresholdCheck:
    """One threshold and whether the run met it."""

    metric: str
    bound: str  # "min" or "max"
    limit: float
    value: float | None

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.limit if self.bound == "min" else self.value <= self.limit

    def __str__(self) -> str:
        shown = "not measured" if self.value is None else f"{self.value:.3f}"
        sign = ">=" if self.bound == "min" else "<="
        return f"{'ok  ' if self.passed else 'FAIL'} {self.metric} = {shown} (needs {sign} {self.limit})"


def bundled_thresholds() -> Path:
    """The versioned thresholds file, `evals/thresholds.toml`."""
    return Path(str(resources.files("briefing.evals").joinpath("thresholds.toml")))


def check_thresholds(run: EvalRun, path: Path) -> list[ThresholdCheck]:
    """Every threshold the file sets for this run's dataset (a table named after it) and for the checker."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(path), f"is not a readable thresholds file ({exc})") from exc
    checks = []
    for metric, bounds in table.get(run.dataset, {}).items():
        estimate = run.aggregate.get(metric)
        for bound, limit in bounds.items():
            checks.append(ThresholdCheck(metric, bound, float(limit), estimate.value if estimate else None))
    for metric, bounds in table.get("checker", {}).items() if run.checker else []:
        value = getattr(run.checker, metric, None)
        for bound, limit in bounds.items():
            checks.append(ThresholdCheck(f"checker.{metric}", bound, float(limit), value))
    return checks


def load_run(path: Path) -> EvalRun:
    """A saved run (results JSON)."""
    try:
        return EvalRun.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"is not an eval results file ({exc})") from exc


def differences(run: EvalRun, baseline: EvalRun | None) -> dict[str, float | None]:
    """Each aggregate minus the baseline's (None when either side did not measure it)."""
    if baseline is None:
        return {}
    diff: dict[str, float | None] = {}
    for name, estimate in run.aggregate.items():
        before = baseline.aggregate.get(name)
        diff[name] = estimate.value - before.value if estimate and before else None
    return diff


def _value(run: EvalRun, name: str) -> str:
    estimate = run.aggregate.get(name)
    return "n/a" if estimate is None else f"{estimate.value:.3f}"


def _interval(run: EvalRun, name: str) -> str:
    estimate = run.aggregate.get(name)
    if estimate is None or estimate.low == estimate.high:
        return ""
    return f"[{estimate.low:.3f}, {estimate.high:.3f}]"


def _delta(name: str, diff: dict[str, float | None]) -> str:
    change = diff.get(name)
    if change is None:
        return ""
    better = change < 0 if name in LOWER_IS_BETTER else change > 0
    mark = "" if abs(change) < 0.0005 else (" ▲" if better else " ▼")
    return f"{change:+.3f}{mark}"


def summary_table(run: EvalRun, baseline: EvalRun | None, checks: list[ThresholdCheck]) -> list[list[str]]:
    """Rows of the aggregate table: metric, value, 95% interval, n, change against the baseline, threshold."""
    diff = differences(run, baseline)
    limits = {c.metric: c for c in checks}
    rows = []
    for name, estimate in run.aggregate.items():
        check = limits.get(name)
        rule = (
            ""
            if check is None
            else f"{'≥' if check.bound == 'min' else '≤'} {check.limit} {'ok' if check.passed else 'FAIL'}"
        )
        rows.append(
            [
                name,
                _value(run, name),
                _interval(run, name),
                str(estimate.n if estimate else 0),
                _delta(name, diff),
                rule,
            ]
        )
    return rows


def _answer_cell(row: QuestionRow) -> str:
    verdicts = " ".join("✓" if s.supported else "✗" for s in row.sentences)
    return f"{row.answer} {f'({verdicts})' if verdicts else ''}".strip()


def question_rows(run: EvalRun) -> list[list[str]]:
    rows = []
    for r in run.rows:
        correct = "" if r.correct is None else ("yes" if r.correct else "no")
        cites = "; ".join(f"[{c.number}] {c.source}: {c.text[:90]}" for c in r.citations)
        kept_back = "; ".join([*r.removed, *r.off_question])
        rows.append([r.id, r.category, r.question, _answer_cell(r), correct, cites, kept_back, f"{r.latency_s:.1f}"])
    return rows


SUMMARY_HEADER = ["metric", "value", "95% interval", "n", "vs baseline", "threshold"]
QUESTION_HEADER = ["id", "kind", "question", "answer (judge per sentence)", "correct", "citations", "removed", "s"]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _heading(run: EvalRun, baseline: EvalRun | None) -> list[str]:
    return [
        f"Dataset **{run.dataset}**, {len(run.rows)} questions, model `{run.model}`, embedder `{run.embedder}`, "
        f"judge `{run.judge}`; started {run.started}, {run.seconds:.0f} s.",
        f"Baseline: {baseline.started} ({baseline.model}, judge {baseline.judge})" if baseline else "No baseline.",
    ]


def checker_line(run: EvalRun) -> str:
    """The judge's scores on the labelled pairs, in a sentence."""
    c = run.checker
    if c is None:
        return ""

    def score(value: float | None, interval: EstimateRow | None = None) -> str:
        if value is None:
            return "n/a"
        return f"{value:.3f}" + (f" [{interval.low:.2f}, {interval.high:.2f}]" if interval else "")

    line = (
        f"Judge `{run.judge}` on the {c.split} half of the hand-labelled pairs ({c.pairs}; the checker is tuned on "
        f"the other half only), for the verdict 'supported' (partial counts as not): precision "
        f"{score(c.precision, c.precision_interval)}, recall {score(c.recall, c.recall_interval)}, accuracy "
        f"{c.accuracy:.3f}."
    )
    if c.natural:
        precision, recall = c.natural.get("precision"), c.natural.get("recall")
        line += (
            f" On the sentences the product wrote (kind natural): precision "
            f"{score(precision.value if precision else None, precision)}, recall "
            f"{score(recall.value if recall else None, recall)}."
        )
    if c.tuning:
        line += (
            f" Tuning half ({c.tuning.get('pairs', 0):.0f} pairs): precision {score(c.tuning.get('precision'))}, "
            f"recall {score(c.tuning.get('recall'))}."
        )
    return line


CHECKER_KIND_HEADER = ["kind", "pairs", "true, judged supported", "true, kept back", "false, let through", "caught"]
WORST_HEADER = ["pair", "kind", "label", "judge", "sentence", "cited (start)", "why the label", "why the judge"]
WORST_SHOWN = 12


def checker_kind_rows(run: EvalRun) -> list[list[str]]:
    """The judge's confusion on the labelled pairs, by kind of pair."""
    if run.checker is None:
        return []
    return [
        [kind, str(c.pairs), str(c.true_supported), str(c.missed), str(c.let_through), str(c.caught)]
        for kind, c in run.checker.kinds.items()
    ]


def worst_rows(run: EvalRun, count: int = WORST_SHOWN) -> list[list[str]]:
    """The judge's worst mistakes: false sentences it lets through first, then true ones it keeps back."""
    if run.checker is None:
        return []
    return [
        [
            m.id,
            m.kind,
            m.label,
            m.verdict,
            m.sentence,
            " | ".join(p[:160] for p in m.passages),
            m.label_reason,
            m.judge_reason,
        ]
        for m in run.checker.mistakes[:count]
    ]


BRIEFING_HEADER = ["period", "stories", "sentence on the page", "judge", "citations"]


def _briefing_rows(run: EvalRun) -> list[list[str]]:
    rows = []
    for b in run.briefings:
        for s in b.shown:
            rows.append([b.period, str(b.stories), s.text, "✓" if s.supported else "✗", str(s.citations)])
        rows += [[b.period, str(b.stories), f"(kept off the page) {u}", "", ""] for u in b.unsupported]
    return rows


def _briefing_line(run: EvalRun) -> str:
    return " ".join(
        f"{b.period}: {b.stories} stories; the model wrote {b.written} key points, {b.passed} passed the verifier "
        f"({b.extracted} verbatim sentences added); {b.seconds:.0f} s."
        for b in run.briefings
    )


def markdown_report(run: EvalRun, baseline: EvalRun | None, checks: list[ThresholdCheck]) -> str:
    """The report for people, in Markdown."""
    parts = [
        "# Grounding eval",
        "",
        *_heading(run, baseline),
        "",
        "## Aggregates",
        "",
        _md_table(SUMMARY_HEADER, summary_table(run, baseline, checks)),
    ]
    if run.checker:
        parts += [
            "",
            "## The judge on labelled pairs",
            "",
            checker_line(run),
            "",
            _md_table(CHECKER_KIND_HEADER, checker_kind_rows(run)),
            "",
            "Worst mistakes (false sentences let through first):",
            "",
            _md_table(WORST_HEADER, worst_rows(run)),
        ]
    if run.briefings:
        parts += ["", "## Briefing", "", _briefing_line(run), "", _md_table(BRIEFING_HEADER, _briefing_rows(run))]
    parts += ["", "## Questions", "", _md_table(QUESTION_HEADER, question_rows(run)), ""]
    return "\n".join(parts)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td:nth-child(2) { white-space: nowrap; }
"""


def html_report(run: EvalRun, baseline: EvalRun | None, checks: list[ThresholdCheck]) -> str:
    """The report for people, as one standalone HTML page (all text escaped)."""
    intro = "".join(
        f"<p>{html.escape(line.replace('**', '').replace('`', ''))}</p>" for line in _heading(run, baseline)
    )
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>Grounding eval: {html.escape(run.dataset)}</title>",
        f"<style>{_STYLE}</style><h1>Grounding eval</h1>",
        intro,
        "<h2>Aggregates</h2>",
        _html_table(SUMMARY_HEADER, summary_table(run, baseline, checks)),
    ]
    if run.checker:
        parts += [
            "<h2>The judge on labelled pairs</h2>",
            f"<p>{html.escape(checker_line(run))}</p>",
            _html_table(CHECKER_KIND_HEADER, checker_kind_rows(run)),
            "<h3>Worst mistakes (false sentences let through first)</h3>",
            _html_table(WORST_HEADER, worst_rows(run)),
        ]
    if run.briefings:
        parts += [
            "<h2>Briefing</h2>",
            f"<p>{html.escape(_briefing_line(run))}</p>",
            _html_table(BRIEFING_HEADER, _briefing_rows(run)),
        ]
    parts += ["<h2>Questions</h2>", _html_table(QUESTION_HEADER, question_rows(run))]
    return "\n".join(parts)


def write_reports(run: EvalRun, folder: Path, baseline: EvalRun | None, checks: list[ThresholdCheck]) -> list[Path]:
    """results.json, report.md and report.html in the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "results.json": run.model_dump_json(indent=1),
        "report.md": markdown_report(run, baseline, checks),
        "report.html": html_report(run, baseline, checks),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]
