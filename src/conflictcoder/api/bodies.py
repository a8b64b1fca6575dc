"""Articles from a request body: one `.json`-style object or a list of them, read by the ingest readers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Body, Query

from conflictcoder.api.config import MAX_BATCH
from conflictcoder.api.errors import ApiError
from conflictcoder.api.schemas import ArticleIn
from conflictcoder.errors import IngestError
from conflictcoder.ingest import ArticleDefaults
from conflictcoder.ingest.records import parse_record
from conflictcoder.model import Article

ArticlesBody = Annotated[
    ArticleIn | list[ArticleIn],
    Body(description=f"One article object, or a list of at most {MAX_BATCH}."),
]


def article_defaults(
    published: Annotated[
        date | None, Query(description="Publication date for articles that lack one.")
    ] = None,
    url: Annotated[str | None, Query(max_length=2048, description="URL for articles that lack one.")] = None,
    outlet: Annotated[
        str | None, Query(max_length=256, description="Outlet for articles that lack one.")
    ] = None,
) -> ArticleDefaults:
    """Like `code --published/--url/--outlet`: fill only what an article does not state itself."""
    if any(v is not None and "\x00" in v for v in (url, outlet)):
        raise ApiError(422, "invalid_request", "query: url and outlet may not contain a NUL character")
    return ArticleDefaults(published=published, url=url, outlet=outlet)


def read_body(body: ArticleIn | list[ArticleIn], defaults: ArticleDefaults) -> tuple[list[Article], bool]:
    """The body's articles (and whether it was a list), read exactly as `.json`/`.jsonl` inputs are.

    A body naming no file has no `source_path`. Any unreadable article refuses the whole request (422),
    naming its position, so that nothing is half done."""
    items = body if isinstance(body, list) else [body]
    if not items:
        raise ApiError(422, "invalid_request", "body: an empty list holds no article")
    if len(items) > MAX_BATCH:
        raise ApiError(422, "invalid_request", f"body: at most {MAX_BATCH} articles per request")
    articles: list[Article] = []
    problems: list[dict[str, str]] = []
    for i, item in enumerate(items):
        source = f"body[{i}]" if isinstance(body, list) else "body"
        fields = item.model_dump(exclude_unset=True)
        if any(isinstance(v, str) and "\x00" in v for v in fields.values()):
            problems.append({"location": source, "problem": "a field contains a NUL character"})
            continue
        try:
            article = parse_record(source, fields, defaults)
        except IngestError as err:
            problems.append({"location": source, "problem": err.reason})
            continue
        articles.append(article.model_copy(update={"source_path": None}))
    if problems:
        first = problems[0]
        raise ApiError(422, "unreadable_article", f"{first['location']}: {first['problem']}", problems)
    return articles, isinstance(body, list)
