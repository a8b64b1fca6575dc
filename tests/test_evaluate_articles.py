"""The article scorer's metrics on small hand-made inputs (no coder, no ../shared)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conflictcoder.errors import EvalError
from conflictcoder.evaluate_articles import (
    GoldArticle,
    claimant_matches,
    is_generic_claimant,
    place_key,
    place_matches,
    read_articles,
    score_article,
    summarize,
)
from conflictcoder.model import Article, Claim, CodedArticle, Event, Evidence, ValueRange

EV = Evidence(article_id="a", start=0, end=1, text="x")


def claim(claimant: str, low: float, high: float | None = None) -> Claim:
    return Claim(
        claimant=claimant,
        claimant_role="official",
        stance="claims",
        figure="killed",
        value=ValueRange(low=low, high=low if high is None else high),
        text="x",
        evidence=EV,
    )


def event(event_type: str = "Battles", sub: str = "Armed clash", **kw: Any) -> Event:
    return Event(
        event_id="e", disorder_type="Political violence", event_type=event_type, sub_event_type=sub, **kw
    )


def gold(events: list[dict[str, Any]], article_id: str = "g1") -> GoldArticle:
    return GoldArticle(id=article_id, text="x", events=events)


def coded(events: list[Event]) -> CodedArticle:
    return CodedArticle.of(Article(article_id="a", text="x"), events)


def test_place_keys_set_aside_case_accents_and_unit_words() -> None:
    assert place_key("Zehri District") == place_key("zehri") == "zehri"
    assert place_key("Al-Hasakah Governorate") == place_key("Hasakah")
    assert place_key("Saná") == "sana"
    assert place_key("Kherson Oblast") == "kherson"
    assert place_key("Idlib") != place_key("Aleppo")


def test_place_match_uses_location_admin3_or_admin2() -> None:
    g = gold([{"event_type": "Battles", "location": "Zehri", "admin2": "Khuzdar District"}]).events[0]
    assert place_matches(event(location="Zehri town"), g)
    assert place_matches(event(location="Khuzdar"), g)
    assert place_matches(event(location="X", admin2="Khuzdar"), g)
    assert place_matches(event(location="X", admin3="zehri area"), g)
    assert not place_matches(event(location="Quetta", admin2="Quetta", admin1="Khuzdar"), g)


def test_a_gold_event_placed_only_at_a_province_matches_a_province_level_prediction() -> None:
    g = gold([{"event_type": "Battles", "admin1": "Kandahar", "country": "Afghanistan"}]).events[0]
    assert place_matches(event(location="Kandahar Province", admin1="Kandahar"), g)
    assert not place_matches(event(location="Spin Boldak", admin1="Kandahar"), g)
    only_country = gold([{"event_type": "Battles", "country": "Afghanistan"}]).events[0]
    assert place_matches(event(country="Afghanistan"), only_country)
    assert not place_matches(event(location="Kabul", country="Afghanistan"), only_country)


def test_aggregates_are_never_matched_nor_counted() -> None:
    g = gold(
        [
            {"event_type": "Battles", "location": "Multiple locations (Idlib)", "admin2": "Idlib"},
            {"event_type": "Battles", "location": "Saraqib", "admin2": "Idlib"},
        ]
    )
    s = score_article(g, coded([event(location="Saraqib")]))
    assert (s.gold_events, s.found, s.predicted_matched) == (1, 1, 1)


def test_claimants_share_a_content_word_or_an_acronym() -> None:
    assert claimant_matches("National Resistance Front", "NRF")
    assert claimant_matches("NRF", "National Resistance Front spokesman")
    assert claimant_matches("Syrian Observatory for Human Rights", "the Observatory")
    assert not claimant_matches("Taliban", "Afghan interior ministry")
    assert not claimant_matches("the spokesman", "Interior ministry spokesman")  # 'spokesman' is no name
    assert claimant_matches("Taliban", "officials")  # generic gold: any claimant
    assert is_generic_claimant("report") and is_generic_claimant("two security officials")
    assert not is_generic_claimant("police")


def test_recall_precision_claims_dates_and_sub_types_on_one_article() -> None:
    g = gold(
        [
            {
                "event_type": "Explosions/Remote violence",
                "sub_event_type": "Suicide bomb",
                "date": "2024-05-03",
                "location": "Kabul",
                "claims": [
                    {"claimant": "interior ministry", "figure": "killed", "value": 4},
                    {"claimant": "report", "figure": "injured", "value": 22},
                    {"claimant": "Taliban", "figure": "killed", "value": 30},
                    {"claimant": "report", "figure": "hostages", "value": None},
                ],
            },
            {"event_type": "Battles", "sub_event_type": "Armed clash", "location": "Ghazni"},
        ]
    )
    preds = [
        event(
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            location="Kabul",
            event_date=date(2024, 5, 3),
            claims=[claim("Ministry of Interior", 3, 5), claim("the Taliban", 22), claim("Taliban", 31)],
        ),
        event("Battles", location="Kandahar"),  # a background event at a place the gold does not have
        event("Violence against civilians", "Attack", location="Ghazni"),  # right place, wrong type
    ]
    s = score_article(g, coded(preds))
    assert (s.gold_events, s.found) == (2, 1)
    assert (s.predicted, s.predicted_matched) == (3, 2)
    assert (s.claims, s.claims_found) == (3, 2)  # 4 within 3..5; 22 by anyone for 'report'; not 30
    assert (s.dated, s.dates_right) == (1, 1)
    assert (s.subs, s.subs_right) == (1, 0)
    assert ("Battles", "Violence against civilians") in s.confusion
    assert s.misses == ["Battles at Ghazni"]


def test_quiet_articles_give_the_false_event_rate() -> None:
    quiet_ok = score_article(gold([], "q1"), coded([]))
    quiet_bad = score_article(gold([], "q2"), coded([event(location="Paris")]))
    busy = score_article(gold([{"event_type": "Riots", "location": "Lyon"}], "b1"), coded([]))
    total = summarize([quiet_ok, quiet_bad, busy])
    assert total["quiet_false_event_rate"] == 0.5
    assert total["incident_recall"] == 0.0
    assert total["precision"] == 0.0
    assert total["date_accuracy"] is None  # nothing found with a gold date


def _write(folder: Path, name: str, body: object) -> None:
    (folder / name).write_text(json.dumps(body), encoding="utf-8")


def test_reading_splits_by_id_and_names_the_bad_file(tmp_path: Path) -> None:
    for i in range(8):
        _write(
            tmp_path, f"a{i}.json", {"id": f"a{i}", "text": "t", "published": None, "gold": {"events": []}}
        )
    every = read_articles(tmp_path, "all")
    tune, test = read_articles(tmp_path, "tune"), read_articles(tmp_path, "test")
    assert len(every) == 8 and len(tune) + len(test) == 8
    assert {a.id for a in tune}.isdisjoint({a.id for a in test})
    _write(tmp_path, "broken.json", {"id": "b", "text": "t", "gold": {"events": [{"location": "X"}]}})
    with pytest.raises(EvalError, match=r"broken\.json"):
        read_articles(tmp_path, "all")
    with pytest.raises(EvalError, match="not a directory"):
        read_articles(tmp_path / "a0.json", "all")
