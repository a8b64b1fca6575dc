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
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from conflictcoder.model import Article, CodedArticle, Event
from conflictcoder.store.db import StoreError
from conflictcoder.store.merge import affinity, combine, compatible
from conflictcoder.store.tables import ArticleRow, ClaimRow, EventRow, MentionRow, RevisionRow

log = logging.getLogger(__name__)

ACTIVE = "active"
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


def save_coded_article(session: Session, article: Article, coded: CodedArticle) -> SaveResult:
    """Store one article, its reports (mentions) and claims, and merge each report into an event.

    The same text twice changes nothing. The same URL with a different text is a new version: the old
    version's reports are superseded (their events are recomputed without them), then the new
    version's reports are merged, preferring the events the old version was part of.
    """
    if article_known(session, article.article_id):
        return SaveResult(article.article_id, "unchanged")
    previous = None
    if article.url:
        previous = session.scalars(
            select(ArticleRow).where(ArticleRow.url == article.url).order_by(ArticleRow.version.desc())
        ).first()
    row = ArticleRow(
        article_id=article.article_id,
        external_id=article.id,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        published=article.published,
        language=article.language,
        text=article.text,
        source_path=article.source_path,
        version=previous.version + 1 if previous else 1,
        supersedes_pk=previous.pk if previous else None,
        reason=coded.reason,
        ingested_at=_now(),
    )
    session.add(row)
    session.flush()
    result = SaveResult(article.article_id, "new version" if previous else "new")
    preferred: set[int] = set()
    if previous is not None:
        preferred = _supersede(session, previous, article.article_id, result)
    touched: set[int] = set()
    for position, report in enumerate(coded.events):
        mention_id = _mention_id(article.article_id, position)
        report = report.model_copy(update={"event_id": mention_id})
        target = _find_event(session, report, exclude=touched, prefer=preferred)
        mention = MentionRow(
            article_pk=row.pk,
            position=position,
            mention_id=mention_id,
            status=ACTIVE,
            data=report.model_dump(mode="json"),
            attached_at=_now(),
        )
        if target is None:
            target = _new_event(session, report)
            mention.event_pk = target.pk
            session.add(mention)
            session.flush()
            _recompute(
                session,
                target,
                "create",
                f"first report, from article {article.article_id}",
                article.article_id,
            )
            result.created.append(target.event_id)
        else:
            mention.event_pk = target.pk
            session.add(mention)
            session.flush()
            _recompute(
                session,
                target,
                "merge",
                f"report from article {article.article_id} merged",
                article.article_id,
            )
            if target.event_id not in result.created:
                result.updated.append(target.event_id)
        session.add_all(_claim_rows(mention.pk, report))
        touched.add(target.pk)
    session.flush()
    return result


def _mention_id(article_id: str, position: int) -> str:
    return hashlib.sha256(f"{article_id}:{position}".encode()).hexdigest()[:16]


def _claim_rows(mention_pk: int, report: Event) -> list[ClaimRow]:
    return [
        ClaimRow(
            mention_pk=mention_pk,
            claimant=c.claimant,
            claimant_role=c.claimant_role,
            spokesperson=c.spokesperson,
            stance=c.stance,
            figure=c.figure,
            about=c.about,
            value_low=c.value.low,
            value_high=c.value.high,
            unit=c.unit,
            item=c.item,
            hedge=c.hedge,
            text=c.text,
            evidence_start=c.evidence.start,
            evidence_end=c.evidence.end,
        )
        for c in report.claims
    ]


def _supersede(session: Session, previous: ArticleRow, new_article_id: str, result: SaveResult) -> set[int]:
    mentions = session.scalars(
        select(MentionRow).where(MentionRow.article_pk == previous.pk, MentionRow.status == ACTIVE)
    ).all()
    events: set[int] = set()
    for m in mentions:
        m.status = SUPERSEDED
        events.add(m.event_pk)
    session.flush()
    for pk in sorted(events):
        ev = session.get_one(EventRow, pk)
        _recompute(
            session,
            ev,
            "supersede",
            f"article {previous.article_id} replaced by a new version {new_article_id}",
            new_article_id,
        )
        result.updated.append(ev.event_id)
    return events


def _candidates(session: Session, report: Event) -> list[EventRow]:
    if report.event_date is None or report.iso3 is None:
        return []
    q = select(EventRow).where(
        EventRow.status == ACTIVE,
        EventRow.iso3 == report.iso3,
        EventRow.event_date.between(report.event_date - _WINDOW, report.event_date + _WINDOW),
    )
    if (report.time_precision or 1) == 1:
        q = q.where(or_(EventRow.event_date == report.event_date, EventRow.time_precision > 1))
    if report.admin1:
        q = q.where(or_(EventRow.admin1.is_(None), func.lower(EventRow.admin1) == report.admin1.lower()))
    return list(session.scalars(q.order_by(EventRow.pk)))


def _find_event(session: Session, report: Event, exclude: set[int], prefer: set[int]) -> EventRow | None:
    best: tuple[int, int, EventRow] | None = None
    for row in _candidates(session, report):
        if row.pk in exclude:
            continue
        event = Event.model_validate(row.data)
        verdict = compatible(report, event)
        if not verdict.ok:
            log.debug("report %s does not join %s: %s", report.event_id, row.event_id, verdict.reason)
            continue
        key = (10 * (row.pk in prefer) + affinity(report, event), -row.pk)
        if best is None or key > best[:2]:
            best = (*key, row)
    return best[2] if best else None


def _new_event(session: Session, report: Event, event_id: str | None = None) -> EventRow:
    now = _now()
    row = EventRow(
        event_id=event_id or report.event_id,
        revision=0,
        status=ACTIVE,
        event_type=report.event_type,
        sub_event_type=report.sub_event_type,
        data={},
        created_at=now,
        updated_at=now,
    )
    _copy_columns(row, report)
    session.add(row)
    session.flush()
    return row


def _copy_columns(row: EventRow, ev: Event) -> None:
    row.event_date = ev.event_date
    row.time_precision = ev.time_precision
    row.event_type = ev.event_type
    row.sub_event_type = ev.sub_event_type
    row.actor1, row.actor2 = ev.actor1, ev.actor2
    row.country, row.iso3, row.admin1, row.admin2, row.location = (
        ev.country,
        ev.iso3,
        ev.admin1,
        ev.admin2,
        ev.location,
    )
    row.latitude, row.longitude = ev.latitude, ev.longitude
    row.fatalities_best = ev.fatalities.best if ev.fatalities else None


def _active_reports(session: Session, event_pk: int) -> tuple[list[Event], list[str]]:
    rows = session.execute(
        select(MentionRow.data, ArticleRow.article_id, ArticleRow.outlet)
        .join(ArticleRow, ArticleRow.pk == MentionRow.article_pk)
        .where(MentionRow.event_pk == event_pk, MentionRow.status == ACTIVE)
        .order_by(MentionRow.pk)
    ).all()
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


def _recompute(session: Session, row: EventRow, action: str, reason: str, article_id: str | None) -> None:
    """Rebuild the event from its active reports and append a revision (withdrawn when none is left)."""
    reports, labels = _active_reports(session, row.pk)
    old = dict(row.data or {})
    if reports:
        combined = combine(row.event_id, reports, labels)
        data = combined.event.model_dump(mode="json")
        changes: dict[str, Any] = {"fields": _diff(old, data)}
        if combined.alternatives:
            changes["alternatives"] = combined.alternatives
        _copy_columns(row, combined.event)
        row.status = ACTIVE
    else:
        data = old
        changes = {"fields": {"status": {"old": row.status, "new": WITHDRAWN}}}
        row.status = WITHDRAWN
        action = "withdraw" if action != "split" else action
    row.data = data
    row.revision += 1
    row.updated_at = _now()
    session.add(
        RevisionRow(
            event_pk=row.pk,
            revision=row.revision,
            action=action,
            reason=reason,
            article_id=article_id,
            changes=changes,
            data=data,
            created_at=row.updated_at,
        )
    )
    session.flush()


def _event_row(session: Session, event_id: str) -> EventRow:
    row = session.scalar(select(EventRow).where(EventRow.event_id == event_id))
    if row is None:
        raise StoreError(f"{event_id}: no such event")
    return row


def split_event(session: Session, event_id: str, selectors: Sequence[str]) -> StoredEvent:
    """Move the reports picked by `selectors` (mention ids or article ids) out of `event_id` into a new
    event. Both events keep their histories; the original keeps its id. Returns the new event."""
    row = _event_row(session, event_id)
    mentions = session.execute(
        select(MentionRow, ArticleRow.article_id)
        .join(ArticleRow, ArticleRow.pk == MentionRow.article_pk)
        .where(MentionRow.event_pk == row.pk, MentionRow.status == ACTIVE)
        .order_by(MentionRow.pk)
    ).all()
    wanted = set(selectors)
    moving = [m for m, aid in mentions if m.mention_id in wanted or aid in wanted]
    found = {m.mention_id for m in moving} | {aid for m, aid in mentions if m in moving}
    missing = sorted(wanted - found)
    if missing:
        raise StoreError(f"{event_id}: no active report {', '.join(missing)} in this event")
    if len(moving) == len(mentions):
        raise StoreError(f"{event_id}: a split must leave at least one report in the event")
    first = Event.model_validate(moving[0].data)
    new_id = moving[0].mention_id
    if session.scalar(select(EventRow.pk).where(EventRow.event_id == new_id)) is not None:
        new_id = hashlib.sha256(f"{event_id}:split:{row.revision}".encode()).hexdigest()[:16]
    new_row = _new_event(session, first, event_id=new_id)
    for m in moving:
        m.event_pk = new_row.pk
    session.flush()
    moved = ", ".join(m.mention_id for m in moving)
    _recompute(session, row, "split", f"reports {moved} split off into event {new_id}", None)
    _recompute(session, new_row, "split", f"split off from event {event_id} (reports {moved})", None)
    return _stored(session, new_row)


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
    row = session.scalar(select(EventRow).where(EventRow.event_id == event_id))
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
    rows = list(session.scalars(q.order_by(EventRow.event_date.is_(None), EventRow.event_date, EventRow.pk)))
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
