"""Store commands: `ingest`, `export`, `db upgrade|current`, `events list|show|split`.

Registered on the main app at the end of cli.py. The database is `--db URL`, else the environment's
CONFLICTCODER_DATABASE_URL, else a SQLite file in the data directory.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.settings import get_settings

db_app = typer.Typer(no_args_is_help=True, help="Create or migrate the event store.")
events_app = typer.Typer(no_args_is_help=True, help="Look at stored events, their history, and split them.")
out_console = Console()
err_console = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="CONFLICTCODER_DATABASE_URL",
        help="Database URL (sqlite:///FILE or postgresql://USER:PASS@HOST/DB); "
        "default: conflictcoder.sqlite in the data directory.",
        show_envvar=True,
    ),
]


class ExportFormat(StrEnum):
    acled = "acled"
    ged = "ged"
    jsonl = "jsonl"
    geojson = "geojson"
    parquet = "parquet"


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=1)


def _url(db: str | None) -> str:
    from conflictcoder.store import default_url

    return db or default_url(get_settings().data_dir)


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from conflictcoder.store import open_store

    try:
        return open_store(_url(db))
    except ConflictCoderError as err:
        raise _fail(str(err)) from err


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=option) from err


def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files (.txt .html .json .jsonl[.gz] .parquet .warc), folders, or - for stdin."),
    ],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that lack one.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Source URL for inputs that lack one.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for inputs that lack one.")] = None,
) -> None:
    """Code articles and store them with their reports, claims and merged events (idempotent)."""
    from conflictcoder.ingest import ArticleDefaults, read_inputs
    from conflictcoder.pipeline import Coder
    from conflictcoder.store import SaveResult, ingest_articles

    defaults = ArticleDefaults(published=_date(published, "--published"), url=url, outlet=outlet)
    _engine, make_session = _open(db)
    try:
        coder = Coder.load(get_settings())
    except ConflictCoderError as err:
        raise _fail(str(err)) from err

    from conflictcoder.batch.progress import article_progress
    from conflictcoder.batch.run import count_inputs

    try:
        with article_progress(err_console, count_inputs(paths), label="ingesting") as progress:

            def report(item: SaveResult | IngestError) -> None:
                progress.done(1)
                if isinstance(item, IngestError):
                    err_console.print(f"[red]error:[/red] {item}", highlight=False)

            items = read_inputs(paths, defaults, stdin=sys.stdin)
            summary = ingest_articles(make_session, coder, items, report)
    except ConflictCoderError as err:
        raise _fail(str(err)) from err
    err_console.print(
        f"articles: {summary.new} new, {summary.new_versions} new versions, {summary.unchanged} unchanged, "
        f"{len(summary.errors)} unreadable; events: {summary.events_created} created, "
        f"{summary.events_updated} updated",
        highlight=False,
    )
    if summary.errors:
        raise typer.Exit(code=1)


def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.acled,
    out: Annotated[Path | None, typer.Option(help="Write to this file (required for parquet).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First event date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last event date, YYYY-MM-DD.")] = None,
    country: Annotated[str | None, typer.Option(help="Country name or ISO3 code.")] = None,
    admin1: Annotated[str | None, typer.Option(help="Admin1 (province/state) name.")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="ACLED event type or sub-event type.")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor1/actor2 name (any case).")] = None,
    db: DbOption = None,
) -> None:
    """Export stored events as ACLED CSV, UCDP-GED-style CSV, JSON Lines, GeoJSON or Parquet."""
    from conflictcoder.export import export_events
    from conflictcoder.store import EventFilter, list_events

    if format is ExportFormat.parquet and out is None:
        raise _fail("--format parquet: give --out FILE (Parquet is not written to stdout)")
    flt = EventFilter(
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        country=country,
        admin1=admin1,
        event_type=event_type,
        actor=actor,
    )
    _engine, make_session = _open(db)
    with make_session() as session:
        events = list_events(session, flt)
    try:
        n = export_events(events, format.value, out, sys.stdout)
    except OSError as err:
        raise _fail(f"{out}: cannot write ({err.strerror or err})") from err
    err_console.print(f"exported {n} events", highlight=False)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the store or migrate it to the newest schema."""
    from conflictcoder.store import StoreError, make_engine, upgrade
    from conflictcoder.store.db import redact

    url = _url(db)
    try:
        revision = upgrade(make_engine(url))
    except StoreError as err:
        raise _fail(str(err)) from err
    err_console.print(f"{redact(url)}: schema at revision {revision}", highlight=False)


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Show the store's schema revision and the newest one this version knows."""
    from sqlalchemy.exc import SQLAlchemyError

    from conflictcoder.store import StoreError, make_engine
    from conflictcoder.store.db import current_revision, head_revision, redact

    url = _url(db)
    try:
        current = current_revision(make_engine(url))
    except (StoreError, SQLAlchemyError) as err:
        raise _fail(f"{redact(url)}: {str(err).splitlines()[0]}") from err
    out_console.print(f"current: {current or 'empty'}; newest: {head_revision()}", highlight=False)


@events_app.command("list")
def events_list(
    date_from: Annotated[str | None, typer.Option("--from", help="First event date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last event date, YYYY-MM-DD.")] = None,
    country: Annotated[str | None, typer.Option(help="Country name or ISO3 code.")] = None,
    admin1: Annotated[str | None, typer.Option(help="Admin1 name.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Event type or sub-event type.")] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor name.")] = None,
    db: DbOption = None,
) -> None:
    """List stored events: id, revision, date, type, actors, place, fatalities, number of sources."""
    from conflictcoder.store import EventFilter, list_events

    flt = EventFilter(
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        country=country,
        admin1=admin1,
        event_type=event_type,
        actor=actor,
    )
    _engine, make_session = _open(db)
    with make_session() as session:
        events = list_events(session, flt)
    table = Table(title="stored events")
    for col in ("event_id", "rev", "date", "sub-event type", "actor1", "actor2", "place", "fat.", "sources"):
        table.add_column(col, overflow="fold")
    for s in events:
        e = s.event
        table.add_row(
            e.event_id,
            str(s.revision),
            str(e.event_date or "?"),
            e.sub_event_type,
            e.actor1 or "",
            e.actor2 or "",
            ", ".join(x for x in (e.location, e.admin2, e.admin1) if x),
            "" if e.fatalities is None else f"{e.fatalities.best:g}",
            str(len(s.articles)),
        )
    out_console.print(table)


@events_app.command("show")
def events_show(
    event_id: Annotated[str, typer.Argument(help="The event's id.")],
    db: DbOption = None,
) -> None:
    """Print one event as JSON with its reports and its revision history."""
    import json

    from conflictcoder.store import StoreError, event_history, event_reports, get_event

    _engine, make_session = _open(db)
    with make_session() as session:
        stored = get_event(session, event_id)
        if stored is None:
            raise _fail(f"{event_id}: no such event")
        try:
            reports = event_reports(session, event_id)
            history = event_history(session, event_id)
        except StoreError as err:
            raise _fail(str(err)) from err
    payload = {
        **stored.model_dump(mode="json"),
        "reports": [r.model_dump(mode="json") for r in reports],
        "history": [h.model_dump(mode="json", exclude={"event"}) for h in history],
    }
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@events_app.command("split")
def events_split(
    event_id: Annotated[str, typer.Argument(help="The event whose merge proved wrong.")],
    reports: Annotated[
        list[str],
        typer.Argument(
            help="Report (mention) ids or article ids to move into a new event; see `events show`."
        ),
    ],
    db: DbOption = None,
) -> None:
    """Split reports out of an event into a new event (both keep their revision histories)."""
    from conflictcoder.store import StoreError, split_event

    _engine, make_session = _open(db)
    try:
        with make_session.begin() as session:
            new = split_event(session, event_id, reports)
    except StoreError as err:
        raise _fail(str(err)) from err
    out_console.print(f"{new.event.event_id}", highlight=False)
    err_console.print(f"split {len(new.articles)} article(s) out of {event_id} into {new.event.event_id}")


def register(app: typer.Typer) -> None:
    """Add the store commands to the main `conflictcoder` app."""
    app.command()(ingest)
    app.command()(export)
    app.add_typer(db_app, name="db")
    app.add_typer(events_app, name="events")
