"""What the app shows of untrusted article and model text: escaped, with citation links and highlights."""

from __future__ import annotations

from briefing.ui.text import article_html, article_link, cited_markdown, escape_markdown, source_line

from briefing.grounding.citations import Citation

BODY = "First paragraph.\n\nSecond <b>bold</b> & more.\n\nThird [link](javascript:alert(1)) here."


def _citation(**changes: object) -> Citation:
    values: dict[str, object] = {
        "number": 1,
        "article_id": "a1",
        "title": "Tram [vote](http://evil.example)",
        "source": "Valley Courier",
        "text": "Second",
        "start": 18,
        "end": 24,
    }
    values.update(changes)
    return Citation.model_validate(values)


def test_markdown_specials_are_escaped() -> None:
    assert escape_markdown("[click](http://evil.example) <script> $x$ *a*") == (
        "\\[click\\]\\(http\\://evil\\.example\\) \\<script\\> \\$x\\$ \\*a\\*"
    )


def test_the_cited_span_is_highlighted_and_every_paragraph_escaped() -> None:
    start = BODY.index("<b>bold</b>")
    shown = article_html(BODY, start, start + len("<b>bold</b> & more"))
    assert "<mark>&lt;b&gt;bold&lt;/b&gt; &amp; more</mark>" in shown
    assert "<b>" not in shown
    assert "<details><summary>1 paragraph before the passage</summary><p>First paragraph.</p></details>" in shown
    assert shown.index("<mark>") < shown.index("Third")


def test_an_article_without_a_valid_span_shows_whole_and_unmarked() -> None:
    for start, end in [(None, None), (5, 2), (0, 10_000)]:
        shown = article_html(BODY, start, end)
        assert "<mark>" not in shown
        assert "<details>" not in shown
        assert shown.count("<p>") == 3


def test_a_span_across_paragraphs_is_marked_in_each() -> None:
    shown = article_html(BODY, BODY.index("paragraph."), BODY.index("bold"))
    assert shown.count("<mark>") == 2


def test_citation_markers_link_to_the_highlighted_passage() -> None:
    citation = _citation()
    line = cited_markdown("The vote was 7-4 [see](http://x).", [1, 7], {1: citation})
    assert line.startswith("The vote was 7\\-4 \\[see\\]\\(http\\://x\\)\\.")
    assert f"[\\[1\\]]({article_link(citation)})" in line
    assert line.endswith("\\[7\\]")  # a number with no citation stays plain text
    assert article_link(citation) == "./library?article=a1&start=18&end=24"


def test_source_lines_link_only_safe_urls() -> None:
    assert "javascript" not in source_line(_citation(url="javascript:alert(1)"))
    line = source_line(_citation(url="https://valley.example/a_(b)", also_in=["Meridian Wire"]))
    assert "[valley\\.example](https://valley.example/a_%28b%29)" in line
    assert "also published by Meridian Wire" in line


def test_source_lines_carry_the_byline() -> None:
    line = source_line(_citation(authors=["Ann Holt", "Per Lund"]))
    assert line.startswith("Valley Courier · by Ann Holt and Per Lund · ")
    assert " by " not in source_line(_citation())
