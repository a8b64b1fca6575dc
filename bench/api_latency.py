"""API latency: p50/p99 of GET /events (one page of 100, with filters) over 100,000 stored events on SQLite
and PostgreSQL, and of POST /code for a ~500-word article next to coding it in-process.

Events are seeded straight into the store's `events` table (copies of one coded event with varied ids,
dates, places and types), not by coding 100,000 articles. Requests go through the ASGI app in-process
(Starlette's test client): the numbers are the app's and the database's time, without a network hop.
Each filter set is asked `--repeat` times after two warm-up requests.

Usage: python bench/api_latency.py [--events 100000] [--repeat 100] [--pg postgresql://…]
(`--pg` defaults to CONFLICTCODER_TEST_PG_URL; without one the PostgreSQL run is skipped.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from conflictcoder.api import ApiSettings, create_app
from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings
from conflictcoder.store import make_engine, open_store
from conflictcoder.store.writer import EVENTS

REPO = Path(__file__).resolve().parents[1]
PLACES = [
    ("Balochistan", "Kech", 26.0, 63.0),
    ("Khyber Pakhtunkhwa", "Bannu", 33.0, 70.6),
    ("Punjab", "Lahore", 31.5, 74.3),
    ("Sindh", "Karachi", 24.9, 67.0),
    ("Borno", "Maiduguri", 11.8, 13.1),
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
]
FILTERS = {
    "no filter": {},
    "type": {"event_type": "Battles"},
    "admin1 + dates": {"admin1": "Sindh", "date_from": "2024-03-01", "date_to": "2024-06-30"},
    "country + sub-type + bbox": {"country": "PAK", "sub_event_type": "Attack", "bbox": "60,24,72,34"},
    "actor": {"actor": "armed group"},
    "disputed": {"disputed": "true"},
}
REPORT = (
    "QUETTA: Gunmen shot dead two shopkeepers in Quetta on Tuesday, police said. The Baloch Liberation "
    "Front said four were killed."
)


def seed(url: str, template: dict, n: int) -> None:  # type: ignore[type-arg]
    engine, _ = open_store(url)
    now = datetime.now(UTC)
    start = date(2023, 1, 1)
    rows = []
    with engine.begin() as conn:
        for i in range(n):
            et, sub = TYPES[i % len(TYPES)]
            admin1, admin2, lat, lon = PLACES[(i // 5) % len(PLACES)]
            day = start + timedelta(days=(i * 7919) % 900)
            data = dict(
                template,
                event_id=f"bench{i:08d}",
                event_date=day.isoformat(),
                event_type=et,
                sub_event_type=sub,
                admin1=admin1,
                admin2=admin2,
                latitude=lat + (i % 97) / 100,
                longitude=lon + (i % 89) / 100,
                disputes=template["disputes"] if i % 10 == 0 else [],
            )
            rows.append(
                {
                    "event_id": data["event_id"],
                    "revision": 1,
                    "status": "active",
                    "event_date": day,
                    "time_precision": 1,
                    "event_type": et,
                    "sub_event_type": sub,
                    "actor1": template["actor1"],
                    "actor2": template["actor2"],
                    "country": "Nigeria" if admin1 == "Borno" else "Pakistan",
                    "iso3": "NGA" if admin1 == "Borno" else "PAK",
                    "admin1": admin1,
                    "admin2": admin2,
                    "location": admin2,
                    "latitude": data["latitude"],
                    "longitude": data["longitude"],
                    "fatalities_best": float(i % 13),
                    "data": data,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) == 5000:
                conn.execute(insert(EVENTS), rows)
                rows = []
        if rows:
            conn.execute(insert(EVENTS), rows)
    engine.dispose()


def percentiles(times: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(times, n=100, method="inclusive")
    return qs[49] * 1000, qs[98] * 1000


def time_requests(client: TestClient, method: str, path: str, repeat: int, **kw) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    for _ in range(2):
        assert client.request(method, path, **kw).status_code == 200
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.request(method, path, **kw)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    return percentiles(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--pg", default=os.environ.get("CONFLICTCODER_TEST_PG_URL"))
    args = ap.parse_args()
    coder = Coder.load(get_settings())
    template = coder.code(read_text("bench", REPORT, ArticleDefaults(published=date(2025, 3, 12)))).events[0]
    template_data = template.model_dump(mode="json")
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{tmp}/bench.sqlite"}
        if args.pg:
            schema = "cc_bench_api"
            base = make_engine(args.pg)
            with base.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            urls["postgresql"] = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
        for name, url in urls.items():
            t = time.perf_counter()
            seed(url, template_data, args.events)
            print(f"{name}: seeded {args.events:,} events in {time.perf_counter() - t:.1f} s")
            engine, make_session = open_store(url)
            with TestClient(create_app(make_session, ApiSettings(), coder=coder)) as client:
                for label, params in FILTERS.items():
                    p50, p99 = time_requests(
                        client, "GET", "/events", args.repeat, params={**params, "limit": 100}
                    )
                    print(f"  GET /events [{label}]: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
                if name == "sqlite":
                    article = {
                        "text": (REPO / "examples" / "zehri-retelling.txt").read_text(encoding="utf-8"),
                        "published": "2025-01-09",
                    }
                    words = len(article["text"].split())
                    p50, p99 = time_requests(client, "POST", "/code", max(20, args.repeat // 5), json=article)
                    parsed = read_text("bench", article["text"], ArticleDefaults(published=date(2025, 1, 9)))
                    times = []
                    for _ in range(max(20, args.repeat // 5)):
                        t = time.perf_counter()
                        coder.code(parsed)
                        times.append(time.perf_counter() - t)
                    c50, c99 = percentiles(times)
                    print(
                        f"  POST /code ({words} words): p50 {p50:.1f} ms, p99 {p99:.1f} ms; in-process "
                        f"Coder.code: p50 {c50:.1f} ms, p99 {c99:.1f} ms; ratio of p50 {p50 / c50:.2f}"
                    )
            engine.dispose()
        if args.pg:
            with base.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS cc_bench_api CASCADE"))


if __name__ == "__main__":
    main()
