"""Browser fixtures: a real uvicorn server over a seeded SQLite store, and Debian's chromium driven by
Playwright (the Python package's own driver; no browser download). Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conflictcoder.api import ApiSettings, create_app
from conflictcoder.pipeline import Coder
from conflictcoder.store import open_store
from tests.api.conftest import AUTH, SEED, TOKEN
from tests.api.live import live_server
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"
RETELLING = REPO / "examples" / "zehri-retelling.txt"
ZEHRI_PUBLISHED = "2025-01-09"  # a Thursday: the article's "on Wednesday" is 2025-01-08

XSS_TITLE = '<img src=x onerror="window.__xss=1">Title<script>window.__xss=2</script>'
XSS_TEXT = (
    "<script>window.__xss=3</script>QUETTA: Gunmen shot dead two shopkeepers <img src=y "
    "onerror=window.__xss=4> in Quetta on Tuesday, police said. <b onmouseover=window.__xss=5>bold</b>"
)
XSS_ARTICLE = {
    "text": XSS_TEXT,
    "title": XSS_TITLE,
    "outlet": "<i>Outlet</i>",
    "published": "2025-03-12",
    "url": "javascript:window.__xss=6",
}


def serve_store(tmp: Path, coder: Coder, articles: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    """A live server over a fresh SQLite store holding `articles` (stored through POST /articles)."""
    engine, make_session = open_store(f"sqlite:///{tmp / 'store.sqlite'}")
    app = create_app(make_session, ApiSettings(api_token=TOKEN), coder=coder)
    server = live_server(app)
    base = server.__enter__()
    response = httpx.post(f"{base}/articles", json=articles, headers=AUTH, timeout=300)
    assert response.status_code == 201, response.text
    return base, lambda: (server.__exit__(None, None, None), engine.dispose())


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, coder: Coder) -> Iterator[str]:
    """Base URL of a server whose store holds the short test reports, the project's Zehri retelling and
    an article whose text, title, outlet and URL carry script payloads."""
    retelling = {
        "text": RETELLING.read_text(encoding="utf-8"),
        "title": "Zehri retelling",
        "outlet": "conflictcoder example",
        "published": ZEHRI_PUBLISHED,
    }
    base, stop = serve_store(tmp_path_factory.mktemp("web"), coder, [*SEED, retelling, XSS_ARTICLE])
    yield base
    stop()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {CHROMIUM} (apt-get install chromium) for the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def open_page(browser_context: Any) -> Iterator[Callable[[str], Any]]:
    """Open a URL in a new tab; at the end, check that no request left the loopback server and that no
    script error happened."""
    pages: list[Any] = []
    requests: list[str] = []
    errors: list[str] = []

    def open_(url: str) -> Any:
        page = browser_context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()
    off_host = [u for u in requests if not u.startswith(("http://127.0.0.1:", "data:"))]
    assert off_host == [], f"requests off the loopback server: {off_host}"
    assert errors == [], f"script errors: {errors}"


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
