"""The `conflictcoder` command: parse options, call one library function, render the result."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.ingest import ArticleDefaults, read_inputs
from conflictcoder.model import CodedArticle, DocumentPlaces
from conflictcoder.settings import get_settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
gazetteer_app = typer.Typer(no_args_is_help=True, help="Build, search and extend the place gazetteer.")
app.add_typer(gazetteer_app, name="gazetteer")
out_console = Console()
err_console = Console(stderr=True)


class OutFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False)],
    )


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from err


MODEL_HELP = (
    "A sub-event-type model made by `conflictcoder train`, used together with the rules. Model files are "
    "arrays and JSON only (no pickle): loading one runs no code from it."
)


@app.command()
def code(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files (.txt .html .json .jsonl[.gz] .parquet .warc), folders, or - for stdin."),
    ],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that lack one.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Source URL for inputs that lack one.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for inputs that lack one.")] = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.json,
    out: Annotated[Path | None, typer.Option(help="Write output to this file instead of stdout.")] = None,
    model: Annotated[Path | None, typer.Option("--model", help=MODEL_HELP)] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Say why each event is what it is (trigger, grouped sentences, typing rule, actors, place): "
            "an `explain` object per event in JSON, and a text block per event on stderr (stdout for table).",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Code news articles into ACLED-typed events with claims and evidence."""
    _setup_logging(verbose)
    defaults = ArticleDefaults(published=_parse_date(published), url=url, outlet=outlet)
    from conflictcoder.pipeline import Coder  # heavy import: only for commands that code text

    try:
        coder = Coder.load(get_settings())
        coder.explain = explain
        if model is not None:
            coder.model = _load_model(model)
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {escape(str(err))}")
        raise typer.Exit(code=1) from err
    from conflictcoder.batch.progress import article_progress
    from conflictcoder.batch.run import count_inputs

    results: list[CodedArticle] = []
    failures = 0
    with article_progress(err_console, count_inputs(paths), transient=True) as progress:
        for item in coder.code_many(read_inputs(paths, defaults, stdin=sys.stdin)):
            progress.done(1)
            failures += _note(item, results)
    _render(results, format, out)
    if explain:
        _render_explanations(results, to_stdout=format is OutFormat.table and out is None)
    if failures:
        raise typer.Exit(code=1)


def _render_explanations(results: list[CodedArticle], to_stdout: bool) -> None:
    from conflictcoder.explain import render

    blocks = [render(r.id, n, e) for r in results for n, e in enumerate(r.events, 1)]
    (sys.stdout if to_stdout else sys.stderr).write("\n".join(blocks))


def _note(item: CodedArticle | IngestError, results: list[CodedArticle]) -> int:
    """Report an unreadable input (returns 1) or keep a coded article, noting why it has no event."""
    if isinstance(item, IngestError):
        err_console.print(f"[red]error:[/red] {item}", highlight=False)
        return 1
    if not item.events and item.reason:
        err_console.print(
            f"[yellow]note:[/yellow] {item.article.source_path or item.id}: {item.reason}",
            highlight=False,
        )
    results.append(item)
    return 0


def _render(results: list[CodedArticle], fmt: OutFormat, out: Path | None) -> None:
    if fmt is OutFormat.table:
        console = Console(file=out.open("w", encoding="utf-8"), width=200) if out else out_console
        console.print(events_table(results))
        return
    _write(results, fmt, out)


def _write(results: Sequence[BaseModel], fmt: OutFormat, out: Path | None) -> None:
    """JSON (one object, or a list for several) or JSONL, to `out` or stdout."""
    # allow_nan=False: strict JSON readers reject Infinity and NaN, so writing one would be a bug
    if fmt is OutFormat.jsonl:
        text = "".join(
            json.dumps(r.model_dump(mode="json"), ensure_ascii=False, allow_nan=False) + "\n" for r in results
        )
    else:
        payload = [r.model_dump(mode="json") for r in results]
        text = (
            json.dumps(
                payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2, allow_nan=False
            )
            + "\n"
        )
    if out is not None:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def events_table(results: list[CodedArticle]) -> Table:
    """One row per event, for reading in a terminal."""
    table = Table(title="conflictcoder events", show_lines=False)
    for col in ("article", "date", "type / sub-type", "actor1", "actor2", "location", "fatalities"):
        table.add_column(col, overflow="fold")
    for r in results:
        for e in r.events:
            place = ", ".join(x for x in (e.location, e.admin2, e.admin1, e.country) if x)
            fat = "" if e.fatalities is None else f"{e.fatalities.best:g}"
            table.add_row(
                r.id[:16],
                str(e.event_date or "?"),
                f"{e.event_type} / {e.sub_event_type}",
                e.actor1 or "",
                e.actor2 or "",
                place,
                fat,
            )
    return table


@app.command()
def places(
    paths: Annotated[
        list[str], typer.Argument(help="Files (.txt .html .json .jsonl), directories, or - for stdin.")
    ],
    format: Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")] = OutFormat.json,
    out: Annotated[Path | None, typer.Option(help="Write output to this file instead of stdout.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Geoparse texts: the countries each is about and every place it names, resolved and with its role."""
    _setup_logging(verbose)
    from conflictcoder.pipeline import Coder

    try:
        coder = Coder.load(get_settings())
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {escape(str(err))}")
        raise typer.Exit(code=1) from err
    results: list[DocumentPlaces] = []
    failures = 0
    for item in coder.places_many(read_inputs(paths, ArticleDefaults(), stdin=sys.stdin)):
        if isinstance(item, IngestError):
            failures += 1
            err_console.print(f"[red]error:[/red] {item}", highlight=False)
            continue
        results.append(item)
    if format is OutFormat.table:
        console = Console(file=out.open("w", encoding="utf-8"), width=200) if out else out_console
        console.print(places_table(results))
    else:
        _write(results, format, out)
    if failures:
        raise typer.Exit(code=1)


def places_table(results: list[DocumentPlaces]) -> Table:
    """One row per toponym, for reading in a terminal."""
    table = Table(title="conflictcoder places")
    for col in ("document", "text", "role", "place", "code", "admin2", "admin1", "country", "lat, lon"):
        table.add_column(col, overflow="fold")
    for r in results:
        for p in r.places:
            point = f"{p.latitude:.3f}, {p.longitude:.3f}" if p.latitude is not None else ""
            row = (r.id[:16], p.text, p.role, p.name, p.feature_code, p.admin2, p.admin1, p.country, point)
            table.add_row(*(x or "" for x in row))
    return table


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold file in the format of ../shared/eval (JSONL).")],
    split: Annotated[str, typer.Option(help="Which fixed half to score: tune, test or all.")] = "test",
    limit: Annotated[int | None, typer.Option(help="Score at most this many rows (for quick looks).")] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the full report as JSON here.")] = None,
    model: Annotated[Path | None, typer.Option("--model", help=MODEL_HELP)] = None,
) -> None:
    """Score the coder against externally coded data (ACLED or UCDP field names)."""
    _setup_logging(False)
    from conflictcoder.evaluate import evaluate_file, render_report
    from conflictcoder.pipeline import Coder

    if split not in ("tune", "test", "all"):
        raise typer.BadParameter("split must be tune, test or all")
    try:
        coder = Coder.load(get_settings())
        if model is not None:
            coder.model = _load_model(model)
        report = evaluate_file(gold, coder, split=split, limit=limit)
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {escape(str(err))}")
        raise typer.Exit(code=1) from err
    render_report(report, out_console)
    if out is not None:
        out.write_text(json.dumps(report, indent=2), encoding="utf-8")


@app.command("eval-articles")
def evaluate_articles(
    folder: Annotated[
        Path, typer.Argument(help="Folder of hand-coded articles (*.json), as ../shared/eval/articles-dev.")
    ],
    split: Annotated[str, typer.Option(help="Which fixed half to score: tune, test or all.")] = "test",
    out: Annotated[Path | None, typer.Option(help="Also write the full report as JSON here.")] = None,
) -> None:
    """Score the coder on whole articles: incident recall, precision, claim recall, dates, quiet articles."""
    _setup_logging(False)
    from conflictcoder.evaluate_articles import evaluate_folder, render_articles_report
    from conflictcoder.pipeline import Coder

    if split not in ("tune", "test", "all"):
        raise typer.BadParameter("split must be tune, test or all")
    try:
        report = evaluate_folder(folder, Coder.load(get_settings()), split=split)
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {escape(str(err))}")
        raise typer.Exit(code=1) from err
    render_articles_report(report, out_console)
    if out is not None:
        out.write_text(json.dumps(report, indent=2), encoding="utf-8")


def _load_model(path: Path):  # type: ignore[no-untyped-def]
    from conflictcoder.learn import load_model

    loaded = load_model(path)
    err_console.print(f"model {path.name}: {loaded.describe()}", markup=False, highlight=False)
    return loaded


@app.command()
def train(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Write the model to this file (e.g. my.model.npz).")
    ],
    acled: Annotated[
        Path | None,
        typer.Option(help="An ACLED export (CSV with notes, sub_event_type and optionally event_type)."),
    ] = None,
    labels: Annotated[
        Path | None, typer.Option(help='A labels file: JSONL, {"text": ..., "sub_event_type": ...} a line.')
    ] = None,
    c: Annotated[
        float, typer.Option("--c", min=1e-6, help="Inverse regularization strength of the regression.")
    ] = 10.0,
    threshold: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Probability from which the model's sub-event type overrules the rules'."
        ),
    ] = 0.5,
) -> None:
    """Fit a sub-event-type model on your own coded data, for `code --model` and `eval --model`.

    The model is yours: one trained on an ACLED export is derived from ACLED data, so ACLED's terms of use
    govern sharing it. The file holds arrays and JSON only (no pickle), so loading it runs no code.
    """
    _setup_logging(False)
    import time

    from conflictcoder.learn.train import train_file

    if (acled is None) == (labels is None):
        raise typer.BadParameter("give exactly one of --acled EXPORT.csv or --labels FILE.jsonl")
    source, kind = (acled, "acled") if acled is not None else (labels, "labels")
    assert source is not None
    started = time.perf_counter()
    try:
        model, data = train_file(source, kind, out, c=c, threshold=threshold)
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {escape(str(err))}")
        raise typer.Exit(code=1) from err
    skipped = f"; skipped {data.skipped_empty:,} rows with empty notes" if data.skipped_empty else ""
    err_console.print(
        f"trained on {len(data.rows):,} rows{skipped} in {time.perf_counter() - started:.1f} s; "
        f"wrote {out}: {model.describe()}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output (one coded article)."""
    from conflictcoder.schema import output_schema

    sys.stdout.write(json.dumps(output_schema(), indent=2) + "\n")


@gazetteer_app.command("build")
def gazetteer_build() -> None:
    """(Re)build the gazetteer index from the packaged GeoNames data."""
    from conflictcoder.geo import build_index

    settings = get_settings()
    n = build_index(settings.gazetteer_path)
    err_console.print(f"indexed {n} names into {settings.gazetteer_path}")


@gazetteer_app.command("search")
def gazetteer_search(
    name: str, country: Annotated[str | None, typer.Option(help="ISO2 code.")] = None
) -> None:
    """Show the gazetteer's candidates for NAME with their admin hierarchy."""
    from conflictcoder.geo import Gazetteer

    with Gazetteer(get_settings().gazetteer_path).open() as gaz:
        places = (
            gaz.lookup(name, iso2=country)
            + gaz.lookup_admin(name, 2, iso2=country)
            + gaz.lookup_admin(name, 1, iso2=country)
        )
    table = Table(title=f"gazetteer candidates for {name!r}")
    for col in ("geonames_id", "name", "code", "admin2", "admin1", "country", "population", "lat", "lon"):
        table.add_column(col)
    seen: set[tuple[int | None, str]] = set()
    for p in places:
        if (p.geonames_id, p.feature_code) in seen:
            continue
        seen.add((p.geonames_id, p.feature_code))
        table.add_row(
            str(p.geonames_id),
            p.name,
            p.feature_code,
            p.admin2 or "",
            p.admin1 or "",
            p.country,
            str(p.population),
            f"{p.latitude}",
            f"{p.longitude}",
        )
    out_console.print(table)
    if not places:
        err_console.print(f"no gazetteer entry for {name!r}")
        raise typer.Exit(code=1)


@gazetteer_app.command("add")
def gazetteer_add(
    csv_file: Annotated[
        Path,
        typer.Argument(help="CSV: name,latitude,longitude,country,admin1,admin2,feature_code,population"),
    ],
) -> None:
    """Add local places from a CSV supplement (kept across rebuilds)."""
    from conflictcoder.geo import Gazetteer, import_supplement_csv

    settings = get_settings()
    Gazetteer(settings.gazetteer_path).open().close()  # builds the index on first use
    try:
        n = import_supplement_csv(settings.gazetteer_path, csv_file)
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(code=1) from err
    err_console.print(f"added {n} places from {csv_file}")


@gazetteer_app.command("import")
def gazetteer_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GeoNames dumps (allCountries.zip, PK.zip or PK.txt) and optionally admin1CodesASCII.txt "
            "and admin2Codes.txt (otherwise looked for next to the dump)."
        ),
    ],
    countries: Annotated[
        str | None, typer.Option(help="Import only these ISO2 country codes, e.g. PK,AF.")
    ] = None,
    feature_classes: Annotated[
        str | None,
        typer.Option(
            help="GeoNames feature classes to import, e.g. P,A,S "
            "(default: those of the packaged index, A admin units and P populated places)."
        ),
    ] = None,
) -> None:
    """Import a full GeoNames dump (every village) into the gazetteer index."""
    from rich.markup import escape

    from conflictcoder.geo.geonames_dump import import_geonames

    _setup_logging(False)
    settings = get_settings()
    try:
        done = import_geonames(
            settings.gazetteer_path,
            files,
            countries=countries.split(",") if countries is not None else None,
            feature_classes=feature_classes.split(",") if feature_classes is not None else None,
        )
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {escape(str(err))}", soft_wrap=True)
        raise typer.Exit(code=1) from err
    listed = f": {', '.join(done.countries)}" if len(done.countries) <= 12 else ""
    skipped = {
        "outside the feature classes or countries asked for": done.rows_filtered,
        "with a country code the index lacks": done.rows_unknown_country,
        "for countries (the index keeps its own)": done.rows_country,
    }
    err_console.print(
        f"read {done.rows_read:,} rows from {', '.join(done.files)}; imported {done.rows_imported:,} places "
        f"({done.rows_replaced:,} replacing entries already in the index) in {len(done.countries)} "
        f"{'country' if len(done.countries) == 1 else 'countries'}{listed}",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
    if any(skipped.values()):
        err_console.print(
            "skipped " + "; ".join(f"{n:,} rows {why}" for why, n in skipped.items() if n),
            soft_wrap=True,
            markup=False,
            highlight=False,
        )


# Store commands (issue 6): ingest, export, db, events — defined in cli_store.py.
from conflictcoder.cli_store import register as _register_store  # noqa: E402

_register_store(app)

# The API and dashboard (issue 12): `serve`, defined in cli_serve.py.
from conflictcoder.cli_serve import register as _register_serve  # noqa: E402

_register_serve(app)
# Bulk commands (issue 13): batch, watch — defined in cli_batch.py.
from conflictcoder.cli_batch import register as _register_batch  # noqa: E402

_register_batch(app)
