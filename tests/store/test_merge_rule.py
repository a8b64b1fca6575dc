"""The merge rule (store/merge.py) on hand-built reports: each count that keeps two incidents apart."""

from __future__ import annotations

from datetime import date

from conflictcoder.model import Claim, Event, Evidence, ValueRange
from conflictcoder.store.merge import combine, compatible


def _claim(about: str, n: float, claimant: str = "police", stance: str = "reports") -> Claim:
    ev = Evidence(article_id="x", start=0, end=1, text="x")
    return Claim(
        claimant=claimant,
        claimant_role="security forces",
        stance=stance,  # type: ignore[arg-type]
        figure="killed",
        about=about,  # type: ignore[arg-type]
        value=ValueRange(low=n, high=n),
        text="x",
        evidence=ev,
    )


def _event(**kw) -> Event:  # type: ignore[no-untyped-def]
    base = {
        "event_id": "e",
        "event_date": date(2025, 3, 11),
        "time_precision": 1,
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "Unidentified Armed Group (Pakistan)",
        "inter1": 3,
        "location": "Turbat",
        "admin1": "Balochistan",
        "admin2": "Kech",
        "country": "Pakistan",
        "iso3": "PAK",
        "latitude": 26.0,
        "longitude": 63.05,
        "geo_precision": 1,
    }
    base.update(kw)
    return Event(**base)


def test_the_same_report_fits() -> None:
    assert compatible(_event(), _event()).ok


def test_dates() -> None:
    assert not compatible(_event(), _event(event_date=date(2025, 3, 12))).ok
    assert compatible(_event(), _event(event_date=date(2025, 3, 13), time_precision=2)).ok
    assert compatible(_event(), _event(event_date=date(2025, 3, 15), time_precision=3)).ok
    assert not compatible(_event(), _event(event_date=None)).ok


def test_places() -> None:
    assert not compatible(_event(), _event(admin2="Panjgur", location="Panjgur")).ok
    assert compatible(_event(), _event(location="Balochistan", admin2=None, geo_precision=3)).ok
    far = _event(location="Tump", latitude=26.1, longitude=62.37)  # about 70 km west
    assert "km apart" in compatible(_event(), far).reason
    hoshab = _event(location="Hoshab", geo_precision=2)
    assert "different places" in compatible(_event(location="Buleda", geo_precision=2), hoshab).reason
    assert compatible(
        _event(location="Zehri", geo_precision=2), _event(location="Zehri Kochu", geo_precision=2)
    ).ok


def test_types() -> None:
    clash = _event(event_type="Battles", sub_event_type="Armed clash")
    assert compatible(_event(), clash).ok
    protest = _event(event_type="Protests", sub_event_type="Peaceful protest", disorder_type="Demonstrations")
    assert not compatible(_event(), protest).ok


def test_actors_and_victims() -> None:
    bla = _event(actor1="Baloch Liberation Army", inter1=2)
    assert compatible(_event(), bla).ok  # an unidentified group may be the named one
    army = {"actor2": "Military Forces of Pakistan (2018-)", "inter2": 1}
    blf = _event(actor1="Baloch Liberation Front", inter1=2, **army)
    assert not compatible(_event(actor1="Baloch Liberation Army", inter1=2, **army), blf).ok
    assert compatible(bla, _event(actor1="Baloch Liberation Front", inter1=2)).ok  # rival claims, no opponent
    police = _event(claims=[_claim("police", 2)])
    market = _event(claims=[_claim("civilians", 3)])
    assert "different victims" in compatible(police, market).reason
    assert compatible(police, _event(claims=[_claim("security_forces", 3)])).ok
    swapped = _event(
        actor1="Military Forces of Pakistan (2018-)", inter1=1, actor2="Baloch Liberation Army", inter2=2
    )
    assert compatible(
        _event(
            actor1="Baloch Liberation Army", inter1=2, actor2="Military Forces of Pakistan (2018-)", inter2=1
        ),
        swapped,
    ).ok


def test_combine_takes_the_most_precise_values_and_keeps_the_others() -> None:
    coarse = _event(
        event_id="a",
        location="Kech",
        geo_precision=2,
        sources=["Dawn"],
        claims=[_claim("soldiers", 4, "ISPR", "confirms")],
    )
    fine = _event(
        event_id="b",
        actor1="Baloch Liberation Army",
        inter1=2,
        sources=["Reuters"],
        claims=[_claim("soldiers", 9, "Baloch Liberation Army", "claims")],
    )
    merged = combine("E1", [coarse, fine], ["Dawn a", "Reuters b"])
    e = merged.event
    assert e.event_id == "E1" and e.location == "Turbat" and e.actor1 == "Baloch Liberation Army"
    assert e.sources == ["Dawn", "Reuters"] and len(e.claims) == 2
    assert e.fatalities is not None and (e.fatalities.low, e.fatalities.best, e.fatalities.high) == (4, 4, 9)
    assert e.disputes and {v.claimant for v in e.disputes[0].values} == {"ISPR", "Baloch Liberation Army"}
    assert merged.alternatives["place"][0]["report"] == "Dawn a"
    assert merged.alternatives["actors"][0]["actor1"] == "Unidentified Armed Group (Pakistan)"
