"""Exposure: the app listens on loopback unless told otherwise, and then only with an access password; wrong
passwords lock a client out for a while; a read-only app has no write actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from briefing.access import LoginGuard, exposure_problem, is_loopback
from briefing.cli import app, streamlit_command
from briefing.index.store import ArticleStore
from briefing.settings import Settings, UISettings
from tests.test_app import APP, TIMEOUT, _html, _library_page, _page, _run


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_right_password_signs_in_and_wrong_ones_lock_out() -> None:
    clock = Clock()
    guard = LoginGuard("correct horse", max_failures=3, lockout_s=60, clock=clock)
    assert guard.attempt("10.0.0.5", "correct horse").ok
    assert [guard.attempt("10.0.0.5", "wrong").locked_for for _ in range(3)] == [0, 0, 60]
    locked = guard.attempt("10.0.0.5", "correct horse")  # even the right one is not heard while locked
    assert not locked.ok
    assert locked.locked_for == 60
    assert guard.attempt("10.0.0.9", "correct horse").ok  # another client is not locked out
    clock.now += 30
    assert guard.attempt("10.0.0.5", "correct horse").locked_for == 30
    clock.now += 31
    assert guard.attempt("10.0.0.5", "correct horse").ok


def test_a_right_password_resets_the_count() -> None:
    guard = LoginGuard("s3cret", max_failures=3, lockout_s=60, clock=Clock())
    for _ in range(5):
        assert not guard.attempt("c", "nope").ok
        assert not guard.attempt("c", "nope").locked_for
        assert guard.attempt("c", "s3cret").ok


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1"])
def test_loopback_needs_no_password(address: str) -> None:
    assert is_loopback(address)
    assert exposure_problem(address, UISettings()) is None


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "192.168.1.20", "news.example.org"])
def test_any_other_address_needs_one(address: str, tmp_path: Path) -> None:
    problem = exposure_problem(address, UISettings())
    assert problem is not None
    assert problem.startswith(f"refusing to listen on {address} without an access password")
    assert exposure_problem(address, UISettings(password="s3cret")) is None
    (tmp_path / "password").write_text("s3cret\n")
    assert exposure_problem(address, UISettings(password_file=tmp_path / "password")) is None
    (tmp_path / "empty").write_text("\n")
    assert "the access password is empty" in str(
        exposure_problem(address, UISettings(password_file=tmp_path / "empty"))
    )
    assert "cannot be read" in str(exposure_problem(address, UISettings(password_file=tmp_path / "missing")))


def test_the_commands_refuse_before_starting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFING_UI__PASSWORD", raising=False)
    for command in (["ui", "--address", "0.0.0.0"], ["demo", "--address", "0.0.0.0"]):
        result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "store"), *command])
        assert result.exit_code == 2, result.output
        assert "refusing to listen on 0.0.0.0 without an access password" in " ".join(result.stderr.split())
    assert not (tmp_path / "store").exists()  # the demo refused before ingesting anything


def test_the_app_listens_on_loopback_by_default() -> None:
    command = streamlit_command(8501)
    assert "--server.address=127.0.0.1" in command
    assert "--server.maxUploadSize=50" in command
    assert Settings().ui.address == "127.0.0.1"


# ---- in the app ------------------------------------------------------------------------------------------------


@pytest.fixture
def guarded(sample_settings: Settings, sample_store: ArticleStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(sample_settings.store.path))
    monkeypatch.setenv("BRIEFING_UI__PASSWORD", "correct horse")
    monkeypatch.setenv("BRIEFING_UI__MAX_FAILED_LOGINS", "2")


def _sign_in(page: AppTest, password: str) -> AppTest:
    page.text_input[0].set_value(password)
    page.get("form_submit_button")[0].click().run()
    assert not page.exception, page.exception
    return page


@pytest.mark.usefixtures("guarded")
def test_the_app_asks_for_the_password_first() -> None:
    page = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    assert [t.label for t in page.text_input] == ["Access password"]
    assert not page.chat_input  # nothing of the app before signing in
    _sign_in(page, "wrong")
    assert [e.value for e in page.error] == ["Wrong password."]
    _sign_in(page, "correct horse")
    assert page.title[0].value == "Ask your articles"


@pytest.mark.usefixtures("guarded")
def test_repeated_wrong_passwords_lock_the_client_out() -> None:
    page = _run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    _sign_in(page, "wrong")
    _sign_in(page, "still wrong")
    assert page.error[0].value.startswith("Too many wrong passwords: try again in")
    _sign_in(page, "correct horse")
    assert page.error[0].value.startswith("Too many wrong passwords")  # not heard while locked
    assert not page.title or page.title[0].value != "Ask your articles"


def test_a_read_only_app_has_no_write_actions(
    sample_settings: Settings, sample_store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_STORE__PATH", str(sample_settings.store.path))
    monkeypatch.setenv("BRIEFING_UI__READ_ONLY", "true")
    page = _page(_library_page)
    assert not page.get("file_uploader")
    assert not page.text_input
    assert not page.tabs
    assert any("read-only" in c.value for c in page.caption)
    page.selectbox[0].select_index(0).run()
    assert not page.exception
    assert _html(page)  # the article is open
    assert not [b for b in page.button if str(b.key).startswith("delete-")]
