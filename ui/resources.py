"""What the app creates once per process and shares between sessions: settings, embedder, store, chat model.

Streamlit runs each browser session's script in its own thread. The embedder and Chroma are safe to share; the local
chat model serialises its own calls; writes to the store (ingest, delete) take `Resources.writing` so two sessions
never change it at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import streamlit as st

from briefing.pipeline import open_store
from briefing.providers import ChatModel, Embedder, make_chat_model, make_embedder
from briefing.providers.health import ModelStatus, model_statuses
from briefing.settings import Settings
from briefing.store import ArticleStore


@dataclass
class Resources:
    """The shared objects of one configuration."""

    settings: Settings
    embedder: Embedder
    store: ArticleStore
    writing: threading.Lock = field(default_factory=threading.Lock)


def _key(settings: Settings) -> str:
    return settings.model_dump_json()


@st.cache_resource(show_spinner="Loading the embedder and the article store…")
def _resources(key: str) -> Resources:
    settings = Settings()
    embedder = make_embedder(settings)
    return Resources(settings, embedder, open_store(settings, embedder))


@st.cache_resource(show_spinner="Loading the chat model…")
def _chat_model(key: str) -> ChatModel:
    return make_chat_model(Settings())


@st.cache_data(ttl=30, show_spinner=False)
def _statuses(key: str) -> list[ModelStatus]:
    return model_statuses(Settings())


def shared() -> Resources:
    """The settings (from the environment), the embedder and the store, created once per configuration."""
    return _resources(_key(Settings()))


def chat_model() -> ChatModel:
    """The configured chat model, created once; raises a BriefingError saying what to fix when it cannot be."""
    return _chat_model(_key(Settings()))


def statuses() -> list[ModelStatus]:
    """The active models and their problems, checked at most every 30 seconds."""
    return _statuses(_key(Settings()))
