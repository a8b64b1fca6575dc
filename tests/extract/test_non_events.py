"""Texts that report no incident produce no event (texts written for this project).

`tests/texts/no_incident.jsonl` was read while writing the rules, so this is a regression test;
`no_incident_heldout.jsonl` is kept out of rule-writing and only measured (bench/project_texts.py).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

TEXTS = Path(__file__).parents[1] / "texts"
ROWS = [json.loads(line) for line in (TEXTS / "no_incident.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_no_event(row: dict[str, Any], code_text) -> None:  # type: ignore[no-untyped-def]
    result = code_text(row["text"], date(2025, 6, 12))
    assert result.events == [], [(e.sub_event_type, e.evidence.get("event_type")) for e in result.events]
    assert result.reason


def test_a_real_incident_beside_a_sports_word_is_kept(code_text) -> None:  # type: ignore[no-untyped-def]
    text = "Gunmen opened fire on fans leaving a football match in Jos on Saturday, killing three people."
    (event,) = code_text(text, date(2025, 6, 12)).events
    assert event.event_type == "Violence against civilians"
