"""Score the geoparser (`Geoparser.parse`, the place step of `code` and `places`) on Gritta et al.'s corpora.

Reads ../shared/eval/geoparsing_gritta.jsonl at run time (GeoWebNews, LGL, TR-News, GeoVirus; nothing is
copied). Rows are split into fixed halves by a hash of the document id (`evaluate.split_of`): rules may be
changed while reading `tune`; numbers are reported on `test`.

Metrics, per corpus and overall, by character-span overlap:
- recall: gold toponyms that have coordinates and overlap a predicted place;
- precision: predicted places that overlap any gold annotation (GeoWebNews also annotates demonyms,
  non-literal and non-toponym expressions; a prediction on any of them is not a false place);
- of the recalled toponyms: the share whose predicted point is within 161 km (a prediction without
  coordinates counts as beyond), the median error in km over those with coordinates, and the share with
  the same GeoNames id among those whose gold has one.

Usage: python bench/geoparse_eval.py [--split test|tune|all] [--errors N] [--corpus NAME] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from conflictcoder.evaluate import split_of
from conflictcoder.model import DocumentPlaces
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "eval" / "geoparsing_gritta.jsonl"
CORPORA = ("GeoWebNews", "LGL", "TR-News", "GeoVirus")


def corpus_of(doc_id: str) -> str:
    if doc_id.startswith("GWN"):
        return "GeoWebNews"
    if doc_id.startswith("lgl"):
        return "LGL"
    if doc_id.startswith("TR-News"):
        return "TR-News"
    return "GeoVirus"


def gold_point(t: dict[str, Any]) -> tuple[float, float] | None:
    boxes = (("latitude", "longitude", t), ("lat", "lon", t), ("lat", "lon", t.get("gaztag") or {}))
    for la, lo, box in boxes:
        if str(box.get(la, "")).strip() and str(box.get(lo, "")).strip():
            return float(box[la]), float(box[lo])
    return None


def gold_id(t: dict[str, Any]) -> int | None:
    raw = t.get("geonamesID") or (t.get("gaztag") or {}).get("geonameid")
    return int(raw) if raw and str(raw).strip().isdigit() else None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


class Tally:
    def __init__(self) -> None:
        self.gold = self.recalled = self.pred = self.pred_ok = 0
        self.within = 0
        self.errors: list[float] = []
        self.id_gold = self.id_same = 0

    def row(self) -> dict[str, float | int]:
        r = self.recalled / self.gold if self.gold else 0.0
        p = self.pred_ok / self.pred if self.pred else 0.0
        return {
            "gold": self.gold,
            "pred": self.pred,
            "recall": round(r, 3),
            "precision": round(p, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "within_161km": round(self.within / self.recalled, 3) if self.recalled else 0.0,
            "median_km": round(statistics.median(self.errors), 1) if self.errors else float("nan"),
            "geonames_id_exact": round(self.id_same / self.id_gold, 3) if self.id_gold else float("nan"),
            "id_gold": self.id_gold,
        }


def score_doc(
    row: dict[str, Any], out: DocumentPlaces, tallies: list[Tally], errors: list[dict[str, Any]]
) -> None:
    gold = row["gold"]["toponyms"]
    spans = [(int(t["start"]), int(t["end"])) for t in gold]
    preds = out.places
    for p in preds:
        ok = any(s < p.end and p.start < e for s, e in spans)
        for t in tallies:
            t.pred += 1
            t.pred_ok += ok
        if not ok:
            errors.append({"kind": "false place", "id": row["id"], "text": p.text, "name": p.name})
    for t_gold in gold:
        point = gold_point(t_gold)
        if point is None:
            continue
        s, e = int(t_gold["start"]), int(t_gold["end"])
        hit = next((p for p in preds if s < p.end and p.start < e), None)
        gid = gold_id(t_gold)
        phrase = row["text"][s:e]
        for t in tallies:
            t.gold += 1
        if hit is None:
            errors.append({"kind": "missed", "id": row["id"], "text": phrase})
            continue
        dist = km(point, (hit.latitude, hit.longitude)) if hit.latitude is not None else None
        for t in tallies:
            t.recalled += 1
            if dist is not None:
                t.errors.append(dist)
                t.within += dist <= 161
            if gid is not None:
                t.id_gold += 1
                t.id_same += hit.geonames_id == gid
        if dist is None or dist > 161:
            errors.append(
                {
                    "kind": "far" if dist is not None else "unplaced",
                    "id": row["id"],
                    "text": phrase,
                    "km": round(dist) if dist is not None else None,
                    "got": f"{hit.name} ({hit.country}, {hit.admin1}) {hit.feature_code}",
                    "reason": hit.reason,
                }
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("test", "tune", "all"))
    ap.add_argument("--errors", type=int, default=0, help="print this many errors of each kind")
    ap.add_argument("--corpus", default=None, choices=CORPORA)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not GOLD.is_file():
        print(f"{GOLD} is not available (../shared is not beside this checkout)", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").split("\n") if line.strip()]
    rows = [r for r in rows if args.split == "all" or split_of(r["id"]) == args.split]
    if args.corpus:
        rows = [r for r in rows if corpus_of(r["id"]) == args.corpus]
    coder = Coder.load(get_settings())
    geoparser = coder.geoparser
    names = geoparser.country_names()
    tallies: dict[str, Tally] = defaultdict(Tally)
    errors: list[dict[str, Any]] = []
    started = time.perf_counter()
    for row, doc in zip(rows, coder.nlp.pipe(r["text"] for r in rows), strict=True):
        out = geoparser.parse(doc).to_output(row["id"], row["text"], names)
        score_doc(row, out, [tallies[corpus_of(row["id"])], tallies["all"]], errors)
    seconds = time.perf_counter() - started
    report = {c: tallies[c].row() for c in (*CORPORA, "all") if c in tallies}
    print(f"split: {args.split}; {len(rows)} documents; {seconds:.0f} s")
    cols = ("gold", "pred", "recall", "precision", "f1", "within_161km", "median_km", "geonames_id_exact")
    print(f"{'corpus':<11} " + " ".join(f"{c:>12}" for c in cols))
    for name, r in report.items():
        print(f"{name:<11} " + " ".join(f"{r[c]!s:>12}" for c in cols))
    if args.errors:
        kinds = Counter(e["kind"] for e in errors)
        print("errors:", dict(kinds))
        for kind in kinds:
            for e in [e for e in errors if e["kind"] == kind][: args.errors]:
                print(" ", json.dumps(e, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "report": report}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
