"""One error shape for every 4xx and 5xx: `{"error": {"status", "code", "message", "details"}}`.

FastAPI's own validation errors and Starlette's 404/405 are rewritten into it; an unexpected exception
is logged and answered with a 500 in the same shape, never with a traceback.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.store import StoreError

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorResponse(BaseModel):
    """What every error response carries."""

    error: ErrorBody


class ApiError(Exception):
    """An error the API answers on purpose, with its status and a short machine-readable code."""

    def __init__(
        self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(status=status, code=code, message=message, details=details or []))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


#: Documented on every route: the shape of its error responses.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorResponse, "description": "Bad request; the body says what and where."},
}


def _code_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _validation_details(err: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in err.errors():
        loc = [str(p) for p in e.get("loc", ())]
        out.append({"location": ".".join(loc), "problem": str(e.get("msg", "invalid"))})
    return out


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, err: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else None
        return error_response(err.status, err.code, err.message, err.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, err: RequestValidationError) -> JSONResponse:
        details = _validation_details(err)
        first = details[0] if details else {"location": "request", "problem": "invalid"}
        message = f"{first['location']}: {first['problem']}"
        return error_response(422, "invalid_request", message, details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        message = err.detail if isinstance(err.detail, str) else _code_for(err.status_code)
        code = "body_too_large" if err.status_code == 413 else _code_for(err.status_code)
        return error_response(err.status_code, code, message, headers=err.headers)

    @app.exception_handler(IngestError)
    async def _ingest(_request: Request, err: IngestError) -> JSONResponse:
        return error_response(422, "unreadable_article", str(err))

    @app.exception_handler(StoreError)
    async def _store(_request: Request, err: StoreError) -> JSONResponse:
        return error_response(400, "bad_request", str(err))

    @app.exception_handler(ConflictCoderError)
    async def _library(_request: Request, err: ConflictCoderError) -> JSONResponse:
        return error_response(422, "unprocessable", str(err))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "internal error; the server log has the details")
