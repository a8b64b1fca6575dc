"""ACLED typing on short texts written for these tests: each sub-type family, and non-events."""

from __future__ import annotations

from datetime import date

import pytest

PUB = date(2025, 6, 12)


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Soldiers and militants exchanged fire for three hours in Tank district on Monday.", "Armed clash"),
        (
            "A roadside bomb struck a police van in Dera Bugti on Monday, killing two officers.",
            "Remote explosive/landmine/IED",
        ),
        ("A suicide bomber blew himself up outside a mosque in Peshawar on Friday.", "Suicide bomb"),
        ("Unidentified men threw a hand grenade at a shop in Turbat on Sunday.", "Grenade"),
        ("A drone strike hit a compound in North Waziristan on Tuesday.", "Air/drone strike"),
        (
            "Militants fired mortar shells at a military camp in Kurram on Wednesday.",
            "Shelling/artillery/missile attack",
        ),
        (
            "Gunmen kidnapped three engineers from a construction site near Gwadar on Monday.",
            "Abduction/forced disappearance",
        ),
        (
            "Hundreds of traders held a peaceful protest in Quetta on Monday against power cuts.",
            "Peaceful protest",
        ),
        (
            "Police fired tear gas to disperse students protesting in Lahore on Monday.",
            "Protest with intervention",
        ),
        ("Police arrested six suspected militants in a raid in Karachi on Monday.", "Arrests"),
        (
            "Bomb disposal experts defused an explosive device planted near a school in Kech on Monday.",
            "Disrupted weapons use",
        ),
        ("Army troops recaptured the town of Kidal from rebels on Monday.", "Government regains territory"),
        ("The two sides signed a ceasefire agreement in Doha on Monday.", "Agreement"),
        ("The army declared martial law in the town of Lashio on Monday.", "Other"),
        ("Rebels set up a new base in the hills near Kidal on Monday.", "Headquarters or base established"),
    ],
)
def test_sub_event_types(code_text, text: str, sub: str) -> None:  # type: ignore[no-untyped-def]
    events = code_text(text, PUB).events
    assert events and events[0].sub_event_type == sub, [(e.sub_event_type, e.notes) for e in events]


@pytest.mark.parametrize(
    "text",
    [
        "The militant group threatened to attack polling stations during next month's election.",
        "The minister condemned all violence and announced an inquiry into last year's bombing.",
        "The striker fired a shot past the keeper in the final minute of the match on Sunday.",
        "Families gathered on Monday to mark the tenth anniversary of the school attack.",
    ],
)
def test_non_events(code_text, text: str) -> None:  # type: ignore[no-untyped-def]
    result = code_text(text, PUB)
    assert result.events == [], [(e.sub_event_type, e.notes) for e in result.events]
