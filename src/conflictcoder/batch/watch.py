"""`conflictcoder watch`: poll folders and RSS/Atom feeds, and ingest only what is new.

Each poll goes through the sources in order. A folder's supported files are new when their path, size
or modification time is not in the state; a feed's items are new when their id (else link) is not.
New items are read (a feed item's page is fetched and read by the HTML reader) and stored with
`store.ingest_articles` (one transaction per article; the store skips a text it already holds). An item
is remembered as seen once it is stored or found unreadable; one whose page could not be fetched is
tried again at the next poll. A source that is down or malformed is logged and the poll goes on.

The state (what was seen) is a JSON file, written whole under a temporary name after each source. A
stop request (Ctrl-C, SIGTERM: `Stopper`) is honoured between articles: the article being stored is
committed, the state saved, and the command exits 0.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.ingest.common import ArticleDefaults
from conflictcoder.ingest.feeds import FetchError, feed_items, fetch, read_item
from conflictcoder.ingest.paths import READERS, read_path, stream_reader
from conflictcoder.model import Article
from conflictcoder.store import RunState, SaveResult, ingest_articles
from conflictcoder.store.ingest import ArticleCoder

log = logging.getLogger(__name__)

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


def parse_interval(text: str) -> float:
    """'90', '30s', '5m', '1h' as seconds; raises ValueError."""
    m = _INTERVAL.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"expected a duration such as 30s, 5m or 1h, got {text!r}")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def is_feed(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class Stopper:
    """A stop request, set from a signal handler and checked between articles and while waiting."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def stop(self, *_args: object) -> None:
        self._event.set()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)


class SeenState:
    """Keys of the items seen, per source, kept in a JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, set[str]] = {}

    def load(self) -> SeenState:
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.seen = {k: set(v) for k, v in data["seen"].items()}
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                raise ConflictCoderError(f"{self.path}: not a watch state file ({err})") from err
        return self

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.tmp{os.getpid()}")
        tmp.write_text(json.dumps({"seen": {k: sorted(v) for k, v in self.seen.items()}}), encoding="utf-8")
        os.replace(tmp, self.path)

    def has(self, source: str, key: str) -> bool:
        return key in self.seen.get(source, set())

    def add(self, source: str, key: str) -> None:
        self.seen.setdefault(source, set()).add(key)


@dataclass
class PollSummary:
    stored: int = 0
    unchanged: int = 0
    errors: list[IngestError] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)


def _folder_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and (p.suffix.lower() in READERS or stream_reader(p) is not None)
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _file_key(path: Path) -> str:
    st = path.stat()
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def poll_once(
    sources: Sequence[str],
    make_session: sessionmaker[Session],
    coder: ArticleCoder,
    state: SeenState,
    defaults: ArticleDefaults,
    stopper: Stopper,
    run: RunState | None = None,
) -> PollSummary:
    """One pass over `sources`: store what is new, remember it, log what failed."""
    summary = PollSummary()
    for source in sources:
        if stopper.stopped:
            break
        pending: dict[str, str] = {}  # article_id -> key, marked seen when stored
        try:
            reader = _feed if is_feed(source) else _folder
            items = reader(source, state, defaults, stopper, pending)
        except (IngestError, OSError) as err:
            log.warning("%s", err if isinstance(err, IngestError) else f"{source}: {err}")
            summary.failed_sources.append(source)
            continue

        def on_result(
            result: SaveResult | IngestError, source: str = source, pending: dict[str, str] = pending
        ) -> None:
            if isinstance(result, IngestError):
                summary.errors.append(result)
                log.warning("%s", result)
                return
            key = pending.pop(result.article_id, None)
            if key is not None:
                state.add(source, key)
            if result.status == "unchanged":
                summary.unchanged += 1
            else:
                summary.stored += 1

        ingest_articles(make_session, coder, items, on_result, run=run)
        state.save()
    return summary


def _feed(
    url: str,
    state: SeenState,
    defaults: ArticleDefaults,
    stopper: Stopper,
    pending: dict[str, str],
) -> Iterator[Article | IngestError]:
    entries = feed_items(url, fetch(url))  # raises before any item: the source is logged and skipped
    new = [e for e in entries if not state.has(url, e.key)]
    log.info("%s: %d items, %d new", url, len(entries), len(new))

    def items() -> Iterator[Article | IngestError]:
        for entry in new:
            if stopper.stopped:
                return
            try:
                article = read_item(entry, defaults)
            except FetchError as err:
                log.warning("%s (tried again at the next poll)", err)
                continue
            except IngestError as err:
                state.add(url, entry.key)  # the page is there but unreadable: do not fetch it again
                yield err
                continue
            pending[article.article_id] = entry.key
            yield article

    return items()


def _folder(
    source: str, state: SeenState, defaults: ArticleDefaults, stopper: Stopper, pending: dict[str, str]
) -> Iterator[Article | IngestError]:
    folder = Path(source)
    if not folder.is_dir():
        raise IngestError(source, "no such folder")
    files = [(p, _file_key(p)) for p in _folder_files(folder)]
    new = [(p, k) for p, k in files if not state.has(source, k)]

    def items() -> Iterator[Article | IngestError]:
        for path, key in new:
            if stopper.stopped:
                return
            for item in read_path(str(path), defaults):
                if isinstance(item, Article):
                    pending[item.article_id] = key
                yield item
            state.add(source, key)  # an unreadable file stays unreadable until it changes

    return items()
