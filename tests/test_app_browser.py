"""End to end: the app served on 127.0.0.1 by streamlit, driven in headless Chromium (Debian's package, through
Playwright's driver) with the real embedder and the real local model. Screenshots go to e2e-screenshots/."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from briefing.cli import streamlit_command
from briefing.index.store import ArticleStore
from briefing.settings import Settings
from tests.conftest import free_port, wait_until_serving

pytestmark = [pytest.mark.browser, pytest.mark.llm]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSWER_SECONDS = 400  # the local model on 2 cores, with the rest of the suite's caches cold
QUESTION = "What pay rise is the dockworkers' union seeking?"


def _chromium() -> str:
    found = os.environ.get("BRIEFING_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("No Chromium: `make install` installs Debian's chromium package (or set BRIEFING_CHROMIUM).")
    return found


@pytest.fixture(scope="module")
def app_url(
    sample_settings: Settings, sample_store: ArticleStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app on the sample store, served by `streamlit run` on a free port of 127.0.0.1."""
    port = free_port()
    env = dict(
        os.environ,
        BRIEFING_STORE__PATH=str(sample_settings.store.path),
        BRIEFING_BRIEFING__OUT_DIR=str(tmp_path_factory.mktemp("briefings")),
    )
    command = [*streamlit_command(port, address="127.0.0.1"), "--server.fileWatcherType=none"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}/_stcore/health", seconds=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def screenshots(pytestconfig: pytest.Config) -> Path:
    folder = pytestconfig.rootpath / "e2e-screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _words(text: str) -> list[str]:
    return text.replace("…", " ").split()


def _opened(browser: Browser, url: str, ready_text: str, height: int = 1000) -> Page:
    """A new page at the url, once `ready_text` shows and the script has finished running."""
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(url)
    expect(page.get_by_text(ready_text)).to_be_visible(timeout=120_000)
    _settled(page)
    return page


def _settled(page: Page) -> None:
    """Wait until streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=ANSWER_SECONDS * 1000)


def test_ask_then_read_the_cited_passage_highlighted(app_url: str, browser: Browser, screenshots: Path) -> None:
    page = _opened(browser, app_url, "Ask your articles")
    chat = page.get_by_placeholder("Ask about your articles")
    expect(chat).to_be_editable()
    chat.fill(QUESTION)
    chat.press("Enter")
    expect(page.get_by_text("Show [1] in the article")).to_be_visible(timeout=ANSWER_SECONDS * 1000)
    _settled(page)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    expect(answer.locator("a[href*='library?article=']").first).to_be_visible()
    card_quote = answer.get_by_test_id("stCaptionContainer").first.inner_text()
    page.screenshot(path=screenshots / "chat-answer.png")

    page.get_by_text("Show [1] in the article").click()
    mark = page.get_by_role("dialog").locator("mark")
    expect(mark.first).to_be_visible(timeout=30_000)
    highlighted = " ".join(mark.all_inner_texts())  # a span across paragraphs is marked in each
    assert _words(highlighted)[:6] == _words(card_quote)[:6]  # the card quotes the passage the dialog marks
    page.screenshot(path=screenshots / "chat-cited-passage.png")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    with page.context.expect_page() as opened:
        answer.locator("a[href*='library?article=']").first.click()
    article = opened.value
    expect(article.locator("mark").first).to_be_visible(timeout=60_000)
    assert " ".join(article.locator("mark").all_inner_texts()) == highlighted
    article.screenshot(path=screenshots / "library-linked-article.png")
    page.context.close()


def test_generate_a_briefing_and_open_its_sources(app_url: str, browser: Browser, screenshots: Path) -> None:
    page = _opened(browser, f"{app_url}/briefing", "Generate briefing")
    page.get_by_text("Quick, without the model").click()
    page.get_by_text("Generate briefing").click()
    expect(page.get_by_text("Download PDF")).to_be_visible(timeout=300_000)
    _settled(page)
    headlines = page.locator("h5")
    assert headlines.count() >= 3
    expect(page.locator("a[href*='library?article=']").first).to_be_visible()
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.screenshot(path=screenshots / "briefing.png")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_text("Sources (").click()
    page.get_by_text("Show [1] in the article").click()
    expect(page.get_by_role("dialog").locator("mark").first).to_be_visible(timeout=30_000)
    page.screenshot(path=screenshots / "briefing-cited-passage.png")
    page.close()


def test_library_and_evals_pages_render(app_url: str, browser: Browser, screenshots: Path) -> None:
    page = _opened(browser, f"{app_url}/library", "Open an article", height=1600)
    page.screenshot(path=screenshots / "library.png")
    page.goto(f"{app_url}/evals")
    expect(page.get_by_text("Every CI threshold is met.")).to_be_visible(timeout=120_000)
    _settled(page)
    page.screenshot(path=screenshots / "evals.png")
    page.close()
