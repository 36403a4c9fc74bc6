"""Local-first news intelligence: cited answers and daily briefings from your articles.

The public API: a `Newsroom` owns the settings, the embedder, the store and the chat model, and does the work
(`ingest`, `ask`, `stream`, `ask_choice`, `brief`, `daily`); `list_briefings` reads back the briefings written; the
rest are the types they take and return. The CLI, the app, the evals and the benchmarks import from here.
"""

from briefing.answer.conversation import Exchange
from briefing.answer.flow import AnswerStream, ChoiceResult
from briefing.answer.types import NOT_IN_ARTICLES, Answer, AnswerSentence, UnsupportedSentence
from briefing.briefs.archive import SavedBriefing, list_briefings
from briefing.briefs.daily import AlreadyRunningError, DailyRun
from briefing.briefs.page import Briefing, Change, CitedSentence, InputsSummary, QuoteLine, StoryBrief, TimelineEntry
from briefing.briefs.periods import Period, zone
from briefing.errors import (
    BriefingError,
    ConfigError,
    EmbedderMismatchError,
    InputError,
    ModelUnavailableError,
    StoreUnavailableError,
)
from briefing.grounding.citations import Citation
from briefing.grounding.judges import EvidenceJudge, Judge, Judgement, LLMJudge
from briefing.index.doctor import DoctorReport, Finding
from briefing.index.indexer import IngestReport
from briefing.index.store import ArticleStore, Filters
from briefing.ingest.articles import Article, byline, day_label
from briefing.newsroom import Newsroom
from briefing.progress import Progress
from briefing.providers import ChatModel, CountsTokens, Embedder, Message, make_chat_model, make_embedder
from briefing.search.passages import Passage, SourceSpan
from briefing.settings import Settings, StoreSettings

__all__ = [
    "NOT_IN_ARTICLES",
    "AlreadyRunningError",
    "Answer",
    "AnswerSentence",
    "AnswerStream",
    "Article",
    "ArticleStore",
    "Briefing",
    "BriefingError",
    "Change",
    "ChatModel",
    "ChoiceResult",
    "Citation",
    "CitedSentence",
    "ConfigError",
    "CountsTokens",
    "DailyRun",
    "DoctorReport",
    "Embedder",
    "EmbedderMismatchError",
    "EvidenceJudge",
    "Exchange",
    "Filters",
    "Finding",
    "IngestReport",
    "InputError",
    "InputsSummary",
    "Judge",
    "Judgement",
    "LLMJudge",
    "Message",
    "ModelUnavailableError",
    "Newsroom",
    "Passage",
    "Period",
    "Progress",
    "QuoteLine",
    "SavedBriefing",
    "Settings",
    "SourceSpan",
    "StoreSettings",
    "StoreUnavailableError",
    "StoryBrief",
    "TimelineEntry",
    "UnsupportedSentence",
    "byline",
    "day_label",
    "list_briefings",
    "make_chat_model",
    "make_embedder",
    "zone",
]
