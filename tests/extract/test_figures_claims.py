"""Figures, attribution and reconciliation on short texts written for these tests."""

from __future__ import annotations

from datetime import date

PUB = date(2025, 6, 12)


def _claims(result, figure: str):  # type: ignore[no-untyped-def]
    return [
        (c.claimant, c.stance, c.value.low, c.value.high, c.hedge, c.about)
        for e in result.events
        for c in e.claims
        if c.figure == figure
    ]


def test_hedges_and_number_words(code_text) -> None:  # type: ignore[no-untyped-def]
    r = code_text(
        "Gunmen attacked a bus near Kandahar on Tuesday, killing at least nine passengers and "
        "wounding dozens of others, local officials said.",
        PUB,
    )
    assert _claims(r, "killed") == [("local officials", "confirms", 9, None, "at least", "civilians")]
    assert _claims(r, "injured")[0][2:5] == (12, None, "dozens")


def test_attribution_carries_to_he_said_and_stops_at_new_paragraph(code_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Al-Shabaab said its fighters overran a military base in Lower Shabelle on Monday. "
        "He said 17 soldiers were killed.\n\n"
        "The base was shelled for two hours before the assault, and four civilians were injured."
    )
    r = code_text(text, PUB)
    killed = _claims(r, "killed")
    assert killed == [("Al-Shabaab", "claims", 17, 17, None, "soldiers")]
    injured = _claims(r, "injured")
    assert injured and injured[0][:2] == ("unattributed", "reports")


def test_confirmation_is_best_and_lowest_bounds_the_range(code_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The TTP claimed its fighters killed 12 soldiers in an attack on a checkpost in Bannu on Sunday. "
        "The district police officer said three soldiers were killed."
    )
    (event,) = code_text(text, PUB).events
    assert event.fatalities is not None
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (3, 3, 12)
    assert event.disputes and {v.value.low for v in event.disputes[0].values} == {3, 12}
    assert "claimed" in event.notes and "confirmed" in event.notes


def test_no_casualties_is_a_claim_of_zero(code_text) -> None:  # type: ignore[no-untyped-def]
    r = code_text(
        "Rebels shelled the town of Kalemie on Saturday; the army said there were no casualties.", PUB
    )
    # the army did not fight in this shelling, so it confirms as an official source: a claim of zero
    army = "Military Forces of the Democratic Republic of Congo (2019-)"
    assert _claims(r, "killed") == [(army, "confirms", 0, 0, None, "unknown")]


def test_a_breakdown_is_not_added_and_source_totals_are_disputed(code_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Mali's army said 20 terrorists were neutralised in Boni on Saturday. "
        "A local official, however, put the number of dead at seven, including three civilians."
    )
    (event,) = code_text(text, PUB).events
    assert event.fatalities is not None
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (7, 7, 20)
    (dispute,) = [d for d in event.disputes if d.figure == "killed"]
    assert {(v.claimant.split(" (")[0], v.value.low) for v in dispute.values} == {
        ("Military Forces of Mali", 20),
        ("local official", 7),
    }
    (part,) = [c for c in event.claims if c.subset]
    assert (part.about, part.value.low) == ("civilians", 3)


def test_one_source_adds_up_its_groups(code_text) -> None:  # type: ignore[no-untyped-def]
    r = code_text(
        "Gunmen ambushed a police patrol near Dera Ismail Khan on Monday, killing four policemen and "
        "two passers-by, officials said.",
        PUB,
    )
    (event,) = r.events
    assert event.fatalities is not None
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (6, 6, 6)
    assert not event.disputes


def test_two_speakers_in_one_sentence_keep_their_own_figures(code_text) -> None:  # type: ignore[no-untyped-def]
    r = code_text(
        "Rebels said they killed 30 soldiers near Kidal on Friday, while the army said two soldiers died.",
        PUB,
    )
    killed = {(c.claimant.split(" (")[0], c.stance, c.value.low) for e in r.events for c in e.claims}
    assert ("Military Forces of Mali", "claims", 2) in killed
    assert any(claimant != "Military Forces of Mali" and low == 30 for claimant, _, low in killed)


def test_notes_name_who_claimed_and_who_denied(code_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The TTP claimed it killed 15 soldiers in an attack on a post in North Waziristan on Monday. "
        "The army denied that any soldier was killed, saying the assault had been repulsed."
    )
    (event,) = code_text(text, PUB).events
    assert "Tehrik-i-Taliban Pakistan claimed 15 were killed; Military Forces of Pakistan" in event.notes
    assert event.notes.rstrip(".").endswith("denied it")
