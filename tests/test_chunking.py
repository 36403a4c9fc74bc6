"""Sentence splitting and chunking keep sentences whole and offsets exact."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ingest.chunking import chunk_text, sentence_spans


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        (
            "Mr. Holm met Dr. Strand on Dec. 4 in the U.S. capital. They talked.",
            ["Mr. Holm met Dr. Strand on Dec. 4 in the U.S. capital.", "They talked."],
        ),
        (
            "“We will not sign,” she said. “Never.” The talks ended.",
            ["“We will not sign,” she said.", "“Never.”", "The talks ended."],
        ),
        ("Rates rose 0.25 points to 4.5%. Markets fell.", ["Rates rose 0.25 points to 4.5%.", "Markets fell."]),
        (
            "A paragraph without an end\n\nNext paragraph. Done.",
            ["A paragraph without an end", "Next paragraph.", "Done."],
        ),
        ("J. R. Tolkien wrote it. It sold.", ["J. R. Tolkien wrote it.", "It sold."]),
    ],
)
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


def test_chunks_pack_whole_sentences_within_budget() -> None:
    body = "\n\n".join(" ".join(f"Sentence {p}-{i} has exactly six words." for i in range(5)) for p in range(6))
    chunks = chunk_text("a1", body, max_words=20)
    assert all(len(c.text.split()) <= 20 for c in chunks)
    assert all(c.text.endswith("words.") and c.text.startswith("Sentence") for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_short_tail_joins_previous_chunk() -> None:
    body = " ".join(["Alpha beta gamma delta epsilon zeta eta theta iota kappa."] * 4) + " Tail."
    chunks = chunk_text("a1", body, max_words=20)
    assert chunks[-1].text.endswith("Tail.")
    assert len(chunks) == 2


words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
sentence = st.builds(
    lambda ws, end: " ".join(ws).capitalize() + end, st.lists(words, min_size=1, max_size=15), st.sampled_from(".!?")
)
paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
body = st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=200, deadline=None)
@given(body=body, max_words=st.integers(min_value=3, max_value=60))
def test_chunk_offsets_slice_back_and_cover_the_body(body: str, max_words: int) -> None:
    chunks = chunk_text("a1", body, max_words)
    for chunk in chunks:
        assert body[chunk.start : chunk.end] == chunk.text
    for before, after in itertools.pairwise(chunks):
        assert before.end <= after.start
    covered = "".join(body[c.start : c.end] for c in chunks)
    assert "".join(covered.split()) == "".join(body.split())
