"""`brief(period)`: the one-page briefing of a period, every line checked against the spans it cites.

select the period's articles and those of the days before ─► group them into stories ─► rank the stories with an
article in the period ─► for each, best first, until the word budget is spent: pre-select sentences readers were not
told before ─► key points (model, or the sentences verbatim) ─► verify ─► quotes, timeline, figures that disagree,
facts one outlet alone reported ─► lay out with numbered footnotes and a line on what was read.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from briefing.answer.checking import verify_draft
from briefing.answer.flow import Tools
from briefing.answer.replies import parse_points, points_schema
from briefing.answer.types import DraftAnswer, DraftSentence, UnsupportedSentence
from briefing.briefs.disagreements import Conflict, describe, find_conflicts
from briefing.briefs.key_points import MAX_WORDS, Candidate, distinct, select_sentences, story_sentences
from briefing.briefs.page import (
    OUTLETS_LINE_WORDS,
    Briefing,
    BriefingStats,
    Change,
    CitedSentence,
    QuoteLine,
    StoryBrief,
    TimelineEntry,
    renumbered,
)
from briefing.briefs.periods import Period
from briefing.briefs.same_event import lead_text
from briefing.briefs.stories import Story, group_stories, rank_stories, split_at
from briefing.briefs.story_parts import inputs_summary, only_outlet, quotes, said_before, timeline
from briefing.briefs.summary_cache import StorySummary, SummaryCache, summary_key
from briefing.grounding.citations import Citation, CitationNumbering
from briefing.index.store import ArticleStore
from briefing.ingest.articles import Article, day_label
from briefing.progress import Progress
from briefing.providers import ChatModel, Embedder, Message
from briefing.search.passages import Passage, SourceSpan
from briefing.settings import Settings
from briefing.templates import load_prompt, render_prompt
from briefing.words import content_words

SENTENCES_PER_STORY = 8
FRESHNESS = 0.6  # added to a sentence's score for an article at the very end of the period (newest first)
TOPIC_SIMILARITY = 0.3  # cosine of an article's lead to a --topic query above which it is about the topic
STAGE = "summarising stories"
MIN_POINT_WORDS = 6  # a short key point; a story on the page has at least two
REPEATS = 0.6  # share of a point's words in a sentence above which the sentence says nothing more
EXTRACTIVE_MAX_WORDS = 32  # a verbatim key point longer than this reads as a paragraph
TIMELINED_STORIES = 1  # the first story on the page also shows its timeline
QUOTED_STORIES = 3  # the first stories on the page also show who said what
IN_BRIEF_SHARE = 0.4  # of the word budget, kept for the stories past those told in full (their headlines)


def articles_in(period: Period, store: ArticleStore, sources: Sequence[str] = ()) -> list[tuple[Article, str]]:
    """The indexed articles published in the period (in its timezone), with their ingest story ids."""
    wanted = {s.casefold() for s in sources}
    return [
        (article, story)
        for article, story in store.catalog.published_between(*period.day_numbers)
        if period.contains(article.published) and (not wanted or article.source.casefold() in wanted)
    ]


def about_topic(topic: str, articles: Sequence[Article], vectors: NDArray[np.float32], embedder: Embedder) -> list[int]:
    """Indexes of the articles about the topic: every word of it in the headline or lead, or a lead close in
    meaning."""
    wanted = content_words(topic)
    similarity = vectors @ embedder.embed([topic])[0]
    return [
        i
        for i, article in enumerate(articles)
        if similarity[i] >= TOPIC_SIMILARITY or (wanted and wanted <= content_words(lead_text(article)))
    ]


def brief(
    period: Period,
    tools: Tools,
    *,
    sources: Sequence[str] = (),
    topic: str | None = None,
    title: str = "Briefing",
    progress: Progress | None = None,
    earlier_briefings: Sequence[Briefing] = (),
) -> Briefing:
    """The briefing of the period: the most important stories that fit the word budget, each sentence verified.
    `earlier_briefings` (newest first) say which stories readers have followed, under which id, and what they were
    told: a developing story shows what is new since."""
    started = time.perf_counter()
    settings, embedder, store = tools.settings, tools.embedder, tools.store
    options = settings.briefing
    items, context_items = articles_in(period, store, sources), articles_in(period.context(), store, sources)
    both = [*items, *context_items]
    vectors: NDArray[np.float32] = (
        embedder.embed([lead_text(a) for a, _ in both]) if items else np.zeros((0, 1), np.float32)
    )
    if topic and items:
        keep, count = about_topic(topic, [a for a, _ in both], vectors, embedder), len(items)
        items, context_items = [both[i] for i in keep if i < count], [both[i] for i in keep if i >= count]
        both, vectors = [both[i] for i in keep], vectors[keep]
    current = {article.id for article, _ in items}
    known = {article_id: s.story_id for b in earlier_briefings for s in b.stories for article_id in s.article_ids}
    followed = set(known.values())  # the stories earlier briefings told
    stories = split_at(group_stories(both, vectors), current, known) if items else []
    llm = tools.chat_model() if not options.extractive and stories else None
    cache = SummaryCache(options.cache_dir or settings.store.path / "summaries")
    footnotes, shown, changes = CitationNumbering(), list[StoryBrief](), list[Change]()
    stats = BriefingStats(articles=len(items), stories_found=len(stories))
    unsupported: list[UnsupportedSentence] = []
    words = 0
    ranked = rank_stories(stories, period)
    ahead = settings.llm.concurrency if llm is not None else 1
    ready = _summarise_ahead(ranked, period, tools, llm, cache, earlier_briefings, followed) if ahead > 1 else {}
    in_full = True  # the stories told in full come first; past them, a headline each
    for position, (story, score) in enumerate(ranked):
        if progress:
            progress(STAGE, position, len(ranked))
        told = _told(story, earlier_briefings, followed)
        candidates = _candidates(story, period, settings, told)
        if not candidates:  # developing and nothing new: one line; else nothing to say
            lead = select_sentences(story.articles, 1) if told else []
            line = _headline_only(story, score, lead[0], period, footnotes, nothing_new=True) if lead else None
            if line and (not shown or words + line.word_count() <= options.words):
                shown.append(line)
                words += line.word_count()
            continue
        in_full_so_far = sum(not s.nothing_new for s in shown)
        reserve = _reserve([s for s, _ in ranked[position + 1 :]], options.words)
        in_full = (
            in_full
            and in_full_so_far < options.max_stories
            and (not shown or words + least_words(candidates[0].article.title) <= options.words - reserve)
        )
        if in_full:
            summary, cached = (
                ready.pop(story.id)
                if story.id in ready
                else _summary(story, candidates, settings, embedder, llm, cache)
            )
            stats.summaries_cached += cached
            stats.sentences_checked += summary.checked
            stats.sentences_passed += len(summary.points) - summary.extracted
            stats.points_extracted += summary.extracted
            unsupported += summary.unsupported
            conflicts = find_conflicts(story_sentences([*story.earlier, *story.articles]))
            parts = (in_full_so_far < TIMELINED_STORIES, in_full_so_far < QUOTED_STORIES)
            draft_story = _without_repeats(
                _story_brief(story, score, candidates[0], summary, conflicts, period, footnotes, parts), embedder
            )
            story_changes = _changes(draft_story, conflicts, footnotes)
            cost = draft_story.word_count() + sum(len(c.text.split()) for c in story_changes)
            if not shown or words + cost <= options.words - reserve:
                shown.append(draft_story)
                changes += story_changes
                words += cost
                continue
            in_full = False
        line = _headline_only(
            story, score, _in_brief_sentence(story, told) or candidates[0], period, footnotes, in_brief=True
        )
        if words + line.word_count() > options.words:
            break
        shown.append(line)
        words += line.word_count()
    if progress:
        progress(STAGE, len(ranked), len(ranked))
    stats.stories_shown = len(shown)
    stats.words = words
    stats.seconds = round(time.perf_counter() - started, 2)
    briefing = Briefing(
        title=title,
        since=period.since,
        until=period.until,
        timezone=str(period.tz),
        generated_at=datetime.now(period.tz).replace(microsecond=0),
        stories=sorted(shown, key=lambda s: (s.nothing_new, s.in_brief)),  # in full, in brief, nothing new
        changes=changes,
        citations=footnotes.citations(),
        unsupported=unsupported,
        stats=stats,
        inputs=inputs_summary([a for a, _ in items], [a for a, _ in context_items]),
        model="extractive" if options.extractive else (llm.name if llm else ""),
    )
    return renumbered(briefing)


def _told(story: Story, earlier_briefings: Sequence[Briefing], followed: set[str]) -> list[str]:
    """What readers were told of a story before: the lines of earlier briefings about it, when it is developing or
    one of them told it."""
    return said_before(story, earlier_briefings) if story.earlier or story.id in followed else []


def _candidates(story: Story, period: Period, settings: Settings, told: Sequence[str]) -> list[Candidate]:
    """The sentences the story's key points are drawn from: the best, newest first, none saying what was told."""
    return select_sentences(
        story.articles,
        SENTENCES_PER_STORY,
        freshness=lambda a: FRESHNESS * period.position(a.published),
        max_words=EXTRACTIVE_MAX_WORDS if settings.briefing.extractive else MAX_WORDS,
        exclude=told,
    )


def _summarise_ahead(
    ranked: Sequence[tuple[Story, float]],
    period: Period,
    tools: Tools,
    llm: ChatModel | None,
    cache: SummaryCache,
    earlier_briefings: Sequence[Briefing],
    followed: set[str],
) -> dict[str, tuple[StorySummary, int]]:
    """The key points of the stories likely told in full (the first `max_stories` with something new), asked of
    the model `llm.concurrency` at a time: a model server with parallel slots summarises them together. The page is
    laid out afterwards as if they had been asked one by one."""
    settings = tools.settings
    todo = []
    for story, _ in ranked:
        told = _told(story, earlier_briefings, followed)
        if candidates := _candidates(story, period, settings, told):
            todo.append((story, candidates))
        if len(todo) == settings.briefing.max_stories:
            break

    def summarise(item: tuple[Story, list[Candidate]]) -> tuple[StorySummary, int]:
        return _summary(item[0], item[1], settings, tools.embedder, llm, cache)

    with ThreadPoolExecutor(settings.llm.concurrency) as pool:
        return {story.id: done for (story, _), done in zip(todo, pool.map(summarise, todo), strict=True)}


def _distinct(candidates: Sequence[Candidate], embedder: Embedder) -> list[Candidate]:
    """The candidates without those that say again, in other words, what a better one says."""
    if len(candidates) < 2:
        return list(candidates)
    vectors = np.asarray(embedder.embed([c.text for c in candidates]), dtype=np.float32)
    return [candidates[i] for i in distinct(vectors)]


def _without_repeats(story: StoryBrief, embedder: Embedder) -> StoryBrief:
    """The story without the quotes and timeline entries that say again what its key points (or an earlier line)
    say: a reader reads each fact once."""
    extra = [*story.quotes, *story.timeline]
    if not story.points or not extra:
        return story
    lines = [*story.points, *extra]
    vectors = np.asarray(embedder.embed([line.text for line in lines]), dtype=np.float32)
    kept = set(distinct(vectors, keep_first=len(story.points)))
    quotes = [q for i, q in enumerate(story.quotes, start=len(story.points)) if i in kept]
    first_entry = len(story.points) + len(story.quotes)
    timeline = [t for i, t in enumerate(story.timeline, start=first_entry) if i in kept]
    return story.model_copy(update={"quotes": quotes, "timeline": timeline})


def least_words(headline: str) -> int:
    """The fewest words a story can put on the page: its headline, the outlets line and two short key points."""
    return len(headline.split()) + OUTLETS_LINE_WORDS + 2 * MIN_POINT_WORDS


def _passages(candidates: Sequence[Candidate]) -> list[Passage]:
    return [
        Passage.of_article(c.article, c.start, c.end, c.text, number=i, score=c.score)
        for i, c in enumerate(candidates, start=1)
    ]


def _sentence_block(passages: Sequence[Passage]) -> str:
    return "\n".join(f"[{p.number}] ({p.source}, {day_label(p.published)}) {p.text}" for p in passages)


def _summary(
    story: Story,
    candidates: Sequence[Candidate],
    settings: Settings,
    embedder: Embedder,
    llm: ChatModel | None,
    cache: SummaryCache,
) -> tuple[StorySummary, int]:
    """The story's verified key points, drawn from the candidates that do not repeat a better one in other words,
    from the cache when nothing that shapes them changed."""
    passages = _passages(_distinct(candidates, embedder))
    options = settings.briefing
    prompts = [load_prompt("brief_system").template, load_prompt("brief_story_user").template]
    model = "extractive" if options.extractive or llm is None else llm.name
    key = summary_key(
        model,
        prompts,
        options.points,
        settings.verify.model_dump(mode="json"),
        [p.model_dump(mode="json") for p in passages],
    )
    if (found := cache.get(key)) is not None:
        return found, 1
    if model == "extractive" or llm is None:
        chosen = passages[: options.points]
        draft = DraftAnswer(
            answerable=True, sentences=[DraftSentence(text=p.text, citations=[p.number]) for p in chosen]
        )
    else:
        schema = points_schema(len(passages), options.points)
        draft = parse_points(llm.complete(_summary_messages(passages, options.points), schema=schema))
    answer = verify_draft(story.articles[0].title, draft, passages, settings, embedder, llm, check_kind=False)
    by_number = {c.number: c for c in answer.citations}
    points = [(s.text, [by_number[n] for n in s.citations]) for s in answer.sentences]
    extracted = 0
    for passage in passages:  # too little survived: the best sentences themselves, unless a point says it already
        if len(points) >= 2:
            break
        if not any(_repeats(text, passage.text) for text, _ in points):
            points.append((passage.text, [Citation.of(passage)]))
            extracted += 1
    summary = StorySummary(
        points=points[: options.points],
        unsupported=answer.unsupported,
        checked=len(draft.sentences),
        extracted=extracted,
    )
    cache.put(key, summary)
    return summary, 0


def _summary_messages(passages: Sequence[Passage], points: int) -> list[Message]:
    """The instructions first (the same for every story, so the local model reads them once), then the story's
    sentences."""
    user = render_prompt("brief_story_user", sentences=_sentence_block(passages))
    return [
        {"role": "system", "content": render_prompt("brief_system", count=points)},
        {"role": "user", "content": user},
    ]


def _repeats(point: str, sentence: str) -> bool:
    """True when most of the point's words are in the sentence, or the other way round."""
    a, b = content_words(point), content_words(sentence)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= REPEATS


def _story_brief(
    story: Story,
    score: float,
    lead: Candidate,
    summary: StorySummary,
    conflicts: Sequence[Conflict],
    period: Period,
    footnotes: CitationNumbering,
    parts: tuple[bool, bool] = (True, True),
) -> StoryBrief:
    """The story on the page, with its timeline and its quotes when `parts` say so (the first stories)."""
    with_timeline, with_quotes = parts
    points = [
        CitedSentence(
            text=text,
            citations=[footnotes.number(s) for s in spans],
            only_outlet=only_outlet([(s.source, s.text) for s in spans], story),
        )
        for text, spans in summary.points
    ]
    said = [p.text for p in points]
    quoted = [
        QuoteLine(
            text=q.words,
            speaker=q.speaker,
            outlet=q.article.source,
            citations=[footnotes.number(SourceSpan.of_article(q.article, q.start, q.end, q.words))],
        )
        for q in (quotes(story, exclude=said) if with_quotes else [])
    ]
    dated = [
        TimelineEntry(day=day, text=c.text, citations=[footnotes.number(_span(c))])
        for day, c in (timeline(story, period, exclude=said) if with_timeline else [])
    ]
    disagreements = [_conflict_sentence(c, footnotes) for c in conflicts if c.kind == "disagreement"]
    return StoryBrief(
        headline=lead.article.title,
        headline_citation=footnotes.number(_span(lead)),
        points=points,
        disagreements=disagreements,
        timeline=dated,
        quotes=quoted,
        **_about(story, score, period),
    )


def _headline_only(
    story: Story,
    score: float,
    lead: Candidate,
    period: Period,
    footnotes: CitationNumbering,
    *,
    nothing_new: bool = False,
    in_brief: bool = False,
) -> StoryBrief:
    """A story as its headline alone: that of a developing story whose new articles say nothing readers were not told
    (`nothing_new`), or that of the article of the best sentence of one past the stories told in full (`in_brief`),
    citing that sentence. A list of headlines is how the best digests give the rest of the news: about 15 words a
    story with its outlets line, where a headline and a sentence took about 40, so the page reaches the smaller
    stories."""
    return StoryBrief(
        headline=(story.articles[-1] if nothing_new else lead.article).title,
        headline_citation=footnotes.number(_span(lead)),
        points=[],
        nothing_new=nothing_new,
        in_brief=in_brief,
        **_about(story, score, period),
    )


def _about(story: Story, score: float, period: Period) -> dict[str, Any]:
    """What every story on the page says about itself: its id, outlets, articles, status, rank and days."""
    return {
        "story_id": story.id,
        "outlets": story.outlets,
        "article_ids": sorted(story.article_ids),
        "status": "developing" if story.earlier else "new",
        "importance": round(score, 3),
        "published": story.newest,
        "first_seen": _first_day(story, period),
    }


def _in_brief_sentence(story: Story, told: Sequence[str]) -> Candidate | None:
    """The sentence a story in brief stands on: its best short one readers were not told. Its article's title is the
    headline shown, and the headline cites it."""
    found = select_sentences(story.articles, 1, max_words=EXTRACTIVE_MAX_WORDS, exclude=told)
    return found[0] if found else None


def _reserve(remaining: Sequence[Story], budget: int) -> float:
    """Words kept for the stories after this one in brief: their headlines and outlets lines, up to a share of the
    budget."""
    wanted = sum(len(story.articles[0].title.split()) + OUTLETS_LINE_WORDS for story in remaining)
    return min(IN_BRIEF_SHARE * budget, wanted)


def _first_day(story: Story, period: Period) -> date | None:
    days = [d for a in story.earlier if (d := period.local_day(a.published)) is not None]
    return min(days, default=None)


def _changes(story: StoryBrief, conflicts: Sequence[Conflict], footnotes: CitationNumbering) -> list[Change]:
    """The story's corrected figures: what changed in what was reported."""
    return [
        Change(kind="correction", story_id=story.story_id, **_conflict_sentence(c, footnotes).model_dump())
        for c in conflicts
        if c.kind == "correction"
    ]


def _conflict_sentence(conflict: Conflict, footnotes: CitationNumbering) -> CitedSentence:
    earlier, later = footnotes.number(_span(conflict.earlier)), footnotes.number(_span(conflict.later))
    if conflict.earlier is conflict.later:
        return CitedSentence(text=describe(conflict), citations=[later])
    return CitedSentence(text=describe(conflict), citations=[earlier, later])


def _span(candidate: Candidate) -> SourceSpan:
    return SourceSpan.of_article(candidate.article, candidate.start, candidate.end, candidate.text)
