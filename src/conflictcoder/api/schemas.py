"""Request and response bodies of the API (the events themselves are `store.StoredEvent`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from conflictcoder.store import StoredEvent
from conflictcoder.store.repo import MentionInfo


class ArticleIn(BaseModel):
    """One article, as in a `.json` input of `conflictcoder code`: `text` and optional metadata."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "text": "QUETTA: Gunmen shot dead two shopkeepers in Quetta on Tuesday, police said.",
                    "title": "Two shot dead in Quetta",
                    "outlet": "Example Daily",
                    "published": "2025-03-12",
                }
            ]
        },
    )

    text: StrictStr
    id: StrictStr | StrictInt | None = None
    title: StrictStr | None = None
    url: StrictStr | None = None
    outlet: StrictStr | None = None
    published: StrictStr | None = Field(None, description="YYYY-MM-DD (or an ISO datetime).")


class StoredArticle(BaseModel):
    """What POST /articles did with one article, and the stored events its reports belong to."""

    id: str
    article_id: str
    status: Literal["new", "new version", "unchanged"]
    reason: str | None = None
    events: list[StoredEvent]


class StoredArticles(BaseModel):
    articles: list[StoredArticle]


class EventPageOut(BaseModel):
    events: list[StoredEvent]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class SourceOut(BaseModel):
    article_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: date | None
    version: int
    text: str


class RevisionOut(BaseModel):
    revision: int
    action: str
    reason: str
    article_id: str | None
    changes: dict[str, Any]
    created_at: Any


class EventDetail(StoredEvent):
    """An event with its reports, sources (full article texts, which evidence offsets index) and history."""

    reports: list[MentionInfo]
    sources: list[SourceOut]
    history: list[RevisionOut]


class DayCount(BaseModel):
    date: date
    event_type: str
    count: int


class Admin1Count(BaseModel):
    country: str | None
    admin1: str | None
    count: int


class StatsOut(BaseModel):
    total: int
    per_day: list[DayCount]
    per_admin1: list[Admin1Count]


class Health(BaseModel):
    status: Literal["ok"]
    database: str
    schema_revision: str | None
