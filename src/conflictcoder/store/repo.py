"""Repository functions: save coded articles, merge their reports into events, split, query.

Every function takes an open `Session` and never commits: the caller owns the transaction (one article,
one transaction in `conflictcoder.store.ingest`). Events come back as `StoredEvent` values, never as rows.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Row, Select, func, or_, select, update
from sqlalchemy.orm import Session

from conflictcoder.model import Article, CodedArticle, Event
from conflictcoder.store.db import StoreError
from conflictcoder.store.memo import EventMemo, Known
from conflictcoder.store.merge import affinity, combine, compatible
from conflictcoder.store.tables import ArticleRow, ClaimRow, EventRow, MentionRow, RevisionRow
from conflictcoder.store.writer import (
    ACTIVE,
    ACTIVE_REPORTS,
    ARTICLES,
    CANDIDATES,
    EVENT_STATES,
    EVENTS,
    INSERT_ARTICLE,
    INSERT_EVENT,
    INSERT_MENTION,
    MENTIONS,
    CandidateShape,
    Ref,
    RunState,
    Writes,
    inserted_pk,
    lookup_and_candidates,
)

log = logging.getLogger(__name__)

SUPERSEDED = "superseded"
WITHDRAWN = "withdrawn"
_WINDOW = timedelta(days=31)


class StoredEvent(BaseModel):
    """A merged event as the store holds it: the event, its store number, revision and provenance."""

    model_config = ConfigDict(extra="forbid")

    event: Event
    number: int
    revision: int
    status: str = ACTIVE
    created_at: datetime
    updated_at: datetime
    articles: list[str] = []
    outlets: list[str] = []
    titles: list[str] = []
    published: list[date] = []


class Revision(BaseModel):
    revision: int
    action: str
    reason: str
    article_id: str | None
    changes: dict[str, Any]
    created_at: datetime
    event: Event


class MentionInfo(BaseModel):
    mention_id: str
    article_id: str
    outlet: str | None
    status: str
    sub_event_type: str
    event_date: date | None


@dataclass
class SaveResult:
    """What saving one coded article did."""

    article_id: str
    status: str  # "new", "new version", "unchanged"
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EventFilter:
    """Export and listing filters; every given one must hold."""

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None  # name or ISO3
    admin1: str | None = None
    event_type: str | None = None  # event type or sub-event type
    actor: str | None = None  # part of actor1 or actor2, any case
    include_withdrawn: bool = False


def _now() -> datetime:
    return datetime.now(UTC)


def article_known(session: Session, article_id: str) -> bool:
    return session.scalar(select(ArticleRow.pk).where(ArticleRow.article_id == article_id)) is not None


def known_article_ids(session: Session, article_ids: Sequence[str]) -> set[str]:
    if not article_ids:
        return set()
    rows = session.scalars(select(ArticleRow.article_id).where(ArticleRow.article_id.in_(set(article_ids))))
    return set(rows)


# ---------------------------------------------------------------------------------------------------
# Writing: Core statements on the session's connection (no ORM objects, so nothing in the session's
# identity map goes stale). A save reads in one query, decides, then writes its rows together
# (`store.writer`; on PostgreSQL pipelined with the COMMIT).


@dataclass
class _EventState:
    """One event as a save sees it: what changes on a recompute, and what is known of its reports."""

    ref: Ref
    event_id: str
    revision: int
    status: str
    data: dict[str, Any]
    known: Known | None = None

    @property
    def pk(self) -> int:
        return self.ref.get()


def save_coded_article(
    session: Session, article: Article, coded: CodedArticle, run: RunState | None = None
) -> SaveResult:
    """Store one article, its reports (mentions) and claims, and merge each report into an event.

    The same text twice changes nothing. The same URL with a different text is a new version: the old
    version's reports are superseded (their events are recomputed without them), then the new
    version's reports are merged, preferring the events the old version was part of. `run` carries
    what an ingest run keeps between articles (`store.writer.RunState`); the caller commits or discards
    its memo with the transaction.
    """
    conn = session.connection()
    run = run if run is not None else RunState.for_bind(conn)
    known, previous, candidates = _prefetch(conn, article, coded.events)
    if known:
        return SaveResult(article.article_id, "unchanged")
    save = _ArticleSave(conn, run, article, _now(), SaveResult(article.article_id, "new"))
    if previous is not None:
        save.result.status = "new version"
        save.preferred = _supersede(conn, run.memo, previous, article.article_id, save.result, save.now)
        candidates = [_candidates(conn, r) for r in coded.events]  # the supersede changed events
    if run.keys is not None:
        run.keys.reserve(conn, 1, len(coded.events), len(coded.events))
    values = _article_values(article, coded, previous, save.now)
    article_ref = save.writes.insert(INSERT_ARTICLE, run.new_ref("articles"), values)
    for position, report in enumerate(coded.events):
        save.place(article_ref, position, report, candidates[position])
    save.finish()
    return save.result


@dataclass
class _ArticleSave:
    """One article's save while its reports are placed: the rows to write, the events touched."""

    conn: Connection
    run: RunState
    article: Article
    now: datetime
    result: SaveResult
    preferred: set[int] = field(default_factory=set)  # the previous version's events
    writes: Writes = field(default_factory=Writes)
    touched: set[int] = field(default_factory=set)
    created: list[_EventState] = field(default_factory=list)

    def place(self, article_ref: Ref, position: int, report: Event, candidates: list[Row[Any]]) -> None:
        """Merge one report into the event it fits best, or make it a new event; queue its mention and
        claims."""
        article_id = self.article.article_id
        label = f"{self.article.outlet or 'article'} {article_id}"
        mention_id = _mention_id(article_id, position)
        report = report.model_copy(update={"event_id": mention_id})
        data = report.model_dump(mode="json")
        target = _find_event(self.conn, self.run.memo, report, candidates, self.touched, self.preferred)
        if target is None:
            target = _create_event(self.writes, self.run, report, data, label, article_id, self.now)
            self.created.append(target)
            self.result.created.append(target.event_id)
        else:
            reports, labels = _reports_of(self.conn, target)
            why = ("merge", f"report from article {article_id} merged", article_id)
            _recompute(
                self.writes, self.run.memo, target, ([*reports, report], [*labels, label]), why, self.now
            )
            self.result.updated.append(target.event_id)
            self.touched.add(target.pk)
        mention = {
            "article_pk": article_ref,
            "position": position,
            "mention_id": mention_id,
            "event_pk": target.ref,
            "status": ACTIVE,
            "data": data,
            "attached_at": self.now,
        }
        mention_ref = self.writes.insert(INSERT_MENTION, self.run.new_ref("mentions"), mention)
        self.writes.claims.extend(_claim_rows(mention_ref, report))

    def finish(self) -> None:
        """Write the rows; the new events' keys are known now, so the memo learns them."""
        self.writes.flush(self.conn)
        for state in self.created:
            if state.known is not None:
                self.run.memo.stage(state.pk, state.revision, state.known)


def _prefetch(
    conn: Connection, article: Article, reports: Sequence[Event]
) -> tuple[bool, Row[Any] | None, list[list[Row[Any]]]]:
    """What a save reads before deciding, in one query (`store.writer.lookup_and_candidates`): whether
    this text is stored, the newest stored version under the same URL, and each report's candidate
    events (`_candidates`)."""
    params = _lookup_params(article)
    together = len(reports) <= MAX_PREFETCH  # else the query grows long: read candidates one by one
    shapes = tuple(_candidate_params(r, params, f"_{i}") for i, r in enumerate(reports)) if together else ()
    rows = conn.execute(lookup_and_candidates(article.url is not None, shapes), params).all()
    candidates: list[list[Row[Any]]] = [[] for _ in reports]
    for row in rows:
        if row.part >= 0:
            candidates[row.part].append(row)
    for found in candidates:
        found.sort(key=lambda r: r.pk)
    if not together:
        candidates = [_candidates(conn, r) for r in reports]
    return (*_found(article, [r for r in rows if r.part < 0]), candidates)


#: Reports of one article whose candidates are read in the article's first query.
MAX_PREFETCH = 16


def _lookup_params(article: Article) -> dict[str, Any]:
    return {"article_id": article.article_id, "url": article.url}


def _found(article: Article, rows: Sequence[Row[Any]]) -> tuple[bool, Row[Any] | None]:
    """(whether this text is stored, the newest version under its URL) from the article rows read."""
    if any(r.name == article.article_id for r in rows):
        return True, None
    newest = max(rows, key=lambda r: (r.number, r.pk), default=None)
    return False, newest


def _article_values(
    article: Article, coded: CodedArticle, previous: Row[Any] | None, now: datetime
) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "external_id": article.id,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "source_path": article.source_path,
        "version": previous.number + 1 if previous else 1,
        "supersedes_pk": previous.pk if previous else None,
        "reason": coded.reason,
        "ingested_at": now,
    }


def _mention_id(article_id: str, position: int) -> str:
    return hashlib.sha256(f"{article_id}:{position}".encode()).hexdigest()[:16]


def _claim_rows(mention: Ref, report: Event) -> list[dict[str, Any]]:
    """The `claims` rows of one report (`mention`: its mention's key, known once it is inserted)."""
    return [
        {
            "mention_pk": mention,
            "claimant": c.claimant,
            "claimant_role": c.claimant_role,
            "spokesperson": c.spokesperson,
            "stance": c.stance,
            "figure": c.figure,
            "about": c.about,
            "value_low": c.value.low,
            "value_high": c.value.high,
            "unit": c.unit,
            "item": c.item,
            "hedge": c.hedge,
            "text": c.text,
            "evidence_start": c.evidence.start,
            "evidence_end": c.evidence.end,
        }
        for c in report.claims
    ]


def _supersede(
    conn: Connection,
    memo: EventMemo,
    previous: Row[Any],
    new_article_id: str,
    result: SaveResult,
    now: datetime,
) -> set[int]:
    """Mark the previous version's reports superseded and recompute their events (written at once)."""
    mentions = conn.execute(
        select(MENTIONS.c.pk, MENTIONS.c.event_pk).where(
            MENTIONS.c.article_pk == previous.pk, MENTIONS.c.status == ACTIVE
        )
    ).all()
    if not mentions:
        return set()
    conn.execute(
        update(MENTIONS).where(MENTIONS.c.pk.in_([m.pk for m in mentions])).values(status=SUPERSEDED)
    )
    events = {m.event_pk for m in mentions}
    writes = Writes()
    reason = f"article {previous.name} replaced by a new version {new_article_id}"
    for pk in sorted(events):
        state = _load_state(conn, pk)
        why = ("supersede", reason, new_article_id)
        _recompute(writes, memo, state, _active_reports(conn, pk), why, now)
        result.updated.append(state.event_id)
    writes.flush(conn)
    return events


def _load_state(conn: Connection, pk: int) -> _EventState:
    row = conn.execute(EVENT_STATES, {"pks": [pk]}).one()
    return _EventState(Ref(row.pk), row.event_id, row.revision, row.status, row.data or {})


def _candidate_params(report: Event, params: dict[str, Any], suffix: str = "") -> CandidateShape:
    """Add the parameters of the report's candidate query to `params`; returns the query's shape."""
    if report.event_date is None or report.iso3 is None:
        return None
    exact_day = (report.time_precision or 1) == 1
    params[f"iso3{suffix}"] = report.iso3
    params[f"d0{suffix}"] = report.event_date - _WINDOW
    params[f"d1{suffix}"] = report.event_date + _WINDOW
    if exact_day:
        params[f"day{suffix}"] = report.event_date
    if report.admin1:
        params[f"admin1{suffix}"] = report.admin1.lower()
    return exact_day, bool(report.admin1)


def _candidates(conn: Connection, report: Event) -> list[Row[Any]]:
    """Active events a report might join, by date and place (the merge rule decides), oldest first."""
    params: dict[str, Any] = {}
    shape = _candidate_params(report, params)
    return [] if shape is None else list(conn.execute(CANDIDATES[shape], params).all())


def _candidate_states(
    conn: Connection, memo: EventMemo, candidates: list[Row[Any]], exclude: set[int]
) -> list[_EventState]:
    """The candidate events as states; those the memo does not know at their revision are read in one
    query. (Rows have pk, name (event id) and number (revision), as `_candidates` reads them.)"""
    rows = [r for r in candidates if r.pk not in exclude]
    states: dict[int, _EventState] = {}
    missing: list[int] = []
    for r in rows:
        known = memo.get(r.pk, r.number)
        if known is None:
            missing.append(r.pk)
        else:
            states[r.pk] = _EventState(Ref(r.pk), r.name, r.number, ACTIVE, known.data, known)
    if missing:
        for r in conn.execute(EVENT_STATES, {"pks": missing}):
            if r.status != ACTIVE:  # withdrawn meanwhile by another writer
                continue
            known = Known(Event.model_validate(r.data), r.data)
            memo.stage(r.pk, r.revision, known)
            states[r.pk] = _EventState(Ref(r.pk), r.event_id, r.revision, ACTIVE, r.data, known)
    return [states[r.pk] for r in rows if r.pk in states]


def _find_event(
    conn: Connection,
    memo: EventMemo,
    report: Event,
    candidates: list[Row[Any]],
    exclude: set[int],
    prefer: set[int],
) -> _EventState | None:
    """The compatible event the report fits best among its candidates (the previous version's events
    first), or None."""
    best: tuple[int, int, _EventState] | None = None
    for state in _candidate_states(conn, memo, candidates, exclude):
        assert state.known is not None
        event = state.known.event
        verdict = compatible(report, event)
        if not verdict.ok:
            log.debug("report %s does not join %s: %s", report.event_id, state.event_id, verdict.reason)
            continue
        key = (10 * (state.pk in prefer) + affinity(report, event), -state.pk)
        if best is None or key > best[:2]:
            best = (*key, state)
    return best[2] if best else None


def _reports_of(conn: Connection, state: _EventState) -> tuple[list[Event], list[str]]:
    """The event's active reports and their labels: from the memo when it knows them, else read."""
    known = state.known
    if known is not None and known.reports is not None and known.labels is not None:
        return list(known.reports), list(known.labels)
    return _active_reports(conn, state.pk)


def _create_event(
    writes: Writes,
    run: RunState,
    report: Event,
    data: dict[str, Any],
    label: str,
    article_id: str,
    now: datetime,
) -> _EventState:
    """A new event from its first report, queued at revision 1 with its "create" revision."""
    state = _EventState(run.new_ref("events"), report.event_id, 0, ACTIVE, {})
    why = ("create", f"first report, from article {article_id}", article_id)
    values = _recomputed(writes, state, ([report], [label]), why, now, dumped=data)
    values.update(event_id=state.event_id, created_at=now)
    writes.insert(INSERT_EVENT, state.ref, values)
    return state


def _columns(ev: Event) -> dict[str, Any]:
    """The `events` columns copied from the merged event, for filtering and indexing."""
    return {
        "event_date": ev.event_date,
        "time_precision": ev.time_precision,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1,
        "actor2": ev.actor2,
        "country": ev.country,
        "iso3": ev.iso3,
        "admin1": ev.admin1,
        "admin2": ev.admin2,
        "location": ev.location,
        "latitude": ev.latitude,
        "longitude": ev.longitude,
        "fatalities_best": ev.fatalities.best if ev.fatalities else None,
    }


def _active_reports(conn: Connection, event_pk: int) -> tuple[list[Event], list[str]]:
    rows = conn.execute(ACTIVE_REPORTS, {"event_pk": event_pk}).all()
    reports = [Event.model_validate(d) for d, _a, _o in rows]
    labels = [f"{o or 'article'} {a}" for _d, a, o in rows]
    return reports, labels


_DIFF_SKIP = {"claims", "evidence", "figures", "notes", "actor_normalized"}


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in sorted(set(old) | set(new)):
        if k in _DIFF_SKIP:
            continue
        if old.get(k) != new.get(k):
            out[k] = {"old": old.get(k), "new": new.get(k)}
    n_old, n_new = len(old.get("claims", [])), len(new.get("claims", []))
    if n_old != n_new:
        out["claims"] = {"old": n_old, "new": n_new}
    return out


def _recompute(
    writes: Writes,
    memo: EventMemo,
    state: _EventState,
    reports: tuple[list[Event], list[str]],
    why: tuple[str, str, str | None],
    now: datetime,
) -> None:
    """Rebuild a stored event from its active reports; queue its update and revision."""
    values = _recomputed(writes, state, reports, why, now)
    writes.updates.append((state.pk, values))
    if state.known is not None:
        memo.stage(state.pk, state.revision, state.known)


def _recomputed(
    writes: Writes,
    state: _EventState,
    reports: tuple[list[Event], list[str]],
    why: tuple[str, str, str | None],
    now: datetime,
    dumped: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Rebuild the event in `state` from `reports` (events, labels) and queue a revision saying `why`
    (action, reason, article id); withdrawn when no report is left. Returns the `events` values to
    write. `dumped` is the one report's JSON when its id is the event's (a new event), to spare a dump.
    """
    events, labels = reports
    action, reason, article_id = why
    old = state.data
    if events:
        combined = combine(state.event_id, events, labels)
        data = dumped if dumped is not None else combined.event.model_dump(mode="json")
        changes: dict[str, Any] = {"fields": _diff(old, data)}
        if combined.alternatives:
            changes["alternatives"] = combined.alternatives
        values = {**_columns(combined.event), "status": ACTIVE}
        state.known = Known(combined.event, data, tuple(events), tuple(labels))
    else:
        data = old
        changes = {"fields": {"status": {"old": state.status, "new": WITHDRAWN}}}
        values = {"status": WITHDRAWN}
        action = "withdraw" if action != "split" else action
        state.known = None
    state.revision += 1
    state.status = values["status"]
    state.data = data
    values.update(revision=state.revision, data=data, updated_at=now)
    writes.revisions.append(
        {
            "event_pk": state.ref,
            "revision": state.revision,
            "action": action,
            "reason": reason,
            "article_id": article_id,
            "changes": changes,
            "data": data,
            "created_at": now,
        }
    )
    return values


def _event_state(conn: Connection, event_id: str) -> _EventState:
    pk = conn.execute(select(EVENTS.c.pk).where(EVENTS.c.event_id == event_id)).scalar()
    if pk is None:
        raise StoreError(f"{event_id}: no such event")
    return _load_state(conn, pk)


def split_event(session: Session, event_id: str, selectors: Sequence[str]) -> StoredEvent:
    """Move the reports picked by `selectors` (mention ids or article ids) out of `event_id` into a new
    event. Both events keep their histories; the original keeps its id. Returns the new event."""
    conn = session.connection()
    state = _event_state(conn, event_id)
    mentions = conn.execute(
        select(
            MENTIONS.c.pk, MENTIONS.c.mention_id, MENTIONS.c.data, ARTICLES.c.article_id, ARTICLES.c.outlet
        )
        .join(ARTICLES, ARTICLES.c.pk == MENTIONS.c.article_pk)
        .where(MENTIONS.c.event_pk == state.pk, MENTIONS.c.status == ACTIVE)
        .order_by(MENTIONS.c.pk)
    ).all()
    wanted = set(selectors)
    moving = [m for m in mentions if m.mention_id in wanted or m.article_id in wanted]
    found = {m.mention_id for m in moving} | {m.article_id for m in moving}
    missing = sorted(wanted - found)
    if missing:
        raise StoreError(f"{event_id}: no active report {', '.join(missing)} in this event")
    if len(moving) == len(mentions):
        raise StoreError(f"{event_id}: a split must leave at least one report in the event")
    new_id = moving[0].mention_id
    if conn.execute(select(EVENTS.c.pk).where(EVENTS.c.event_id == new_id)).scalar() is not None:
        new_id = hashlib.sha256(f"{event_id}:split:{state.revision}".encode()).hexdigest()[:16]
    now = _now()
    first = Event.model_validate(moving[0].data)
    new_values = {"event_id": new_id, "revision": 0, "status": ACTIVE, "data": {}}
    new_values.update(_columns(first), created_at=now, updated_at=now)
    new_pk = inserted_pk(conn.execute(INSERT_EVENT, new_values))
    new_state = _EventState(Ref(new_pk), new_id, 0, ACTIVE, {})
    conn.execute(update(MENTIONS).where(MENTIONS.c.pk.in_([m.pk for m in moving])).values(event_pk=new_pk))
    moved = ", ".join(m.mention_id for m in moving)
    staying = [m for m in mentions if m not in moving]
    writes, memo = Writes(), EventMemo()
    for target, rows, reason in (
        (state, staying, f"reports {moved} split off into event {new_id}"),
        (new_state, moving, f"split off from event {event_id} (reports {moved})"),
    ):
        events = [Event.model_validate(m.data) for m in rows]
        labels = [f"{m.outlet or 'article'} {m.article_id}" for m in rows]
        _recompute(writes, memo, target, (events, labels), ("split", reason, None), now)
    writes.flush(conn)
    stored = get_event(session, new_id)
    assert stored is not None
    return stored


def _event_row(session: Session, event_id: str) -> EventRow:
    row = session.scalar(_fresh(select(EventRow).where(EventRow.event_id == event_id)))
    if row is None:
        raise StoreError(f"{event_id}: no such event")
    return row


def _fresh(q: Select[Any]) -> Select[Any]:
    """`q` loading rows afresh even when the session holds them already (writes are Core statements)."""
    return q.execution_options(populate_existing=True)


def _stored(session: Session, row: EventRow) -> StoredEvent:
    prov = session.execute(
        select(ArticleRow.article_id, ArticleRow.outlet, ArticleRow.title, ArticleRow.published)
        .join(MentionRow, MentionRow.article_pk == ArticleRow.pk)
        .where(MentionRow.event_pk == row.pk, MentionRow.status == ACTIVE)
        .order_by(MentionRow.pk)
    ).all()
    return _stored_from(row, prov)


def _stored_from(row: EventRow, prov: Sequence[Any]) -> StoredEvent:
    def uniq(values: Any) -> list[Any]:
        out: list[Any] = []
        for v in values:
            if v is not None and v not in out:
                out.append(v)
        return out

    return StoredEvent(
        event=Event.model_validate(row.data),
        number=row.pk,
        revision=row.revision,
        status=row.status,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        articles=uniq(p[0] for p in prov),
        outlets=uniq(p[1] for p in prov),
        titles=uniq(p[2] for p in prov),
        published=uniq(p[3] for p in prov),
    )


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def get_event(session: Session, event_id: str) -> StoredEvent | None:
    row = session.scalar(_fresh(select(EventRow).where(EventRow.event_id == event_id)))
    return _stored(session, row) if row is not None else None


def event_history(session: Session, event_id: str) -> list[Revision]:
    row = _event_row(session, event_id)
    revs = session.scalars(
        select(RevisionRow).where(RevisionRow.event_pk == row.pk).order_by(RevisionRow.revision)
    )
    return [
        Revision(
            revision=r.revision,
            action=r.action,
            reason=r.reason,
            article_id=r.article_id,
            changes=r.changes,
            created_at=_aware(r.created_at),
            event=Event.model_validate(r.data),
        )
        for r in revs
    ]


def event_reports(session: Session, event_id: str) -> list[MentionInfo]:
    row = _event_row(session, event_id)
    rows = session.execute(
        select(MentionRow, ArticleRow.article_id, ArticleRow.outlet)
        .join(ArticleRow, ArticleRow.pk == MentionRow.article_pk)
        .where(MentionRow.event_pk == row.pk)
        .order_by(MentionRow.pk)
    ).all()
    return [
        MentionInfo(
            mention_id=m.mention_id,
            article_id=aid,
            outlet=outlet,
            status=m.status,
            sub_event_type=m.data["sub_event_type"],
            event_date=m.data.get("event_date"),
        )
        for m, aid, outlet in rows
    ]


def list_events(session: Session, flt: EventFilter | None = None) -> list[StoredEvent]:
    """Events matching `flt`, by date then store number (events without a date last)."""
    flt = flt or EventFilter()
    q = select(EventRow)
    if not flt.include_withdrawn:
        q = q.where(EventRow.status == ACTIVE)
    if flt.date_from is not None:
        q = q.where(EventRow.event_date >= flt.date_from)
    if flt.date_to is not None:
        q = q.where(EventRow.event_date <= flt.date_to)
    if flt.country:
        c = flt.country.lower()
        q = q.where(or_(func.lower(EventRow.country) == c, func.lower(EventRow.iso3) == c))
    if flt.admin1:
        q = q.where(func.lower(EventRow.admin1) == flt.admin1.lower())
    if flt.event_type:
        t = flt.event_type.lower()
        q = q.where(or_(func.lower(EventRow.event_type) == t, func.lower(EventRow.sub_event_type) == t))
    if flt.actor:
        a = f"%{flt.actor.lower()}%"
        q = q.where(or_(func.lower(EventRow.actor1).like(a), func.lower(EventRow.actor2).like(a)))
    q = _fresh(q.order_by(EventRow.event_date.is_(None), EventRow.event_date, EventRow.pk))
    return with_provenance(session, list(session.scalars(q)))


def with_provenance(session: Session, rows: list[EventRow]) -> list[StoredEvent]:
    """The stored events of `rows`, each with the articles (id, outlet, title, date) that report it."""
    prov: dict[int, list[Any]] = {r.pk: [] for r in rows}
    if rows:
        for event_pk, *p in session.execute(
            select(
                MentionRow.event_pk,
                ArticleRow.article_id,
                ArticleRow.outlet,
                ArticleRow.title,
                ArticleRow.published,
            )
            .join(ArticleRow, ArticleRow.pk == MentionRow.article_pk)
            .where(MentionRow.status == ACTIVE, MentionRow.event_pk.in_(list(prov)))
            .order_by(MentionRow.pk)
        ):
            prov[event_pk].append(p)
    return [_stored_from(r, prov[r.pk]) for r in rows]


def counts(session: Session) -> dict[str, int]:
    """Row counts per table (active events only under "events")."""
    return {
        "articles": session.scalar(select(func.count()).select_from(ArticleRow)) or 0,
        "mentions": session.scalar(select(func.count()).select_from(MentionRow)) or 0,
        "claims": session.scalar(select(func.count()).select_from(ClaimRow)) or 0,
        "events": session.scalar(select(func.count()).where(EventRow.status == ACTIVE)) or 0,
        "revisions": session.scalar(select(func.count()).select_from(RevisionRow)) or 0,
    }
