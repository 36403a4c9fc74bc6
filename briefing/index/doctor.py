"""`briefing doctor`: do the catalog, the vector store, the BM25 index and the summary cache agree? Each check says
what it found; with `repair`, what can be mended is (interrupted articles and missing chunks embedded again from the
catalog's text, orphan chunks dropped, the BM25 index rebuilt, unreadable cached summaries removed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from briefing.errors import EmbedderMismatchError
from briefing.index.indexer import reindex
from briefing.index.store import ArticleStore
from briefing.progress import Progress
from briefing.providers import Embedder
from briefing.settings import Settings

_SHOWN_IDS = 5


@dataclass
class Finding:
    """One check: whether it passed, what it found, and whether that was repaired."""

    check: str
    ok: bool
    detail: str
    repaired: bool = False
    repairable: bool = True


@dataclass
class DoctorReport:
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        """True when every check passed or was repaired."""
        return all(f.ok or f.repaired for f in self.findings)


def examine(
    store: ArticleStore,
    settings: Settings,
    embedder: Embedder,
    *,
    repair: bool = False,
    progress: Progress | None = None,
) -> DoctorReport:
    """Check the store's parts against each other; with `repair`, mend what can be mended."""
    report = DoctorReport()
    catalog = store.catalog
    problems = catalog.integrity_problems()
    report.findings.append(
        Finding(
            "catalog",
            not problems,
            ("kept sound by its database server" if catalog.shared else "SQLite integrity check passed")
            if not problems
            else "; ".join(problems[:3]),
            repairable=False,
        )
    )
    if problems:  # nothing else can be trusted: say so, change nothing
        return report

    try:
        store.require_embedder()
        report.findings.append(Finding("embedder", True, f"the vectors are {store.embedder_name}'s"))
    except EmbedderMismatchError as mismatch:  # the chunk checks would compare with another model's collection
        report.findings.append(Finding("embedder", False, str(mismatch), repairable=False))
        return report

    pending = catalog.pending_ids()
    finding = Finding("interrupted", not pending, _ids("article(s) left pending by an interrupted ingest", pending))
    if pending and repair:
        reindex(pending, settings=settings, embedder=embedder, store=store, progress=progress)
        finding.repaired = True
    report.findings.append(finding)

    expected = {
        article.id: {(i, s, e) for i, (s, e) in enumerate(spans)} for article, spans in catalog.indexed_chunks()
    }
    stored = store.stored_spans()
    orphans = sorted(set(stored) - set(expected))
    finding = Finding("orphan chunks", not orphans, _ids("article(s) with chunks the catalog does not know", orphans))
    if orphans and repair:
        store.drop_chunks(orphans)
        finding.repaired = True
    report.findings.append(finding)

    wrong = sorted(article_id for article_id, spans in expected.items() if stored.get(article_id) != spans)
    finding = Finding(
        "missing chunks", not wrong, _ids("article(s) whose chunks are missing or differ from the catalog's", wrong)
    )
    if wrong and repair:
        reindex(wrong, settings=settings, embedder=embedder, store=store, progress=progress)
        finding.repaired = True
    report.findings.append(finding)

    problem = store.lexical.problem()
    finding = Finding("bm25 index", problem is None, problem or "matches the catalog")
    if problem is not None and repair:
        store.lexical.rebuild()
        finding.repaired = store.lexical.problem() is None
    report.findings.append(finding)

    cache = settings.briefing.cache_dir or settings.store.path / "summaries"
    broken = _unreadable_summaries(cache)
    finding = Finding("summary cache", not broken, _ids("cached summaries unreadable", [p.name for p in broken]))
    if broken and repair:
        for path in broken:
            path.unlink(missing_ok=True)
        finding.repaired = True
    report.findings.append(finding)

    report.counts = {
        "articles": catalog.counts()["articles"],
        "pending": len(catalog.pending_ids()),
        "catalog_chunks": catalog.indexed_chunk_count(),
        "vector_chunks": store.chunk_count(),
    }
    return report


def _ids(what: str, ids: list[str]) -> str:
    if not ids:
        return "none"
    shown = ", ".join(ids[:_SHOWN_IDS]) + (f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else "")
    return f"{len(ids)} {what}: {shown}"


def _unreadable_summaries(folder: Path) -> list[Path]:
    """Cached summary files that are not whole JSON objects (truncated or overwritten); the cache treats them as
    missing, so removing them only saves a failed read each time."""
    broken = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            if not isinstance(json.loads(path.read_bytes()), dict):
                broken.append(path)
        except (OSError, ValueError):
            broken.append(path)
    return broken
