"""Bulk commands: `batch` (several processes, resumable) and `watch` (poll folders and feeds).

Registered on the main app at the end of cli.py.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.settings import get_settings

err_console = Console(stderr=True, soft_wrap=True)
INTERRUPTED = 130  # the shell's status for a command ended by Ctrl-C


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code=1)


def _date(value: str | None):  # type: ignore[no-untyped-def]
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint="--published") from err


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
    defaults = ArticleDefaults(published=_date(published), url=url, outlet=outlet)
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
        raise _fail(str(err)) from err
    except OSError as err:
        raise _fail(f"{err.filename or out}: {err.strerror or err}") from err
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


def register(app: typer.Typer) -> None:
    """Add the bulk commands to the main `conflictcoder` app."""
    app.command()(batch)
