"""Code and store articles: one article, one transaction; re-running skips what is already stored."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.errors import IngestError
from conflictcoder.model import Article, CodedArticle
from conflictcoder.store.repo import SaveResult, known_article_ids, save_coded_article
from conflictcoder.store.writer import RunState, begin, end_failed, pipeline, run_connection

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
    run: RunState | None = None,
) -> IngestSummary:
    """Code `items` and store each article in its own transaction, in input order.

    Articles already in the store (same text) are not coded again. An unreadable input is counted and
    passed to `on_result`; the others are still stored. Interrupting rolls back at most the article
    being stored (articles are coded a chunk at a time, see `_coded`), and a re-run picks up there.

    The run holds one connection, a memo of the events it wrote (`store.memo`, so that merging does not
    re-read them) and, on PostgreSQL, keys reserved ahead so that an article's writes and COMMIT go out
    together (`store.writer`). A caller that ingests one store in several calls (a feed poller) may pass
    the same `run` (`RunState.for_bind(engine)`) to each, to keep the memo and the reserved keys. (A
    background writer thread was measured, again during this work, and made ingest slower: the
    store's work is Python work and competes with coding for the interpreter.)
    """
    summary = IngestSummary()
    with _run_session(make_session) as session:
        run = run if run is not None else RunState.for_bind(session.get_bind())
        for kind, item, coded in _coded(session, coder, items):
            if isinstance(item, IngestError):
                summary.errors.append(item)
                if on_result:
                    on_result(item)
            elif kind == "known" or coded is None:
                _record(summary, on_result, SaveResult(item.article_id, "unchanged"))
            else:
                _record(summary, on_result, _save(session, run, item, coded))
    return summary


@contextmanager
def _run_session(make_session: sessionmaker[Session]) -> Iterator[Session]:
    """A session on one connection held for the whole run (no pool checkout and ping per article),
    prepared by `store.writer.run_connection`."""
    bind = make_session.kw.get("bind")
    if not isinstance(bind, Engine):
        with make_session() as session:
            yield session
        return
    with bind.connect() as conn, run_connection(conn), make_session(bind=conn) as session:
        yield session


def _record(
    summary: IngestSummary, on_result: Callable[[SaveResult | IngestError], None] | None, result: SaveResult
) -> None:
    summary.add(result)
    if on_result:
        on_result(result)


def _coded(
    session: Session, coder: ArticleCoder, items: Iterable[Article | IngestError]
) -> Iterator[tuple[str, Article | IngestError, CodedArticle | None]]:
    """("error", err, None), ("known", article, None) or ("coded", article, coded), in input order.

    A chunk is coded whole before its first article is stored: coding and storing each run many times
    in a row, which measured faster than alternating them article by article (storing ran ~50% slower
    right after coding, its code and data no longer in the processor's caches). Each article is still
    stored in its own transaction; an interruption rolls back only the article being stored, and the
    chunk's coded but not yet stored articles are simply coded again by the re-run."""
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        with session.begin():
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
        for coded in list(coder.code_many(fresh)):
            if isinstance(coded, IngestError):
                yield "error", coded, None
            else:
                yield "coded", articles[coded.article.article_id], coded


def save_one(make_session: sessionmaker[Session], article: Article, coded: CodedArticle) -> SaveResult:
    """Store one coded article in one transaction (a concurrent writer's copy counts as unchanged)."""
    with _run_session(make_session) as session:
        return _save(session, RunState.for_bind(session.get_bind()), article, coded)


def _save(session: Session, run: RunState, article: Article, coded: CodedArticle) -> SaveResult:
    """Store one coded article in its own transaction on `session`; the run's memo keeps what it
    learned only when the transaction commits. On PostgreSQL the transaction runs in a pipeline: the
    reads wait for their answers, the writes and the COMMIT go out together."""
    try:
        result = _transaction(session, run, article, coded)
    except IntegrityError:
        run.memo.discard()
        with session.begin():
            if known_article_ids(session, [article.article_id]):
                log.info("article %s was stored by another writer meanwhile", article.article_id)
                return SaveResult(article.article_id, "unchanged")
        raise
    except BaseException:
        run.memo.discard()
        raise
    run.memo.commit()
    return result


def _transaction(session: Session, run: RunState, article: Article, coded: CodedArticle) -> SaveResult:
    """`save_coded_article` in a transaction of its own: committed, or rolled back on any error
    (including one the COMMIT itself reports, as a pipelined write's error is)."""
    held = isinstance(session.get_bind(), Connection)  # a commit does not give the connection back
    session.begin()
    try:
        with pipeline(session.connection()) if held else nullcontext():
            begin(session.connection())
            result = save_coded_article(session, article, coded, run)
            session.commit()  # on PostgreSQL the COMMIT goes out with the article's writes
    except BaseException:
        session.rollback()
        if held:
            end_failed(session.get_bind())  # type: ignore[arg-type]
        raise
    return result
