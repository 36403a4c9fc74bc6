"""What the app creates once per process and shares between sessions: the Newsroom (settings, embedder, store)
and the chat model.

Streamlit runs each browser session's script in its own thread. The embedder and Chroma are safe to share; the local
chat model serialises its own calls; writes to the store (ingest, delete) take `Resources.writing` so two sessions
never change it at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import streamlit as st

from briefing import ChatModel, Newsroom, Settings, make_chat_model
from briefing.providers.health import ModelStatus, model_statuses


@dataclass
class Resources:
    """The shared objects of one configuration: the Newsroom, and the lock its writers take."""

    room: Newsroom
    writing: threading.Lock = field(default_factory=threading.Lock)

    def with_chat_model(self, llm: ChatModel | None = None) -> Newsroom:
        """The Newsroom answering with `llm` (a test's fake), else with the shared chat model."""
        return self.room.using(llm=llm or chat_model())


def _key(settings: Settings) -> str:
    return settings.model_dump_json()


@st.cache_resource(show_spinner="Loading the embedder and the article store…")
def _resources(key: str) -> Resources:
    return Resources(Newsroom(Settings()))


@st.cache_resource(show_spinner="Loading the chat model…")
def _chat_model(key: str) -> ChatModel:
    return make_chat_model(Settings())


@st.cache_data(ttl=30, show_spinner=False)
def _statuses(key: str) -> list[ModelStatus]:
    return model_statuses(Settings())


def shared() -> Resources:
    """The Newsroom of the settings (from the environment), created once per configuration."""
    return _resources(_key(Settings()))


def chat_model() -> ChatModel:
    """The configured chat model, created once; raises a BriefingError saying what to fix when it cannot be."""
    return _chat_model(_key(Settings()))


def statuses() -> list[ModelStatus]:
    """The active models and their problems, checked at most every 30 seconds."""
    return _statuses(_key(Settings()))
