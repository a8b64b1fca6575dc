"""Inputs for the batch tests: the project's own test texts (tests/texts/), made into many distinct
articles by numbering them, as JSONL with metadata, plus one malformed line."""

from __future__ import annotations

import json
from pathlib import Path

TEXTS = Path(__file__).resolve().parents[1] / "texts"
OUTLETS = ["Dawn", "Reuters", "The News"]


def project_texts() -> list[str]:
    texts = []
    for name in ("events.jsonl", "no_incident.jsonl", "claims.jsonl"):
        for line in (TEXTS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["text"]))
    return texts


def records(n: int) -> list[dict[str, object]]:
    """`n` distinct records: the project texts in turn, each numbered so no two texts are the same."""
    texts = project_texts()
    return [
        {
            "id": f"r{i}",
            "text": f"{texts[i % len(texts)]} (Report {i}.)",
            "outlet": OUTLETS[i % len(OUTLETS)],
            "published": f"2025-03-{1 + i % 28:02d}",
        }
        for i in range(n)
    ]


def write_corpus(folder: Path, n: int, bad_line_at: int | None = None) -> list[str]:
    """Write `n` records as two JSONL files (the first with a malformed line at `bad_line_at`)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [json.dumps(r) for r in records(n)]
    half = n // 2
    first, second = rows[:half], rows[half:]
    if bad_line_at is not None:
        first.insert(bad_line_at, '{"text": "unterminated')
    a, b = folder / "a.jsonl", folder / "b.jsonl"
    a.write_text("\n".join(first) + "\n", encoding="utf-8")
    b.write_text("\n".join(second) + "\n", encoding="utf-8")
    return [str(a), str(b)]
