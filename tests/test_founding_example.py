"""The founding example: the original article (read from ../shared at run time) and the project's own
retelling in examples/ must code to the same incidents, by general rules."""

from __future__ import annotations

from datetime import date

import pytest

from conflictcoder.model import CodedArticle, Event
from tests.conftest import REPO, shared_file

PUBLISHED = date(2025, 1, 9)  # a Thursday


def _texts() -> list[tuple[str, str]]:
    return [
        ("original", shared_file("samples", "zehri-takeover.txt").read_text(encoding="utf-8")),
        ("retelling", (REPO / "examples" / "zehri-retelling.txt").read_text(encoding="utf-8")),
    ]


@pytest.fixture(scope="module", params=["original", "retelling"])
def text(request: pytest.FixtureRequest) -> str:
    return dict(_texts())[request.param]


@pytest.fixture(scope="module")
def coded(text: str, code_text) -> CodedArticle:  # type: ignore[no-untyped-def]
    return code_text(text, PUBLISHED)


def _find(result: CodedArticle, sub: str, location: str) -> Event:
    matches = [e for e in result.events if e.sub_event_type == sub and e.location == location]
    assert len(matches) == 1, [(e.sub_event_type, e.location) for e in result.events]
    return matches[0]


def test_zehri_takeover(coded: CodedArticle) -> None:
    e = _find(coded, "Non-state actor overtakes territory", "Zehri")
    assert (e.event_type, e.actor1, e.inter1) == ("Battles", "Baloch Liberation Army", 2)
    assert (e.admin2, e.admin1, e.country, e.iso3) == ("Khuzdar", "Balochistan", "Pakistan", "PAK")
    assert e.event_date == date(2025, 1, 8) and e.time_precision == 1
    assert (
        e.geo_precision == 2 and e.latitude is not None
    )  # Zehri is not in the gazetteer: district coordinates


def test_zehri_kochu_ambush(coded: CodedArticle) -> None:
    e = _find(coded, "Armed clash", "Zehri Kochu")
    assert e.actor1 == "Baloch Liberation Army"
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Pakistan")
    assert e.fatalities is not None and (e.fatalities.low, e.fatalities.best) == (4, 4)
    assert e.injuries is not None and e.injuries.best == 7
    killed = [c for c in e.claims if c.figure == "killed"]
    assert killed and all(c.claimant == "Baloch Liberation Army" and c.stance == "claims" for c in killed)
    assert e.admin2 == "Khuzdar"


def test_pandaran_takeover_and_detention(coded: CodedArticle) -> None:
    takeover = _find(coded, "Non-state actor overtakes territory", "Pandaran")
    assert (takeover.admin2, takeover.admin1) == ("Kalat", "Balochistan")
    detention = _find(coded, "Abduction/forced disappearance", "Pandaran")
    assert detention.event_type == "Violence against civilians"
    assert detention.actor2 == "Civilians (Pakistan)" and detention.inter2 == 7
    abducted = [c for c in detention.claims if c.figure == "abducted"]
    assert [c.value.low for c in abducted] == [2]


def test_rifles_are_two_claims_and_a_dispute(coded: CodedArticle) -> None:
    e = _find(coded, "Non-state actor overtakes territory", "Zehri")
    rifles = {(c.claimant, c.stance, c.value.low) for c in e.claims if c.figure == "weapons_seized"}
    assert rifles == {("Baloch Liberation Army", "claims", 23), ("Commissioner of Kalat", "confirms", 20)}
    disputes = [d for d in e.disputes if d.figure == "weapons_seized"]
    assert len(disputes) == 1
    assert {(v.claimant, v.value.low) for v in disputes[0].values} == {
        ("Baloch Liberation Army", 23),
        ("Commissioner of Kalat", 20),
    }
    rifles_fig = next(f for f in e.figures if f.figure == "weapons_seized")
    assert (rifles_fig.range.low, rifles_fig.range.best, rifles_fig.range.high) == (20, 20, 23)


def test_history_and_inquiry_are_not_events(coded: CodedArticle) -> None:
    assert len(coded.events) == 4, [(e.sub_event_type, e.location) for e in coded.events]
    assert all(e.event_date != date(2024, 8, 15) for e in coded.events)


def test_every_evidence_slices_the_article(coded: CodedArticle, text: str) -> None:
    for e in coded.events:
        spans = [ev for evs in e.evidence.values() for ev in evs] + [c.evidence for c in e.claims]
        assert spans
        for ev in spans:
            assert text[ev.start : ev.end] == ev.text


# Every figure the article states, with who states it: (figure, value, item head, claimant, stance,
# spokesperson). The same list holds for the original and the retelling.
SAMPLE_FIGURES = [
    ("weapons_seized", 23, "rifles", "Baloch Liberation Army", "claims", "Jeeyand Baloch"),
    ("weapons_seized", 20, "rifles", "Commissioner of Kalat", "confirms", None),
    ("ammunition_seized", 4000, "rounds", "Commissioner of Kalat", "confirms", None),
    ("vehicles_seized", 2, "vehicles", "Commissioner of Kalat", "confirms", None),
    ("vehicles_seized", 10, "motorcycles", "Commissioner of Kalat", "confirms", None),
    ("time_of_day", 1230, None, "Baloch Liberation Army", "claims", "Jeeyand Baloch"),
    ("duration", 11, None, "Baloch Liberation Army", "claims", None),  # "more than ten hours"
    ("duration", 10, None, "Baloch Liberation Army", "claims", None),  # "the ten-hour takeover"
    ("convoy_size", 35, None, "Baloch Liberation Army", "claims", None),
    ("vehicles_destroyed", 1, "vehicle", "Baloch Liberation Army", "claims", None),
    ("killed", 4, None, "Baloch Liberation Army", "claims", None),
    ("injured", 7, None, "Baloch Liberation Army", "claims", None),
    ("killed", 0, None, "Baloch Liberation Army", "claims", None),  # "no civilian casualties"
    ("abducted", 2, None, "Baloch Liberation Army", "claims", None),
]


@pytest.mark.parametrize("expected", SAMPLE_FIGURES, ids=[f"{f[0]}-{f[1]}-{f[3]}" for f in SAMPLE_FIGURES])
def test_each_figure_is_attributed(coded: CodedArticle, expected: tuple[object, ...]) -> None:
    figure, value, item, claimant, stance, spokesperson = expected
    found = [
        c
        for e in coded.events
        for c in e.claims
        if c.figure == figure
        and c.value.low == value
        and (item is None or (c.item or "").endswith(str(item)))
    ]
    assert found, f"no {figure}={value} claim"
    assert {(c.claimant, c.stance) for c in found} == {(claimant, stance)}
    if spokesperson is not None:
        assert {c.spokesperson for c in found} == {spokesperson}


def test_casualty_figures_say_whose(coded: CodedArticle) -> None:
    e = _find(coded, "Armed clash", "Zehri Kochu")
    about = {c.figure: c.about for c in e.claims if c.figure in ("killed", "injured") and c.value.low > 0}
    assert about == {"killed": "security_forces", "injured": "security_forces"}
    zero = [c for ev in coded.events for c in ev.claims if c.figure == "killed" and c.value.low == 0]
    assert [c.about for c in zero] == ["civilians"]
