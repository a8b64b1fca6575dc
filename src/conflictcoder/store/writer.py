"""How a save reaches the database: statements built once, and a save's rows written together at its end.

A save first reads what it needs in one query (the article's stored versions and each report's
candidate events, `lookup_and_candidates`), decides everything in Python (merge rule, merged events),
then writes its rows in the order the foreign keys need: the article, new events, mentions, event
updates, claims, revisions. Rows may point at rows not yet inserted through a `Ref`.

On PostgreSQL (psycopg 3) the primary keys are reserved ahead from the tables' sequences (`KeyPool`),
so no insert waits for an answer, and an ingest run's connection stays in pipeline mode
(`run_connection`): the BEGIN travels with the first query, and the writes with the COMMIT, so an
article takes two round trips to the server instead of about ten. On SQLite (in-process, no round
trips) each insert hands back its key as usual.

Reserved keys are taken in small blocks; a key reserved but not used (a rolled-back article, the end of
a run) leaves a gap in the numbering, as a rolled-back insert does anyway. With several writers at once,
numbers follow reservation rather than commit order.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    CompoundSelect,
    Connection,
    CursorResult,
    Dialect,
    Engine,
    Insert,
    Integer,
    Select,
    Table,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from conflictcoder.store.memo import EventMemo
from conflictcoder.store.tables import ArticleRow, ClaimRow, EventRow, MentionRow, RevisionRow

log = logging.getLogger(__name__)

ACTIVE = "active"

ARTICLES = cast(Table, ArticleRow.__table__)
EVENTS = cast(Table, EventRow.__table__)
MENTIONS = cast(Table, MentionRow.__table__)
CLAIMS = cast(Table, ClaimRow.__table__)
REVISIONS = cast(Table, RevisionRow.__table__)


def _candidate_query(exact_day: bool, with_admin1: bool, suffix: str = "") -> Select[Any]:
    """Active events in the report's country within the date window (on its day, or of a coarser date,
    when the report's date is exact), in its admin1 or without one; oldest first. Rows are (pk, name,
    number): the event's key, id and revision. `suffix` tells the parameters apart when several of
    these go into one query."""
    ev = EVENTS.c
    q = select(ev.pk, ev.event_id.label("name"), ev.revision.label("number")).where(
        ev.status == ACTIVE,
        ev.iso3 == bindparam(f"iso3{suffix}"),
        ev.event_date.between(bindparam(f"d0{suffix}"), bindparam(f"d1{suffix}")),
    )
    if exact_day:
        q = q.where(or_(ev.event_date == bindparam(f"day{suffix}"), ev.time_precision > 1))
    if with_admin1:
        q = q.where(or_(ev.admin1.is_(None), func.lower(ev.admin1) == bindparam(f"admin1{suffix}")))
    return q.order_by(ev.pk)


#: The shape of one report's candidate query: (exact day, with admin1), or None (no query: no date or
#: no country).
CandidateShape = tuple[bool, bool] | None


@lru_cache(maxsize=256)
def lookup_and_candidates(with_url: bool, shapes: tuple[CandidateShape, ...]) -> CompoundSelect:
    """One query for what a save reads before deciding: the stored article (same id, or same URL) and
    the candidate events of each report. Rows are (part, pk, name, number): part -1 for articles
    (article_id, version), part i for report i's candidates (event_id, revision); unordered."""
    art = ARTICLES.c
    found = art.article_id == bindparam("article_id")
    columns = (art.pk, art.article_id.label("name"), art.version.label("number"))
    parts = [
        select(literal_column("-1", Integer).label("part"), *columns).where(
            or_(found, art.url == bindparam("url")) if with_url else found
        )
    ]
    for i, shape in enumerate(shapes):
        if shape is not None:
            q = _candidate_query(*shape, suffix=f"_{i}")
            parts.append(
                q.order_by(None).with_only_columns(literal_column(str(i), Integer), *q.selected_columns)
            )
    return union_all(*parts)


# Statements built once: building them on each call cost more Python time than running them.
CANDIDATES = {(d, a): _candidate_query(d, a) for d in (False, True) for a in (False, True)}
EVENT_STATES = select(
    EVENTS.c.pk, EVENTS.c.event_id, EVENTS.c.revision, EVENTS.c.status, EVENTS.c.data
).where(EVENTS.c.pk.in_(bindparam("pks", expanding=True)))
ACTIVE_REPORTS = (
    select(MENTIONS.c.data, ARTICLES.c.article_id, ARTICLES.c.outlet)
    .join(ARTICLES, ARTICLES.c.pk == MENTIONS.c.article_pk)
    .where(MENTIONS.c.event_pk == bindparam("event_pk"), MENTIONS.c.status == ACTIVE)
    .order_by(MENTIONS.c.pk)
)
INSERT_ARTICLE = insert(ARTICLES)
INSERT_EVENT = insert(EVENTS)
INSERT_MENTION = insert(MENTIONS)
INSERT_CLAIMS = insert(CLAIMS).inline()  # inline: no RETURNING of keys nobody reads
INSERT_REVISIONS = insert(REVISIONS).inline()
UPDATE_EVENT = update(EVENTS).where(EVENTS.c.pk == bindparam("event_pk"))
_RESERVE = text(
    " UNION ALL ".join(
        f"SELECT '{t}', nextval(pg_get_serial_sequence('{t}', 'pk')) FROM generate_series(1, :{t})"
        for t in ("articles", "events", "mentions")
    )
)


class Ref:
    """The primary key of a row a save writes: reserved ahead (PostgreSQL) or set when it is inserted."""

    __slots__ = ("pk",)

    def __init__(self, pk: int | None = None) -> None:
        self.pk = pk

    def get(self) -> int:
        if self.pk is None:
            raise RuntimeError("a row was written before the row it points at")
        return self.pk


class KeyPool:
    """Primary keys of articles, events and mentions reserved from PostgreSQL's sequences, in blocks."""

    TABLES = ("articles", "events", "mentions")

    def __init__(self, block: int = 32) -> None:
        self.block = block
        self._free: dict[str, deque[int]] = {t: deque() for t in self.TABLES}

    def reserve(self, conn: Connection, articles: int, events: int, mentions: int) -> None:
        """Make sure the pool holds at least this many keys of each table; the tables short of them get
        a block more (one query)."""
        wanted = dict(zip(self.TABLES, (articles, events, mentions), strict=True))
        short = {t: n - len(self._free[t]) for t, n in wanted.items()}
        if all(n <= 0 for n in short.values()):
            return
        counts = {t: max(self.block, n) if n > 0 else 0 for t, n in short.items()}
        for table, pk in conn.execute(_RESERVE, counts):
            self._free[table].append(int(pk))

    def take(self, table: str) -> Ref:
        return Ref(self._free[table].popleft())


@dataclass
class RunState:
    """What one ingest run keeps between its articles: the event memo, and on PostgreSQL reserved keys."""

    memo: EventMemo = field(default_factory=EventMemo)
    keys: KeyPool | None = None

    @classmethod
    def for_bind(cls, bind: Engine | Connection) -> RunState:
        return cls(EventMemo(), KeyPool() if _pipelines(bind.dialect) else None)

    def new_ref(self, table: str) -> Ref:
        return self.keys.take(table) if self.keys is not None else Ref()


@dataclass
class Writes:
    """A save's rows, written by `flush` in foreign-key order; `Ref`s are resolved as rows go in."""

    inserts: list[tuple[Insert, Ref, dict[str, Any]]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)

    def insert(self, stmt: Insert, ref: Ref, values: dict[str, Any]) -> Ref:
        """Queue one row with a primary key (article, event, mention); rows go in in queue order."""
        self.inserts.append((stmt, ref, values))
        return ref

    def flush(self, conn: Connection) -> None:
        """Write the queued rows, a statement per table (per row for articles, events and mentions),
        and forget them."""
        with pipeline(conn):
            for stmt, ref, values in self.inserts:
                values = _resolved(values, "article_pk", "event_pk")
                if ref.pk is not None:
                    conn.execute(stmt, {**values, "pk": ref.pk})
                else:
                    ref.pk = inserted_pk(conn.execute(stmt, values))
            for pk, values in self.updates:
                conn.execute(UPDATE_EVENT, {**values, "event_pk": pk})
            if self.claims:
                conn.execute(INSERT_CLAIMS, [_resolved(c, "mention_pk") for c in self.claims])
            if self.revisions:
                conn.execute(INSERT_REVISIONS, [_resolved(r, "event_pk") for r in self.revisions])
        self.inserts, self.claims, self.updates, self.revisions = [], [], [], []


def _resolved(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    """`values` with the `Ref`s under `keys` replaced by their keys."""
    refs = {k: v.get() for k in keys if isinstance(v := values.get(k), Ref)}
    return {**values, **refs} if refs else values


def inserted_pk(result: CursorResult[Any]) -> int:
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def _pipelines(dialect: Dialect) -> bool:
    """Whether the database is PostgreSQL through psycopg 3 (which can pipeline statements)."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


_PIPELINE = "conflictcoder.pipeline"  # key of the open psycopg pipeline in `Connection.info`


@contextmanager
def pipeline(conn: Connection) -> Iterator[None]:
    """Send the statements run inside without waiting for each answer (psycopg 3 on PostgreSQL; a no-op
    elsewhere; inside an open pipeline, that one is used). A statement whose rows are read waits for its
    answer (see `answer_reads`); writes do not, and a COMMIT sent inside goes out with them. A
    constraint violation, reported when the pipeline syncs, is raised as SQLAlchemy's `IntegrityError`
    like any other."""
    if not _pipelines(conn.dialect):
        yield
        return
    pipe = conn.info.get(_PIPELINE)
    if pipe is not None:
        with _drained_on_error(pipe):
            yield
        return
    import psycopg

    try:
        with conn.connection.driver_connection.pipeline() as pipe:  # type: ignore[union-attr]
            conn.info[_PIPELINE] = pipe
            try:
                with _drained_on_error(pipe):
                    yield
            finally:
                conn.info.pop(_PIPELINE, None)  # gone already when an interrupt invalidated the connection
    except psycopg.IntegrityError as err:
        raise IntegrityError("(pipelined writes)", None, err) from err


@contextmanager
def _drained_on_error(pipe: Any) -> Iterator[None]:
    """On an error, take in the answers still due (the statements the server skipped after a failed one
    come back as errors too), so that the ROLLBACK that follows gets through; then re-raise."""
    try:
        yield
    except BaseException:
        try:
            pipe.sync()
        except Exception as err:  # the consequences of the error being raised
            log.debug("pipeline drained after an error: %s", err)
        raise


@contextmanager
def run_connection(conn: Connection) -> Iterator[None]:
    """Prepare a connection held for a whole ingest run. On PostgreSQL (psycopg 3) it stays in pipeline
    mode, and the store begins each article's transaction itself (`begin`): psycopg would wait for the
    answer to its own BEGIN, while ours travels with the article's first query. (The driver is put in
    autocommit mode for that; SQLAlchemy restores the default when the connection goes back to the
    pool. A COMMIT or ROLLBACK from SQLAlchemy ends the transaction as usual.) Elsewhere a no-op."""
    if not _pipelines(conn.dialect):
        yield
        return
    conn.execution_options(isolation_level="AUTOCOMMIT")
    conn.info[_OWN_BEGIN] = True
    try:
        with pipeline(conn):
            yield
    finally:
        conn.info.pop(_OWN_BEGIN, None)


_OWN_BEGIN = "conflictcoder.own_begin"  # `Connection.info` key: the store sends BEGIN itself


def end_failed(conn: Connection) -> None:
    """After an error in a transaction on a connection prepared by `run_connection`, and SQLAlchemy's
    rollback: make sure the database's transaction is over. (When the COMMIT reports the error of a
    write pipelined before it, SQLAlchemy takes the transaction for ended and sends no ROLLBACK.)"""
    if not conn.info.get(_OWN_BEGIN):
        return
    from psycopg.pq import TransactionStatus

    driver = conn.connection.driver_connection
    if driver.pgconn.transaction_status != TransactionStatus.IDLE:  # type: ignore[union-attr]
        driver.rollback()  # type: ignore[union-attr]


def begin(conn: Connection) -> None:
    """Begin a transaction on a connection prepared by `run_connection` (elsewhere the driver does)."""
    if conn.info.get(_OWN_BEGIN):
        conn.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]


def answer_reads(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    """After a statement runs inside a pipeline: when it returns rows (a query, or DML with RETURNING),
    fetch its answer now, before SQLAlchemy reads them. (Listener of the engine's `after_cursor_execute`,
    set up by `store.db.make_engine` for PostgreSQL.)"""
    pipe = conn.info.get(_PIPELINE)
    if pipe is None:
        return
    dml = context.isinsert or context.isupdate or context.isdelete
    if not dml or getattr(context.compiled, "effective_returning", None):
        pipe.sync()
