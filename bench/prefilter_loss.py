"""What the pre-filter costs (issue 13, point 2): incidents lost on the development articles and notes files.

Every text is coded with the pre-filter off; the incidents lost are the events of the texts the filter
skips (a text the filter passes, if no longer than pieces.LONG_TEXT_CHARS, is coded exactly as without it;
longer texts are coded both ways). Also reported: the share of texts skipped, by reason. Data is read at
run time from ../shared/eval (never stored); rows are split into the fixed tune/test halves of
`conflictcoder eval` (a hash of the id). The filter's word lists were written without looking at ACLED
data; UCDP and the development articles' tune half were used to check them.

Usage: python bench/prefilter_loss.py [--limit N] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from conflictcoder import pieces
from conflictcoder.errors import IngestError
from conflictcoder.evaluate import split_of
from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.model import Article
from conflictcoder.pipeline import Coder
from conflictcoder.prefilter import REJECTED_REASON, SKIP_REASON
from conflictcoder.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
NOTES = (
    "acled_balochistan.jsonl",
    "acled_asia_2015.jsonl",
    "acled_africa_2016.jsonl",
    "acled_global_2020.jsonl",
    "ucdp_ged_pakistan.jsonl",
)


def _published(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def dev_articles() -> list[tuple[str, Article]]:
    out = []
    for path in sorted((EVAL / "articles-dev").glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        article = read_text(
            row["id"], row["text"], ArticleDefaults(published=_published(row.get("published")))
        )
        out.append((row["id"], article))
    return out


def notes(name: str, limit: int | None) -> list[tuple[str, Article]]:
    out = []
    for line in (EVAL / name).read_text(encoding="utf-8").splitlines()[:limit]:
        row = json.loads(line)
        gold = row.get("gold", {})
        published = _published(gold.get("event_date") or gold.get("date_start"))
        try:
            article = read_text(str(row["id"]), row["text"], ArticleDefaults(published=published))
        except IngestError:
            continue  # an empty note: nothing to code either way
        out.append((str(row["id"]), article))
    return out


def measure(plain: Coder, filtered: Coder, rows: list[tuple[str, Article]]) -> dict[str, dict[str, object]]:
    """Per split: texts, texts skipped (by reason), events without the filter, events lost."""
    stats: dict[str, Counter[str]] = {"tune": Counter(), "test": Counter()}
    for row_id, article in rows:
        s = stats[split_of(row_id)]
        without = len(plain.code(article).events)
        reason = filtered.skip_reason(article)
        if reason is not None:
            with_filter = 0
            kind = {SKIP_REASON: "no trigger phrase", REJECTED_REASON: "trigger sentences rejected"}
            s["skipped: " + kind.get(reason, "language")] += 1
        elif len(article.text) > pieces.LONG_TEXT_CHARS:
            with_filter = len(filtered.code(article).events)
        else:
            with_filter = without
        s["texts"] += 1
        s["texts with events"] += without > 0
        s["events"] += without
        s["events lost"] += max(0, without - with_filter)
        s["texts with events skipped"] += reason is not None and without > 0
    out: dict[str, dict[str, object]] = {}
    for split, s in stats.items():
        out[split] = dict(s) | {
            "share of events lost": round(s["events lost"] / s["events"], 4) if s["events"] else 0.0,
            "share of texts skipped": round(
                sum(v for k, v in s.items() if k.startswith("skipped")) / s["texts"], 4
            )
            if s["texts"]
            else 0.0,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="at most this many rows per notes file")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="measure only these sources (file names)")
    args = parser.parse_args()
    if not EVAL.is_dir():
        sys.exit(f"{EVAL} is not available (../shared is not beside this checkout)")
    settings = get_settings()
    filtered = Coder.load(settings)
    plain = Coder(**{**filtered.__dict__, "prefilter": None})
    report: dict[str, object] = {}
    sources = [("articles-dev", dev_articles)] + [(n, lambda n=n: notes(n, args.limit)) for n in NOTES]
    for name, load in sources:
        if args.only is not None and name not in args.only:
            continue
        started = time.perf_counter()
        report[name] = measure(plain, filtered, load())
        print(name, f"{time.perf_counter() - started:.0f} s", json.dumps(report[name]), flush=True)
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
