"""Score the coder on the project's own test texts (tests/texts/): typing accuracy on events.jsonl and the
false-event rate on no_incident.jsonl (read while writing rules) and no_incident_heldout.jsonl (held out).
Usage: python bench/project_texts.py"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.pipeline import Coder
from conflictcoder.settings import get_settings

TEXTS = Path(__file__).resolve().parents[1] / "tests" / "texts"
PUBLISHED = date(2025, 6, 12)


def _rows(name: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in (TEXTS / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def main() -> None:
    coder = Coder.load(get_settings())

    def code(text: str):  # type: ignore[no-untyped-def]
        return coder.code(read_text("project text", text, ArticleDefaults(published=PUBLISHED)))

    events = _rows("events.jsonl")
    hits_type = hits_sub = 0
    misses: Counter[tuple[str, str]] = Counter()
    for row in events:
        got = code(str(row["text"])).events
        pred = (got[0].event_type, got[0].sub_event_type) if got else ("NONE", "NONE")
        hits_type += pred[0] == row["event_type"]
        hits_sub += pred[1] == row["sub_event_type"]
        if pred[1] != row["sub_event_type"]:
            misses[(str(row["sub_event_type"]), pred[1])] += 1
    print(
        f"events.jsonl: n={len(events)} event_type acc={hits_type / len(events):.3f} "
        f"sub_event_type acc={hits_sub / len(events):.3f}"
    )
    # no_incident.jsonl has been read while writing rules; no_incident_heldout.jsonl has not (report it)
    for name in ("no_incident.jsonl", "no_incident_heldout.jsonl"):
        quiet = _rows(name)
        false_events = [r["id"] for r in quiet if code(str(r["text"])).events]
        print(
            f"{name}: n={len(quiet)} false-event rate={len(false_events) / len(quiet):.3f} "
            f"({', '.join(map(str, false_events))})"
        )
    for (gold, pred), n in misses.most_common(12):
        print(f"  miss {n}x {gold} -> {pred}")


if __name__ == "__main__":
    main()
