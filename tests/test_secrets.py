"""Keys and passwords never reach a message, a log line, the app or JSON output, even when a hostile server echoes
them back in its error replies."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import redacted
from briefing.index.store import ArticleStore
from briefing.settings import Settings
from tests.test_app import APP, TIMEOUT

KEY = "sk-test-Zq81kPf7BriefingKey"
PASSWORD = "hunter2-correct-horse"
URL_PASSWORD = "url-pass-5150"
SECRETS = (KEY, PASSWORD, URL_PASSWORD, "Zq81kPf7")


class _Echo(BaseHTTPRequestHandler):
    """Answers every request with a 500 whose body quotes the request's headers and body back."""

    def _echo(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode(errors="replace")
        reply = json.dumps({"error": {"message": f"cannot serve {dict(self.headers)} {body}"}}).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = _echo

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def echoing(sample_settings: Settings, sample_store: ArticleStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://briefing:{URL_PASSWORD}@127.0.0.1:{server.server_address[1]}/v1"
    for name, value in {
        "BRIEFING_STORE__PATH": str(sample_settings.store.path),
        "BRIEFING_LLM__PROVIDER": "openai",
        "BRIEFING_LLM__BASE_URL": base,
        "BRIEFING_LLM__TIMEOUT_S": "5",
        "OPENAI_API_KEY": KEY,
        "BRIEFING_UI__PASSWORD": PASSWORD,
    }.items():
        monkeypatch.setenv(name, value)
    yield base
    server.shutdown()
    server.server_close()


def _clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_redaction_rules() -> None:
    text = f"key {KEY}, url http://me:{URL_PASSWORD}@host/v1, said {PASSWORD}"
    assert redacted(text, [PASSWORD]) == "key sk-[redacted], url http://[redacted]@host/v1, said [redacted]"


@pytest.mark.usefixtures("echoing")
def test_cli_errors_json_and_logs_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for command in (["ask", "How many homes were evacuated?", "--json"], ["ask", "Who won the Halden Prize?"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "answered with an error" in result.stderr
        _clean(result.stdout + result.stderr)
    _clean("\n".join(record.getMessage() + str(record.args) for record in caplog.records))


@pytest.mark.usefixtures("echoing")
def test_the_app_shows_no_secret() -> None:
    page = AppTest.from_file(APP, default_timeout=TIMEOUT)
    page.run()
    page.text_input[0].set_value(PASSWORD)
    page.get("form_submit_button")[0].click().run()
    page.chat_input[0].set_value("How many homes were evacuated?").run()
    assert not page.exception
    shown = [str(getattr(element, "value", "")) for element in page.main] + [
        str(getattr(element, "value", "")) for element in page.sidebar
    ]
    shown += [
        str(element.proto) for kind in ("error", "warning", "markdown", "caption", "html") for element in page.get(kind)
    ]
    assert any("answered with an error" in text or "Cannot reach" in text for text in shown)
    _clean("\n".join(shown))


def test_settings_never_print_their_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("BRIEFING_UI__PASSWORD", PASSWORD)
    settings = Settings()
    _clean(repr(settings) + str(settings) + settings.model_dump_json())
    assert settings.secrets() == [KEY, PASSWORD]
