"""Routes of the dashboard's pages and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type="text/html; charset=utf-8")


def mount(app: FastAPI) -> None:
    """Add the dashboard's pages, `/docs` and `/static` to `app` (left out of the OpenAPI schema)."""

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return _page("index.html")

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> FileResponse:  # the page's script reads the id from the URL
        return _page("event.html")

    @app.get("/paste", include_in_schema=False)
    def paste_page() -> FileResponse:
        return _page("paste.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return _page("docs.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
