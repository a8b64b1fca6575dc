"""Bulk inputs read as streams, one record at a time: gzip'd JSONL, Parquet and WARC files.

Each reader yields an Article or an IngestError per record (`file:N`, N the line of a JSONL file, the
row of a Parquet file counted from 1, or the record of a WARC file counted from 1), so one bad record
never stops the rest. Nothing is read whole into memory: a corpus file may hold millions of records.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from conflictcoder.errors import IngestError
from conflictcoder.ingest.common import BOM, ArticleDefaults
from conflictcoder.ingest.html import read_html
from conflictcoder.ingest.records import jsonl_record, parse_record
from conflictcoder.model import Article

log = logging.getLogger(__name__)

Result = Article | IngestError
#: A record longer than this (decompressed) is reported and skipped, so a gzip bomb cannot fill memory.
MAX_RECORD_BYTES = 64 * 1024 * 1024
#: Parquet columns that carry a record's fields (others are ignored).
RECORD_COLUMNS = ("text", "id", "title", "url", "outlet", "published")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_jsonl_gz(source: str, path: Path, defaults: ArticleDefaults) -> Iterator[Result]:
    """Yield one Article per non-blank line of a gzip'd JSONL file, or an IngestError naming `file:line`."""
    found = False
    number = 0
    try:
        with gzip.open(path, "rb") as stream:
            while True:
                raw = stream.readline(MAX_RECORD_BYTES + 1)
                if not raw:
                    break
                number += 1
                if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                    found = True  # a record, though refused: the file is not empty
                    yield IngestError(source, f"record longer than {MAX_RECORD_BYTES:,} bytes", line=number)
                    _skip_rest_of_line(stream)
                    continue
                if not raw.strip():
                    continue
                found = True
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield IngestError(source, "not valid UTF-8", line=number)
                    continue
                yield jsonl_record(source, line.removeprefix(BOM) if number == 1 else line, number, defaults)
    except (OSError, EOFError, zlib.error) as err:
        # gzip raises BadGzipFile (an OSError) for a file that is not gzip, EOFError for a cut-off one
        where = f" after line {number}" if number else ""
        yield IngestError(source, f"cannot read as gzip{where} ({err})")
        return
    if not found:
        yield IngestError(source, "empty file")


def _skip_rest_of_line(stream: gzip.GzipFile) -> None:
    while True:
        piece = stream.readline(MAX_RECORD_BYTES)
        if not piece or piece.endswith(b"\n"):
            return


def read_parquet(source: str, path: Path, defaults: ArticleDefaults) -> Iterator[Result]:
    """Yield one Article per row of a Parquet file with a `text` column (and optionally id, title, url,
    outlet, published), read a batch of rows at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as err:
        yield IngestError(source, f"not a readable Parquet file ({err})")
        return
    names = set(file.schema_arrow.names)
    if "text" not in names:
        yield IngestError(source, "no 'text' column in the Parquet file")
        return
    columns = [c for c in RECORD_COLUMNS if c in names]
    row = 0
    try:
        for batch in file.iter_batches(batch_size=256, columns=columns):
            for values in batch.to_pylist():
                row += 1
                try:
                    yield parse_record(source, plain_record(values), defaults, line=row)
                except IngestError as err:
                    yield err
    except (OSError, pa.ArrowException) as err:
        yield IngestError(source, f"cannot read the Parquet file after row {row} ({err})")
        return
    if row == 0:
        yield IngestError(source, "empty file")


def plain_record(values: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row as a JSON record: nulls dropped, timestamps cut to their date."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            value = value.date()
        out[key] = value.isoformat() if isinstance(value, date) else value
    return out


def read_warc(source: str, path: Path, defaults: ArticleDefaults) -> Iterator[Result]:
    """Yield one Article per HTML response record of a WARC file (plain or gzip'd); other records
    (requests, metadata, images) are skipped. The page's own title and date win; a page without a date
    takes the record's WARC-Date (the crawl date), then `defaults`. The record's target URI is its url."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    found = False
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                number += 1
                if record.format != "warc":  # warcio reads anything else as the older ARC format
                    yield IngestError(source, "not a WARC file (no WARC/1.x record header)", line=number)
                    return
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if not any(t in ctype for t in _HTML_TYPES):
                    continue
                found = True
                yield _warc_page(source, number, record, defaults)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as err:
        where = f" after record {number}" if number else ""
        yield IngestError(source, f"cannot read as WARC{where} ({err})")
        return
    if number == 0:
        yield IngestError(source, "no WARC records in the file (not a WARC file?)")
    elif not found:
        yield IngestError(source, "no HTML response records in the WARC file")


def _warc_page(source: str, number: int, record: Any, defaults: ArticleDefaults) -> Result:
    url = record.rec_headers.get_header("WARC-Target-URI")
    crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        return IngestError(source, f"page longer than {MAX_RECORD_BYTES:,} bytes", line=number)
    charset = _charset(record.http_headers.get_header("Content-Type") or "")
    html = body.decode(charset or "utf-8", errors="replace")
    page_defaults = ArticleDefaults(
        published=crawled or defaults.published, url=url or defaults.url, outlet=defaults.outlet
    )
    try:
        return read_html(source, html, page_defaults)
    except IngestError as err:
        return IngestError(source, err.reason, line=number)


def _charset(content_type: str) -> str | None:
    """The charset named by a Content-Type header, when Python knows it."""
    import codecs

    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            name = value.strip("\"' ")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def _warc_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
