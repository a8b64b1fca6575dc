"""Admin1 agreement of the event coder's places on whole articles (issue 11 point 5: at least 95%).

Reads ../shared/eval/articles-dev/*.json at run time. Each article is coded with its publication date and
outlet; a predicted event is *matched* when its `location` is the same place (`evaluate.same_place`) as a
gold event's `location` or `admin2`; for matched events the share whose `admin1` is the same place as that
gold event's `admin1` is reported (and the matched count, so the share is read with its base). The full
article scorer is elsewhere (issue 10); this only checks where found events are put.

Usage: python bench/article_admin1.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from conflictcoder.evaluate import same_place, split_of
from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "eval" / "articles-dev"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print each disagreement")
    ap.add_argument("--split", default="all", choices=("tune", "test", "all"))
    args = ap.parse_args(argv)
    if not ARTICLES.is_dir():
        print(f"{ARTICLES} is not available (../shared is not beside this checkout)", file=sys.stderr)
        return 2
    coder = Coder.load(get_settings())
    matched = same = 0
    for path in sorted(ARTICLES.glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        if args.split != "all" and split_of(row["id"]) != args.split:
            continue
        gold = row.get("gold") or {}
        golds = gold.get("events", []) if isinstance(gold, dict) else []
        if not golds:
            continue
        published = date.fromisoformat(row["published"]) if row.get("published") else None
        defaults = ArticleDefaults(published=published, outlet=row.get("outlet"))
        coded = coder.code(read_text(path.name, row["text"], defaults))
        for e in coded.events:
            g = next(
                (
                    g
                    for g in golds
                    if same_place(e.location, g.get("location")) or same_place(e.location, g.get("admin2"))
                ),
                None,
            )
            if g is None:
                continue
            matched += 1
            ok = same_place(e.admin1, g.get("admin1"))
            same += ok
            if args.show and not ok:
                print(f"{row['id']}: {e.location}: admin1 {e.admin1!r}, gold {g.get('admin1')!r}")
    share = same / matched if matched else 0.0
    print(f"split: {args.split}; matched events {matched}; admin1 agreement {same}/{matched} = {share:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
