"""The grounding eval suite: gold questions over the sample corpus, the development corpus loader, metrics with
confidence intervals, a pluggable judge, reports, baselines and the thresholds CI enforces.

Run it with `briefing eval` (or `python -m evals` from the repository root); see `evals/README.md`.
"""
