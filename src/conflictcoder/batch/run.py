"""`conflictcoder batch`: code inputs with several processes into an output folder or a store, resumably.

The parent process reads the inputs in order and cuts them into chunks; worker processes (`batch.pool`)
code the chunks; the parent writes each coded chunk as it comes back, in input order:
- to a folder (`batch.outdir`): each chunk a part file written whole or not at all, so a re-run of the
  same command after a crash, SIGKILL or Ctrl-C codes only the chunks not yet written, and the joined
  results equal those of an uninterrupted run;
- to a store (`store.ingest_articles`): one article, one transaction, in input order; articles already
  stored are not sent to the workers, and the store's own idempotence makes a re-run store only the rest
  (in the same order, so the merged events are those of an uninterrupted run).
An input or article that cannot be read or coded is collected and reported at the end; the rest goes on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from conflictcoder.batch.outdir import Manifest, OutDir, input_files
from conflictcoder.batch.pool import CodingPool, Outcome
from conflictcoder.batch.progress import Advance
from conflictcoder.errors import IngestError
from conflictcoder.ingest import ArticleDefaults, read_inputs
from conflictcoder.ingest.paths import stream_reader
from conflictcoder.model import Article, CodedArticle
from conflictcoder.settings import Settings
from conflictcoder.store.ingest import IngestSummary

log = logging.getLogger(__name__)

Item = Article | IngestError
DEFAULT_CHUNK = 64


@dataclass
class BatchSummary:
    """What a batch run did: articles coded now, articles found done by an earlier run, events
    written, and every input or article that could not be read or coded."""

    coded: int = 0
    resumed: int = 0
    events: int = 0
    errors: list[IngestError] = field(default_factory=list)
    store: IngestSummary | None = None
    already_complete: bool = False


def numbered_chunks(items: Iterable[Item], size: int) -> Iterator[tuple[int, list[Item]]]:
    """The items cut into consecutive chunks of `size`, numbered from 0."""
    iterator = iter(items)
    index = 0
    while chunk := list(islice(iterator, size)):
        yield index, chunk
        index += 1


def count_inputs(paths: Sequence[str]) -> int | None:
    """How many articles the inputs hold, when that is cheap to know (None otherwise): a JSONL file's
    lines, a Parquet file's rows, one per text, HTML or JSON file. Gzip'd and WARC files are not
    counted ahead, nor is standard input."""
    if "-" in paths:
        return None
    total = 0
    for name, _size, _mtime in input_files(paths):
        path = Path(name)
        if stream_reader(path) is not None:
            if not path.name.lower().endswith(".parquet"):
                return None
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            except Exception:  # an unreadable file is reported by its reader; it counts as one item
                total += 1
        elif path.suffix.lower() == ".jsonl":
            try:
                with path.open("rb") as f:
                    total += max(1, sum(1 for line in f if line.strip()))
            except OSError:
                total += 1
        else:
            total += 1
    return total


def with_outcomes(
    items: list[Item], outcomes: list[Outcome], skip: set[str] | None = None
) -> list[Item | CodedArticle]:
    """The chunk's items with each article sent to the workers replaced by its coded article, or by an
    IngestError when coding it failed. Articles in `skip` were not sent and stay as they are."""
    coded = iter(outcomes)
    out: list[Item | CodedArticle] = []
    for item in items:
        if isinstance(item, IngestError) or (skip is not None and item.article_id in skip):
            out.append(item)
            continue
        outcome = next(coded)
        if isinstance(outcome, str):
            out.append(IngestError(item.source_path or "-", f"article {item.article_id[:12]}: {outcome}"))
        else:
            out.append(outcome)
    return out


def run_to_folder(
    paths: Sequence[str],
    out: Path,
    defaults: ArticleDefaults,
    settings: Settings,
    workers: int,
    progress: Advance,
    chunk_size: int = DEFAULT_CHUNK,
    model_path: Path | None = None,
) -> BatchSummary:
    """Code `paths` into the folder `out`, resuming a run of the same command that was interrupted."""
    manifest = Manifest(
        inputs=[os.path.abspath(p) for p in paths],
        files=[(os.path.abspath(n), s, m) for n, s, m in input_files(paths)],
        chunk_size=chunk_size,
        defaults=defaults.model_dump(mode="json"),
        model=str(model_path.resolve()) if model_path else None,
    )
    folder = OutDir(out)
    done = folder.start(manifest)
    summary = BatchSummary()
    if folder.complete:
        articles, summary.events, _errors = folder.counts()
        summary.resumed, summary.errors, summary.already_complete = articles, folder.errors(), True
        return summary
    _ensure_gazetteer(settings)
    chunks = 0

    def todo() -> Iterator[tuple[tuple[int, list[Item]], list[Article]]]:
        nonlocal chunks
        for index, items in numbered_chunks(read_inputs(paths, defaults), chunk_size):
            chunks = index + 1
            if index in done:
                summary.resumed += sum(isinstance(i, Article) for i in items)
                progress.done(len(items))
                continue
            yield (index, items), [a for a in items if isinstance(a, Article)]

    with CodingPool[tuple[int, list[Item]]](settings, workers, model_path) as pool:
        for (index, items), outcomes in pool.code_in_order(todo()):
            results = with_outcomes(items, outcomes)
            folder.write_part(index, results)  # type: ignore[arg-type]
            summary.coded += sum(isinstance(r, CodedArticle) for r in results)
            progress.done(len(items))
    articles, summary.events, _n = folder.finish(manifest, chunks)
    summary.errors = folder.errors()
    return summary


class Precoded:
    """The `ArticleCoder` that `store.ingest_articles` asks: it hands back what the workers coded."""

    def __init__(self) -> None:
        self.stash: dict[str, CodedArticle] = {}

    def code_many(self, items: Iterable[Item]) -> Iterator[CodedArticle | IngestError]:
        for item in items:
            yield item if isinstance(item, IngestError) else self.stash.pop(item.article_id)


def run_to_store(
    paths: Sequence[str],
    url: str,
    defaults: ArticleDefaults,
    settings: Settings,
    workers: int,
    progress: Advance,
    chunk_size: int = DEFAULT_CHUNK,
    model_path: Path | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> BatchSummary:
    """Code `paths` and store them (one transaction per article, in input order) in the store at `url`;
    articles the store already holds are neither coded nor stored again."""
    from conflictcoder.store import SaveResult, ingest_articles, open_store
    from conflictcoder.store.repo import known_article_ids

    engine, make_session = open_store(url)
    _ensure_gazetteer(settings)
    precoded = Precoded()
    summary = BatchSummary()

    def todo() -> Iterator[tuple[tuple[list[Item], set[str]], list[Article]]]:
        for _index, items in numbered_chunks(read_inputs(paths, defaults), chunk_size):
            ids = [a.article_id for a in items if isinstance(a, Article)]
            with make_session() as session:
                known = known_article_ids(session, ids)
            fresh = [a for a in items if isinstance(a, Article) and a.article_id not in known]
            yield (items, known), fresh

    def coded_items(pool: CodingPool[tuple[list[Item], set[str]]]) -> Iterator[Item]:
        for (items, known), outcomes in pool.code_in_order(todo()):
            for item, result in zip(items, with_outcomes(items, outcomes, skip=known), strict=True):
                if isinstance(result, CodedArticle):
                    precoded.stash[result.article.article_id] = result
                    summary.coded += 1
                    summary.events += len(result.events)
                    yield item
                else:
                    yield result

    def on_result(result: SaveResult | IngestError) -> None:
        progress.done(1)
        if isinstance(result, IngestError):
            if on_error:
                on_error(result)
        elif result.status == "unchanged":
            precoded.stash.pop(result.article_id, None)  # a second copy of a text coded in this run

    try:
        with CodingPool[tuple[list[Item], set[str]]](settings, workers, model_path) as pool:
            summary.store = ingest_articles(make_session, precoded, coded_items(pool), on_result)
    finally:
        engine.dispose()
    summary.errors = summary.store.errors
    summary.resumed = summary.store.unchanged
    return summary


def _ensure_gazetteer(settings: Settings) -> None:
    """Build the gazetteer index once here, before the workers start, rather than in each of them."""
    from conflictcoder.geo.gazetteer import Gazetteer

    Gazetteer(settings.gazetteer_path).open().close()
