"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL server.

PostgreSQL comes from CONFLICTCODER_TEST_PG_URL (`.ci/run` starts a server and sets it). Without a
reachable server the PostgreSQL cases fail under CI (CI=true) and are skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from functools import cache

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.model import Article, CodedArticle
from conflictcoder.pipeline import Coder
from conflictcoder.store import make_engine, open_store

PG_ENV = "CONFLICTCODER_TEST_PG_URL"


@cache
def _pg_problem() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return f"{PG_ENV} is not set (bash .ci/run starts PostgreSQL and sets it)"
    try:
        with make_engine(url).connect() as conn:
            conn.execute(text("select 1"))
    except Exception as err:  # any failure to reach the server is the same problem to the user
        return f"PostgreSQL at {PG_ENV} is not reachable: {str(err).splitlines()[0]}"
    return None


def _schema_url(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema` (one schema per test process)."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def _fresh_schema(url: str, schema: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A URL of an empty database (migrations not yet run); PostgreSQL gets a fresh schema per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    problem = _pg_problem()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL for the store tests: {problem}")
        pytest.skip(problem)
    base = os.environ[PG_ENV]
    schema = f"cc_test_{os.getpid()}"
    _fresh_schema(base, schema)
    yield _schema_url(base, schema)
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on a migrated, empty store."""
    engine, make_session = open_store(store_url)
    yield make_session
    engine.dispose()


@pytest.fixture(scope="session")
def code_report(coder: Coder):  # type: ignore[no-untyped-def]
    """Read and code a report once per session: (Article, CodedArticle)."""
    done: dict[tuple[str, str, str, str | None], tuple[Article, CodedArticle]] = {}

    def run(text_: str, published: str, outlet: str, url: str | None = None) -> tuple[Article, CodedArticle]:
        key = (text_, published, outlet, url)
        if key not in done:
            defaults = ArticleDefaults(published=date.fromisoformat(published), outlet=outlet, url=url)
            article = read_text(f"{outlet} report", text_, defaults)
            done[key] = (article, coder.code(article))
        return done[key]

    return run
