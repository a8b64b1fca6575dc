"""The gain from a user's own coded data (issue 5, point 4): train on one half, report on the other.

Reads ../shared/eval/acled_global_2020.jsonl and acled_balochistan.jsonl at run time. The rows of their
`tune` halves (conflictcoder.evaluate.split_of) are written to a labels JSONL in a temporary directory
(never into the repository), a model is trained with the product's own training code (the same as
`conflictcoder train --labels`), and both files' `test` halves are scored with the rules alone and with
rules + model (`conflictcoder eval --model`). Also reported: the model alone on every test row (as a plain
text classifier), and the project's own texts (tests/texts/events.jsonl), which are news-style rather than
ACLED notes. The model file is deleted at the end: nothing derived from ACLED data is kept.

Usage: python bench/train_gain.py [--threshold 0.5 ...] [--c 10] [--out report.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from conflictcoder.evaluate import _f1, evaluate_file, read_gold, split_of
from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.learn.classifier import DEFAULT_THRESHOLD, SubEventModel
from conflictcoder.learn.train import train_file
from conflictcoder.model import EVENT_TYPE_OF
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
FILES = ("acled_global_2020.jsonl", "acled_balochistan.jsonl")
TEXTS = REPO / "tests" / "texts" / "events.jsonl"


def _sub(row: dict[str, Any]) -> str | None:
    gold = row["gold"]
    return gold.get("sub_event_type") or gold.get("SUB_EVENT_TYPE") or None


def _summary(report: dict[str, Any]) -> dict[str, float]:
    acc = report["accuracy"]
    return {
        "event_type_acc": acc["event_type"]["value"],
        "sub_acc": acc["sub_event_type"]["value"],
        "sub_weighted_f1": report["sub_event_type_f1"]["weighted"],
        "sub_macro_f1": report["sub_event_type_f1"]["macro"],
        "no_event_rate": report["no_event_rate"],
        "rows": report["rows"],
    }


def _classifier_alone(model: SubEventModel, path: Path) -> dict[str, float]:
    rows = [r for r in read_gold(path) if split_of(str(r["id"])) == "test" and _sub(r)]
    probs = model.predict_proba([r["text"] for r in rows])
    pred = [model.classes[i] for i in probs.argmax(axis=1)]
    pairs = [(str(_sub(r)), p) for r, p in zip(rows, pred, strict=True)]
    weighted, macro = _f1(pairs)
    et = [EVENT_TYPE_OF[p] == r["gold"]["event_type"] for r, p in zip(rows, pred, strict=True)]
    return {
        "event_type_acc": sum(et) / len(et),
        "sub_acc": sum(g == p for g, p in pairs) / len(pairs),
        "sub_weighted_f1": weighted,
        "sub_macro_f1": macro,
        "rows": len(rows),
    }


def _project_texts(coder: Coder) -> dict[str, float]:
    rows = [json.loads(x) for x in TEXTS.read_text(encoding="utf-8").splitlines() if x.strip()]
    hits_type = hits_sub = 0
    for row in rows:
        coded = coder.code(
            read_text("project text", row["text"], ArticleDefaults(published=date(2025, 6, 12)))
        )
        ev = coded.events[0] if coded.events else None
        hits_type += ev is not None and ev.event_type == row["event_type"]
        hits_sub += ev is not None and ev.sub_event_type == row["sub_event_type"]
    return {"event_type_acc": hits_type / len(rows), "sub_acc": hits_sub / len(rows), "rows": len(rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, nargs="*", default=[DEFAULT_THRESHOLD])
    parser.add_argument("--c", type=float, default=10.0)
    parser.add_argument("--out", type=Path, help="also write the numbers as JSON here")
    args = parser.parse_args()
    paths = [EVAL / f for f in FILES]
    absent = [str(p) for p in paths if not p.is_file()]
    if absent:
        print(f"skipped: {', '.join(absent)} not available (../shared is not beside this checkout)")
        return
    results: dict[str, Any] = {"c": args.c, "files": {}}
    coder = Coder.load(get_settings())
    with tempfile.TemporaryDirectory(prefix="cc-train-gain-") as tmp:
        labels = Path(tmp) / "tune-labels.jsonl"
        with labels.open("w", encoding="utf-8") as fh:
            n = 0
            for path in paths:
                for row in read_gold(path):
                    if split_of(str(row["id"])) == "tune" and _sub(row):
                        fh.write(json.dumps({"text": row["text"], "sub_event_type": _sub(row)}) + "\n")
                        n += 1
        started = time.perf_counter()
        model, _ = train_file(labels, "labels", Path(tmp) / "model.npz", c=args.c)
        results["train"] = {
            "rows": n,
            "seconds": round(time.perf_counter() - started, 1),
            "features": len(model.vocab),
            "file_mb": round((Path(tmp) / "model.npz").stat().st_size / 1e6, 2),
        }
        print(f"trained on {n} tune rows in {results['train']['seconds']} s: {model.describe()}", flush=True)
        for path in paths:
            per: dict[str, Any] = {"rules": _summary(evaluate_file(path, coder, split="test"))}
            per["model alone"] = _classifier_alone(model, path)
            for t in args.threshold:
                model.meta = model.meta.model_copy(update={"threshold": t})
                coder.model = model
                per[f"rules+model (threshold {t:g})"] = _summary(evaluate_file(path, coder, split="test"))
                coder.model = None
            results["files"][path.name] = per
            print(path.name, json.dumps(per, indent=1), flush=True)
        projects: dict[str, Any] = {"rules": _project_texts(coder)}
        model.meta = model.meta.model_copy(update={"threshold": args.threshold[0]})
        coder.model = model
        projects[f"rules+model (threshold {args.threshold[0]:g})"] = _project_texts(coder)
        coder.model = None
        results["project_texts"] = projects
    _print_table(results)
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


def _print_table(results: dict[str, Any]) -> None:
    print("\n| file (test half) | coder | event_type acc | sub_event_type acc | sub weighted / macro F1 |")
    print("|---|---|---|---|---|")
    for name, per in results["files"].items():
        for coder_name, s in per.items():
            print(
                f"| {name.removesuffix('.jsonl')} (n={s['rows']}) | {coder_name} | "
                f"{s['event_type_acc']:.3f} | {s['sub_acc']:.3f} | {s['sub_weighted_f1']:.3f} / "
                f"{s['sub_macro_f1']:.3f} |"
            )
    for coder_name, s in results["project_texts"].items():
        print(
            f"| tests/texts/events.jsonl (n={s['rows']}) | {coder_name} | {s['event_type_acc']:.3f} | "
            f"{s['sub_acc']:.3f} | |"
        )


if __name__ == "__main__":
    sys.exit(main())
