"""Store ingest speed: articles per second and peak memory of `ingest_articles` into SQLite and PostgreSQL,
compared with coding the same articles without storing them, in the same process (target: ingest speed
at least 90% of code-only speed).

Every phase does all its own work: "code only" runs `Coder.code_many` and stores nothing; "sqlite" and
"postgresql" run `ingest_articles`, which codes and stores. On a machine shared with other jobs the
load changes from minute to minute, so the phases take turns: the articles are cut into `--rounds`
slices and each phase processes each slice in a rotating order (an ingest phase keeps one `RunState`
across its slices, as one long ingest run does). Articles per second is total articles over total
wall time per phase; CPU ms/article is this process's CPU time (the PostgreSQL server's is not in it);
peak RSS is the highest resident memory while a phase ran (the kernel's high-water mark, reset before
each slice).

Articles are synthetic: wire-style reports generated from the project's own templates below (a lead
paragraph naming the incident, then two to five paragraphs of reactions and background, ~100 words),
with several outlets reporting some incidents (so merging runs), and varied places, actors, victims and
tolls. `--short` keeps only the one-sentence leads, where coding is fastest and the store's share largest.

Usage: python bench/store_ingest.py [--n 10000] [--rounds 10] [--pg postgresql://…] [--seed 6]
(`--pg` defaults to CONFLICTCODER_TEST_PG_URL; without one the PostgreSQL run is skipped.)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.model import Article
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings
from conflictcoder.store import RunState, counts, ingest_articles, make_engine, open_store

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


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    """Restart the process's peak-RSS count (Linux: VmHWM), so each slice's peak is its own."""
    Path("/proc/self/clear_refs").write_text("5")


@dataclass
class Phase:
    """One way of processing the articles, timed slice by slice."""

    name: str
    run: Callable[[list[Article]], int]
    articles: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0
    rss_start: float = float("nan")
    rss_end: float = float("nan")

    def time_slice(self, chunk: list[Article]) -> None:
        rss = _status_mb("VmRSS")
        if self.articles == 0:
            self.rss_start = rss
        _reset_peak()
        t0, c0 = time.perf_counter(), time.process_time()
        self.articles += self.run(chunk)
        self.seconds += time.perf_counter() - t0
        self.cpu_seconds += time.process_time() - c0
        self.peak_mb = max(self.peak_mb, _status_mb("VmHWM"))
        self.rss_end = _status_mb("VmRSS")

    @property
    def per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_seconds / self.articles


def _ingest_phase(name: str, url: str, coder: Coder) -> tuple[Phase, Callable[[], None]]:
    """A phase ingesting into the store at `url` (one `RunState` for all its slices, as one long
    `conflictcoder ingest` run would keep), and a function printing the store's counts and closing it."""
    engine, make_session = open_store(url)
    state = RunState.for_bind(engine)

    def run(chunk: list[Article]) -> int:
        s = ingest_articles(make_session, coder, chunk, run=state)
        return s.new + s.unchanged + s.new_versions

    def close() -> None:
        with make_session() as session:
            print(f"    {name} store: {counts(session)}")
        engine.dispose()

    return Phase(name, run), close


def _pg_schema(url: str, schema: str, create: bool) -> None:
    base = make_engine(url)
    with base.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        if create:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    base.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=10, help="slices the phases take turns on")
    ap.add_argument("--short", action="store_true", help="one-sentence articles (the lead only)")
    ap.add_argument("--pg", default=os.environ.get("CONFLICTCODER_TEST_PG_URL"))
    args = ap.parse_args()
    articles = synthetic_articles(args.n, args.seed, short=args.short)
    coder = Coder.load(get_settings())
    list(coder.code_many(articles[:64]))  # warm up the pipeline
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    print(
        f"{len(articles)} synthetic articles ({len({a.article_id for a in articles})} distinct texts, "
        f"{words:.0f} words on average), {args.rounds} rounds"
    )
    phases = [Phase("code only", lambda chunk: sum(1 for _ in coder.code_many(chunk)))]
    closers: list[Callable[[], None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        phase, close = _ingest_phase("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", coder)
        phases.append(phase)
        closers.append(close)
        schema = f"cc_bench_{os.getpid()}"
        if args.pg:
            _pg_schema(args.pg, schema, create=True)
            sep = "&" if "?" in args.pg else "?"
            phase, close = _ingest_phase(
                "postgresql", f"{args.pg}{sep}options=-csearch_path%3D{schema}", coder
            )
            phases.append(phase)
            closers.append(close)
        else:
            print("postgresql: skipped (no --pg and no CONFLICTCODER_TEST_PG_URL)", file=sys.stderr)
        try:
            _take_turns(phases, articles, args.rounds)
        finally:
            for close in closers:
                close()
            if args.pg:
                _pg_schema(args.pg, schema, create=False)
    _report(phases)


def _take_turns(phases: list[Phase], articles: list[Article], rounds: int) -> None:
    """Each round, every phase processes the next slice of articles, in an order that rotates, so
    that a shared machine's changing load falls on all phases alike."""
    size = -(-len(articles) // rounds)
    for r in range(rounds):
        chunk = articles[r * size : (r + 1) * size]
        order = phases[r % len(phases) :] + phases[: r % len(phases)]
        for phase in order:
            phase.time_slice(chunk)
        done = ", ".join(f"{p.name} {p.per_s:.1f}/s" for p in phases)
        print(f"round {r + 1}/{rounds}: {done}", flush=True)


def _report(phases: list[Phase]) -> None:
    base = phases[0]
    print(
        "| run | articles/s | ratio to code-only | CPU ms/article (this process) | RSS start → end "
        "| peak RSS |"
    )
    print("|---|---|---|---|---|---|")
    for p in phases:
        print(
            f"| {p.name} | {p.per_s:.1f} | {p.per_s / base.per_s:.2f} | {p.cpu_ms:.1f} | "
            f"{p.rss_start:.0f} → {p.rss_end:.0f} MB | {p.peak_mb:.0f} MB |"
        )
    for p in phases[1:]:
        ratio = p.per_s / base.per_s
        verdict = "meets" if ratio >= 0.9 else "misses"
        print(f"{p.name} ingest / code-only speed: {ratio:.3f} ({verdict} 0.90)")


if __name__ == "__main__":
    main()
