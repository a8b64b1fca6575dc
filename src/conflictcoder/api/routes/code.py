"""POST /code: code articles without storing them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from conflictcoder.api.bodies import ArticlesBody, article_defaults, read_body
from conflictcoder.api.deps import WorkerDep
from conflictcoder.api.errors import ERROR_RESPONSES
from conflictcoder.ingest import ArticleDefaults
from conflictcoder.model import CodedArticle

router = APIRouter(tags=["code"], responses=ERROR_RESPONSES)


def coded_json(results: list[CodedArticle]) -> Any:
    """The JSON of `conflictcoder code --format json`: one object for one article, else a list."""
    payload = [r.model_dump(mode="json") for r in results]
    return payload[0] if len(payload) == 1 else payload


@router.post(
    "/code",
    response_model=CodedArticle | list[CodedArticle],
    summary="Code articles without storing them",
    description="Returns exactly what `conflictcoder code --format json` prints for the same input: one "
    "coded article for one article, a list for several. Nothing is stored; no token needed.",
)
async def code(
    body: ArticlesBody, worker: WorkerDep, defaults: Annotated[ArticleDefaults, Depends(article_defaults)]
) -> JSONResponse:
    articles, _ = read_body(body, defaults)
    results = await worker.run(lambda coder: [coder.code(a) for a in articles])
    return JSONResponse(coded_json(results))
