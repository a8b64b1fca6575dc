"""`conflictcoder serve`: the JSON API and the dashboard under uvicorn.

Registered on the main app at the end of cli.py.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from conflictcoder.cli_store import DbOption, _open
from conflictcoder.errors import ConflictCoderError

err_console = Console(stderr=True, soft_wrap=True)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the JSON API (OpenAPI docs at /docs) and the dashboard (at /).

    Writes (POST /articles) need the bearer token set in CONFLICTCODER_API_TOKEN; without one they are
    refused. CONFLICTCODER_API_MAX_BODY_BYTES caps request bodies (default 2,000,000);
    CONFLICTCODER_API_CORS_ORIGINS (comma-separated) allows those origins, none by default.
    """
    import logging

    import uvicorn
    from pydantic import ValidationError

    from conflictcoder.api import ApiSettings, create_app
    from conflictcoder.pipeline import Coder
    from conflictcoder.settings import get_settings

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = ApiSettings()
    except ValidationError as err:
        err_console.print(f"[red]error:[/red] API settings: {err.errors()[0]['msg']}", highlight=False)
        raise typer.Exit(code=1) from err
    _engine, make_session = _open(db)
    try:
        coder = Coder.load(get_settings())
    except ConflictCoderError as err:
        err_console.print(f"[red]error:[/red] {err}", highlight=False)
        raise typer.Exit(code=1) from err
    if settings.api_token is None:
        err_console.print(
            "note: CONFLICTCODER_API_TOKEN is not set: POST /articles is refused", highlight=False
        )
    app = create_app(make_session, settings, coder=coder)
    err_console.print(
        f"conflictcoder: dashboard at http://{host}:{port}/ , API docs at /docs", highlight=False
    )
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(serve)
