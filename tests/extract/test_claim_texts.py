"""Every expected claim in `tests/texts/claims.jsonl` (texts written for this project) is coded exactly.

Each row lists every claim a careful coder would record (a coded claim not listed fails too): figure,
value, hedge, claimant, stance, whose casualties, and the item for seized or destroyed things. A claim
matches when all of those agree.
State forces are compared without ACLED's government period ("Military Forces of Mali (2021-)"): periods
come from the actor dictionary, not from attribution.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conflictcoder.model import Claim

ROWS = [json.loads(line) for line in (Path(__file__).parents[1] / "texts" / "claims.jsonl").open()]
# A Thursday, so "on Monday" and friends resolve to the same week in every text.
PUB = date(2025, 6, 12)


def as_expected(claim: Claim) -> dict[str, Any]:
    """A coded claim in the shape of an expected one (a breakdown says `"subset": true`)."""
    shape = {
        "figure": claim.figure,
        "low": claim.value.low,
        "high": claim.value.high,
        "hedge": claim.hedge,
        "claimant": re.sub(r" \(\d{4}-\d{0,4}\)$", "", claim.claimant),
        "stance": claim.stance,
        "about": claim.about,
        "item": claim.item,
    }
    return {**shape, "subset": True} if claim.subset else shape


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_expected_claims_are_coded(row: dict[str, Any], code_text) -> None:  # type: ignore[no-untyped-def]
    coded = [as_expected(c) for e in code_text(row["text"], PUB).events for c in e.claims]
    missing = [c for c in row["claims"] if c not in coded]
    assert not missing, f"missing {missing}\ncoded {coded}"


def test_the_texts_cover_what_the_issue_lists() -> None:
    figures = {c["figure"] for r in ROWS for c in r["claims"]}
    stances = {c["stance"] for r in ROWS for c in r["claims"]}
    hedges = {c["hedge"] for r in ROWS for c in r["claims"]} - {None}
    assert len(ROWS) >= 20
    assert {"killed", "injured", "abducted", "arrested", "displaced", "weapons_seized", "duration"} <= figures
    assert stances == {"claims", "confirms", "denies", "reports"}
    assert {"at least", "more than", "up to", "nearly", "reportedly", "unconfirmed", "dozens"} <= hedges
    assert sum(len({c["claimant"] for c in r["claims"]}) > 1 for r in ROWS) >= 4  # several speakers


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_no_claim_beyond_the_expected_ones(row: dict[str, Any], code_text) -> None:  # type: ignore[no-untyped-def]
    """A spurious figure (a background total, a revised headline figure) fails as a missing one does."""
    coded = [as_expected(c) for e in code_text(row["text"], PUB).events for c in e.claims]
    spurious = [c for c in coded if c not in row["claims"]]
    assert not spurious, f"spurious {spurious}\nexpected {row['claims']}"
