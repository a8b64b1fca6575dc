"""Store ingest speed: articles per second and peak memory of `ingest_articles` into SQLite and PostgreSQL,
compared with coding the same articles without storing them, in the same process (target: ingest speed
at least 90% of code-only speed).

Articles are synthetic: wire-style reports generated from the project's own templates below (a lead
paragraph naming the incident, then two to five paragraphs of reactions and background, ~100 words),
with several outlets reporting some incidents (so merging runs), and varied places, actors, victims and
tolls. `--short` keeps only the one-sentence leads, where coding is fastest and the store's share largest.

Usage: python bench/store_ingest.py [--n 10000] [--pg postgresql://…] [--seed 6]
(`--pg` defaults to CONFLICTCODER_TEST_PG_URL; without one the PostgreSQL run is skipped.)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.model import Article
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings
from conflictcoder.store import counts, ingest_articles, make_engine, open_store

PLACES = [  # (dateline, place phrase, country word)
    ("TURBAT", "Turbat in Kech district", "Pakistan"),
    ("QUETTA", "Quetta", "Pakistan"),
    ("KHUZDAR", "Khuzdar", "Pakistan"),
    ("GWADAR", "Gwadar", "Pakistan"),
    ("PANJGUR", "Panjgur", "Pakistan"),
    ("MASTUNG", "Mastung", "Pakistan"),
    ("BANNU", "Bannu", "Pakistan"),
    ("PESHAWAR", "Peshawar", "Pakistan"),
    ("DERA ISMAIL KHAN", "Dera Ismail Khan", "Pakistan"),
    ("LAKKI MARWAT", "Lakki Marwat", "Pakistan"),
    ("MAIDUGURI", "Maiduguri in Borno state", "Nigeria"),
    ("GWOZA", "Gwoza in Borno state", "Nigeria"),
    ("MOGADISHU", "Mogadishu", "Somalia"),
    ("KISMAYO", "Kismayo", "Somalia"),
    ("MANDERA", "Mandera", "Kenya"),
    ("GAO", "Gao", "Mali"),
]
OUTLETS = ["Dawn", "Reuters", "AP", "The Express Tribune", "Daily Observer", "The News", "Wire Service"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "11", "12"]
TEMPLATES = [
    "{dateline}: {n} policemen were killed on {day} when a roadside bomb struck a police van in {place}, "
    "{source} said.",
    "{dateline}: Militants ambushed a military convoy near {place} on {day}, killing {n} soldiers, "
    "{source} said. {extra}",
    "{dateline}: Gunmen shot dead {n} {civilians} in {place} on {day}, {source} said.",
    "{dateline}: A suicide bomber blew himself up at a checkpoint in {place} on {day}, killing {n} "
    "soldiers and wounding {m} others, {source} said.",
    "{dateline}: Security forces killed {n} militants in a raid in {place} on {day}, {source} said. {extra}",
    "{dateline}: Armed men abducted {n} {civilians} from a bus near {place} on {day}, {source} said.",
    "{dateline}: Hundreds of {civilians} protested peacefully in {place} on {day} against power cuts, "
    "{source} said.",
    "{dateline}: Police arrested {n} suspected militants in {place} on {day}, {source} said.",
    "{dateline}: Unidentified attackers hurled a hand grenade at a shop in {place} on {day}, injuring {n} "
    "people, {source} said.",
]
CIVILIANS = ["labourers", "shopkeepers", "farmers", "traders", "passengers", "teachers"]
SOURCES = ["police", "officials", "a security official", "the army", "local residents", "a hospital official"]
#: Paragraphs of the kind that follow the lead in a wire report: no new incident in them.
BACKGROUND = [
    "Officials said the injured were taken to the district headquarters hospital, where doctors described "
    "the condition of some of them as critical.",
    "The provincial home minister condemned the incident and directed the authorities to submit a report "
    "within three days.",
    "Residents said shops and markets in the town remained closed for the rest of the day and traffic on "
    "the main road was suspended for several hours.",
    "A spokesman for the district administration said that additional personnel had been deployed to the "
    "area and that checkpoints had been set up on the roads leading out of the town.",
    "Local elders called on the government to improve security in the district, saying that people were "
    "afraid to travel after dark.",
    "The chief minister expressed grief over the loss of lives and announced compensation for the families "
    "of the victims.",
    "Human rights groups have repeatedly urged the authorities to investigate such incidents and to make "
    "the findings public.",
    "Mobile phone and internet services in parts of the district were suspended as a precaution, officials "
    "said, adding that they would be restored once the situation was normal.",
    "Analysts say the region has long suffered from poverty, weak public services and a shortage of "
    "teachers and doctors.",
    "Schools in the area were closed on the following day, and the education department said examinations "
    "scheduled for the week would be rescheduled.",
]
EXTRAS = [
    "The attackers fled the scene.",
    "A search operation was launched in the area.",
    "No group claimed responsibility.",
    "The area was cordoned off.",
    "",
]


def synthetic_articles(n: int, seed: int, short: bool = False) -> list[Article]:
    """`n` articles; about a third of the incidents are reported by two or three outlets."""
    rng = random.Random(seed)
    out: list[Article] = []
    start = date(2025, 1, 1)
    while len(out) < n:
        published = start + timedelta(days=rng.randrange(365))
        day = WEEKDAYS[(published - timedelta(days=1)).weekday()]
        dateline, place, _country = rng.choice(PLACES)
        template = rng.choice(TEMPLATES)
        k = rng.randrange(len(NUMBERS) - 1)
        for outlet in rng.sample(OUTLETS, rng.choice([1, 1, 2, 3])):
            text_ = template.format(
                dateline=dateline,
                place=place,
                day=day,
                n=NUMBERS[min(len(NUMBERS) - 1, k + rng.choice([0, 0, 1]))],
                m=rng.choice(NUMBERS),
                civilians=rng.choice(CIVILIANS),
                source=rng.choice(SOURCES),
                extra=rng.choice(EXTRAS),
            )
            paragraphs = [text_, *([] if short else rng.sample(BACKGROUND, rng.randint(2, 5)))]
            out.append(
                read_text(
                    "bench", "\n\n".join(paragraphs), ArticleDefaults(published=published, outlet=outlet)
                )
            )
    return out[:n]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phase(name: str, run) -> dict[str, float]:  # type: ignore[no-untyped-def]
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    n = run()
    secs = time.perf_counter() - t0
    row = {"articles": n, "seconds": secs, "per_s": n / secs, "rss_before": rss0, "rss_after": _rss_mb()}
    row["peak_so_far"] = _peak_mb()
    print(
        f"{name:>10}: {n} articles in {secs:.1f} s = {row['per_s']:.1f}/s; RSS {rss0:.0f} -> "
        f"{row['rss_after']:.0f} MB, process peak so far {row['peak_so_far']:.0f} MB",
        flush=True,
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--short", action="store_true", help="one-sentence articles (the lead only)")
    ap.add_argument("--pg", default=os.environ.get("CONFLICTCODER_TEST_PG_URL"))
    args = ap.parse_args()
    articles = synthetic_articles(args.n, args.seed, short=args.short)
    coder = Coder.load(get_settings())
    list(coder.code_many(articles[:64]))  # warm up the pipeline
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    print(
        f"{len(articles)} synthetic articles ({len({a.article_id for a in articles})} distinct texts, "
        f"{words:.0f} words on average)"
    )

    results = {"code only": _phase("code only", lambda: sum(1 for _ in coder.code_many(articles)))}
    with tempfile.TemporaryDirectory() as tmp:
        _engine, make_session = open_store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")

        def sqlite_run() -> int:
            s = ingest_articles(make_session, coder, articles)
            return s.new + s.unchanged + s.new_versions

        results["sqlite"] = _phase("sqlite", sqlite_run)
        with make_session() as session:
            print(f"    sqlite store: {counts(session)}")
        _engine.dispose()
    if args.pg:
        schema = f"cc_bench_{os.getpid()}"
        base = make_engine(args.pg)
        with base.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in args.pg else "?"
        engine, make_session = open_store(f"{args.pg}{sep}options=-csearch_path%3D{schema}")

        def pg_run() -> int:
            s = ingest_articles(make_session, coder, articles)
            return s.new + s.unchanged + s.new_versions

        results["postgresql"] = _phase("postgresql", pg_run)
        with make_session() as session:
            print(f"    postgresql store: {counts(session)}")
        engine.dispose()
        with base.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    else:
        print("postgresql: skipped (no --pg and no CONFLICTCODER_TEST_PG_URL)", file=sys.stderr)
    base_rate = results["code only"]["per_s"]
    for name in ("sqlite", "postgresql"):
        if name in results:
            ratio = results[name]["per_s"] / base_rate
            print(
                f"{name} ingest / code-only speed: {ratio:.2f} ({'meets' if ratio >= 0.9 else 'misses'} 0.90)"
            )


if __name__ == "__main__":
    main()
