"""The FastAPI app: routers, the one error shape, body limit, security headers, optional CORS, and the
dashboard's pages and static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder import __version__
from conflictcoder.api import errors
from conflictcoder.api.config import ApiSettings
from conflictcoder.api.middleware import BodyLimit, SecurityHeaders
from conflictcoder.api.routes import articles, code, events, stats
from conflictcoder.api.worker import CodingWorker
from conflictcoder.pipeline import Coder

DESCRIPTION = """Code news reports of armed-conflict incidents into ACLED-style events, store them, and
read them back with every figure's claimant and evidence.

Reads are open. Writes (`POST /articles`) need `Authorization: Bearer <CONFLICTCODER_API_TOKEN>`; with no
token configured the server refuses writes. Errors always have the shape
`{"error": {"status", "code", "message", "details"}}`. Request bodies above the configured limit
(`CONFLICTCODER_API_MAX_BODY_BYTES`, default 2,000,000 bytes) are refused with 413."""


def create_app(
    make_session: sessionmaker[Session], settings: ApiSettings | None = None, coder: Coder | None = None
) -> FastAPI:
    """The app over an open (migrated) store. `coder` is loaded on first use when not given."""
    settings = settings if settings is not None else ApiSettings()
    worker = CodingWorker(coder)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        worker.close()

    app = FastAPI(
        title="conflictcoder",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by the dashboard package with local assets (nothing from a CDN)
        redoc_url=None,
    )
    app.state.make_session = make_session
    app.state.worker = worker
    app.state.api_settings = settings
    errors.install(app)
    for router in (code.router, articles.router, events.router, stats.router):
        app.include_router(router)
    from conflictcoder.web import mount

    mount(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
