"""Dependencies of the routes: a session per request, the coding worker, and the write-token check."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from conflictcoder.api.config import ApiSettings
from conflictcoder.api.errors import ApiError
from conflictcoder.api.worker import CodingWorker


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.make_session() as session:
        yield session


def get_worker(request: Request) -> CodingWorker:
    return request.app.state.worker


def get_api_settings(request: Request) -> ApiSettings:
    return request.app.state.api_settings


_bearer = HTTPBearer(auto_error=False, description="The token in CONFLICTCODER_API_TOKEN.")


def require_writer(
    settings: Annotated[ApiSettings, Depends(get_api_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need `Authorization: Bearer <CONFLICTCODER_API_TOKEN>`; with no token configured, writes are
    refused for everyone (the API is never open for writing by default)."""
    if settings.api_token is None or not settings.api_token.get_secret_value():
        raise ApiError(
            403, "writes_disabled", "writes are disabled: the server has no CONFLICTCODER_API_TOKEN"
        )
    if credentials is None:
        raise ApiError(401, "unauthorized", "this request needs a bearer token")
    given = credentials.credentials.encode("utf-8")
    expected = settings.api_token.get_secret_value().encode("utf-8")
    if not hmac.compare_digest(given, expected):
        raise ApiError(401, "unauthorized", "wrong bearer token")


SessionDep = Annotated[Session, Depends(get_session)]
WorkerDep = Annotated[CodingWorker, Depends(get_worker)]
WriterDep = Depends(require_writer)
