"""One incident told twice stays one event: hand-built events, no coder."""

from __future__ import annotations

from datetime import date
from typing import Any

from conflictcoder.model import Claim, Event, Evidence, ValueRange
from conflictcoder.retellings import lend_attackers, merge_retellings, retelling_of


def claim(claimant: str, figure: str, value: float, start: int) -> Claim:
    return Claim(
        claimant=claimant,
        claimant_role="official",
        stance="confirms",
        figure=figure,  # type: ignore[arg-type]
        value=ValueRange(low=value, high=value),
        text="x",
        evidence=Evidence(article_id="a", start=start, end=start + 1, text="x"),
    )


def event(event_type: str = "Explosions/Remote violence", **kw: Any) -> Event:
    sub = {"Explosions/Remote violence": "Suicide bomb", "Battles": "Armed clash"}[event_type]
    return Event(
        event_id="e", disorder_type="Political violence", event_type=event_type, sub_event_type=sub, **kw
    )


KABUL = {"location": "Kabul", "admin2": "Kabul", "admin1": "Kabul", "country": "Afghanistan"}


def test_a_retelling_at_the_enclosing_province_or_country_folds_into_the_town() -> None:
    lead = event(**KABUL, event_date=date(2024, 3, 1), claims=[claim("officials", "killed", 4, 10)])
    later = event(location="Afghanistan", country="Afghanistan", claims=[claim("Taliban", "killed", 30, 90)])
    merged = merge_retellings([later, lead])
    assert len(merged) == 1 and merged[0].location == "Kabul"
    assert {c.claimant for c in merged[0].claims} == {"officials", "Taliban"}
    assert merged[0].fatalities is not None and merged[0].fatalities.low == 4  # reconciled over both


def test_the_same_claim_told_twice_is_kept_once() -> None:
    a = event(**KABUL, claims=[claim("officials", "killed", 4, 10)])
    b = event(**KABUL, claims=[claim("officials", "killed", 4, 10)])
    assert len(merge_retellings([a, b])[0].claims) == 1


def test_different_towns_types_or_dates_stay_apart() -> None:
    ghazni = event(location="Ghazni", admin1="Ghazni", country="Afghanistan")
    assert not retelling_of(event(**KABUL), ghazni)
    assert not retelling_of(event(**KABUL), event("Battles", **KABUL))
    assert not retelling_of(
        event(**KABUL, event_date=date(2024, 3, 1)), event(**KABUL, event_date=date(2024, 3, 2))
    )
    assert len(merge_retellings([event(**KABUL), ghazni, event("Battles", **KABUL)])) == 3


def test_events_placed_nowhere_are_not_merged() -> None:
    assert not retelling_of(event(), event(**KABUL))


def test_a_telling_dropped_as_background_still_names_the_attacker() -> None:
    town = event(**KABUL, actor2="Civilians (Afghanistan)", inter2=7)
    country = event(
        location="Afghanistan",
        country="Afghanistan",
        actor1="Taliban",
        inter1=2,
        claims=[claim("Taliban", "killed", 30, 90)],
    )
    lend_attackers([town], [country])
    assert town.actor1 == "Taliban" and town.interaction == 27
    assert town.claims == []  # the background telling's figures stay out
