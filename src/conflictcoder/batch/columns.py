"""Per-article events as rows with the store's Parquet export columns (`export.parquet_row`), written by
both the local batch (`events.parquet`) and the Spark job, so their outputs compare column for column.

An article's events are not merged across articles yet (that is the store's work), so the columns that
only a store gives are empty: `event_id_cnty` (it needs the store's event number) and `timestamp` (the
time of the store's last revision); `revision` is 1. Two columns say where each row comes from:
`article_id` and `source_path`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conflictcoder.export import parquet_row, parquet_schema
from conflictcoder.model import CodedArticle
from conflictcoder.store.repo import StoredEvent

_UNSTORED = datetime(1970, 1, 1, tzinfo=UTC)  # placeholder; the column it feeds is emptied below
ROW_GROUP = 5000


def events_schema():  # type: ignore[no-untyped-def]
    """The export schema plus `article_id` and `source_path`."""
    import pyarrow as pa

    return (
        parquet_schema()
        .append(pa.field("article_id", pa.string()))
        .append(pa.field("source_path", pa.string()))
    )


def event_rows(coded: CodedArticle) -> list[dict[str, Any]]:
    """One row per event of one coded article, in the article's order."""
    meta = coded.article
    rows = []
    for event in coded.events:
        stored = StoredEvent(
            event=event,
            number=0,
            revision=1,
            created_at=_UNSTORED,
            updated_at=_UNSTORED,
            articles=[meta.article_id],
            outlets=[meta.outlet] if meta.outlet else [],
            titles=[meta.title] if meta.title else [],
            published=[meta.published] if meta.published else [],
        )
        row = parquet_row(stored)
        row.update(
            event_id_cnty=None, timestamp=None, article_id=meta.article_id, source_path=meta.source_path
        )
        rows.append(row)
    return rows


class EventsWriter:
    """Event rows streamed into one Parquet file, a row group at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._buffer: list[dict[str, Any]] = []
        self._writer: Any = None

    def __enter__(self) -> EventsWriter:
        import pyarrow.parquet as pq

        self._writer = pq.ParquetWriter(self.path, events_schema())
        return self

    def add(self, coded: CodedArticle) -> None:
        self._buffer.extend(event_rows(coded))
        if len(self._buffer) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._buffer:
            self._writer.write_table(pa.Table.from_pylist(self._buffer, schema=events_schema()))
            self.rows += len(self._buffer)
            self._buffer = []

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._flush()
        self._writer.close()
