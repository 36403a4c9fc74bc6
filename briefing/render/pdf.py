"""The briefing as a one-page PDF, laid out with reportlab platypus in the Vera fonts that ship with reportlab.

Article-derived text is escaped for reportlab's paragraph markup, and only http(s) URLs become links. The stories
are set in two balanced columns and the footnotes in three or four. At its smallest type scale (1.0) the layout is
compact enough for a briefing of the default word budget and its footnotes to fit one A4 or Letter page; a shorter
briefing is set in the largest type of `SCALES` that still fits one page, so that it fills the page instead of its top
half. When even 1.0 takes more than a page, the caller learns the page count from `render_pdf_with_pages` and drops
stories until it is 1.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, HRFlowable, PageTemplate, Paragraph

from briefing.briefs.page import Briefing, CitedSentence, StoryBrief
from briefing.grounding.citations import Citation
from briefing.render.wording import (
    CHANGE_LABELS,
    CHANGES_HEADING,
    DISAGREEMENT_LABEL,
    QUOTES_LABEL,
    SOURCES_HEADING,
    TIMELINE_LABEL,
    byline_parts,
    document_title,
    footnotes_of,
    generated_line,
    headline_note,
    in_brief_sentence,
    inputs_line,
    known_numbers,
    link_target,
    one_line,
    only_note,
    quote_line,
    split_sections,
    story_tag,
    summary_line,
    timeline_line,
)

PageSize = Literal["A4", "letter"]
PAGE_SIZES: dict[PageSize, tuple[float, float]] = {"A4": A4, "letter": letter}
# The type scales tried, largest first: every font size, leading and space is the compact 1.0 size times the scale.
# The largest that fits one page wins, so that a short briefing fills the page in larger type.
SCALES = (1.3, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0)
STORY_COLUMNS = 2
FOOTNOTE_COLUMNS = 4  # 3 from WIDE_FOOTNOTES_SCALE up, where four columns would be too narrow for the larger type
WIDE_FOOTNOTES_SCALE = 1.15

_FONT_FILES = {"Vera": "Vera.ttf", "VeraBd": "VeraBd.ttf", "VeraIt": "VeraIt.ttf", "VeraBI": "VeraBI.ttf"}
_INK = colors.HexColor("#1b1b1b")
_GREY = colors.HexColor("#5a5a5a")
_LINK = "#1a4d8f"
_KIND_COLOURS = {"new": "#2f6f3e", "developing": "#a4620a", "correction": "#a3242a"}
_TAG_COLOUR = "#a4620a"
_MUTED = "#777777"
_RULE = colors.HexColor("#9a9a9a")
_FUZZ = 1e-6


@dataclass(frozen=True)
class _Build:
    data: bytes
    pages: int  # 2 for a build stopped when it overflowed to a second page
    scale: float


def render_pdf(briefing: Briefing, page_size: PageSize = "A4") -> bytes:
    """The briefing as PDF bytes."""
    return render_pdf_with_pages(briefing, page_size)[0]


def render_pdf_with_pages(briefing: Briefing, page_size: PageSize = "A4") -> tuple[bytes, int]:
    """The briefing as PDF bytes and the number of pages it takes (1 when it fits the page)."""
    build = _fitted(briefing, page_size)
    return build.data, build.pages


def pdf_scale(briefing: Briefing, page_size: PageSize = "A4") -> float:
    """The type scale the PDF of the briefing is set in: the largest of `SCALES` that fits one page, else 1.0."""
    return _fitted(briefing, page_size).scale


class _Overflow(Exception):
    """A trial build reached a second page."""


def _fitted(briefing: Briefing, page_size: PageSize) -> _Build:
    """The build at the largest scale that fits one page, found by a binary search over `SCALES` (three builds at
    most, of which those that overflow stop at the second page); the 1.0 build, of any length, when none fits."""
    low, high = 0, len(SCALES) - 1
    best: _Build | None = None
    while low <= high:
        middle = (low + high) // 2
        last = middle == len(SCALES) - 1
        build = _build(briefing, page_size, SCALES[middle], stop_at_overflow=not last)
        if build.pages == 1 or (last and best is None):
            best = build
        if build.pages == 1:
            high = middle - 1
        else:
            low = middle + 1
    return best if best is not None else _build(briefing, page_size, SCALES[-1], stop_at_overflow=False)


def _build(briefing: Briefing, page_size: PageSize, scale: float, stop_at_overflow: bool) -> _Build:
    _register_fonts()
    out = BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=PAGE_SIZES[page_size],
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=11 * mm,
        bottomMargin=12 * mm,
        title=document_title(briefing),
        subject=summary_line(briefing),
        author="briefing",
        creator="briefing",
        lang="en",
        invariant=1,  # no timestamps or random ids: the same briefing gives the same bytes
    )
    pages = 0
    footer = generated_line(briefing)

    def start_page(canvas: Any, document: Any) -> None:
        nonlocal pages
        pages += 1
        if pages > 1 and stop_at_overflow:
            raise _Overflow
        canvas.saveState()
        canvas.setFont("Vera", 6)
        canvas.setFillColor(_GREY)
        text = footer if pages == 1 else f"{footer} · page {pages}"
        canvas.drawString(document.leftMargin, 6.5 * mm, text)
        canvas.restoreState()

    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="page",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=start_page)])
    try:
        doc.build(_flowables(briefing, scale))
    except _Overflow:
        return _Build(b"", 2, scale)
    return _Build(out.getvalue(), pages, scale)


@functools.cache
def _register_fonts() -> None:
    """Register the Vera TrueType family once per process: it has the quotes, dashes, accents and € of news text."""
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic="VeraIt", boldItalic="VeraBI")


def _text(value: str) -> str:
    """Article text made safe for reportlab's paragraph markup."""
    return escape(one_line(value), quote=False)


@functools.cache
def _styles(scale: float) -> dict[str, ParagraphStyle]:
    # Vera is a wide face: the sizes of scale 1.0 are what fits ~600 words and ~40 footnotes on one Letter page.
    # No paragraph leaves a single line at the foot or the head of a column.
    def x(size: float) -> float:
        return round(size * scale, 2)

    base = ParagraphStyle(
        "base", fontName="Vera", fontSize=x(8.2), leading=x(9.8), textColor=_INK, allowWidows=0, allowOrphans=0
    )
    label = ParagraphStyle(
        "label", base, fontName="VeraBd", fontSize=x(6.5), leading=x(8.5), textColor=_GREY, spaceAfter=x(1.5)
    )
    return {
        "title": ParagraphStyle("title", base, fontName="VeraBd", fontSize=x(14.5), leading=x(17)),
        "summary": ParagraphStyle("summary", base, fontSize=x(7.8), leading=x(9.5), textColor=_GREY, spaceAfter=x(2)),
        "label": label,
        "one_line_heading": ParagraphStyle("one_line_heading", label, spaceBefore=x(4.5), keepWithNext=1),
        "change": ParagraphStyle("change", base, leftIndent=x(7), bulletIndent=0, spaceAfter=x(0.5)),
        "headline": ParagraphStyle(
            "headline", base, fontName="VeraBd", fontSize=x(9.6), leading=x(11.2), spaceBefore=x(4.5), keepWithNext=1
        ),
        "byline": ParagraphStyle(
            "byline",
            base,
            fontName="VeraIt",
            fontSize=x(6.6),
            leading=x(8.2),
            textColor=_GREY,
            spaceAfter=x(1),
            keepWithNext=1,
        ),
        "point": ParagraphStyle("point", base, leftIndent=x(7), bulletIndent=0, spaceAfter=x(0.6)),
        "disagreement": ParagraphStyle(
            "disagreement", base, fontSize=x(7.8), leading=x(9.5), leftIndent=x(7), spaceBefore=x(0.5)
        ),
        "part": ParagraphStyle(
            "part",
            base,
            fontName="VeraBd",
            fontSize=x(5.8),
            leading=x(7),
            textColor=_GREY,
            spaceBefore=x(1.2),
            keepWithNext=1,
        ),
        "quote": ParagraphStyle(
            "quote", base, fontSize=x(7.6), leading=x(9), leftIndent=x(7), bulletIndent=0, spaceAfter=x(0.5)
        ),
        "timeline": ParagraphStyle(
            "timeline",
            base,
            fontSize=x(6.8),
            leading=x(8.1),
            leftIndent=x(7),
            bulletIndent=0,
            spaceAfter=x(0.3),
            textColor=colors.HexColor("#333333"),
        ),
        "one_line": ParagraphStyle("one_line", base, fontSize=x(7.4), leading=x(8.9), spaceAfter=x(1)),
        "inputs": ParagraphStyle(
            "inputs", base, fontSize=x(6.1), leading=x(7.3), textColor=_GREY, spaceBefore=x(4), spaceAfter=x(0.5)
        ),
        "footnote": ParagraphStyle(
            "footnote",
            base,
            fontSize=x(6.1),
            leading=x(7),
            leftIndent=x(8.5),
            bulletIndent=0,
            bulletFontName="VeraBd",
            bulletFontSize=x(6.1),
            spaceAfter=x(0.5),
            textColor=colors.HexColor("#333333"),
        ),
    }


def _flowables(briefing: Briefing, scale: float) -> list[Flowable]:
    styles = _styles(scale)
    footnotes = footnotes_of(briefing)
    found: list[Flowable] = [
        Paragraph(_text(briefing.title), styles["title"]),
        Paragraph(f"<b>{_text(briefing.period_label)}</b> · {_text(summary_line(briefing))}", styles["summary"]),
        HRFlowable(width="100%", thickness=1.2, color=_INK, spaceBefore=scale, spaceAfter=4 * scale),
    ]
    if briefing.changes:
        found.append(Paragraph(CHANGES_HEADING.upper(), styles["label"]))
        for change in briefing.changes:
            label = f'<font name="VeraBd" size="{6.8 * scale:.2f}" color="{_KIND_COLOURS[change.kind]}">'
            label += f"{CHANGE_LABELS[change.kind].upper()}</font>"
            found.append(Paragraph(f"{label} {_sentence(change, footnotes)}", styles["change"], bulletText="•"))
        found.append(HRFlowable(width="100%", thickness=0.5, color=_RULE, spaceBefore=3 * scale, spaceAfter=3 * scale))
    in_full, one_line_sections = split_sections(briefing.stories)
    stories = [flowable for story in in_full for flowable in _story(story, footnotes, styles)]
    for heading, listed in one_line_sections:
        stories.append(Paragraph(heading.upper(), styles["one_line_heading"]))
        stories += [_headline_line(story, briefing, footnotes, styles) for story in listed]
    if stories:
        found.append(_Columns(stories, STORY_COLUMNS, gap=14 * scale))
    if read := inputs_line(briefing):
        found.append(Paragraph(_text(read), styles["inputs"]))
    if footnotes:
        columns = FOOTNOTE_COLUMNS if scale < WIDE_FOOTNOTES_SCALE else FOOTNOTE_COLUMNS - 1
        found += [
            HRFlowable(width="100%", thickness=0.5, color=_RULE, spaceBefore=5 * scale, spaceAfter=2 * scale),
            Paragraph(SOURCES_HEADING.upper(), styles["label"]),
            _Columns(_footnotes(footnotes, styles), columns, gap=9 * scale, splittable=False),
        ]
    return found


_Placed = list[list[tuple[Flowable, float, float]]]  # per column: (flowable, its top below the columns' top, height)


class _Columns(Flowable):  # type: ignore[misc]  # reportlab has no types
    """Flowables in `count` columns of equal width and balanced height, flush with the frame's edges: the lowest
    height at which they fill the columns one after the other. A flowable that keeps with the next (a headline, a
    byline) is not left at the foot of a column without it. When they do not fit the space left, the columns are
    filled to its foot and the rest goes on the next page.

    reportlab's BalancedColumns does this too but lays every paragraph out again for each height it tries; here a
    paragraph is broken into lines once, and each of its splits once, which makes the build several times faster.
    """

    def __init__(self, content: list[Flowable], count: int, gap: float, splittable: bool = True) -> None:
        super().__init__()
        self.content = content
        self.count = count
        self.gap = gap
        self.splittable = splittable  # whether a paragraph may run on from one column to the next
        self._column_width = 0.0
        self._heights: dict[int, tuple[Flowable, float]] = {}  # id → (flowable, height) at the column width
        self._splits: dict[tuple[int, float], list[Flowable]] = {}
        self._wrapped: tuple[float, float] | None = None
        self._placed: _Placed = []
        self._rest: list[Flowable] = []
        self._height = 0.0
        self._set = False  # the first part of a split: its columns are placed once and for all

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._set or self._wrapped == (availWidth, availHeight):
            return availWidth, self._height
        self._wrapped = (availWidth, availHeight)
        width = (availWidth - self.gap * (self.count - 1)) / self.count
        if width != self._column_width:
            self._column_width = width
            self._heights.clear()
            self._splits.clear()
        placed, rest = self._fill(availHeight)
        if not rest:  # it fits: find the lowest height that still takes everything
            low = self._lines_height() / self.count - _FUZZ
            high = availHeight
            while high - low > 0.5:
                middle = (low + high) / 2
                trial, trial_rest = self._fill(middle)
                if trial_rest:
                    low = middle
                else:
                    high, placed = middle, trial
        self._placed, self._rest = placed, rest
        used = max((top + height for column in placed for _, top, height in column), default=0.0)
        self._height = availHeight + 1 if rest else used  # more than the space left: the frame splits it
        return availWidth, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if not self._rest:
            return [self]
        if not any(self._placed):
            return []
        first = _Columns([], self.count, self.gap, self.splittable)
        first._set, first._placed, first._column_width = True, self._placed, self._column_width
        first._height = max(top + height for column in self._placed for _, top, height in column)
        return [first, _Columns(self._rest, self.count, self.gap, self.splittable)]

    def draw(self) -> None:
        for index, column in enumerate(self._placed):
            x = index * (self._column_width + self.gap)
            for flowable, top, height in column:
                if isinstance(flowable, Paragraph) and not hasattr(flowable, "blPara"):
                    flowable.wrap(self._column_width, height)  # a trial split dropped its lines
                flowable.drawOn(self.canv, x, self._height - top - height)

    def _lines_height(self) -> float:
        """The height of the flowables without the spaces between them: splitting keeps it the same."""
        return sum(self._measure(flowable) for flowable in self.content)

    def _measure(self, flowable: Flowable) -> float:
        key = id(flowable)
        if key not in self._heights:  # the flowable is kept with its height, so that its id is not reused
            self._heights[key] = (flowable, flowable.wrap(self._column_width, 1e9)[1])
        return self._heights[key][1]

    def _split(self, flowable: Flowable, height: float) -> list[Flowable]:
        """The flowable split to fit `height`: a paragraph gives the same parts for every height of as many lines."""
        if isinstance(flowable, Paragraph):
            key = (id(flowable), float(int(height / flowable.style.leading)))
        else:
            key = (id(flowable), round(height, 3))
        if key not in self._splits:
            self._measure(flowable)
            self._splits[key] = flowable.split(self._column_width, height)
        return self._splits[key]

    def _fill(self, height: float) -> tuple[_Placed, list[Flowable]]:
        """The flowables in columns of `height`, filled in order, and those left over."""
        queue = list(self.content)
        placed: _Placed = []
        for _ in range(self.count):
            column, queue = self._fill_column(queue, height)
            placed.append(column)
            if not queue:
                break
        return placed, queue

    def _fill_column(
        self, queue: list[Flowable], height: float
    ) -> tuple[list[tuple[Flowable, float, float]], list[Flowable]]:
        column: list[tuple[Flowable, float, float]] = []
        queue = list(queue)
        y = after = 0.0  # the height used, and the space after the last flowable
        while queue:
            flowable = queue[0]
            if column and _keeps_with_next(flowable) and not self._keeps_fit(queue, y, after, height):
                break
            fits = self._place(flowable, y, after, height, at_top=not column)
            if fits is None:
                break
            part, top, part_height, rest = fits
            column.append((part, top, part_height))
            y, after = top + part_height, part.getSpaceAfter()
            queue[:1] = rest
        return column, queue

    def _keeps_fit(self, queue: list[Flowable], y: float, after: float, height: float) -> bool:
        """Whether the flowables that keep with the next, and the start of the next, fit below `y`."""
        for flowable in queue:
            fits = self._place(flowable, y, after, height, at_top=False)
            if fits is None:
                return False
            part, top, part_height, rest = fits
            if not _keeps_with_next(flowable):
                return True
            if rest:
                return False
            y, after = top + part_height, part.getSpaceAfter()
        return True

    def _place(
        self, flowable: Flowable, y: float, after: float, height: float, at_top: bool
    ) -> tuple[Flowable, float, float, list[Flowable]] | None:
        """Where the flowable, or its first part, goes below `y`: (part, top, height, the rest), or None if it
        does not fit. As in a frame, the space before is dropped at the top of a column and overlaps the space
        after the flowable above; `y` is the foot of that flowable, and `after` its space after."""
        top = y if at_top else y + max(flowable.getSpaceBefore(), after)
        own = self._measure(flowable)
        if top + own <= height + _FUZZ:
            return flowable, top, own, []
        if not self.splittable or _keeps_with_next(flowable) or height - top <= 0:
            return None
        parts = self._split(flowable, height - top)
        if len(parts) >= 2:
            return parts[0], top, self._measure(parts[0]), parts[1:]
        return None


def _keeps_with_next(flowable: Flowable) -> bool:
    return bool(flowable.getKeepWithNext())


def _story(story: StoryBrief, footnotes: dict[int, Citation], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    found: list[Flowable] = [Paragraph(_text(story.headline) + _headline_markers(story, footnotes), styles["headline"])]
    byline = [_text(part) for part in byline_parts(story)]
    if tag := story_tag(story):
        byline.append(f'<font name="VeraBd" color="{_TAG_COLOUR}">{_text(tag)}</font>')
    if byline:
        found.append(Paragraph(" · ".join(byline), styles["byline"]))
    found += [Paragraph(_sentence(point, footnotes), styles["point"], bulletText="•") for point in story.points]
    if story.quotes:
        found.append(Paragraph(QUOTES_LABEL.upper(), styles["part"]))
        found += [
            Paragraph(_text(quote_line(q)) + _markers(q.citations, footnotes), styles["quote"], bulletText="•")
            for q in story.quotes
        ]
    if story.timeline:
        found.append(Paragraph(TIMELINE_LABEL.upper(), styles["part"]))
        found += [
            Paragraph(_text(timeline_line(e)) + _markers(e.citations, footnotes), styles["timeline"], bulletText="•")
            for e in story.timeline
        ]
    found += [
        Paragraph(f"<b>{DISAGREEMENT_LABEL}</b> <i>{_sentence(disagreement, footnotes)}</i>", styles["disagreement"])
        for disagreement in story.disagreements
    ]
    return found


def _headline_line(
    story: StoryBrief, briefing: Briefing, footnotes: dict[int, Citation], styles: dict[str, ParagraphStyle]
) -> Flowable:
    """A story in one line: the headline in bold with its marker, then in grey since when nothing is new (for a story
    with nothing new) and who reported it."""
    headline = f"<b>{_text(story.headline)}</b>{_headline_markers(story, footnotes)}"
    headline += "".join(f" — {_sentence(point, footnotes)}" for point in in_brief_sentence(story))
    if note := headline_note(story, briefing.since):
        headline += f' <font color="{_MUTED}">· {_text(note)}</font>'
    return Paragraph(headline, styles["one_line"])


def _headline_markers(story: StoryBrief, footnotes: dict[int, Citation]) -> str:
    return _markers(story.headline_citations, footnotes)


def _sentence(sentence: CitedSentence, footnotes: dict[int, Citation]) -> str:
    text = _text(sentence.text) + _markers(sentence.citations, footnotes)
    if sentence.only_outlet:
        text += f' <font color="{_MUTED}">{_text(only_note(sentence.only_outlet))}</font>'
    return text


def _markers(numbers: list[int], footnotes: dict[int, Citation]) -> str:
    """Superscript footnote numbers, each a link to its footnote."""
    links = [f'<a href="#fn{number}" color="{_LINK}">{number}</a>' for number in known_numbers(numbers, footnotes)]
    # regular weight, so that the marker after a bold headline stays as light as the ones in the text
    return f'<super><font name="Vera">{",".join(links)}</font></super>' if links else ""


def _footnotes(footnotes: dict[int, Citation], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """One line per footnote; a further passage of an already listed article points back to it instead of
    repeating its title (the PDF has no room for the quoted passages that tell them apart)."""
    first_of: dict[str, int] = {}
    found: list[Flowable] = []
    for number, citation in footnotes.items():
        anchor = f'<a name="fn{number}"/>'
        if (first := first_of.setdefault(citation.article_id, number)) != number:
            text = f'{anchor}{_text(citation.source)}, same article as <a href="#fn{first}" color="{_LINK}">{first}</a>'
        else:
            text = anchor + _source_line(citation)
        found.append(Paragraph(text, styles["footnote"], bulletText=str(number)))
    return found


def _source_line(citation: Citation) -> str:
    """'Reuters, “Title”, 25 Nov' with the title linking to the article."""
    title = f"“{_text(citation.title)}”"
    if url := link_target(citation.url):
        title = f'<a href="{escape(url)}" color="{_LINK}">{title}</a>'
    parts = [_text(citation.source), title]
    if citation.published is not None:
        # '25 Nov' (no break inside): the year is in the page's header, and the footnotes are short of room
        parts.append(citation.published.strftime("%-d\u00a0%b"))
    return ", ".join(parts)
