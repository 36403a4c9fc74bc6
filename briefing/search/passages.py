"""Passages: exact spans of stored articles with where they come from, and the retrieved ones as the model sees
them, numbered (pure types)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Self

from pydantic import BaseModel, Field

from briefing.ingest.articles import Article


class SourceSpan(BaseModel):
    """An exact span of a stored article: `text == article.body[start:end]`, with where the article comes from."""

    article_id: str
    title: str
    source: str
    published: datetime | date | None = None
    url: str | None = None
    authors: list[str] = Field(default_factory=list)  # the article's byline
    text: str
    start: int
    end: int
    also_in: list[str] = Field(default_factory=list)  # other outlets that published the same story

    @classmethod
    def of_article(cls, article: Article, start: int, end: int, text: str, **fields: Any) -> Self:
        """The span `article.body[start:end]` (its `text`), with the article's title, outlet, date, link and byline."""
        return cls(
            article_id=article.id,
            title=article.title,
            source=article.source,
            published=article.published,
            url=article.url,
            authors=list(article.authors),
            text=text,
            start=start,
            end=end,
            **fields,
        )

    def span_fields(self, **changes: Any) -> dict[str, Any]:
        """This span's own fields (not those of a subclass), with some of them changed."""
        return {**self.model_dump(include=set(SourceSpan.model_fields)), **changes}


class Passage(SourceSpan):
    """A retrieved span, numbered as the model sees it; `score` ranks it, `similarity` is its cosine to the
    question when the dense search found it."""

    number: int
    score: float
    similarity: float | None = None
