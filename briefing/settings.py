"""One Settings object for the whole tool, read from `BRIEFING_*` environment variables."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Provider = Literal["local", "openai"]
RetrievalMode = Literal["hybrid", "dense", "bm25"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    path: Path = Field(
        default_factory=lambda: Path(user_data_dir("briefing")),
        description="Folder holding the Chroma store and the article catalog.",
    )
    chroma_host: str | None = Field(
        default=None, description="Chroma server host; when set, an HttpClient is used instead of a local store."
    )
    chroma_port: int = Field(default=8000, description="Chroma server port (with chroma_host).")
    collection: str = Field(default="briefing_chunks", description="Chroma collection holding the chunks.")
    catalog_url: SecretStr | None = Field(
        default=None,
        description="A PostgreSQL database for the article catalog, e.g. "
        "postgresql+psycopg://user:password@host:5432/briefing, shared by every process and machine using the same "
        "Chroma server; default: catalog.sqlite3 in the store folder (one machine).",
    )

    def catalog_location(self) -> Path | str:
        """The catalog's database URL when one is set, else its SQLite file in the store folder."""
        return self.catalog_url.get_secret_value() if self.catalog_url else self.path / "catalog.sqlite3"


class EmbedderSettings(_Section):
    provider: Provider = Field(default="local", description="'local' (offline MiniLM ONNX) or 'openai'.")
    openai_model: str = Field(default="text-embedding-3-small", description="Embedding model on the OpenAI API.")
    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible embeddings server, or several separated by commas (requests go to each in "
        "turn); default: the chat server (llm.base_url).",
    )
    batch_size: int = Field(default=32, ge=1, description="Chunks embedded per model call (per server request).")
    threads: int = Field(default=2, ge=1, description="CPU threads for the local embedder.")
    concurrency: int = Field(
        default=1,
        ge=1,
        description="Embedding requests in flight at once to the server: more keeps a server with spare capacity "
        "(several processes behind a balancer, a GPU) busy.",
    )
    timeout_s: float = Field(default=60.0, gt=0, description="Seconds to wait for an embedding server's reply.")
    max_retries: int = Field(
        default=4,
        ge=0,
        description="Retries of a request the server refused for load (429), failed (5xx) or never answered, "
        "after exponential back-off.",
    )


class LLMSettings(_Section):
    provider: Provider = Field(
        default="local", description="'local' (llama.cpp in process) or 'openai' (OpenAI or any compatible server)."
    )
    model_path: Path | None = Field(
        default=None, description="A GGUF file for the local model; default: the packaged Qwen2.5-Coder-1.5B."
    )
    model: str = Field(default="gpt-4o-mini", description="Model name sent to the OpenAI-compatible server.")
    base_url: str | None = Field(
        default=None, description="OpenAI-compatible server URL, e.g. http://127.0.0.1:8080/v1; default: OpenAI."
    )
    json_schema_format: Literal["json_schema", "json_object"] = Field(
        default="json_schema",
        description="How to ask the server for schema-constrained JSON: OpenAI/vLLM use json_schema, "
        "llama.cpp's Python server uses json_object with a schema.",
    )
    n_ctx: int = Field(default=4096, ge=512, description="Context window of the local model, in tokens.")
    threads: int = Field(default=2, ge=1, description="CPU threads for the local model.")
    max_tokens: int = Field(default=400, ge=16, description="Most tokens generated per answer.")
    timeout_s: float = Field(default=300.0, gt=0, description="Seconds to wait for a server reply.")
    concurrency: int = Field(
        default=1,
        ge=1,
        description="Chat requests in flight at once to a server (a briefing's stories are summarised together); "
        "the local model answers one at a time whatever this says.",
    )


class IngestSettings(_Section):
    max_file_mb: float = Field(default=50.0, gt=0, description="Larger input files are refused.")
    chunk_words: int = Field(default=80, ge=20, description="Target words per chunk (sentences are kept whole).")


class FetchSettings(_Section):
    timeout_s: float = Field(default=20.0, gt=0, description="Seconds to wait for a page or feed.")
    max_page_mb: float = Field(default=5.0, gt=0, description="Larger pages and feeds are refused.")
    max_feed_entries: int = Field(default=200, ge=1, description="Most new pages read from one feed in one run.")
    allow_private_hosts: bool = Field(
        default=False,
        description="Let page and feed URLs reach loopback, private, link-local and reserved addresses (off: a "
        "pasted URL cannot make the server request its own network).",
    )
    allowed_networks: list[str] = Field(
        default_factory=list,
        description='Networks reachable anyway, e.g. ["10.1.2.3/32"] for an intranet news server.',
    )


class UISettings(_Section):
    address: str = Field(
        default="127.0.0.1", description="Where the app listens; another address than loopback needs a password."
    )
    password: SecretStr | None = Field(default=None, description="Access password of the app.")
    password_file: Path | None = Field(default=None, description="A file holding the access password.")
    read_only: bool = Field(
        default=False, description="No uploads, deletions, page fetches or feeds from the app: reading and asking only."
    )
    max_failed_logins: int = Field(default=5, ge=1, description="Wrong passwords in a row before a lock-out.")
    lockout_s: float = Field(default=60.0, gt=0, description="Seconds a client is locked out after them.")

    def access_password(self) -> str | None:
        """The password (from the setting, else the file), or None when none is set; OSError for a file that
        cannot be read, ValueError for an empty one."""
        if self.password is not None:
            secret = self.password.get_secret_value()
        elif self.password_file is not None:
            secret = self.password_file.read_text(encoding="utf-8").strip()
        else:
            return None
        if not secret:
            raise ValueError("the access password is empty")
        return secret


class RetrievalSettings(_Section):
    mode: RetrievalMode = Field(
        default="hybrid", description="Dense vectors, BM25 words, or both fused by reciprocal rank."
    )
    k: int = Field(default=5, ge=1, description="Most passages given to the model for an answer.")
    context_tokens: int = Field(
        default=900, ge=100, description="Token budget for the passages in the prompt (keeps the local model fast)."
    )
    today: date | None = Field(
        default=None, description="Reference day for 'yesterday', 'last week', 'since Monday'... (default: today)."
    )
    bm25_weight: float = Field(
        default=1.0, ge=0, description="Weight of the BM25 ranking against the dense one (1.0) in hybrid fusion."
    )
    recent_days: int = Field(
        default=14,
        ge=0,
        description="Articles published more than this many days before the reference day count "
        "as older (see older_weight).",
    )
    older_weight: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="Fused score multiplier for older articles: among results about as relevant, the latest report "
        "wins over a years-old recap (1.0 turns it off).",
    )
    candidates: int = Field(default=40, ge=1, description="Results taken from each search before fusion.")
    per_article: int = Field(default=2, ge=1, description="Most passages taken from one article.")
    each_choice: bool = Field(
        default=False,
        description="Multiple choice: also search for the question with each choice, fused (measured: the gold "
        "choice reaches the top five a little more often, accuracy does not rise).",
    )
    min_similarity: float = Field(
        default=0.25, description="Below this cosine similarity the best passage is taken as unrelated."
    )


AnswerMode = Literal["evidence", "compose"]


class AnswerSettings(_Section):
    mode: AnswerMode = Field(
        default="evidence",
        description="'evidence': the model picks the sentences that answer and they are shown verbatim, cited; "
        "'compose': the model writes the answer from whole passages.",
    )
    passages: int = Field(default=12, ge=1, description="Passages cut into sentences for the model to pick from.")
    sentences: int = Field(default=12, ge=2, description="Sentences the model picks from (the best-ranked ones).")
    sentence_floor: float = Field(
        default=0.5,
        ge=0,
        lt=1,
        description="Of those, a sentence ranked below this share of the best one's score is left out (the model "
        "reads less), the best four always kept (0 keeps all).",
    )
    second_look: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Evidence first: the answer is shown only when the model, asked again whether the shown "
        "sentences answer the question, is at least this sure they do; else 'not in the articles' (0 turns the "
        "second look off).",
    )


JudgeKind = Literal["evidence", "llm"]


class VerifySettings(_Section):
    paraphrase_similarity: bool = Field(
        default=True, description="Let the embedder's similarity pass close paraphrases the word checks miss."
    )
    judge: JudgeKind = Field(
        default="evidence",
        description="'evidence' (the offline checker only) or 'llm' (then also an LLM judge, one call per sentence).",
    )
    judge_llm: LLMSettings | None = Field(
        default=None, description="The LLM judge's model, e.g. an OpenAI-compatible server; default: the chat model."
    )


class BriefingSettings(_Section):
    timezone: str = Field(
        default="UTC", description="Timezone of the briefing's days: an IANA name (Europe/Paris) or an offset (+01:00)."
    )
    words: int = Field(default=600, ge=150, description="Word budget of the page (footnotes excluded): one page.")
    max_stories: int = Field(
        default=10,
        ge=1,
        description="Most stories told in full; the next ones' headlines follow under 'Also in the news'.",
    )
    points: int = Field(default=3, ge=2, le=4, description="Key points asked for each story (two to four).")
    extractive: bool = Field(
        default=False, description="Key points are the best sentences verbatim, with no model (fast, no generation)."
    )
    page_size: Literal["A4", "letter"] = Field(default="A4", description="Paper size of the PDF.")
    cache_dir: Path | None = Field(
        default=None, description="Where verified story summaries are kept; default: 'summaries' in the store folder."
    )
    folders: list[Path] = Field(default_factory=list, description="Folders `briefing daily` ingests before briefing.")
    feeds: list[str] = Field(default_factory=list, description="RSS/Atom feed URLs `briefing daily` reads.")
    out_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("briefing")) / "briefings",
        description="Where `briefing daily` writes a folder per day.",
    )


class Settings(BaseSettings):
    """Everything configurable, e.g. BRIEFING_LLM__PROVIDER=openai or BRIEFING_STORE__PATH=./data."""

    model_config = SettingsConfigDict(env_prefix="BRIEFING_", env_nested_delimiter="__", extra="forbid")

    store: StoreSettings = Field(default_factory=StoreSettings, description="Where articles and vectors live.")
    embedder: EmbedderSettings = Field(default_factory=EmbedderSettings, description="The embedding model.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="The chat model.")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Reading and chunking articles.")
    fetch: FetchSettings = Field(default_factory=FetchSettings, description="Fetching pages and feeds.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Finding passages.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="How answers are built.")
    verify: VerifySettings = Field(default_factory=VerifySettings, description="Checking answers before display.")
    briefing: BriefingSettings = Field(default_factory=BriefingSettings, description="The one-page briefings.")
    ui: UISettings = Field(default_factory=UISettings, description="The web app.")
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY"),
        description="Read only from the standard OPENAI_API_KEY environment variable.",
    )

    def secrets(self) -> list[str]:
        """Every secret value configured (API key, access password), for redacting messages."""
        values = [self.openai_api_key.get_secret_value() if self.openai_api_key else ""]
        with contextlib.suppress(OSError, ValueError):
            values.append(self.ui.access_password() or "")
        return [value for value in values if value]

    def updated(self, **sections: Mapping[str, object]) -> Settings:
        """A copy with some fields of some sections changed, e.g. `updated(briefing={"words": 400})`; a None value
        leaves its field as it is. Raises ValueError for a value its field does not accept."""
        changed = {}
        for name, values in sections.items():
            section = getattr(self, name)
            given = {key: value for key, value in values.items() if value is not None}
            changed[name] = type(section).model_validate({**section.model_dump(), **given})
        return self.model_copy(update=changed)
