"""Which models the settings select, and whether they can be used, said in one line each for people."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.settings import Settings

LOCAL_CHAT = "Qwen2.5-Coder-1.5B-Instruct on llama.cpp (local)"
LOCAL_EMBEDDER = "all-MiniLM-L6-v2 on onnxruntime (local)"


@dataclass(frozen=True)
class ModelStatus:
    """A model in use: its role, what it is, and the problem that stops it, if any."""

    role: str
    name: str
    problem: str | None = None


def model_statuses(settings: Settings) -> list[ModelStatus]:
    """The chat model and the embedder; a server is asked for its model list, so an unreachable one shows here."""
    return [_chat_status(settings), _embedder_status(settings)]


def _chat_status(settings: Settings) -> ModelStatus:
    llm = settings.llm
    if llm.provider == "local":
        if llm.model_path is None:
            return ModelStatus("Chat model", LOCAL_CHAT)
        problem = (
            None if llm.model_path.exists() else f"No model file at {llm.model_path}: fix BRIEFING_LLM__MODEL_PATH."
        )
        return ModelStatus("Chat model", f"{llm.model_path.name} on llama.cpp (local)", problem)
    return ModelStatus(
        "Chat model", f"{llm.model} at {llm.base_url or 'OpenAI'}", _server_problem(settings, llm.base_url)
    )


def _embedder_status(settings: Settings) -> ModelStatus:
    options = settings.embedder
    if options.provider == "local":
        return ModelStatus("Embedder", LOCAL_EMBEDDER)
    from briefing.providers.openai_compat import embedding_servers

    servers = embedding_servers(settings)
    problems = [problem for url in servers if (problem := _server_problem(settings, url))]
    where = ", ".join(url or "OpenAI" for url in servers)
    return ModelStatus("Embedder", f"{options.openai_model} at {where}", "; ".join(problems) or None)


def _server_problem(settings: Settings, base_url: str | None) -> str | None:
    from briefing.providers.openai_compat import check_server

    try:
        check_server(settings, base_url)
    except BriefingError as error:
        return str(error)
    return None
