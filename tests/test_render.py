"""Rendering a briefing to Markdown, HTML, PDF and JSON, and writing the files (pure logic and a temp folder)."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, date, datetime
from html import escape as escape_html
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from briefing.briefs.page import (
    Briefing,
    BriefingStats,
    Change,
    CitedSentence,
    InputsSummary,
    QuoteLine,
    StoryBrief,
    TimelineEntry,
    renumbered,
)
from briefing.grounding.citations import Citation
from briefing.render import (
    FORMATS,
    PageSize,
    escape_markdown,
    pdf,
    render,
    render_email,
    render_html,
    render_markdown,
    render_pdf,
    render_pdf_with_pages,
    write,
)
from briefing.render.pdf import SCALES, pdf_scale
from briefing.render.publish import fit_one_page
from briefing.render.wording import (
    IN_BRIEF_HEADING,
    STILL_DEVELOPING_HEADING,
    byline_parts,
    excerpt,
    headline_note,
    inputs_line,
    link_target,
    no_new_facts,
    only_note,
    quote_line,
    reported_by,
    split_sections,
    story_tag,
    summary_line,
    timeline_line,
)

HOSTILE = "<script>alert(1)</script> [click](javascript:alert(1))"
DOMAINS = {
    "Reuters": "reuters.com",
    "Le Monde": "lemonde.fr",
    "BBC News": "bbc.co.uk",
    "Financial Times": "ft.com",
    "Der Spiegel": "spiegel.de",
    "El País": "elpais.com",
    "AP": "apnews.com",
    "The Guardian": "theguardian.com",
}

# (story id, headline, status, {outlet: article title}, [(point, outlets cited)], disagreement or None)
STORIES: list[tuple[str, str, str, dict[str, str], list[tuple[str, list[str]]], tuple[str, list[str]] | None]] = [
    (
        "ecb",
        "ECB cuts its deposit rate to 2.25% as euro-area inflation cools",
        "new",
        {
            "Reuters": "ECB cuts rates again, signals “patient” path ahead",
            "Financial Times": "Lagarde’s ECB trims rates by a quarter point",
            "Le Monde": "La BCE baisse ses taux : l’inflation ralentit en zone euro",
        },
        [
            (
                "The European Central Bank lowered its deposit rate by a quarter point to 2.25%, on Thursday,"
                " its fifth cut in a year.",
                ["Reuters", "Financial Times"],
            ),
            (
                "Inflation in the euro area fell to 2.1% in October, close to the bank’s 2% target and down"
                " from 2.9% a year"
                " earlier.",
                ["Le Monde"],
            ),
            (
                "Christine Lagarde said further cuts would depend on wage data due in January and on the"
                " path of energy prices.",
                ["Reuters"],
            ),
        ],
        (
            "Reuters reports two governors voted against the cut, while the Financial Times says the decision was "
            "unanimous.",
            ["Reuters", "Financial Times"],
        ),
    ),
    (
        "rotterdam",
        "Rotterdam dockworkers extend strike into a second week",
        "developing",
        {
            "Reuters": "Rotterdam port strike enters second week as talks stall",
            "Der Spiegel": "Streik im Hafen Rotterdam: Container stauen sich",
            "BBC News": "Europe’s biggest port at a standstill",
        },
        [
            (
                "Dockworkers at the Port of Rotterdam voted to extend their walkout until at least 3 December,"
                " after talks with"
                " employers broke down.",
                ["Reuters"],
            ),
            (
                "Around 180 container ships are waiting offshore, according to the port authority, and some have"
                " turned to Antwerp instead.",
                ["Der Spiegel"],
            ),
            (
                "The union is demanding a 9% pay rise over two years and limits on the use of automated cranes.",
                ["BBC News", "Reuters"],
            ),
        ],
        None,
    ),
    (
        "navigo",
        "Île-de-France raises the monthly Navigo pass to €90.80",
        "new",
        {
            "Le Monde": "Le passe Navigo passera à 90,80 € en janvier",
            "The Guardian": "Paris commuters face “painful” rise in transit pass price",
        },
        [
            (
                "The monthly Navigo transit pass for the Paris region will cost €90.80 from January, up from"
                " €86.40, a rise of 5%.",
                ["Le Monde"],
            ),
            (
                "Regional president Valérie Pécresse said the rise pays for new metro lines, more night buses"
                " and the maintenance of ageing trains.",
                ["Le Monde", "The Guardian"],
            ),
            (
                "Commuter groups called the increase unfair to suburban workers with long journeys and asked"
                " for a lower fare for low incomes.",
                ["The Guardian"],
            ),
        ],
        None,
    ),
    (
        "storm",
        "Storm Émilie floods coastal towns in northern Portugal",
        "developing",
        {
            "El País": "La tormenta Émilie deja inundaciones en el norte de Portugal",
            "AP": "Storm Émilie forces thousands from homes in Portugal",
            "BBC News": "Portugal storm: rivers burst banks near Porto",
        },
        [
            (
                "Storm Émilie brought winds of up to 140 km/h to the coast north of Porto on Tuesday night, uprooting"
                " trees and cutting power to 60,000 homes.",
                ["AP"],
            ),
            (
                "Civil protection officials said 3,200 people were evacuated from homes along the Douro river"
                " as water levels kept rising.",
                ["El País", "AP"],
            ),
            (
                "Rail services between Porto and Braga were suspended after a bridge was damaged; the operator"
                " expects them to resume on Friday.",
                ["BBC News"],
            ),
        ],
        ("AP puts the number of evacuated people at 3,200, while El País reports more than 4,000.", ["AP", "El País"]),
    ),
    (
        "dresden",
        "Chipmaker confirms €10 billion plant near Dresden",
        "new",
        {
            "Der Spiegel": "Milliarden für Sachsen: Chipfabrik bei Dresden kommt",
            "Financial Times": "Chipmaker commits €10bn to German fab despite subsidy row",
        },
        [
            (
                "The company confirmed a €10 billion chip plant near Dresden, with production planned for 2029 and an"
                " output of 40,000 wafers a month.",
                ["Financial Times"],
            ),
            (
                "Germany will cover about a fifth of the cost under the European Chips Act, subject to approval"
                " in Brussels.",
                ["Der Spiegel"],
            ),
            (
                "The plant is expected to employ 2,000 people once it reaches full output, and suppliers are"
                " expected to add several hundred more jobs.",
                ["Der Spiegel", "Financial Times"],
            ),
        ],
        None,
    ),
    (
        "chile",
        "Chile heads to a presidential run-off on 14 December",
        "new",
        {
            "El País": "Chile irá a segunda vuelta presidencial el 14 de diciembre",
            "AP": "Chile’s presidential race goes to a run-off",
        },
        [
            (
                "No candidate won a majority in Sunday’s first round, so the two leading candidates will meet in"
                " a run-off on 14 December.",
                ["AP"],
            ),
            (
                "The electoral service reported turnout of 85%, the first presidential vote since"
                " compulsory voting was reintroduced.",
                ["El País"],
            ),
            (
                "Both finalists promised to make public security their first priority, after a year marked"
                " by a rise in violent crime.",
                ["AP", "El País"],
            ),
        ],
        None,
    ),
    (
        "measles",
        HOSTILE,
        "new",
        {"The Guardian": HOSTILE, "BBC News": "Measles cases in Europe reach 25-year high"},
        [
            (
                "The World Health Organization counted 127,000 measles cases in Europe last year, the most since 1997.",
                ["BBC News"],
            ),
            (
                "Children under five accounted for more than 40% of the cases, and most of them had not"
                " been vaccinated.",
                ["The Guardian"],
            ),
            (
                "Health officials urged parents to check that children have had both doses of the vaccine"
                " before the winter holidays.",
                ["BBC News"],
            ),
        ],
        None,
    ),
    (
        "louvre",
        "Louvre to close the “Mona Lisa” room for a year of renovation",
        "new",
        {
            "Le Monde": "Le Louvre fermera la salle de « La Joconde » pendant un an",
            "The Guardian": "Louvre’s Mona Lisa to move while her room is rebuilt",
        },
        [
            (
                "The Louvre will close the Salle des États, home of the Mona Lisa, from March for about a year.",
                ["Le Monde"],
            ),
            (
                "The painting will hang in a temporary gallery in the Sully wing during the works, with timed"
                " tickets to limit queues.",
                ["The Guardian"],
            ),
            (
                "The museum says the €45 million project will add a separate entrance for the painting’s visitors.",
                ["Le Monde", "The Guardian"],
            ),
        ],
        None,
    ),
]


def make_briefing(story_count: int = len(STORIES)) -> Briefing:
    """A realistic one-page briefing: stories with cited points, a disagreement, changes of every kind."""
    citations: list[Citation] = []

    def cite(story_id: str, titles: dict[str, str], text: str, outlets: list[str]) -> list[int]:
        """New footnotes for the sentence: a passage of each outlet's article on the story."""
        numbers = []
        for outlet in outlets:
            numbers.append(len(citations) + 1)
            span = f"{text} The figures were confirmed on Wednesday by officials speaking to reporters in the capital."
            slug = re.sub(r"[^a-z0-9]+", "-", titles[outlet].lower()).strip("-")[:50]
            url = f"https://www.{DOMAINS[outlet]}/2026/11/25/{slug}?ref=rss&utm_source=feed"
            if titles[outlet] == HOSTILE:
                url = "javascript:alert(1)"
            citations.append(
                Citation(
                    number=numbers[-1],
                    article_id=f"{story_id}-{outlet}",
                    title=titles[outlet],
                    source=outlet,
                    published=datetime(2026, 11, 25, 6, 30, tzinfo=ZoneInfo("Europe/Paris")),
                    url=url,
                    text=span,
                    start=120,
                    end=120 + len(span),
                )
            )
        return numbers

    stories = []
    for index in range(story_count):
        story_id, headline, status, titles, points, disagreement = STORIES[index % len(STORIES)]
        story_id = story_id if index < len(STORIES) else f"{story_id}-{index}"
        sentences = [
            CitedSentence(text=text, citations=cite(story_id, titles, text, outlets)) for text, outlets in points
        ]
        disagreements = (
            [CitedSentence(text=disagreement[0], citations=cite(story_id, titles, *disagreement))]
            if disagreement
            else []
        )
        stories.append(
            StoryBrief(
                story_id=story_id,
                headline=headline,
                headline_citation=sentences[0].citations[0],
                points=sentences,
                disagreements=disagreements,
                outlets=list(titles),
                article_ids=[f"{story_id}-{o}" for o in titles],
                status="developing" if status == "developing" else "new",
            )
        )
    first = stories[0].points[0].citations
    changes = [
        Change(
            kind="new",
            story_id="dresden",
            text="A €10 billion chip plant near Dresden was confirmed.",
            citations=stories[4].points[0].citations if story_count > 4 else first,
        ),
        Change(
            kind="developing",
            story_id="rotterdam",
            text="The Rotterdam strike now runs into a second week.",
            citations=stories[1].points[0].citations if story_count > 1 else first,
        ),
        Change(
            kind="correction",
            story_id="ecb",
            text="Yesterday’s briefing gave the deposit rate as 2.5%; it is now 2.25% after the cut.",
            citations=first,
        ),
    ]
    briefing = Briefing(
        title="Morning briefing",
        since=date(2026, 11, 25),
        until=date(2026, 11, 25),
        timezone="Europe/Paris",
        generated_at=datetime(2026, 11, 25, 7, 2, tzinfo=ZoneInfo("Europe/Paris")),
        stories=stories,
        changes=changes,
        citations=citations,
        stats=BriefingStats(
            articles=143, stories_found=12, stories_shown=story_count, sentences_checked=34, sentences_passed=31
        ),
        model="qwen2.5-1.5b-instruct-q4_k_m",
    )
    return briefing.model_copy(update={"stats": briefing.stats.model_copy(update={"words": words_of(briefing)})})


def words_of(briefing: Briefing) -> int:
    """Words on the page outside the footnotes: headlines and every cited sentence."""
    texts = [story.headline for story in briefing.stories] + [s.text for s in briefing.sentences()]
    return sum(len(text.split()) for text in texts)


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return make_briefing()


def test_the_test_briefing_has_the_default_size(briefing: Briefing) -> None:
    assert 550 <= briefing.stats.words <= 680
    assert 28 <= len(briefing.citations) <= 40
    assert {change.kind for change in briefing.changes} == {"new", "developing", "correction"}


# ---- shared wording ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outlets", "expected"),
    [
        ([], ""),
        (["Reuters"], "Reported by Reuters"),
        (["Reuters", "AP"], "Reported by Reuters and AP"),
        (["Reuters", "AP", "Reuters", "BBC News"], "Reported by Reuters, AP and BBC News"),
    ],
)
def test_outlets_are_listed_once_each(outlets: list[str], expected: str) -> None:
    assert reported_by(outlets) == expected


def test_summary_line(briefing: Briefing) -> None:
    expected = "8 stories from 143 articles (6 new, 2 developing); every line checked against its sources"
    assert summary_line(briefing) == expected


def test_excerpt_is_trimmed_to_twenty_words() -> None:
    assert excerpt("one two three") == "one two three"
    long = " ".join(f"w{n}" for n in range(30))
    assert excerpt(long) == " ".join(f"w{n}" for n in range(20)) + " …"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.reuters.com/a?b=1&c=2", "https://www.reuters.com/a?b=1&c=2"),
        ("http://example.org/x", "http://example.org/x"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ('https://x.org/"><script>', None),
        ("https://x.org/a b", None),
        ("//x.org/a", None),
        (None, None),
    ],
)
def test_only_plain_web_addresses_become_links(url: str | None, expected: str | None) -> None:
    assert link_target(url) == expected


# ---- Markdown ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", r"\[click\](javascript:alert(1))"),
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list", r"\- not a list"),
        ("*not* _emphasis_ `code`", r"\*not\* \_emphasis\_ \`code\`"),
        ("AT&T’s “deal”\nnext line", r"AT\&T’s “deal” next line"),
        ("well-known 3.5% rise", "well-known 3.5% rise"),
    ],
)
def test_markdown_escaping(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


def test_markdown_has_every_sentence_and_every_footnote(briefing: Briefing) -> None:
    page = render_markdown(briefing)
    assert page.startswith("# Morning briefing\n")
    assert "8 stories from 143 articles (6 new, 2 developing); every line checked against its sources" in page
    assert "## What changed" in page
    for label in ("**New:**", "**Developing:**", "**Correction:**"):
        assert label in page
    for sentence in briefing.sentences():
        assert escape_markdown(sentence.text) in page
    for story in briefing.stories:
        assert f"## {escape_markdown(story.headline)}" in page
    assert "*Reported by Reuters, Financial Times and Le Monde*" in page
    assert "*Reported by Reuters, Der Spiegel and BBC News · Developing*" in page
    assert page.count("**Sources disagree:**") == 2
    markers = set(re.findall(r"\[\^(\d+)\](?!:)", page))
    definitions = re.findall(r"^\[\^(\d+)\]: ", page, flags=re.MULTILINE)
    assert sorted(map(int, definitions)) == [c.number for c in briefing.citations]
    assert markers == set(definitions)
    assert (
        '[^1]: Reuters, "ECB cuts rates again, signals “patient” path ahead", 2026-11-25 — <https://www.reuters.com/'
        in (page)
    )


def test_markdown_footnote_quotes_a_short_excerpt(briefing: Briefing) -> None:
    page = render_markdown(briefing)
    line = next(line for line in page.splitlines() if line.startswith("[^1]: "))
    quoted = line.split(" · “", 1)[1]
    assert quoted.endswith(" …”")
    assert len(quoted.split()) <= 21


def test_markdown_cannot_be_injected(briefing: Briefing) -> None:
    from markdown_it import MarkdownIt

    page = render_markdown(briefing)
    assert "<script>" not in page
    assert not re.search(r"(?<!\\)\]\(javascript:", page)
    assert "<javascript:" not in page
    as_html = MarkdownIt("commonmark").render(page)
    assert "<script" not in as_html
    assert not re.search(r"""href=["']?javascript""", as_html, flags=re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1))" in as_html


def test_markdown_drops_markers_without_a_footnote(briefing: Briefing) -> None:
    story = briefing.stories[0].model_copy(update={"points": [CitedSentence(text="A point.", citations=[1, 999])]})
    page = render_markdown(briefing.model_copy(update={"stories": [story], "changes": []}))
    assert "- A point.[^1]\n" in page
    assert "999" not in page


# ---- HTML -------------------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageChecker(HTMLParser):
    """Collects ids, links and tags, and checks that elements nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.open: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if found.get("href") is not None:
            self.hrefs.append(str(found["href"]))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(page: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    assert checker.problems == []
    assert checker.open == []
    return checker


def test_html_is_a_standalone_page_with_linked_footnotes(briefing: Briefing) -> None:
    page = render_html(briefing)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<title>Morning briefing — Wednesday 25 November 2026</title>" in page
    assert "@page { size: A4; margin: 10mm 11mm; }" in page
    checker = check_page(page)
    assert len(checker.ids) == len(set(checker.ids))
    internal = [href for href in checker.hrefs if href.startswith("#")]
    assert {f"#fn-{c.number}" for c in briefing.citations} <= set(internal)
    assert all(href[1:] in checker.ids for href in internal)
    assert all(href.startswith(("#", "https://")) for href in checker.hrefs)
    assert not {"script", "link", "img", "iframe"} & set(checker.tags)
    assert '<sup><a href="#fn-1" id="ref-1">1</a>,<a href="#fn-2" id="ref-2">2</a></sup>' in page  # first use
    assert '<sup><a href="#fn-1">1</a></sup>' in page  # later uses
    assert 'href="#ref-1"' in page
    text = "".join(checker.text)
    for sentence in briefing.sentences():
        assert sentence.text in text


def test_html_escapes_article_text(briefing: Briefing) -> None:
    page = render_html(briefing)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1))" in page
    assert 'href="javascript' not in page
    hostile_note = next(line for line in page.splitlines() if line.startswith("<li id=") and "&lt;script&gt;" in line)
    assert "The Guardian, “&lt;script&gt;" in hostile_note  # its javascript: URL is not made a link


def test_html_footnote_links_to_the_article(briefing: Briefing) -> None:
    page = render_html(briefing)
    assert (
        '<li id="fn-1" value="1">Reuters, <a href="https://www.reuters.com/2026/11/25/'
        'ecb-cuts-rates-again-signals-patient-path-ahead?ref=rss&amp;utm_source=feed">'
        '“ECB cuts rates again, signals “patient” path ahead”</a>, <span class="day">2026-11-25</span>.'
    ) in page


# ---- PDF --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", ["A4", "letter"])
def test_pdf_of_the_default_size_fits_one_page(briefing: Briefing, page_size: str) -> None:
    data, pages = render_pdf_with_pages(briefing, "A4" if page_size == "A4" else "letter")
    reader = PdfReader(io.BytesIO(data))
    assert pages == len(reader.pages) == 1
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == (595 if page_size == "A4" else 612)
    text = reader.pages[0].extract_text()
    assert "Rotterdam dockworkers extend strike" in text
    assert "€" in text
    assert "Île-de-France" in text
    assert "<script>alert(1)</script>" in text  # shown as text, not lost to markup


def with_footnotes(briefing: Briefing, total: int) -> Briefing:
    """The briefing with further sources (other articles) cited by its points, up to `total` footnotes."""
    citations = list(briefing.citations)
    stories = [story.model_copy(deep=True) for story in briefing.stories]
    while len(citations) < total:
        number = len(citations) + 1
        model = briefing.citations[number % len(briefing.citations)]
        citations.append(model.model_copy(update={"number": number, "article_id": f"more-{number}"}))
        stories[number % len(stories)].points[number % 3].citations.append(number)
    return briefing.model_copy(update={"citations": citations, "stories": stories})


@pytest.mark.parametrize("page_size", ["A4", "letter"])
def test_pdf_with_forty_footnotes_fits_one_page(briefing: Briefing, page_size: str) -> None:
    data, pages = render_pdf_with_pages(with_footnotes(briefing, 40), "A4" if page_size == "A4" else "letter")
    assert pages == len(PdfReader(io.BytesIO(data)).pages) == 1


@pytest.mark.parametrize("page_size", ["A4", "letter"])
def test_a_short_briefing_is_set_in_larger_type_on_one_page(briefing: Briefing, page_size: str) -> None:
    size: PageSize = "A4" if page_size == "A4" else "letter"
    short = make_briefing(story_count=4)
    assert pdf_scale(short, size) == max(SCALES)
    assert pdf_scale(briefing, size) < pdf_scale(short, size)
    assert render_pdf_with_pages(short, size)[1] == 1
    assert pdf_scale(with_footnotes(briefing, 40), size) == 1.0  # the worst case keeps the compact type


def test_larger_type_shows_in_the_pdf(briefing: Briefing) -> None:
    def body_size(data: bytes) -> float:
        """The size most of the page's characters are set in: the points' text."""
        sizes: Counter[float] = Counter()

        def visit(text: str, cm: Any, tm: list[float], fonts: Any, size: float) -> None:
            sizes[round(size * tm[0], 2)] += len(text.strip())

        PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
        return sizes.most_common(1)[0][0]

    short = make_briefing(story_count=4)
    assert body_size(render_pdf(short)) == pytest.approx(8.2 * pdf_scale(short), abs=0.01)
    assert body_size(render_pdf(briefing)) == pytest.approx(8.2 * pdf_scale(briefing), abs=0.01)


def test_the_type_scale_takes_three_builds_at_most(briefing: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    scales: list[float] = []
    build = pdf._build

    def counted(*args: Any, **kwargs: Any) -> Any:
        scales.append(args[2])
        return build(*args, **kwargs)

    monkeypatch.setattr(pdf, "_build", counted)
    for story_count in (2, 5, 8, 20):
        scales.clear()
        render_pdf(make_briefing(story_count=story_count))
        assert len(scales) <= 3
    assert scales[-1] == 1.0  # the long briefing: the 1.0 build, that reports its pages


@pytest.mark.parametrize("story_count", [3, 4, 5, 6, 7, 8])
def test_story_columns_are_balanced_and_no_headline_ends_a_column(story_count: int) -> None:
    briefing = make_briefing(story_count=story_count)
    for scale in (1.0, max(SCALES)):
        styles = pdf._styles(scale)
        flowables = [f for story in briefing.stories for f in pdf._story(story, pdf.footnotes_of(briefing), styles)]
        columns = pdf._Columns(flowables, 2, gap=14)
        height = columns.wrap(500, 2000)[1]
        placed = columns._placed
        assert len(placed) == 2
        assert all(column and not column[-1][0].getKeepWithNext() for column in placed)
        one_column = sum(f.wrap(243, 2000)[1] for f in flowables)
        assert height <= one_column / 2 + 60 * scale  # within a few lines of an even split


def test_pdf_links_markers_to_footnotes(briefing: Briefing) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(briefing)))
    annotations = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    uris = [a["/A"]["/URI"] for a in annotations if "/A" in a and "/URI" in a["/A"]]
    assert any(uri.startswith("https://www.reuters.com/") for uri in uris)
    assert not any("javascript" in uri for uri in uris)
    internal = [a for a in annotations if "/Dest" in a or ("/A" in a and "/D" in a["/A"])]
    assert internal


def test_pdf_is_deterministic(briefing: Briefing) -> None:
    assert render_pdf(briefing) == render_pdf(briefing)


def test_a_long_briefing_reports_more_than_one_page() -> None:
    long = make_briefing(story_count=20)
    assert words_of(long) >= 1500
    data, pages = render_pdf_with_pages(long)
    assert pages > 1
    assert len(PdfReader(io.BytesIO(data)).pages) == pages


# ---- JSON and files ---------------------------------------------------------------------------------------------


def test_json_round_trips(briefing: Briefing) -> None:
    assert Briefing.model_validate_json(render(briefing, "json")) == briefing


def test_render_gives_the_bytes_of_every_format(briefing: Briefing) -> None:
    assert render(briefing, "md").decode() == render_markdown(briefing)
    assert render(briefing, "html").decode() == render_html(briefing)
    assert render(briefing, "pdf").startswith(b"%PDF-")


def test_write_replaces_the_files_and_leaves_no_temporary_file(briefing: Briefing, tmp_path: Path) -> None:
    folder = tmp_path / "out" / "2026-11-25"
    written = write(briefing, folder)
    names = ["briefing.md", "briefing.html", "briefing.pdf", "briefing.json", "briefing.email.html"]
    assert [path.name for path in written] == names
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert (folder / "briefing.md").read_text() == render_markdown(briefing)

    shorter = briefing.model_copy(update={"title": "Evening briefing", "stories": briefing.stories[:2]})
    write(shorter, folder, ["md", "json"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert (folder / "briefing.md").read_text() == render_markdown(shorter)
    assert Briefing.model_validate_json((folder / "briefing.json").read_text()) == shorter
    assert (folder / "briefing.html").read_text() == render_html(briefing)  # not asked for: untouched


def test_a_failing_format_touches_no_file(briefing: Briefing, tmp_path: Path) -> None:
    write(briefing, tmp_path, ["md"])
    before = (tmp_path / "briefing.md").read_bytes()
    changed = briefing.model_copy(update={"title": "Changed"})
    with pytest.raises(ValueError, match="unknown briefing format"):
        write(changed, tmp_path, ["md", "docx"])  # type: ignore[list-item]
    assert (tmp_path / "briefing.md").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.md"]


def test_formats() -> None:
    assert FORMATS == ("md", "html", "pdf", "json", "email")


# ---- a story's further parts: developing since, facts of one outlet, who said what, timeline, nothing new -------

DEVELOPING_SINCE = date(2026, 11, 24)
QUOTED = "We will not <b>go back</b> until the cranes & the talks restart"  # markup in the words stays text
QUIET_HEADLINE = "Northgate council delays the budget vote"
BRIEF_HEADLINE = "Eastside library reopens after repairs"


def make_developing_briefing() -> Briefing:
    """Three stories over 24–26 November: a developing strike with every further part, a library story in brief and
    a council story with nothing new (both listed first, shown after the strike); what was read, with a quiet
    outlet."""
    outlets = ["Meridian Wire", "The Harbor Ledger", "Northgate Tribune"]
    citations = [
        Citation(
            number=number,
            article_id=f"article-{number}",
            title="Budget vote put off again" if number == 1 else f"Harbor strike, report {number}",
            source=outlets[number % 3],
            published=datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Europe/Paris")),
            url=f"https://news.example.org/{number}",
            text=f"Passage {number} of the article, as cited.",
            start=0,
            end=40,
        )
        for number in range(1, 8)
    ]
    citations.append(
        Citation(
            number=8,
            article_id="article-8",
            title=BRIEF_HEADLINE,
            source="Eastside Post",
            published=datetime(2026, 11, 26, 11, 0, tzinfo=ZoneInfo("Europe/Paris")),
            url="https://news.example.org/8",
            text="Passage 8 of the article, as cited.",
            start=0,
            end=35,
        )
    )
    quiet = StoryBrief(
        story_id="budget",
        headline=QUIET_HEADLINE,
        headline_citation=1,
        points=[CitedSentence(text="A key point that a story with nothing new never shows.", citations=[1])],
        outlets=["Northgate Tribune", "Meridian Wire"],
        article_ids=["article-1"],
        status="developing",
        first_seen=date(2026, 11, 23),
        nothing_new=True,
    )
    library = StoryBrief(
        story_id="library",
        headline=BRIEF_HEADLINE,
        headline_citation=8,
        points=[],
        outlets=["Eastside Post", "Meridian Wire"],
        article_ids=["article-8"],
        in_brief=True,
    )
    strike = StoryBrief(
        story_id="strike",
        headline="Harbor strike enters its third day",
        headline_citation=2,
        points=[
            CitedSentence(text="Dockworkers kept the harbor closed for a third day.", citations=[2, 3]),
            CitedSentence(text="Two ships were diverted to Eastport.", citations=[4], only_outlet="Northgate Tribune"),
        ],
        quotes=[QuoteLine(text=QUOTED, citations=[5], speaker="Ann Holt", outlet="The Harbor Ledger")],
        timeline=[
            TimelineEntry(text="The union called the strike.", citations=[6], day=date(2026, 11, 24)),
            TimelineEntry(text="Talks with the port authority broke down.", citations=[7], day=date(2026, 11, 25)),
        ],
        outlets=outlets,
        article_ids=[c.article_id for c in citations[1:7]],
        status="developing",
        first_seen=DEVELOPING_SINCE,
    )
    return Briefing(
        title="Harbor briefing",
        since=date(2026, 11, 26),
        until=date(2026, 11, 26),
        timezone="Europe/Paris",
        generated_at=datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Europe/Paris")),
        stories=[quiet, library, strike],
        citations=citations,
        stats=BriefingStats(articles=34),
        inputs=InputsSummary(
            articles=34,
            outlets=["Meridian Wire", "Northgate Tribune", "The Harbor Ledger", "Eastside Post", "Lakeshore Daily"],
            oldest=datetime(2026, 11, 24, 5, 45, tzinfo=UTC),  # 06:45 in Paris
            newest=datetime(2026, 11, 26, 16, 30),  # naive: as the article states it
            quiet_outlets=["Valley Courier"],
        ),
    )


DEVELOPING_BYLINE = "Reported by Meridian Wire, The Harbor Ledger and Northgate Tribune · 3 outlets"
QUOTE_LINE = f"Ann Holt: “{QUOTED}” — The Harbor Ledger"
INPUTS_LINE = (
    "Read 34 articles from 5 outlets (Meridian Wire, Northgate Tribune, The Harbor Ledger, …), "
    "published 24 Nov 06:45 – 26 Nov 16:30 · No articles in this period from: Valley Courier"
)
STILL_LINE = "no new facts since Mon 23 Nov · Reported by Northgate Tribune and Meridian Wire"
BRIEF_LINE = "Reported by Eastside Post and Meridian Wire"
ONE_LINE_SECTIONS = (  # as read in HTML: in brief first, then nothing new
    f"{IN_BRIEF_HEADING} {BRIEF_HEADLINE}8 · {BRIEF_LINE} {STILL_DEVELOPING_HEADING} {QUIET_HEADLINE}1 · {STILL_LINE}"
)
HIDDEN_POINT = "A key point that a story with nothing new never shows."


@pytest.fixture(scope="module")
def developing() -> Briefing:
    return make_developing_briefing()


def test_the_shared_wording_of_the_further_parts(developing: Briefing) -> None:
    quiet, library, strike = developing.stories
    assert (byline_parts(strike), story_tag(strike)) == (
        ["Reported by Meridian Wire, The Harbor Ledger and Northgate Tribune", "3 outlets"],
        "developing since Tue 24 Nov",
    )
    assert quote_line(strike.quotes[0]) == QUOTE_LINE
    assert [timeline_line(e) for e in strike.timeline] == [
        "Tue 24 Nov — The union called the strike.",
        "Wed 25 Nov — Talks with the port authority broke down.",
    ]
    assert only_note("Northgate Tribune") == "(only Northgate Tribune)"
    assert no_new_facts(quiet, developing.since) == STILL_LINE
    assert headline_note(quiet, developing.since) == STILL_LINE
    assert headline_note(library, developing.since) == BRIEF_LINE
    assert split_sections(developing.stories) == (
        [strike],
        [(IN_BRIEF_HEADING, [library]), (STILL_DEVELOPING_HEADING, [quiet])],
    )
    assert inputs_line(developing) == INPUTS_LINE


def test_the_summary_counts_the_stories_in_brief(developing: Briefing) -> None:
    checked = "; every line checked against its sources"
    assert summary_line(developing) == f"3 stories from 34 articles (1 new, 2 developing; 1 in brief){checked}"
    only_brief = developing.model_copy(update={"stories": developing.stories[1:2], "stats": BriefingStats()})
    assert summary_line(only_brief) == f"1 story (1 in brief){checked}"


def test_a_story_in_brief_without_outlets_is_its_headline_alone(developing: Briefing) -> None:
    library = developing.stories[1].model_copy(update={"outlets": []})
    assert headline_note(library, developing.since) == ""
    page = render_markdown(developing.model_copy(update={"stories": [library]}))
    assert f"## {IN_BRIEF_HEADING}\n\n- **{BRIEF_HEADLINE}**[^8]\n" in page


def test_a_briefing_without_one_line_stories_has_no_such_sections(briefing: Briefing) -> None:
    for page in (render_markdown(briefing), render_html(briefing), render_email(briefing)):
        assert IN_BRIEF_HEADING not in page
        assert STILL_DEVELOPING_HEADING not in page


def test_a_story_with_nothing_new_and_no_first_day_is_dated_from_the_day_before(developing: Briefing) -> None:
    quiet = developing.stories[0].model_copy(update={"first_seen": None, "outlets": []})
    assert no_new_facts(quiet, developing.since) == "no new facts since Wed 25 Nov"


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (InputsSummary(), ""),
        (InputsSummary(articles=0, outlets=["A"], quiet_outlets=["B"]), ""),
        (InputsSummary(articles=1, outlets=["A"]), "Read 1 article from 1 outlet (A)"),
        (
            InputsSummary(articles=3, outlets=["A", "B"], oldest=date(2026, 11, 24), newest=date(2026, 11, 26)),
            "Read 3 articles from 2 outlets (A, B), published 24 Nov – 26 Nov",
        ),
        (
            InputsSummary(articles=2, oldest=date(2026, 11, 25), newest=datetime(2026, 11, 25, 9, 5)),
            "Read 2 articles, published 25 Nov, latest 09:05",
        ),
        (
            InputsSummary(articles=2, newest=datetime(2026, 11, 25, 8, 0, tzinfo=UTC), quiet_outlets=["C", "D"]),
            "Read 2 articles, published 25 Nov 09:00 · No articles in this period from: C, D",
        ),
        (
            InputsSummary(articles=2, oldest=date(2025, 12, 31), newest=datetime(2026, 1, 1, 0, 30)),
            "Read 2 articles, published 31 Dec 2025 – 1 Jan 2026 00:30",
        ),
    ],
)
def test_the_inputs_line(developing: Briefing, inputs: InputsSummary, expected: str) -> None:
    assert inputs_line(developing.model_copy(update={"inputs": inputs})) == expected


def test_markdown_shows_the_further_parts(developing: Briefing) -> None:
    page = render_markdown(developing)
    assert f"*{escape_markdown(DEVELOPING_BYLINE)} · developing since Tue 24 Nov*" in page
    assert "- Two ships were diverted to Eastport.[^4] *(only Northgate Tribune)*\n" in page
    assert f"**Who said what**\n\n- {escape_markdown(QUOTE_LINE)}[^5]\n" in page
    assert "**Timeline**\n\n- Tue 24 Nov — The union called the strike.[^6]\n" in page
    assert "- Wed 25 Nov — Talks with the port authority broke down.[^7]\n" in page
    assert f"*{escape_markdown(INPUTS_LINE)}*\n\n---\n" in page  # before the footnotes
    still = [line for line in page.splitlines() if QUIET_HEADLINE in line]
    assert still == [f"- **{QUIET_HEADLINE}**[^1] · {STILL_LINE}"]  # one line, after the full stories
    assert page.index("## Harbor strike") < page.index("## Still developing") < page.index(QUIET_HEADLINE)
    assert HIDDEN_POINT not in page
    one_line_sections = (
        f"## {IN_BRIEF_HEADING}\n\n- **{BRIEF_HEADLINE}**[^8] · {BRIEF_LINE}\n\n"
        f"## {STILL_DEVELOPING_HEADING}\n\n- **{QUIET_HEADLINE}**[^1] · {STILL_LINE}\n"
    )
    assert one_line_sections in page  # in brief first, then nothing new
    assert page.index("## Harbor strike") < page.index(one_line_sections)
    markers = {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", page)}
    assert markers == {c.number for c in developing.citations}


def test_markdown_shows_quoted_markup_as_text(developing: Briefing) -> None:
    from markdown_it import MarkdownIt

    as_html = MarkdownIt("commonmark").render(render_markdown(developing))
    assert "We will not &lt;b&gt;go back&lt;/b&gt; until the cranes &amp; the talks restart" in as_html
    assert "<b>" not in as_html


def test_html_shows_the_further_parts(developing: Briefing) -> None:
    page = render_html(developing)
    checker = check_page(page)
    text = " ".join("".join(checker.text).split())
    assert f'{DEVELOPING_BYLINE} · <span class="tag">developing since Tue 24 Nov</span>' in page
    assert (
        'Two ships were diverted to Eastport.<sup><a href="#fn-4" id="ref-4">4</a></sup> '
        '<span class="only">(only Northgate Tribune)</span>'
    ) in page
    assert '<p class="part">Who said what</p>' in page
    assert "Ann Holt: “We will not &lt;b&gt;go back&lt;/b&gt; until the cranes &amp; the talks restart”" in page
    assert QUOTE_LINE in text  # the words exactly, once the escapes are read
    assert "<b>" not in page
    assert "Timeline" in text
    assert "Tue 24 Nov — The union called the strike.6" in text
    assert f'<p class="inputs">{escape_html(INPUTS_LINE)}</p>' in page
    assert page.index('<p class="inputs">') < page.index('<section class="notes">')
    (still,) = [line for line in page.splitlines() if QUIET_HEADLINE in line]
    assert still.startswith("<li><strong>")
    assert still.endswith("</li>")
    assert STILL_LINE in still
    assert page.index("Still developing") > page.index("Harbor strike enters")
    (brief,) = [line for line in page.splitlines() if BRIEF_HEADLINE in line and line.startswith("<li><strong>")]
    assert brief == (
        f'<li><strong>{BRIEF_HEADLINE}</strong><sup><a href="#fn-8" id="ref-8">8</a></sup> '
        f'<span class="note">· {BRIEF_LINE}</span></li>'
    )
    assert ONE_LINE_SECTIONS in text
    assert text.index("Harbor strike enters") < text.index(ONE_LINE_SECTIONS)
    assert HIDDEN_POINT not in page
    assert {f"#fn-{c.number}" for c in developing.citations} <= set(checker.hrefs)


def test_email_shows_the_further_parts(developing: Briefing) -> None:
    mail = render_email(developing)
    for forbidden in ("<style", "<link", "<script", "<img", "url("):
        assert forbidden not in mail.lower()
    checker = check_page(mail)
    text = " ".join("".join(checker.text).split())
    assert f"{DEVELOPING_BYLINE} · developing since Tue 24 Nov" in text
    assert "Two ships were diverted to Eastport.4 (only Northgate Tribune)" in text
    assert f"Who said what {QUOTE_LINE}5" in text
    assert "&lt;b&gt;go back&lt;/b&gt;" in mail
    assert "<b>" not in mail
    assert "Timeline Tue 24 Nov — The union called the strike.6 Wed 25 Nov — Talks" in text
    assert ONE_LINE_SECTIONS in text
    assert text.index("Harbor strike enters") < text.index(ONE_LINE_SECTIONS)
    assert f"{INPUTS_LINE} Sources" in text  # before the footnotes
    assert HIDDEN_POINT not in text
    markers = {int(n) for group in re.findall(r"<sup [^>]*>([\d,]+)</sup>", mail) for n in group.split(",")}
    assert markers == {c.number for c in developing.citations}


def test_pdf_shows_the_further_parts_on_one_page(developing: Briefing) -> None:
    data, pages = render_pdf_with_pages(developing)
    assert pages == 1
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert f"{DEVELOPING_BYLINE} · developing since Tue 24 Nov" in text
    assert "(only Northgate Tribune)" in text
    assert "WHO SAID WHAT" in text
    assert QUOTE_LINE in text  # markup in the words shown as written
    assert "TIMELINE" in text
    assert "Tue 24 Nov — The union called the strike." in text
    assert "ALSO IN THE NEWS" in text
    assert f"{BRIEF_HEADLINE}8 · {BRIEF_LINE}" in text
    assert "STILL DEVELOPING" in text
    assert f"{QUIET_HEADLINE}1 · {STILL_LINE}" in text
    assert INPUTS_LINE in text
    assert text.index(INPUTS_LINE) < text.index("SOURCES")
    assert HIDDEN_POINT not in text


def test_pdf_sets_stories_in_brief_then_those_with_nothing_new_one_paragraph_each_after_the_others(
    developing: Briefing,
) -> None:
    stories, _ = [f for f in pdf._flowables(developing, 1.0) if isinstance(f, pdf._Columns)]  # and the footnotes
    texts = [flowable.getPlainText() for flowable in stories.content]
    assert texts[0] == "Harbor strike enters its third day2"
    assert len(texts) == 13  # the strike in full: headline, byline, 2 points, a label and a quote, a label and 2 days
    assert texts[-4:] == [
        "ALSO IN THE NEWS",
        f"{BRIEF_HEADLINE}8 · {BRIEF_LINE}",
        "STILL DEVELOPING",
        f"{QUIET_HEADLINE}1 · {STILL_LINE}",
    ]


def test_the_default_briefing_with_every_further_part_still_fits_one_page(briefing: Briefing) -> None:
    richer = briefing.model_copy(deep=True)
    extra = next(story for story in make_developing_briefing().stories if story.story_id == "strike")
    for story in richer.stories:
        first = story.points[0].citations
        story.first_seen = DEVELOPING_SINCE
        story.quotes = [extra.quotes[0].model_copy(update={"citations": first})]
        story.timeline = [entry.model_copy(update={"citations": first}) for entry in extra.timeline]
    richer.inputs = make_developing_briefing().inputs
    fitted = fit_one_page(richer)
    assert render_pdf_with_pages(fitted)[1] == 1
    assert fitted.stories


def test_the_default_briefing_with_its_last_stories_in_brief_is_one_page(briefing: Briefing) -> None:
    shorter = briefing.model_copy(deep=True)
    for story in shorter.stories[-3:]:
        story.in_brief, story.points, story.disagreements = True, [], []
    shorter = renumbered(shorter)
    data, pages = render_pdf_with_pages(shorter)
    assert pages == 1
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "ALSO IN THE NEWS" in text
    for story in shorter.stories[-3:]:
        assert f"{story.headline}{story.headline_citation} · {reported_by(story.outlets)}" in text


def test_a_story_in_brief_shows_its_sentence_after_the_headline(developing: Briefing) -> None:
    sentence = CitedSentence(text="The library reopened on Monday after the roof was fixed.", citations=[8])
    library = developing.stories[1].model_copy(update={"headline_citation": None, "points": [sentence]})
    briefing = developing.model_copy(update={"stories": [library]})
    page = render_markdown(briefing)
    assert f"- **{BRIEF_HEADLINE}** — {escape_markdown(sentence.text)}[^8] · {BRIEF_LINE}\n" in page
    html = render_html(briefing)
    assert f"<strong>{BRIEF_HEADLINE}</strong> — {sentence.text}" in html
    assert sentence.text in render_email(briefing)
    text = " ".join(PdfReader(io.BytesIO(render_pdf(briefing))).pages[0].extract_text().split())
    assert "The library reopened on Monday" in text
