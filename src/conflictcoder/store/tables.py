"""The store's schema (SQLAlchemy 2, one schema for SQLite and PostgreSQL).

- `articles`: every article ingested, with its full text; `version` counts texts seen under one URL and
  `supersedes_pk` points at the previous version.
- `mentions`: one article's coding of one incident (a per-article `model.Event`, kept whole in `data`);
  `event_pk` is the cross-article event it belongs to; `status` is "active" or "superseded" (a newer
  version of its article replaced it).
- `claims`: every figure of every mention, one row per claim, with its evidence offsets.
- `events`: the merged, cross-article events (`data` holds the merged `model.Event`); the columns beside
  `data` are copies for filtering and indexing.
- `event_revisions`: the history of each event, one row per change with the full event after it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(64), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(512))
    url: Mapped[str | None] = mapped_column(String(2048), index=True)
    outlet: Mapped[str | None] = mapped_column(String(256))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    supersedes_pk: Mapped[int | None] = mapped_column(ForeignKey("articles.pk"))
    reason: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    __tablename__ = "events"
    # country, date, precision: a report's candidate events come from the index alone (migration 0002)
    __table_args__ = (
        Index("ix_events_iso3_date_precision", "iso3", "event_date", "time_precision"),
        # the API's listing pages in date or fatalities order (migration 0003)
        Index("ix_events_status_date_pk", "status", "event_date", "pk"),
        Index("ix_events_status_fatalities_pk", "status", "fatalities_best", "pk"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    time_precision: Mapped[int | None] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(64))
    sub_event_type: Mapped[str] = mapped_column(String(64))
    actor1: Mapped[str | None] = mapped_column(String(256))
    actor2: Mapped[str | None] = mapped_column(String(256))
    country: Mapped[str | None] = mapped_column(String(128))
    iso3: Mapped[str | None] = mapped_column(String(3))
    admin1: Mapped[str | None] = mapped_column(String(256))
    admin2: Mapped[str | None] = mapped_column(String(256))
    location: Mapped[str | None] = mapped_column(String(256))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    fatalities_best: Mapped[float | None] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MentionRow(Base):
    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("article_pk", "position", name="uq_mentions_article_position"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.pk"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    mention_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_pk: Mapped[int] = mapped_column(ForeignKey("events.pk"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClaimRow(Base):
    __tablename__ = "claims"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mention_pk: Mapped[int] = mapped_column(ForeignKey("mentions.pk"), index=True)
    claimant: Mapped[str] = mapped_column(String(256))
    claimant_role: Mapped[str] = mapped_column(String(32))
    spokesperson: Mapped[str | None] = mapped_column(String(256))
    stance: Mapped[str] = mapped_column(String(16))
    figure: Mapped[str] = mapped_column(String(32))
    about: Mapped[str] = mapped_column(String(32))
    value_low: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    item: Mapped[str | None] = mapped_column(String(256))
    hedge: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)


class RevisionRow(Base):
    __tablename__ = "event_revisions"
    __table_args__ = (UniqueConstraint("event_pk", "revision", name="uq_event_revisions_event_revision"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_pk: Mapped[int] = mapped_column(ForeignKey("events.pk"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    article_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
