"""Bulk commands: `batch` (several processes, resumable) and `watch` (poll folders and feeds).

Registered on the main app at the end of cli.py.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from conflictcoder.cli_store import DbOption, _date, _fail
from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.settings import get_settings

err_console = Console(stderr=True, soft_wrap=True)
INTERRUPTED = 130  # the shell's status for a command ended by Ctrl-C


def _sigterm_as_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _report_errors(errors: list[IngestError]) -> None:
    for err in errors:
        err_console.print(f"[red]error:[/red] {escape(str(err))}", highlight=False)


def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt .html .json .jsonl .jsonl.gz .parquet .warc .warc.gz) or directories."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write articles.jsonl, events.parquet and errors.jsonl here.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Store into this database (sqlite:///FILE or postgresql://USER:PASS@HOST/DB)."
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Coding processes (default: one per core).")
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that lack one.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Source URL for inputs that lack one.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for inputs that lack one.")] = None,
    chunk: Annotated[
        int, typer.Option(min=1, help="Articles per chunk (the unit of work redone after an interruption).")
    ] = 64,
    model: Annotated[
        Path | None, typer.Option("--model", help="A model made by `conflictcoder train`.")
    ] = None,
) -> None:
    """Code many articles with several processes, into a folder (--out) or a store (--db).

    Shows progress on a terminal; writes results as it goes; after a crash or Ctrl-C, the same command
    resumes where the run stopped. Inputs that cannot be read or coded are listed at the end.
    """
    from conflictcoder.batch.outdir import BatchError
    from conflictcoder.batch.progress import article_progress
    from conflictcoder.batch.run import count_inputs, run_to_folder, run_to_store
    from conflictcoder.ingest import ArticleDefaults

    if (out is None) == (db is None):
        raise _fail("give exactly one of --out DIR or --db URL")
    if "-" in inputs:
        raise _fail("batch reads files and directories, not standard input (use `code` or `ingest`)")
    defaults = ArticleDefaults(published=_date(published, "--published"), url=url, outlet=outlet)
    settings = get_settings()
    n_workers = workers or os.cpu_count() or 1
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    progress = None
    try:
        with article_progress(err_console, count_inputs(inputs)) as progress:
            if out is not None:
                summary = run_to_folder(inputs, out, defaults, settings, n_workers, progress, chunk, model)
            else:
                assert db is not None
                summary = run_to_store(inputs, db, defaults, settings, n_workers, progress, chunk, model)
    except KeyboardInterrupt:
        err_console.print(
            f"interrupted after {progress.count if progress else 0:,} articles; "
            "run the same command again to resume",
            highlight=False,
        )
        raise typer.Exit(code=INTERRUPTED) from None
    except (BatchError, ConflictCoderError) as err:
        raise _fail(escape(str(err))) from err
    except BrokenProcessPool as err:  # a worker was killed (out of memory?) or could not load
        raise _fail(
            f"a coding process died ({err}); what was written is kept: run the same command again to resume"
        ) from err
    except OSError as err:
        raise _fail(escape(f"{err.filename or out}: {err.strerror or err}")) from err
    _report_errors(summary.errors)
    if summary.already_complete:
        err_console.print(f"{out}: already complete ({summary.resumed:,} articles)", highlight=False)
    elif summary.store is not None:
        s = summary.store
        err_console.print(
            f"articles: {s.new} new, {s.new_versions} new versions, {s.unchanged} already stored, "
            f"{len(summary.errors)} unreadable or uncodable; events: {s.events_created} created, "
            f"{s.events_updated} updated",
            highlight=False,
        )
    else:
        err_console.print(
            f"articles: {summary.coded:,} coded now, {summary.resumed:,} done by an earlier run, "
            f"{len(summary.errors):,} unreadable or uncodable; {summary.events:,} events in {out}",
            highlight=False,
        )
    if summary.errors:
        raise typer.Exit(code=1)


def watch(
    sources: Annotated[
        list[str], typer.Argument(help="Folders, and RSS or Atom feed URLs (http:// or https://).")
    ],
    db: DbOption = None,
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 5m, 1h.")] = "5m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
    state: Annotated[
        Path | None,
        typer.Option(
            help="File remembering the items seen (default: one per database, in the data directory)."
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for items whose feed has no title.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each poll's sources.")] = False,
) -> None:
    """Poll folders and RSS/Atom feeds and ingest new items into the store, until Ctrl-C or SIGTERM.

    A feed item's page is fetched and read like an HTML file. A source that is down or malformed is
    logged and the others are still polled. Stopping lets the article being stored finish first.
    """
    import hashlib
    import logging

    from rich.logging import RichHandler

    from conflictcoder.batch.watch import SeenState, Stopper, parse_interval, poll_once
    from conflictcoder.ingest import ArticleDefaults
    from conflictcoder.pipeline import Coder
    from conflictcoder.store import RunState, open_store
    from conflictcoder.store.db import redact

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False)],
    )
    try:
        interval = parse_interval(every)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--every") from err
    settings = get_settings()
    url = db or _default_db()
    digest = hashlib.sha256(redact(url).encode()).hexdigest()[:16]
    state_path = state or settings.data_dir / "watch" / f"{digest}.json"
    stopper = Stopper()
    signal.signal(signal.SIGINT, stopper.stop)
    signal.signal(signal.SIGTERM, stopper.stop)
    try:
        engine, make_session = open_store(url)
        coder = Coder.load(settings)
        seen = SeenState(state_path).load()
    except ConflictCoderError as err:
        raise _fail(escape(str(err))) from err
    run = RunState.for_bind(engine)
    failed = False
    while not stopper.stopped:
        summary = poll_once(sources, make_session, coder, seen, ArticleDefaults(outlet=outlet), stopper, run)
        failed = failed or bool(summary.errors or summary.failed_sources)
        err_console.print(
            f"poll: {summary.stored} new articles stored, {summary.unchanged} already stored, "
            f"{len(summary.errors)} unreadable, {len(summary.failed_sources)} sources failed",
            highlight=False,
        )
        if once or stopper.wait(interval):
            break
    engine.dispose()
    if stopper.stopped:
        err_console.print("stopped", highlight=False)
    elif once and failed:
        raise typer.Exit(code=1)


def _default_db() -> str:
    from conflictcoder.store import default_url

    return default_url(get_settings().data_dir)


def register(app: typer.Typer) -> None:
    """Add the bulk commands to the main `conflictcoder` app."""
    app.command()(batch)
    app.command()(watch)
