"""The public API: what `briefing` exports, and the Newsroom that owns the collaborators."""

from __future__ import annotations

from datetime import date

import pytest

import briefing
from briefing import Embedder, Newsroom, Settings
from tests.fakes import FakeChat


def test_the_exported_names_are_sorted_and_all_exist() -> None:
    assert briefing.__all__ == sorted(briefing.__all__, key=lambda name: (not name.isupper(), name))
    assert len(set(briefing.__all__)) == len(briefing.__all__)
    assert all(getattr(briefing, name, None) is not None for name in briefing.__all__)


def test_updated_settings_are_a_validated_copy(settings: Settings) -> None:
    changed = settings.updated(briefing={"words": 300, "timezone": None}, retrieval={"today": date(2026, 11, 25)})
    assert (changed.briefing.words, changed.retrieval.today) == (300, date(2026, 11, 25))
    assert changed.briefing.timezone == settings.briefing.timezone  # None leaves a field as it is
    assert (settings.briefing.words, settings.retrieval.today) == (600, None)  # the original is untouched
    with pytest.raises(ValueError, match="words"):
        settings.updated(briefing={"words": "many"})


def test_a_newsroom_builds_what_it_was_not_given_and_shares_it_with_its_variants(
    settings: Settings, embedder: Embedder
) -> None:
    room = Newsroom(settings, embedder=embedder)
    assert room.store.catalog.counts()["articles"] == 0
    other = room.using(settings.updated(briefing={"words": 300}), llm=FakeChat("{}"))
    assert (other.embedder, other.store) == (room.embedder, room.store)
    assert other.settings.briefing.words == 300
    assert other.llm.name == "fake"
