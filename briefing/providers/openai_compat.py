"""OpenAI and any OpenAI-compatible server (vLLM, Ollama, llama.cpp server) for chat and embeddings."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import numpy as np
import openai
from numpy.typing import NDArray

from briefing.errors import ConfigError, ModelUnavailableError, redacted
from briefing.providers import Message, TokenUsage, inert, yes_share
from briefing.settings import Settings

# Local servers ignore the key, but the client requires one.
_PLACEHOLDER_KEY = "no-key-needed"


class _RedactingFilter(logging.Filter):
    """Takes secrets out of the HTTP client's log lines: it logs each request's URL, with any user and password
    written into a base URL."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redacted(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_LOG_FILTER = _RedactingFilter()
# openai's own logger, and the HTTP client's under either name (the SDK has moved to a fork called httpx2).
for _name in ("openai", "openai._base_client", "httpx", "httpx2"):
    logging.getLogger(_name).addFilter(_LOG_FILTER)


def make_client(
    settings: Settings, base_url: str | None, timeout_s: float | None = None, max_retries: int = 1
) -> openai.OpenAI:
    """A client for the server at base_url (None: OpenAI); never a silent fallback to the paid API. The SDK
    retries a refused (429), failed (5xx) or unanswered request max_retries times, with exponential back-off."""
    _LOG_FILTER.secrets.update(settings.secrets())
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and base_url is None:
        raise ConfigError(
            "The OpenAI provider needs an API key: set OPENAI_API_KEY, or point BRIEFING_LLM__BASE_URL at an "
            "OpenAI-compatible server (e.g. http://127.0.0.1:8080/v1), or use BRIEFING_LLM__PROVIDER=local."
        )
    return openai.OpenAI(
        base_url=base_url,
        api_key=key or _PLACEHOLDER_KEY,
        timeout=settings.llm.timeout_s if timeout_s is None else timeout_s,
        max_retries=max_retries,
    )


def _server_error(
    base_url: str | None, exc: Exception, secrets: Sequence[str], timeout: str = "BRIEFING_LLM__TIMEOUT_S"
) -> ModelUnavailableError:
    """One clear message; the server's own words are quoted without any configured secret. `timeout` names the
    setting of the time waited."""
    where = redacted(base_url, secrets) if base_url else "the OpenAI API"
    if isinstance(exc, openai.AuthenticationError):
        return ModelUnavailableError(f"{where} refused the API key: check OPENAI_API_KEY.")
    if isinstance(exc, openai.APITimeoutError):
        return ModelUnavailableError(f"{where} did not answer in time ({timeout}): try again later.")
    if isinstance(exc, ValueError):  # a 200 whose body is not the JSON it should be
        return ModelUnavailableError(
            f"{where} sent a reply that is not valid JSON: check that it is OpenAI-compatible."
        )
    if isinstance(exc, openai.APIConnectionError):
        return ModelUnavailableError(
            f"Cannot reach {where}: start the server or fix BRIEFING_LLM__BASE_URL ({exc.__class__.__name__})."
        )
    return ModelUnavailableError(redacted(f"{where} answered with an error: {exc}", secrets))


class OpenAIChat:
    """Chat completions on an OpenAI-compatible server, with pinned sampling."""

    def __init__(self, settings: Settings) -> None:
        self._client = make_client(settings, settings.llm.base_url)
        self._settings = settings.llm
        self._secrets = settings.secrets()
        self.name = settings.llm.model
        self.usage = TokenUsage()
        self._logprobs = True  # until the server refuses them

    def _request(self, messages: Sequence[Message], schema: dict[str, Any] | None) -> dict[str, Any]:
        """The request; with a schema, asks the server for JSON that follows it."""
        request: dict[str, Any] = {
            "model": self._settings.model,
            "messages": inert(messages),
            "temperature": 0.0,
            "max_tokens": self._settings.max_tokens,
        }
        if schema is not None:
            if self._settings.json_schema_format == "json_schema":
                request["response_format"] = {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}}
            else:
                request["response_format"] = {"type": "json_object", "schema": schema}
        return request

    def complete(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> str:
        """The reply; with a schema, JSON that follows it."""
        return self._create(self._request(messages, schema)).choices[0].message.content or ""

    def _create(self, request: dict[str, Any]) -> Any:
        """One chat completion (not streamed), its tokens counted; a server error becomes a clear one."""
        try:
            reply = self._client.chat.completions.create(**request)
        except (openai.OpenAIError, ValueError) as exc:
            raise _server_error(self._settings.base_url, exc, self._secrets) from exc
        if reply.usage is not None:
            self.usage.add(reply.usage.prompt_tokens, reply.usage.completion_tokens)
        return reply

    def stream(self, messages: Sequence[Message], schema: dict[str, Any] | None = None) -> Iterator[str]:
        """The reply piece by piece; with a schema, JSON that follows it. A stream that ends before the server
        says the reply is finished was cut: that is an error, not a short reply."""
        finished = False
        try:
            pieces = self._client.chat.completions.create(**self._request(messages, schema), stream=True)
            for piece in cast(Any, pieces):
                if piece.choices:
                    finished = finished or piece.choices[0].finish_reason is not None
                    if text := piece.choices[0].delta.content:
                        yield text
        except (openai.OpenAIError, ValueError) as exc:
            raise _server_error(self._settings.base_url, exc, self._secrets) from exc
        if not finished:
            where = redacted(self._settings.base_url or "the OpenAI API", self._secrets)
            raise ModelUnavailableError(f"{where} stopped its reply before the end (the stream was cut): try again.")

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """P("yes") / (P("yes") + P("no")) from the first token's log-probabilities; a server that gives none
        (some do not) is read from its one-word reply instead: 1.0 for yes, 0.0 otherwise."""
        request = self._request(messages, None) | {"max_tokens": 1}
        reply = None
        if self._logprobs:
            try:
                reply = self._create(request | {"logprobs": True, "top_logprobs": 10})
            except ModelUnavailableError as exc:
                if not isinstance(exc.__cause__, _REFUSED):
                    raise
                self._logprobs = False  # llama.cpp's server refuses them unless started with logits_all
        choice = (reply or self._create(request)).choices[0]
        first = choice.logprobs.content[0] if choice.logprobs and choice.logprobs.content else None
        if first is None or not first.top_logprobs:
            return 1.0 if (choice.message.content or "").strip().lower().startswith("yes") else 0.0
        weights = {"yes": 0.0, "no": 0.0}
        for candidate in first.top_logprobs:
            if (word := candidate.token.strip().lower()) in weights:
                weights[word] += float(np.exp(candidate.logprob))
        return yes_share(weights["yes"], weights["no"])


_REFUSED = (openai.BadRequestError, openai.UnprocessableEntityError, openai.InternalServerError)
"""How a server that cannot give log-probabilities refuses a request for them."""


def embedding_servers(settings: Settings) -> list[str | None]:
    """The embedding servers' base URLs (None: OpenAI): BRIEFING_EMBEDDER__BASE_URL, one URL or several separated by
    commas, else the chat server's."""
    urls = settings.embedder.base_url or settings.llm.base_url
    return [url.strip() for url in urls.split(",") if url.strip()] if urls else [None]


class _EmbeddingServer:
    """One server an embedder sends requests to."""

    def __init__(self, settings: Settings, base_url: str | None) -> None:
        options = settings.embedder
        self.base_url, self.model = base_url, options.openai_model
        self.client = make_client(settings, base_url, options.timeout_s, options.max_retries)
        self.secrets = settings.secrets()
        self.where = redacted(base_url, self.secrets) if base_url else "the OpenAI API"

    def error(self, exc: Exception) -> ModelUnavailableError:
        return _server_error(self.base_url, exc, self.secrets, "BRIEFING_EMBEDDER__TIMEOUT_S")

    def check_model(self) -> None:
        """A ConfigError when the server lists its models and this one is not among them (llama.cpp's server
        would silently answer with its own model); a server that lists none is taken at its word."""
        try:
            served = [model.id for model in self.client.models.list()]
        except (openai.NotFoundError, openai.BadRequestError, openai.UnprocessableEntityError):
            served = []  # no model list on this server
        except (openai.OpenAIError, ValueError) as exc:
            raise self.error(exc) from exc
        if served and self.model not in served:
            shown = ", ".join(f"'{name}'" for name in served[:8]) + (" ..." if len(served) > 8 else "")
            raise ConfigError(
                f"{self.where} serves {shown}, not '{self.model}': set BRIEFING_EMBEDDER__OPENAI_MODEL to one of them."
            )

    def embed(self, batch: list[str]) -> list[list[float]]:
        """One request: a vector per text, in the texts' order."""
        try:
            reply = self.client.embeddings.create(model=self.model, input=batch, encoding_format="float")
        except openai.NotFoundError as exc:
            raise ConfigError(
                f"{self.where} has no embedding model '{self.model}': set BRIEFING_EMBEDDER__OPENAI_MODEL."
            ) from exc
        except (openai.OpenAIError, ValueError) as exc:
            raise self.error(exc) from exc
        items = sorted(reply.data, key=lambda item: item.index)
        if len(items) != len(batch):
            raise ModelUnavailableError(f"{self.where} returned {len(items)} vectors for {len(batch)} texts.")
        for item in items:
            if not item.embedding or not all(isinstance(x, int | float) for x in item.embedding):
                raise ModelUnavailableError(
                    f"{self.where} did not return one vector per text (a vector per token?): serve '{self.model}' "
                    "with pooling: llama-server --pooling mean, or llama_cpp.server --kv_overrides "
                    "<architecture>.pooling_type=int:1 (qwen2.pooling_type=int:1 for the packaged model)."
                )
        return [list(item.embedding) for item in items]


class OpenAIEmbedder:
    """Embeddings from OpenAI-compatible servers: batches of `batch_size` texts, `concurrency` requests in flight,
    spread over the servers in turn, retried with back-off; the model name is checked against each server's list
    once."""

    def __init__(self, settings: Settings) -> None:
        options = settings.embedder
        self._servers = [_EmbeddingServer(settings, url) for url in embedding_servers(settings)]
        self._batch_size, self._in_flight = options.batch_size, options.concurrency
        self._models_checked = False
        self.name = f"openai-{options.openai_model}"

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit-length vectors, one row per text, in order."""
        if not self._models_checked:
            for server in self._servers:
                server.check_model()
            self._models_checked = True
        batches = [list(texts[begin : begin + self._batch_size]) for begin in range(0, len(texts), self._batch_size)]
        servers = [self._servers[number % len(self._servers)] for number in range(len(batches))]
        if self._in_flight > 1 and len(batches) > 1:
            with ThreadPoolExecutor(min(self._in_flight, len(batches))) as pool:
                replies = list(pool.map(_EmbeddingServer.embed, servers, batches))
        else:
            replies = [server.embed(batch) for server, batch in zip(servers, batches, strict=True)]
        rows = [row for reply in replies for row in reply]
        if len({len(row) for row in rows}) > 1:
            where = " and ".join(server.where for server in self._servers)
            raise ModelUnavailableError(f"{where} returned vectors of different sizes for '{self.name}'.")
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        norms = np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        unit: NDArray[np.float32] = (vectors / norms).astype(np.float32)
        return unit


def check_server(settings: Settings, base_url: str | None, timeout_s: float = 3.0) -> None:
    """Raise a ConfigError or ModelUnavailableError saying what to fix, unless the server answers (a quick
    request for its model list, no generation)."""
    client = make_client(settings, base_url).with_options(timeout=timeout_s, max_retries=0)
    try:
        client.models.list()
    except openai.OpenAIError as exc:
        raise _server_error(base_url, exc, settings.secrets()) from exc
