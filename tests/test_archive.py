"""The archive of written briefings and its delivery: listing and reopening them (library, `brief --list`, the app's
sidebar), the HTML e-mail, and the Atom feed read back with feedparser."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from briefing.briefs.archive import earlier_briefings, folder_name, list_briefings, read_briefing
from briefing.briefs.page import Briefing
from briefing.briefs.periods import Period
from briefing.cli import app
from briefing.errors import InputError
from briefing.index.store import ArticleStore
from briefing.render import FORMATS, file_name, write
from briefing.render.atom import FEED_FILE, entry_id, render_atom
from briefing.render.email import email_body, render_email
from briefing.render.publish import publish_feed
from briefing.settings import Settings
from tests.test_app import TIMEOUT, _run
from tests.test_render import HOSTILE, make_briefing

NOVEMBER_25 = date(2026, 11, 25)


def _on(briefing: Briefing, since: date, until: date | None = None, title: str = "Daily briefing") -> Briefing:
    """The briefing moved to another period (generated at 07:00 on its last day) and titled."""
    last = until or since
    generated = datetime(last.year, last.month, last.day, 7, 0, tzinfo=UTC)
    return briefing.model_copy(update={"since": since, "until": last, "title": title, "generated_at": generated})


def _save(out_dir: Path, *briefings: Briefing) -> None:
    """Each briefing's JSON in its dated folder, as `briefing daily` leaves it."""
    for briefing in briefings:
        write(briefing, out_dir / folder_name(briefing), ["json"])


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return make_briefing()


@pytest.fixture(scope="module")
def short() -> Briefing:
    return make_briefing(3)


# ---- the archive ------------------------------------------------------------------------------------------------


def test_saved_briefings_are_listed_newest_period_first(short: Briefing, tmp_path: Path) -> None:
    _save(
        tmp_path,
        _on(short, date(2026, 11, 23)),
        _on(short, date(2026, 11, 25), title="Briefing"),
        _on(short, date(2026, 11, 21), date(2026, 11, 24)),
    )
    saved, unreadable = list_briefings(tmp_path)
    assert unreadable == []
    assert [s.folder.name for s in saved] == ["2026-11-25", "2026-11-21_2026-11-24", "2026-11-23"]
    newest = saved[0]
    assert (newest.title, newest.since, newest.until) == ("Briefing", NOVEMBER_25, NOVEMBER_25)
    assert newest.period_label == "Wednesday 25 November 2026"
    assert newest.stories == 3
    assert newest.words == short.word_count() > 0
    assert newest.generated_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert newest.path == tmp_path / "2026-11-25" / "briefing.json"
    assert newest.load() == _on(short, NOVEMBER_25, title="Briefing")


def test_unreadable_briefings_are_set_apart_with_the_reason(short: Briefing, tmp_path: Path) -> None:
    _save(tmp_path, _on(short, NOVEMBER_25))
    for folder, text in [
        ("2026-11-20", "{not json"),
        ("2026-11-21", '{"title": "Daily briefing"}'),
        ("2026-11-22", ""),
    ]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "briefing.json").write_text(text)
    (tmp_path / "notes").mkdir()  # a folder without a briefing is not an archive entry at all
    saved, unreadable = list_briefings(tmp_path)
    assert [s.folder.name for s in saved] == ["2026-11-25"]
    reasons = {problem.path.parent.name: problem.reason for problem in unreadable}
    assert set(reasons) == {"2026-11-20", "2026-11-21", "2026-11-22"}
    assert reasons["2026-11-20"].startswith("is not a saved briefing (Invalid JSON")
    assert reasons["2026-11-21"] == "is not a saved briefing (since: Field required; 3 more)"
    with pytest.raises(InputError, match=r"2026-11-22/briefing.json: is not a saved briefing"):
        read_briefing(tmp_path / "2026-11-22" / "briefing.json")


def test_a_folder_that_does_not_exist_holds_no_briefing(tmp_path: Path) -> None:
    assert list_briefings(tmp_path / "nowhere") == ([], [])


@pytest.mark.parametrize(
    ("saved", "period", "expected"),
    [
        ([(date(2026, 11, 24), None, "Daily briefing")], (NOVEMBER_25, NOVEMBER_25), [date(2026, 11, 24)]),
        ([(date(2026, 11, 24), None, "Briefing")], (NOVEMBER_25, NOVEMBER_25), [date(2026, 11, 24)]),
        ([(date(2026, 11, 24), None, "Evening edition")], (NOVEMBER_25, NOVEMBER_25), []),
        ([(date(2026, 11, 21), None, "Daily briefing")], (NOVEMBER_25, NOVEMBER_25), []),  # before the three days
        ([(NOVEMBER_25, None, "Daily briefing")], (NOVEMBER_25, NOVEMBER_25), []),  # the same day is not before
        (
            [(date(2026, 11, 22), None, "Daily briefing"), (date(2026, 11, 24), None, "Daily briefing")],
            (NOVEMBER_25, NOVEMBER_25),
            [date(2026, 11, 24), date(2026, 11, 22)],  # newest first
        ),
        (
            [(date(2026, 11, 21), date(2026, 11, 23), "Briefing"), (date(2026, 11, 20), None, "Daily briefing")],
            (date(2026, 11, 24), date(2026, 11, 26)),
            [date(2026, 11, 21)],  # a range looks back as many days as it has
        ),
        ([], (NOVEMBER_25, NOVEMBER_25), []),
    ],
)
def test_the_earlier_briefings_are_those_ending_in_the_days_just_before(
    short: Briefing,
    tmp_path: Path,
    saved: list[tuple[date, date | None, str]],
    period: tuple[date, date],
    expected: list[date],
) -> None:
    _save(tmp_path, *(_on(short, since, until, title) for since, until, title in saved))
    found = earlier_briefings(tmp_path, Period(*period, UTC))
    assert [b.since for b in found] == expected
    assert all(b.stories == short.stories for b in found)


def test_the_earlier_briefings_skip_a_damaged_file(short: Briefing, tmp_path: Path) -> None:
    _save(tmp_path, _on(short, date(2026, 11, 24)))
    (tmp_path / "2026-11-24" / "briefing.json").write_text("{")
    assert earlier_briefings(tmp_path, Period(NOVEMBER_25, NOVEMBER_25, UTC)) == []


# ---- the e-mail -------------------------------------------------------------------------------------------------


class MailChecker(HTMLParser):
    """Every tag with its attributes, and each run of visible text with the tags open around it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, list[tuple[str, dict[str, str | None]]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br"}:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.open
        assert self.open[-1][0] == tag, f"</{tag}> closes <{self.open[-1][0]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((data, list(self.open)))


def check_mail(page: str) -> MailChecker:
    checker = MailChecker()
    checker.feed(page)
    checker.close()
    assert checker.open == []
    return checker


def test_the_email_carries_its_styles_inline_and_loads_nothing(briefing: Briefing) -> None:
    mail = render_email(briefing)
    assert mail.startswith("<!DOCTYPE html>")
    for forbidden in ("<style", "<link", "<script", "<img", "<iframe", "@import", "url(", "src="):
        assert forbidden not in mail.lower()
    checker = check_mail(mail)
    in_body = checker.tags[[tag for tag, _ in checker.tags].index("body") :]
    assert all(attrs.get("style") for tag, attrs in in_body if tag != "tr"), "an element without its own style"
    for text, around in checker.texts:
        if any(tag == "body" for tag, _ in around):
            assert any(attrs.get("style") for _, attrs in around), f"{text!r} is not styled"
    article_urls = {c.url for c in briefing.citations if c.url and c.url.startswith("https://")}
    links = [attrs["href"] for tag, attrs in checker.tags if tag == "a"]
    assert links
    assert set(links) <= article_urls  # the only addresses are the articles' own


def test_the_email_has_the_content_of_the_page(briefing: Briefing) -> None:
    mail = render_email(briefing)
    text = "".join(t for t, _ in check_mail(mail).texts)
    assert "Morning briefing" in text
    assert "Wednesday 25 November 2026" in text
    assert "8 stories from 143 articles (6 new, 2 developing)" in text
    for label in ("What changed", "New", "Developing", "Correction", "Sources disagree:", "Sources"):
        assert label in text
    for sentence in briefing.sentences():
        assert sentence.text in text
    for story in briefing.stories:
        assert story.headline in text
    assert "Reported by Reuters, Financial Times and Le Monde" in text
    assert "Generated 25 November 2026, 07:02 (Europe/Paris)" in text


def test_every_citation_number_is_a_marker_and_a_footnote(briefing: Briefing) -> None:
    mail = render_email(briefing)
    markers = {int(n) for group in re.findall(r"<sup [^>]*>([\d,]+)</sup>", mail) for n in group.split(",")}
    numbers = {c.number for c in briefing.citations}
    assert markers == numbers
    for citation in briefing.citations:
        note = re.search(rf'<p style="[^"]*"><span style="[^"]*">{citation.number}\.</span> (.*)</p>', mail)
        assert note is not None, citation.number
        assert note.group(1).startswith(citation.source)
        assert "2026-11-25" in note.group(1)
        assert " ".join(citation.text.split()[:8]) in note.group(1)  # the quoted span, trimmed


def test_the_email_escapes_article_text(briefing: Briefing) -> None:
    mail = render_email(briefing)
    assert HOSTILE not in mail
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1))" in mail
    assert "javascript:" not in mail.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in mail
    assert "<script" not in mail


def test_the_email_of_an_empty_briefing_is_still_a_message(briefing: Briefing) -> None:
    empty = briefing.model_copy(update={"stories": [], "changes": [], "citations": []})
    checker = check_mail(render_email(empty))
    text = "".join(t for t, _ in checker.texts)
    assert "0 stories from 143 articles" in text
    assert "Sources" not in text


# ---- the Atom feed ----------------------------------------------------------------------------------------------


def _week(short: Briefing) -> list[Briefing]:
    return [_on(short, NOVEMBER_25 - timedelta(days=days)) for days in range(7)]


def test_the_feed_is_valid_atom_with_one_entry_per_briefing_newest_first(short: Briefing) -> None:
    week = _week(short)
    parsed = feedparser.parse(render_atom(list(reversed(week))))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Briefings"
    assert parsed.feed.updated == "2026-11-25T07:00:00+00:00"
    assert [e.title for e in parsed.entries][:2] == [
        "Daily briefing · Wednesday 25 November 2026",
        "Daily briefing · Tuesday 24 November 2026",
    ]
    assert [e.id for e in parsed.entries] == [entry_id(b) for b in week]
    assert parsed.entries[0].id == "tag:briefing.local,2026-11-25:2026-11-25"
    assert [e.updated_parsed[:4] for e in parsed.entries][:2] == [(2026, 11, 25, 7), (2026, 11, 24, 7)]
    assert [e.link for e in parsed.entries][:2] == ["2026-11-25/briefing.html", "2026-11-24/briefing.html"]


def test_the_feed_carries_the_email_html(briefing: Briefing) -> None:
    parsed = feedparser.parse(render_atom([briefing]))
    assert parsed.bozo == 0
    (entry,) = parsed.entries
    content = entry.content[0]
    assert content.type == "text/html"
    assert "<h1" in content.value
    assert "Morning briefing</h1>" in content.value
    for sentence in briefing.sentences()[:5]:
        assert sentence.text in content.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content.value  # still text, never markup
    assert "<script" not in content.value
    assert 'href="https://www.reuters.com/2026/11/25/' in content.value
    assert entry.summary.startswith("8 stories from 143 articles")
    atom = "{http://www.w3.org/2005/Atom}"
    element = ElementTree.fromstring(render_atom([briefing])).find(f"{atom}entry/{atom}content")
    assert element is not None
    assert element.text == email_body(briefing)  # escaped in the XML, and exactly the e-mail's markup once read


def test_a_rewritten_briefing_keeps_its_entry_id(short: Briefing) -> None:
    first = _on(short, NOVEMBER_25)
    again = first.model_copy(update={"generated_at": first.generated_at + timedelta(hours=3), "title": "Briefing"})
    assert entry_id(first) == entry_id(again)
    assert entry_id(first) != entry_id(_on(short, date(2026, 11, 24)))
    assert (
        entry_id(_on(short, date(2026, 11, 24), NOVEMBER_25)) == "tag:briefing.local,2026-11-24:2026-11-24_2026-11-25"
    )


def test_the_feed_keeps_the_newest_thirty_and_links_absolute_with_a_base_url(short: Briefing) -> None:
    days = [_on(short, NOVEMBER_25 - timedelta(days=days)) for days in range(35)]
    parsed = feedparser.parse(render_atom(days, base_url="https://news.example.org/briefings"))
    assert parsed.bozo == 0
    assert len(parsed.entries) == 30
    assert parsed.entries[-1].title == "Daily briefing · Tuesday 27 October 2026"
    assert parsed.entries[0].link == "https://news.example.org/briefings/2026-11-25/briefing.html"
    selves = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert selves == ["https://news.example.org/briefings/feed.xml"]


def test_a_feed_without_briefings_is_still_valid() -> None:
    parsed = feedparser.parse(render_atom([]))
    assert parsed.bozo == 0
    assert parsed.entries == []
    assert parsed.feed.title == "Briefings"


# ---- files --------------------------------------------------------------------------------------------------------


def test_the_email_is_written_beside_the_page(short: Briefing, tmp_path: Path) -> None:
    assert "email" in FORMATS
    assert file_name("email") == "briefing.email.html"
    assert file_name("md") == "briefing.md"
    (written,) = write(short, tmp_path, ["email"])
    assert written == tmp_path / "briefing.email.html"
    assert written.read_text() == render_email(short)


def test_the_feed_file_is_rebuilt_from_the_folder(short: Briefing, tmp_path: Path) -> None:
    _save(tmp_path, *_week(short)[:3])
    (tmp_path / "2026-11-01").mkdir()
    (tmp_path / "2026-11-01" / "briefing.json").write_text("damaged")
    path = publish_feed(tmp_path)
    assert path == tmp_path / FEED_FILE
    assert [e.title[-16:] for e in feedparser.parse(path.read_bytes()).entries] == [
        "25 November 2026",
        "24 November 2026",
        "23 November 2026",
    ]
    _save(tmp_path, _on(short, date(2026, 11, 26)))
    publish_feed(tmp_path)
    assert len(feedparser.parse(path.read_bytes()).entries) == 4
    assert not list(tmp_path.glob(".*tmp"))


# ---- `briefing brief --list` ------------------------------------------------------------------------------------


def _list(out_dir: Path, *options: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(out_dir.parent / "store"), "brief", "--list", *options])
    return result.exit_code, " ".join(result.stdout.split()), " ".join(result.stderr.split())


def test_brief_list_prints_the_saved_briefings_newest_first(short: Briefing, tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    one_story = short.model_copy(update={"stories": short.stories[:1]})
    _save(out, _on(short, date(2026, 11, 24)), _on(one_story, NOVEMBER_25, title="Briefing"))
    _save(out, _on(short, date(2026, 11, 20), date(2026, 11, 22)))
    (out / "2026-11-19").mkdir()
    (out / "2026-11-19" / "briefing.json").write_text("[]")
    code, stdout, stderr = _list(out, "--out", str(out))
    assert code == 0
    words = one_story.word_count()
    assert stdout.startswith(
        f"2026-11-25 Briefing 1 story {words} words generated 2026-11-25 07:00 {out / '2026-11-25'}"
    )
    assert stdout.index("2026-11-25 Briefing") < stdout.index("2026-11-24 Daily briefing 3 stories")
    assert stdout.index("2026-11-24 Daily") < stdout.index("2026-11-20..2026-11-22 Daily briefing 3 stories")
    assert f"skipped: {out / '2026-11-19' / 'briefing.json'}: is not a saved briefing" in stderr


def test_brief_list_reads_the_configured_folder_and_says_when_it_is_empty(
    short: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "briefings"
    monkeypatch.setenv("BRIEFING_BRIEFING__OUT_DIR", str(out))
    code, stdout, _ = _list(out)
    assert code == 0
    assert stdout == f"no briefings written yet in {out}"
    _save(out, _on(short, NOVEMBER_25))
    code, stdout, _ = _list(out)
    assert (code, stdout.split()[:3]) == (0, ["2026-11-25", "Daily", "briefing"])


def test_brief_accepts_the_email_format(tmp_path: Path) -> None:
    bad = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "brief", "--format", "email,docx"])
    assert bad.exit_code == 2
    assert "docx: choose from md, html, pdf, json, email, all" in " ".join(bad.output.replace("│", " ").split())


# ---- the app's sidebar ------------------------------------------------------------------------------------------


def _briefing_page() -> None:
    from briefing.ui import briefing_page

    briefing_page.render(llm=None)


@pytest.fixture
def two_saved(
    sample_settings: Settings,
    sample_store: ArticleStore,
    short: Briefing,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Sequence[Briefing]:
    """The app on the sample store, with two briefings saved in its output folder."""
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(sample_settings.store.path))
    monkeypatch.setenv("BRIEFING_BRIEFING__OUT_DIR", str(tmp_path / "briefings"))
    saved = [_on(short, date(2026, 11, 23)), _on(make_briefing(5), NOVEMBER_25, title="Briefing")]
    _save(tmp_path / "briefings", *saved)
    return saved


def test_past_briefings_are_browsed_by_date_in_the_sidebar(two_saved: Sequence[Briefing]) -> None:
    older, newer = two_saved
    page = _run(AppTest.from_function(_briefing_page, default_timeout=TIMEOUT))
    picker = page.sidebar.date_input(key="brief-previous-day")
    assert picker.value is None
    assert (picker.min, picker.max) == (date(2026, 11, 23), NOVEMBER_25)
    choice = page.sidebar.selectbox(key="brief-previous")
    assert choice.options == [
        "Wednesday 25 November 2026 · Briefing (5 stories)",
        "Monday 23 November 2026 · Daily briefing (3 stories)",
    ]
    assert "briefing_shown" not in page.session_state

    picker.set_value(date(2026, 11, 23)).run()
    choice = page.sidebar.selectbox(key="brief-previous")
    assert choice.options == ["Monday 23 November 2026 · Daily briefing (3 stories)"]
    choice.select_index(0).run()
    page.sidebar.button[0].click().run()
    assert not page.exception
    shown = page.session_state["briefing_shown"]
    assert (shown.since, shown.title, shown.stories) == (older.since, older.title, older.stories)
    assert newer.since != shown.since
    assert any("Daily briefing · Monday 23 November 2026" in str(s.value) for s in page.main.subheader)


def test_a_day_without_a_briefing_lists_them_all(two_saved: Sequence[Briefing], tmp_path: Path) -> None:
    (tmp_path / "briefings" / "2026-11-20").mkdir()
    (tmp_path / "briefings" / "2026-11-20" / "briefing.json").write_text("{")
    page = _run(AppTest.from_function(_briefing_page, default_timeout=TIMEOUT))
    assert "Cannot be read: 2026-11-20" in _captions(page)  # the damaged one is named
    assert page.sidebar.date_input(key="brief-previous-day").min == date(2026, 11, 23)  # and does not widen the range
    page.sidebar.date_input(key="brief-previous-day").set_value(date(2026, 11, 24)).run()
    assert "No briefing was saved for 2026-11-24: all are listed." in _captions(page)
    assert len(page.sidebar.selectbox(key="brief-previous").options) == 2


def _captions(page: AppTest) -> str:
    """The sidebar's captions, Markdown escapes removed."""
    return " ".join(str(caption.value) for caption in page.sidebar.caption).replace("\\", "")
