"""Report pairs (tests/texts/merge_pairs.jsonl) through the real coder and the store: reports of one
incident from two outlets merge into one event; two incidents on one day in one district stay apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from conflictcoder.store import list_events, save_one

PAIRS_FILE = Path(__file__).resolve().parents[1] / "texts" / "merge_pairs.jsonl"
PAIRS = [json.loads(x) for x in PAIRS_FILE.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_there_are_enough_pairs_both_ways() -> None:
    expects = [p["expect"] for p in PAIRS]
    assert len(PAIRS) >= 30
    assert expects.count("merge") >= 15 and expects.count("apart") >= 15
    assert len({p["id"] for p in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize("pair", PAIRS, ids=[p["id"] for p in PAIRS])
def test_pair(pair: dict, store: sessionmaker[Session], code_report) -> None:  # type: ignore[no-untyped-def]
    coded = {}
    for side in ("a", "b"):
        r = pair[side]
        article, result = code_report(r["text"], r["published"], r["outlet"])
        assert result.events, f"{pair['id']}{side}: the coder found no event ({result.reason})"
        save_one(store, article, result)
        coded[side] = article
    with store() as session:
        events = list_events(session)
    ids = {coded["a"].article_id, coded["b"].article_id}
    joint = [s for s in events if ids <= set(s.articles)]
    if pair["expect"] == "merge":
        assert len(joint) == 1, f"{pair['id']} ({pair['why']}): the two reports did not merge"
        merged = joint[0]
        assert {pair["a"]["outlet"], pair["b"]["outlet"]} <= set(merged.outlets)
        claim_articles = {c.evidence.article_id for c in merged.event.claims}
        reported = {s for s in ("a", "b") if any(e.claims for e in code_report(**_args(pair[s]))[1].events)}
        assert {coded[s].article_id for s in reported} <= claim_articles  # every source's claims kept
    else:
        assert not joint, f"{pair['id']} ({pair['why']}): two incidents were merged into {joint[0].event}"


def _args(r: dict) -> dict:  # type: ignore[type-arg]
    return {"text_": r["text"], "published": r["published"], "outlet": r["outlet"]}
