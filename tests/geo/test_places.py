"""Place recognition and resolution on short texts written for these tests (no dev-file text)."""

from __future__ import annotations

from datetime import date

import pytest

from conflictcoder.extract.places import find_places
from conflictcoder.geo.names import spelling_key
from conflictcoder.geo.resolve import country_context, resolve_mentions
from conflictcoder.model import Location
from conflictcoder.pipeline import Coder

PUB = date(2025, 6, 12)


def places_of(coder: Coder, text: str) -> list[tuple[str, Location | None]]:
    doc = coder.nlp(text)
    mentions = find_places(doc, coder.names, [], coder.spellings, words=coder.lexicons.places)
    continents = coder.lexicons.places.continents
    context = country_context(mentions, coder.gazetteer, continents)
    locations = resolve_mentions(mentions, coder.gazetteer, context, continents)
    return [(m.name, locations.get(n)) for n, m in enumerate(mentions)]


def test_names_in_brackets_after_a_place_are_its_enclosing_units(coder: Coder) -> None:
    found = dict(
        places_of(coder, "Gunmen fired at a Levies post near Hoshab area (Kech, Balochistan) on Monday.")
    )
    assert {"Hoshab", "Kech", "Balochistan"} <= set(found)
    hoshab = found["Hoshab"]
    assert hoshab is not None and (hoshab.admin2, hoshab.admin1, hoshab.iso3) == (
        "Kech",
        "Balochistan",
        "PAK",
    )
    assert hoshab.geo_precision == 2 and "not in the gazetteer" in hoshab.reason


def test_a_comma_after_a_town_gives_its_province(coder: Coder) -> None:
    found = dict(places_of(coder, "In Zamora, Michoacan, two men were shot dead on Friday."))
    zamora = found["Zamora"]
    assert (
        zamora is not None
        and zamora.iso3 == "MEX"
        and zamora.admin1
        and zamora.admin1.startswith("Michoacan")
    )


def test_lowercase_connectors_stay_inside_a_name(coder: Coder) -> None:
    found = dict(places_of(coder, "Police raided a house in Juiz de Fora on Sunday."))
    assert "Juiz de Fora" in found
    loc = found["Juiz de Fora"]
    assert loc is not None and loc.iso3 == "BRA" and loc.geo_precision == 1


def test_a_capitalised_kind_word_that_belongs_to_the_name(coder: Coder) -> None:
    found = dict(places_of(coder, "Workers protested in Cape Town on Monday."))
    assert "Cape Town" in found and "Cape" not in found
    loc = found["Cape Town"]
    assert loc is not None and loc.iso3 == "ZAF" and loc.geo_precision == 1


def test_another_transliteration_of_a_province(coder: Coder) -> None:
    found = dict(places_of(coder, "Artillery hit the outskirts of Nayrab in Idleb on Friday."))
    idleb = found["Idleb"]
    assert idleb is not None and idleb.iso3 == "SYR"
    nayrab = found["Nayrab"]
    assert nayrab is not None and nayrab.admin1 == idleb.admin1 and nayrab.geo_precision == 3


def test_a_small_namesake_abroad_is_not_taken(coder: Coder) -> None:
    found = dict(places_of(coder, "Hundreds of Eastleigh traders marched to the city hall in Nairobi."))
    assert found["Nairobi"] is not None and found["Nairobi"].iso3 == "KEN"
    eastleigh = found.get("Eastleigh")
    assert eastleigh is None or eastleigh.iso3 == "KEN"


def test_a_country_that_says_whose_soldier_is_not_a_site(coder: Coder) -> None:
    names = [name for name, _ in places_of(coder, "A Pakistan soldier was killed in Kohlu on Monday.")]
    assert "Pakistan" not in names and "Kohlu" in names


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("Idleb", "Idlib", True), ("al-Hasakeh", "Al Hasakah", True), ("Kech", "Kalat", False)],
)
def test_spelling_key(a: str, b: str, same: bool) -> None:
    assert (spelling_key(a) == spelling_key(b)) is same


def test_the_event_is_placed_where_it_happened_not_where_it_was_announced(code_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Officials in Quetta said on Tuesday that militants had attacked a checkpost in Turbat (Kech) "
        "on Monday, killing two soldiers."
    )
    (event,) = code_text(text, PUB).events
    assert (event.location, event.admin2) == ("Turbat", "Kech")
