"""The store: SQLAlchemy models, Alembic migrations and repository functions (SQLite or PostgreSQL).

`open_store(url)` migrates and returns an engine and a session factory; `ingest_articles` codes and
stores articles one transaction each; `store.merge` holds the rule that merges reports into events.
"""

from conflictcoder.store.db import StoreError, default_url, make_engine, open_store, upgrade
from conflictcoder.store.ingest import IngestSummary, ingest_articles, save_one
from conflictcoder.store.repo import (
    EventFilter,
    Revision,
    SaveResult,
    StoredEvent,
    counts,
    event_history,
    event_reports,
    get_event,
    list_events,
    save_coded_article,
    split_event,
)
from conflictcoder.store.writer import RunState

__all__ = [
    "EventFilter",
    "IngestSummary",
    "Revision",
    "RunState",
    "SaveResult",
    "StoreError",
    "StoredEvent",
    "counts",
    "default_url",
    "event_history",
    "event_reports",
    "get_event",
    "ingest_articles",
    "list_events",
    "make_engine",
    "open_store",
    "save_coded_article",
    "save_one",
    "split_event",
    "upgrade",
]
