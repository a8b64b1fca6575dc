"""Read queries for the API and the dashboard: filtered pages of events with a keyset cursor, counts per
day and type and per admin1, an article's events, and the claims behind an event.

Every value reaches the database as a bound parameter. Like the rest of the store, the functions take a
`Session` and never commit.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from conflictcoder.store.db import StoreError
from conflictcoder.store.repo import ACTIVE, StoredEvent, _fresh, with_provenance
from conflictcoder.store.tables import ArticleRow, ClaimRow, EventRow, MentionRow

SortKey = Literal["date", "-date", "fatalities", "-fatalities"]
_SORT_COLUMNS = {"date": EventRow.event_date, "fatalities": EventRow.fatalities_best}


@dataclass(frozen=True)
class EventQuery:
    """Filters of `GET /events` (every one given must hold), the sort and the page."""

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None  # name or ISO3, any case
    admin1: str | None = None
    admin2: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # part of actor1, actor2 or an associated actor, any case
    claimant: str | None = None  # part of the name of a claimant of any of the event's claims
    disputed: bool = False  # only events with at least one dispute
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    sort: SortKey = "-date"
    limit: int = 100
    cursor: str | None = None


@dataclass
class EventPage:
    events: list[StoredEvent]
    next_cursor: str | None


def _like(value: str) -> str:
    """A LIKE pattern matching `value` anywhere, with LIKE's own wildcards taken literally."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _disputed(dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return func.jsonb_array_length(EventRow.data["disputes"]) > 0
    return func.json_array_length(EventRow.data, "$.disputes") > 0


def _conditions(q: EventQuery, dialect: str) -> list[ColumnElement[bool]]:
    ev = EventRow
    where: list[ColumnElement[bool]] = [ev.status == ACTIVE]
    if q.date_from is not None:
        where.append(ev.event_date >= q.date_from)
    if q.date_to is not None:
        where.append(ev.event_date <= q.date_to)
    if q.country:
        c = q.country.lower()
        where.append(or_(func.lower(ev.country) == c, func.lower(ev.iso3) == c))
    for column, value in (
        (ev.admin1, q.admin1),
        (ev.admin2, q.admin2),
        (ev.event_type, q.event_type),
        (ev.sub_event_type, q.sub_event_type),
    ):
        if value:
            where.append(func.lower(column) == value.lower())
    if q.actor:
        a = _like(q.actor)
        where.append(
            or_(func.lower(ev.actor1).like(a, escape="\\"), func.lower(ev.actor2).like(a, escape="\\"))
        )
    if q.claimant:
        where.append(
            exists(
                select(ClaimRow.pk)
                .join(MentionRow, MentionRow.pk == ClaimRow.mention_pk)
                .where(
                    MentionRow.event_pk == ev.pk,
                    MentionRow.status == ACTIVE,
                    func.lower(ClaimRow.claimant).like(_like(q.claimant), escape="\\"),
                )
            )
        )
    if q.disputed:
        where.append(_disputed(dialect))
    if q.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = q.bbox
        where.append(ev.latitude.between(min_lat, max_lat))
        if min_lon <= max_lon:
            where.append(ev.longitude.between(min_lon, max_lon))
        else:  # the box crosses the antimeridian
            where.append(or_(ev.longitude >= min_lon, ev.longitude <= max_lon))
    return where


def encode_cursor(sort: str, value: Any, pk: int) -> str:
    raw = json.dumps([sort, value.isoformat() if isinstance(value, date) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """(sort value, store number) of the last event of the previous page; StoreError if malformed."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        made_for, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if made_for != sort or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError("cursor of another sort")
        if value is not None:
            value = date.fromisoformat(value) if sort.endswith("date") else float(value)
    except (ValueError, TypeError, UnicodeDecodeError) as err:
        raise StoreError(f"cursor {cursor[:40]!r}: not a cursor this listing gave out") from err
    return value, pk


def _keyset(column: Any, descending: bool, where: list[ColumnElement[bool]], after: tuple[Any, int] | None,
            limit: int, session: Session) -> list[int]:
    """Up to `limit` keys of the rows matching `where` in (`column`, pk) order, after the cursor's row.

    Rows with a value come first, then rows without one (by pk), each read with an ORDER BY that an index
    on (status, column, pk) answers (migration 0003): no sort of every matching row, on either database
    (their NULL orders differ, so NULLs are never sorted together with values)."""
    keys: list[int] = []
    order = (column.desc(), EventRow.pk.desc()) if descending else (column.asc(), EventRow.pk.asc())
    if after is None or after[0] is not None:
        valued = [*where, column.is_not(None)]
        if after is not None:
            row, key = tuple_(column, EventRow.pk), tuple_(literal(after[0]), literal(after[1]))
            valued.append(row < key if descending else row > key)
        keys = list(session.scalars(select(EventRow.pk).where(*valued).order_by(*order).limit(limit)))
    if len(keys) < limit:
        empty = [*where, column.is_(None)]
        if after is not None and after[0] is None:
            empty.append(EventRow.pk < after[1] if descending else EventRow.pk > after[1])
        pk_order = EventRow.pk.desc() if descending else EventRow.pk.asc()
        keys += session.scalars(select(EventRow.pk).where(*empty).order_by(pk_order).limit(limit - len(keys)))
    return keys


def page_events(session: Session, q: EventQuery) -> EventPage:
    """One page of active events matching `q`, in `q.sort` order (NULL dates or figures last), and the
    cursor of the next page (None on the last)."""
    where = _conditions(q, session.get_bind().dialect.name)
    column = _SORT_COLUMNS[q.sort.lstrip("-")]
    after = decode_cursor(q.cursor, q.sort) if q.cursor else None
    keys = _keyset(column, q.sort.startswith("-"), where, after, q.limit + 1, session)
    more = len(keys) > q.limit
    keys = keys[: q.limit]
    found = {r.pk: r for r in session.scalars(_fresh(select(EventRow).where(EventRow.pk.in_(keys))))}
    rows = [found[k] for k in keys if k in found]
    events = with_provenance(session, rows)
    last = rows[-1] if rows else None
    cursor = None
    if more and last is not None:
        cursor = encode_cursor(q.sort, getattr(last, column.key), last.pk)
    return EventPage(events, cursor)


@dataclass
class EventStats:
    total: int
    per_day: list[tuple[date, str, int]]  # (day, event type, events)
    per_admin1: list[tuple[str | None, str | None, int]]  # (country, admin1, events)


def event_stats(session: Session, q: EventQuery) -> EventStats:
    """Counts of the active events matching `q`'s filters: per day and event type (dated events), and
    per country and admin1."""
    where = _conditions(q, session.get_bind().dialect.name)
    total = session.scalar(select(func.count()).select_from(EventRow).where(*where)) or 0
    day = session.execute(
        select(EventRow.event_date, EventRow.event_type, func.count())
        .where(*where, EventRow.event_date.is_not(None))
        .group_by(EventRow.event_date, EventRow.event_type)
        .order_by(EventRow.event_date, EventRow.event_type)
    ).all()
    admin = session.execute(
        select(EventRow.country, EventRow.admin1, func.count())
        .where(*where)
        .group_by(EventRow.country, EventRow.admin1)
        .order_by(func.count().desc(), EventRow.country, EventRow.admin1)
    ).all()
    return EventStats(total, [tuple(r) for r in day], [tuple(r) for r in admin])  # type: ignore[misc]


def article_event_ids(session: Session, article_id: str) -> list[str]:
    """The events an article's active reports belong to, in the order of its reports (each once)."""
    rows = session.execute(
        select(EventRow.event_id)
        .join(MentionRow, MentionRow.event_pk == EventRow.pk)
        .join(ArticleRow, ArticleRow.pk == MentionRow.article_pk)
        .where(ArticleRow.article_id == article_id, MentionRow.status == ACTIVE)
        .order_by(MentionRow.position)
    ).scalars()
    out: list[str] = []
    for event_id in rows:
        if event_id not in out:
            out.append(event_id)
    return out


@dataclass
class ArticleText:
    article_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: date | None
    version: int
    text: str


def articles_by_id(session: Session, article_ids: list[str]) -> list[ArticleText]:
    """The stored articles with these ids (full text), in the order given; unknown ids are left out."""
    if not article_ids:
        return []
    rows = session.execute(
        select(
            ArticleRow.article_id,
            ArticleRow.url,
            ArticleRow.outlet,
            ArticleRow.title,
            ArticleRow.published,
            ArticleRow.version,
            ArticleRow.text,
        ).where(ArticleRow.article_id.in_(set(article_ids)))
    ).all()
    found = {r.article_id: ArticleText(*r) for r in rows}
    return [found[a] for a in article_ids if a in found]
