"""A bounded load test on loopback: concurrent POST /articles and GET /events against a real uvicorn server
for a fixed time and at most a fixed number of requests; then no 5xx, and every write stored exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx
import pytest

from conflictcoder.api import ApiSettings, create_app
from conflictcoder.store import counts
from tests.api.conftest import AUTH, TOKEN
from tests.api.live import live_server

pytestmark = pytest.mark.load

DURATION = 60.0  # seconds of load (the issue asks for 60 s)
MAX_WRITES = 600  # request bounds: the loops stop at whichever comes first
MAX_READS = 20_000
TOWNS = ["Quetta", "Turbat", "Khuzdar", "Gwadar", "Panjgur"]


def _article(n: int) -> dict[str, str]:
    town = TOWNS[n % len(TOWNS)]
    return {
        "text": f"{town.upper()}: Gunmen shot dead {n % 7 + 2} shopkeepers in {town} on Tuesday, "
        "police said. "
        f"Report number {n}.",
        "published": "2025-03-12",
        "outlet": f"Outlet {n % 3}",
    }


def test_concurrent_writes_and_reads(make_session, coder) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_session, ApiSettings(api_token=TOKEN), coder=coder)
    statuses: Counter[int] = Counter()
    sent: list[int] = []
    lock = threading.Lock()
    writes = iter(range(MAX_WRITES))
    reads = iter(range(MAX_READS))

    with live_server(app) as base:
        stop_at = time.monotonic() + DURATION

        def writer() -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                while time.monotonic() < stop_at:
                    with lock:
                        n = next(writes, None)
                    if n is None:
                        return
                    # every fifth write repeats an earlier article: it must change nothing
                    body = _article(n - 3 if n % 5 == 4 else n)
                    r = http.post("/articles", json=body, headers=AUTH)
                    with lock:
                        statuses[r.status_code] += 1
                        if r.status_code in (200, 201):
                            sent.append(n - 3 if n % 5 == 4 else n)

        def reader(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                while time.monotonic() < stop_at:
                    with lock:
                        if next(reads, None) is None:
                            return
                    params = [
                        {},
                        {"event_type": "Violence against civilians"},
                        {"admin1": "Balochistan"},
                        {"sort": "fatalities", "limit": 5},
                    ][i % 4]
                    r = http.get("/events", params=params)
                    with lock:
                        statuses[r.status_code] += 1

        threads = [threading.Thread(target=writer) for _ in range(2)]
        threads += [threading.Thread(target=reader, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=DURATION + 120)
        assert not any(t.is_alive() for t in threads)

    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {200, 201}, statuses
    distinct = set(sent)
    assert len(distinct) >= 5 and len(sent) > len(distinct)  # the load ran, repeats included
    with make_session() as session:
        stored = counts(session)
    assert stored["articles"] == len(distinct)  # none lost, none duplicated
    assert stored["mentions"] == len(distinct)  # one incident each
