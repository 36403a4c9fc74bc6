"""The short soak (benchmarks/load_soak.py is the long one): chat sessions at once with the local model while an
ingest and a briefing run on the same Newsroom: no error, no article lost or stored twice, no answer changed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from briefing.evals.datasets import bundled, load_questions

from briefing import Newsroom, Period, Settings, StoreSettings, make_chat_model, zone
from tests.conftest import SAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from soak import QueuedChat, soak

HOSTILE = bundled("injection") / "articles"


@pytest.mark.llm
def test_sessions_an_ingest_and_a_briefing_at_once(tmp_path: Path) -> None:
    alone = Newsroom(Settings(store=StoreSettings(path=tmp_path / "alone")))
    alone.ingest([SAMPLES, HOSTILE])
    expected = alone.store.catalog.counts()["articles"]
    settings = Settings(store=StoreSettings(path=tmp_path / "store"))
    settings.briefing.extractive = True  # the briefing's own model calls are measured by the benchmark
    queued = QueuedChat(make_chat_model(settings))
    room = Newsroom(settings, llm=queued)
    room.ingest([SAMPLES])
    gold = [q for q in load_questions(bundled("sample_gold.jsonl")) if q.answerable][:4]
    result = soak(
        room,
        [(q.question, q.as_of) for q in gold],
        sessions=4,
        ingest=[HOSTILE],
        expected_articles=expected,
        period=Period(date(2026, 11, 25), date(2026, 11, 25), zone("+01:00")),
        queued=queued,
    )
    assert result.errors == []
    assert result.answers == 4
    assert result.changed_answers == []
    assert result.stored_articles == expected
    assert result.store_healthy
    assert result.briefing_stories > 0
    assert len(queued.waits) >= 4
    assert max(queued.waits) > 0
