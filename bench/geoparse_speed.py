"""Cost of the place step against the spaCy pass it follows (issue 11 point 5: at most 10%).

In one process, over the same texts: the spaCy pass (`nlp.pipe`, as `Coder.code_many` runs it), then the
place step alone (`Geoparser.parse` on each parsed Doc, given the actor mentions the coder finds anyway),
with the gazetteer's candidate cache cold at the start, as a fresh run has it. Texts: the documents of
../shared/eval/geoparsing_gritta.jsonl (read at run time) or, without ../shared, the project's own texts.

Usage: python bench/geoparse_speed.py [--limit 200]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
GRITTA = REPO.parent / "shared" / "eval" / "geoparsing_gritta.jsonl"


def texts(limit: int) -> list[str]:
    if GRITTA.is_file():
        rows = [json.loads(x) for x in GRITTA.read_text(encoding="utf-8").split("\n") if x.strip()]
        return [r["text"] for r in rows][:limit]
    lines = [x for p in sorted((REPO / "tests" / "texts").glob("*.jsonl")) for x in p.read_text().split("\n")]
    return [json.loads(x)["text"] for x in lines if x.strip()][:limit]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=200)
    args = ap.parse_args(argv)
    coder = Coder.load(get_settings())
    docs_in = texts(args.limit)
    list(coder.nlp.pipe(docs_in[:5]))  # warm-up of the parser only
    t0 = time.perf_counter()
    docs = list(coder.nlp.pipe(docs_in))
    spacy_s = time.perf_counter() - t0
    actors = [coder.actors.find(d) for d in docs]
    geoparser = coder.geoparser
    t0 = time.perf_counter()
    found = sum(len(geoparser.parse(d, a).mentions) for d, a in zip(docs, actors, strict=True))
    place_s = time.perf_counter() - t0
    chars = sum(len(t) for t in docs_in)
    print(f"{len(docs)} texts, {chars:,} characters, {found:,} place mentions")
    ratio = place_s / spacy_s
    print(f"spaCy pass {spacy_s:.2f} s; place step {place_s:.2f} s; ratio {ratio:.3f} (target <= 0.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
