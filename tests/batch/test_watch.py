"""`conflictcoder watch` against feeds and pages served on 127.0.0.1 by the test itself: only new items
are stored, a malformed feed and a down one are logged and passed over, and Ctrl-C stops cleanly."""

from __future__ import annotations

import json
import logging
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from conflictcoder.cli import app
from conflictcoder.store import make_engine
from conflictcoder.store.tables import ArticleRow
from tests.batch.conftest import start
from tests.batch.corpus import project_texts

PAGE = (
    "<html><head><title>{title}</title></head><body><nav>Home | World</nav><article>"
    "<p>{text}</p><p>Officials said an inquiry had been ordered into the incident and that security "
    "had been stepped up across the district after the attack.</p></article></body></html>"
)


class Site:
    """Pages served on 127.0.0.1 from a dict; counts the requests for each path."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}
        self.hits: Counter[str] = Counter()
        self.delay = 0.0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] += 1
                time.sleep(site.delay)
                if self.path not in site.pages:
                    self.send_error(404)
                    return
                ctype, body = site.pages[self.path]
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add_feed(self, path: str, pages: list[str]) -> None:
        items = "".join(
            f"<item><title>Report {p}</title><link>{self.url}/{p}</link><guid>{self.url}/{p}</guid>"
            f"<pubDate>Wed, 12 Mar 2025 08:00:00 GMT</pubDate></item>"
            for p in pages
        )
        channel = f"<channel><title>Loopback News</title>{items}</channel>"
        rss = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
        self.pages[path] = ("application/rss+xml", rss)


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    thread = threading.Thread(target=s.server.serve_forever, daemon=True)
    thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def _pages(site: Site, n: int) -> list[str]:
    texts = [t for t in project_texts() if "killed" in t][:n]
    names = []
    for i, text in enumerate(texts):
        name = f"story-{i}.html"
        site.pages[f"/{name}"] = ("text/html; charset=utf-8", PAGE.format(title=f"Story {i}", text=text))
        names.append(name)
    return names


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stored(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(r[0] or "" for r in conn.execute(select(ArticleRow.url)))
    except Exception:  # not created yet
        return []
    finally:
        engine.dispose()


def test_watch_once_stores_new_items_and_passes_over_bad_feeds(
    site: Site, runner: CliRunner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = _pages(site, 3)
    site.add_feed("/feed.xml", pages[:2])
    site.pages["/broken.xml"] = ("application/rss+xml", "this is not a feed <<< at all")
    down = f"http://127.0.0.1:{_free_port()}/feed.xml"
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "note.txt").write_text(project_texts()[0], encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'w.sqlite'}"
    state = tmp_path / "state.json"
    args = ["watch", down, f"{site.url}/broken.xml", f"{site.url}/feed.xml", str(folder)]
    args += ["--db", db, "--once", "--state", str(state)]

    with caplog.at_level(logging.WARNING):
        res = runner.invoke(app, args)
    assert res.exit_code == 1, res.output  # two sources failed; the others were stored
    assert "3 new articles stored" in res.stderr and "2 sources failed" in res.stderr
    warnings = " ".join(r.getMessage() for r in caplog.records)
    assert (
        f"{down}: cannot fetch" in warnings
        and f"{site.url}/broken.xml: not a readable RSS or Atom feed" in warnings
    )
    assert _stored(db) == ["", f"{site.url}/{pages[0]}", f"{site.url}/{pages[1]}"]
    assert site.hits[f"/{pages[0]}"] == 1

    site.add_feed("/feed.xml", pages)  # one new item
    again = runner.invoke(app, args)
    assert "1 new articles stored" in again.stderr
    assert site.hits[f"/{pages[0]}"] == 1 and site.hits[f"/{pages[2]}"] == 1  # seen items are not fetched
    assert len(_stored(db)) == 4
    seen = json.loads(state.read_text(encoding="utf-8"))["seen"]
    assert sorted(seen[f"{site.url}/feed.xml"]) == sorted(f"{site.url}/{p}" for p in pages)


def test_ctrl_c_stops_between_articles_and_a_restart_goes_on(
    site: Site, cli_env: dict[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    pages = _pages(site, 8)
    site.add_feed("/feed.xml", pages)
    site.delay = 0.4  # slow pages: the stop comes while items are still being fetched and stored
    db = f"sqlite:///{tmp_path / 'w.sqlite'}"
    state = tmp_path / "state.json"
    args = ["watch", f"{site.url}/feed.xml", "--db", db, "--every", "1s", "--state", str(state)]
    proc = start(args, cli_env, tmp_path / "watch.log")
    deadline = time.monotonic() + 180
    story_hits = lambda: sum(site.hits[f"/{p}"] for p in pages)  # noqa: E731
    while story_hits() < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0, (tmp_path / "watch.log").read_text()
    assert "stopped" in (tmp_path / "watch.log").read_text()
    stored = _stored(db)
    seen = json.loads(state.read_text(encoding="utf-8"))["seen"][f"{site.url}/feed.xml"]
    assert 1 <= len(stored) < len(pages) and sorted(seen) == stored  # whole articles only, all remembered

    done = runner.invoke(app, [*args, "--once"])
    assert done.exit_code == 0, done.output
    assert _stored(db) == sorted(f"{site.url}/{p}" for p in pages)
