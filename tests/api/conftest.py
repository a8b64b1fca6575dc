"""API fixtures: an app over a fresh store (SQLite and PostgreSQL, as in tests/store) and a test client."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.api import ApiSettings, create_app
from conflictcoder.pipeline import Coder
from conflictcoder.store import open_store
from tests.store.conftest import store_url  # noqa: F401  (the SQLite/PostgreSQL parametrised fixture)
from tests.store.reports import DAWN, DAY, OTHER, REUTERS

TOKEN = "test-token-5b1f"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEED = [
    {"text": DAWN, "outlet": "Dawn", "published": DAY, "title": "Soldiers killed in Hoshab ambush"},
    {"text": REUTERS, "outlet": "Reuters", "published": DAY, "title": "Convoy ambushed in Balochistan"},
    {"text": OTHER, "outlet": "Dawn", "published": DAY, "title": "Two shopkeepers shot in Quetta"},
]


@pytest.fixture
def make_session(store_url: str) -> Iterator[sessionmaker[Session]]:  # noqa: F811
    engine, factory = open_store(store_url)
    yield factory
    engine.dispose()


@pytest.fixture
def make_client(make_session: sessionmaker[Session], coder: Coder) -> Iterator[Callable[..., TestClient]]:
    """Build a client for an app with the given settings (default: writes enabled with TOKEN)."""
    clients: list[TestClient] = []

    def build(settings: ApiSettings | None = None) -> TestClient:
        settings = settings if settings is not None else ApiSettings(api_token=TOKEN)
        client = TestClient(create_app(make_session, settings, coder=coder), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def seeded(client: TestClient) -> TestClient:
    """The client over a store holding the three short reports of tests/store (one ambush, two outlets)."""
    response = client.post("/articles", json=SEED, headers=AUTH)
    assert response.status_code == 201, response.text
    return client


def assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    """The response is the one error shape with this status; returns its `error` object."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "details"}
    assert err["status"] == status and err["code"] and err["message"]
    return err
