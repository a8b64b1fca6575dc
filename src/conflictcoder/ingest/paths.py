"""Dispatch inputs to readers: by extension, through directories, and from stdin."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from conflictcoder.errors import IngestError
from conflictcoder.ingest.archives import read_jsonl_gz, read_parquet, read_warc
from conflictcoder.ingest.common import ArticleDefaults, decode_utf8
from conflictcoder.ingest.html import read_html
from conflictcoder.ingest.records import read_json, read_jsonl
from conflictcoder.ingest.text import read_text
from conflictcoder.model import Article

log = logging.getLogger(__name__)

STDIN = "-"

Result = Article | IngestError
_Reader = Callable[[str, str, ArticleDefaults], Iterator[Result]]


def _one(read: Callable[[str, str, ArticleDefaults], Article]) -> _Reader:
    """Adapt a one-article reader to the many-results shape."""

    def reader(source: str, content: str, defaults: ArticleDefaults) -> Iterator[Result]:
        yield read(source, content, defaults)

    return reader


#: Supported file extensions (lower case) and their readers.
READERS: dict[str, _Reader] = {
    ".txt": _one(read_text),
    ".text": _one(read_text),
    ".html": _one(read_html),
    ".htm": _one(read_html),
    ".json": _one(read_json),
    ".jsonl": read_jsonl,
}
_StreamReader = Callable[[str, Path, ArticleDefaults], Iterator[Result]]
#: Bulk formats read from the file as a stream, record by record, by how the file name ends.
STREAM_READERS: dict[str, _StreamReader] = {
    ".jsonl.gz": read_jsonl_gz,
    ".parquet": read_parquet,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}
EXPECTED = "expected .txt, .html, .json, .jsonl, .jsonl.gz, .parquet, .warc, .warc.gz or -"


def stream_reader(path: Path) -> _StreamReader | None:
    """The bulk-format reader for `path` by its name's ending, if it has one."""
    name = path.name.lower()
    return next((r for end, r in STREAM_READERS.items() if name.endswith(end)), None)


def read_inputs(
    paths: Sequence[str], defaults: ArticleDefaults, stdin: TextIO | None = None
) -> Iterator[Article | IngestError]:
    """Yield, in input order, one Article per document, or an IngestError (yielded, not raised) for
    each input or line that cannot be read, so callers keep coding the rest.

    Each path is a file (.txt/.text, .html/.htm, .json, .jsonl, .jsonl.gz, .parquet, .warc[.gz]), a
    directory (its supported files, recursively, sorted by path) or "-" for `stdin` (default
    `sys.stdin`, read as plain text).
    """
    for given in paths:
        if given == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, defaults)
        else:
            yield from read_path(given, defaults)


def _read_stdin(stream: TextIO, defaults: ArticleDefaults) -> Iterator[Result]:
    """Read the whole stream as one plain-text article."""
    try:
        content = stream.read()
    except (OSError, UnicodeDecodeError) as err:
        yield IngestError(STDIN, f"cannot read standard input ({err})")
        return
    try:
        yield read_text(STDIN, content, defaults)
    except IngestError as err:
        yield err


def read_path(given: str, defaults: ArticleDefaults) -> Iterator[Result]:
    """Read one file or directory path; problems are yielded as IngestError."""
    path = Path(given)
    if path.is_dir():
        yield from _read_directory(given, path, defaults)
        return
    if not path.exists():
        yield IngestError(given, "no such file")
        return
    streamed = stream_reader(path)
    if streamed is not None:
        log.debug("reading %s", given)
        yield from streamed(given, path, defaults)
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        shown = path.suffix or "(none)"
        yield IngestError(given, f"unsupported file type '{shown}' ({EXPECTED})")
        return
    yield from _read_file(given, path, reader, defaults)


def _read_file(given: str, path: Path, reader: _Reader, defaults: ArticleDefaults) -> Iterator[Result]:
    """Read, decode and parse one supported file."""
    log.debug("reading %s", given)
    try:
        data = path.read_bytes()
    except PermissionError as err:
        yield IngestError(given, "cannot read the file (permission denied)")
        log.debug("%s: %s", given, err)
        return
    except OSError as err:
        yield IngestError(given, f"cannot read the file ({err.strerror or err})")
        return
    try:
        content = decode_utf8(given, data)
        yield from reader(given, content, defaults)
    except IngestError as err:
        yield err


def _read_directory(given: str, path: Path, defaults: ArticleDefaults) -> Iterator[Result]:
    """Read a directory's supported files, recursively, sorted by path; hidden entries are skipped."""
    files = sorted(
        found
        for found in path.rglob("*")
        if (found.suffix.lower() in READERS or stream_reader(found) is not None)
        and not any(part.startswith(".") for part in found.relative_to(path).parts)
        and found.is_file()
    )
    if not files:
        yield IngestError(given, f"no supported files in the directory ({EXPECTED})")
        return
    for found in files:
        streamed = stream_reader(found)
        if streamed is not None:
            yield from streamed(str(found), found, defaults)
        else:
            yield from _read_file(str(found), found, READERS[found.suffix.lower()], defaults)
