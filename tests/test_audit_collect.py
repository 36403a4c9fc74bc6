"""The audit collector: every sentence the product drafted, shown or kept back, with the spans it was checked
against, as a reader sees them (outlet and headline, then the span)."""

from __future__ import annotations

from datetime import date

from briefing.answer.checking import finalise
from briefing.answer.types import DraftAnswer, DraftSentence
from briefing.ingest.articles import Article
from briefing.search.passages import Passage
from evals.audit import Asked, answer_sentences

ARTICLE = Article(
    id="a1",
    title="Port offers 6%",
    body="The port offered 6% on Tuesday. The union said no.",
    source="Harbor Ledger",
    published=date(2026, 11, 25),
)
PASSAGE = Passage.of_article(ARTICLE, 0, len(ARTICLE.body), ARTICLE.body, number=1, score=1.0)


def test_shown_and_kept_back_sentences_come_with_their_cited_spans() -> None:
    draft = DraftAnswer(
        answerable=True,
        sentences=[
            DraftSentence(text="The port offered 6% on Tuesday.", citations=[1]),
            DraftSentence(text="The port offered 9% on Friday.", citations=[1]),
        ],
    )
    answer = finalise("What did the port offer?", draft, [PASSAGE])
    asked = Asked("q1", "What did the port offer?", date(2026, 11, 26))
    shown, kept_back = list(answer_sentences(asked, answer))
    assert [shown["shown"], kept_back["shown"]] == [True, False]
    assert shown["passages"] == ["Harbor Ledger. Port offers 6%\nThe port offered 6% on Tuesday."]  # narrowed
    assert kept_back["passages"] == [f"Harbor Ledger. Port offers 6%\n{ARTICLE.body}"]  # what the model cited
    assert "9" in str(kept_back["verifier"])
    assert shown["origin"] == kept_back["origin"] == "answer q1"
