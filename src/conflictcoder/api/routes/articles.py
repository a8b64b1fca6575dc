"""POST /articles: code and store articles (idempotent, merged like `conflictcoder ingest`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.api.bodies import ArticlesBody, article_defaults, read_body
from conflictcoder.api.deps import SessionDep, WorkerDep, WriterDep
from conflictcoder.api.errors import ERROR_RESPONSES, ApiError
from conflictcoder.api.schemas import StoredArticle, StoredArticles
from conflictcoder.ingest import ArticleDefaults
from conflictcoder.model import Article
from conflictcoder.pipeline import Coder
from conflictcoder.store import get_event, save_one
from conflictcoder.store.queries import article_event_ids, articles_by_id

router = APIRouter(prefix="/articles", tags=["articles"], responses=ERROR_RESPONSES)


def _store(make_session: sessionmaker[Session], coder: Coder, articles: list[Article]) -> list[StoredArticle]:
    out = []
    for article in articles:
        coded = coder.code(article)
        result = save_one(make_session, article, coded)
        with make_session() as session:
            events = [
                e for i in article_event_ids(session, article.article_id) if (e := get_event(session, i))
            ]
        out.append(
            StoredArticle(
                id=coded.id,
                article_id=article.article_id,
                status=result.status,  # type: ignore[arg-type]
                reason=coded.reason,
                events=events,
            )
        )
    return out


@router.post(
    "",
    response_model=StoredArticles,
    status_code=201,
    dependencies=[WriterDep],
    summary="Code and store articles",
    description="Needs `Authorization: Bearer <CONFLICTCODER_API_TOKEN>`. Each article is stored in its own "
    "transaction, as `conflictcoder ingest` does: the same text again changes nothing (status "
    "`unchanged`, 200), the same URL with a new text is a new version. Returns each article's events "
    "(merged across articles) with their stable ids.",
)
async def store_articles(
    request: Request,
    body: ArticlesBody,
    worker: WorkerDep,
    defaults: Annotated[ArticleDefaults, Depends(article_defaults)],
) -> JSONResponse:
    articles, _ = read_body(body, defaults)
    make_session = request.app.state.make_session
    stored = await worker.run(lambda coder: _store(make_session, coder, articles))
    status = 201 if any(s.status != "unchanged" for s in stored) else 200
    return JSONResponse(StoredArticles(articles=stored).model_dump(mode="json"), status_code=status)


@router.get("/{article_id}", summary="One stored article with its full text and its events")
def read_article(article_id: str, session: SessionDep) -> dict[str, object]:
    found = articles_by_id(session, [article_id]) if "\x00" not in article_id else []
    if not found:
        raise ApiError(404, "not_found", f"no article with id {article_id!r}")
    return {**found[0].__dict__, "events": article_event_ids(session, article_id)}
