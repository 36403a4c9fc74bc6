"""The `briefing` command line, through typer's test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import FIXTURES


def test_ingest_reports_bad_files_and_exits_non_zero(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "page.txt").write_text((FIXTURES / "scraped_page.txt").read_text())
    (inputs / "empty.json").write_text("")
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "store"), "ingest", str(inputs)])
    assert result.exit_code == 1
    assert f"failed: {inputs / 'empty.json'}: file is empty" in " ".join(result.stderr.split())
    assert "1 added, 0 updated, 0 unchanged, 0 duplicates skipped, 1 failed" in " ".join(result.stdout.split())

    again = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "store"), "ingest", str(inputs / "page.txt")])
    assert again.exit_code == 0
    assert "0 added, 0 updated, 1 unchanged" in " ".join(again.stdout.split())


def test_ask_rejects_a_bad_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "ask", "anything", "--since", "yesterday"])
    assert result.exit_code == 2
    assert "is not a date like 2026-11-25" in " ".join(result.output.split())


def test_ask_with_openai_and_no_key_says_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("BRIEFING_LLM__PROVIDER", "openai")
    inputs = FIXTURES / "scraped_page.txt"
    CliRunner().invoke(app, ["--data-dir", str(tmp_path), "ingest", str(inputs)])
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "ask", "What did the council approve?"])
    assert result.exit_code == 2
    assert "set OPENAI_API_KEY" in " ".join(result.stderr.split())
