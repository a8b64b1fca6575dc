"""Code and store articles: one article, one transaction; re-running skips what is already stored."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.errors import IngestError
from conflictcoder.model import Article, CodedArticle
from conflictcoder.store.repo import SaveResult, known_article_ids, save_coded_article

log = logging.getLogger(__name__)
CHUNK = 64


class ArticleCoder(Protocol):
    def code_many(self, items: Iterable[Article | IngestError]) -> Iterator[CodedArticle | IngestError]: ...


@dataclass
class IngestSummary:
    """Counts of one ingest run; `errors` are the inputs that could not be read (nothing of theirs stored)."""

    new: int = 0
    new_versions: int = 0
    unchanged: int = 0
    events_created: int = 0
    events_updated: int = 0
    errors: list[IngestError] = field(default_factory=list)

    def add(self, result: SaveResult) -> None:
        if result.status == "unchanged":
            self.unchanged += 1
            return
        if result.status == "new version":
            self.new_versions += 1
        else:
            self.new += 1
        self.events_created += len(result.created)
        self.events_updated += len(set(result.updated) - set(result.created))


def ingest_articles(
    make_session: sessionmaker[Session],
    coder: ArticleCoder,
    items: Iterable[Article | IngestError],
    on_result: Callable[[SaveResult | IngestError], None] | None = None,
) -> IngestSummary:
    """Code `items` and store each article in its own transaction, in input order.

    Articles already in the store (same text) are not coded again. An unreadable input is counted and
    passed to `on_result`; the others are still stored. Interrupting loses at most the article being
    saved, and a re-run picks up there. (A background writer thread was measured and made ingest slower:
    the store's work is Python work and competes with coding for the interpreter.)
    """
    summary = IngestSummary()
    for kind, item, coded in _coded(make_session, coder, items):
        if isinstance(item, IngestError):
            summary.errors.append(item)
            if on_result:
                on_result(item)
        elif kind == "known" or coded is None:
            _record(summary, on_result, SaveResult(item.article_id, "unchanged"))
        else:
            _record(summary, on_result, save_one(make_session, item, coded))
    return summary


def _record(
    summary: IngestSummary, on_result: Callable[[SaveResult | IngestError], None] | None, result: SaveResult
) -> None:
    summary.add(result)
    if on_result:
        on_result(result)


def _coded(
    make_session: sessionmaker[Session], coder: ArticleCoder, items: Iterable[Article | IngestError]
) -> Iterator[tuple[str, Article | IngestError, CodedArticle | None]]:
    """("error", err, None), ("known", article, None) or ("coded", article, coded), in input order."""
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        with make_session() as session:
            known = known_article_ids(session, [a.article_id for a in chunk if isinstance(a, Article)])
        fresh: list[Article | IngestError] = []
        for item in chunk:
            if isinstance(item, Article) and item.article_id in known:
                yield "known", item, None
                continue
            if isinstance(item, Article):
                known.add(item.article_id)  # a second copy in the same run is "unchanged" too
            fresh.append(item)
        articles = {a.article_id: a for a in fresh if isinstance(a, Article)}
        for coded in coder.code_many(fresh):
            if isinstance(coded, IngestError):
                yield "error", coded, None
            else:
                yield "coded", articles[coded.article.article_id], coded


def save_one(make_session: sessionmaker[Session], article: Article, coded: CodedArticle) -> SaveResult:
    """Store one coded article in one transaction (a concurrent writer's copy counts as unchanged)."""
    try:
        with make_session.begin() as session:
            return save_coded_article(session, article, coded)
    except IntegrityError:
        with make_session() as session:
            if known_article_ids(session, [article.article_id]):
                log.info("article %s was stored by another writer meanwhile", article.article_id)
                return SaveResult(article.article_id, "unchanged")
        raise
