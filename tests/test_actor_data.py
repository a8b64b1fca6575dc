"""Shape and consistency checks for the shipped actor data files (plain json, no package imports)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "src/conflictcoder/data"

INTER_RANGE = range(1, 9)
REGIONS = {
    "Western Africa",
    "Middle Africa",
    "Eastern Africa",
    "Southern Africa",
    "Northern Africa",
    "South Asia",
    "Southeast Asia",
    "East Asia",
    "Central Asia",
    "Caucasus and Central Asia",
    "Middle East",
    "Europe",
    "North America",
    "Central America",
    "South America",
    "Caribbean",
    "Oceania",
    "Antarctica",
}
GENERIC_CATEGORIES = {"armed", "protesters", "rioters", "civilians", "military", "police"}


def _load(name: str) -> list[dict]:
    rows = []
    for n, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{name}:{n}: {err}")
        assert isinstance(row, dict), f"{name}:{n}: not an object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    return _load("countries.jsonl")


@pytest.fixture(scope="module")
def actors() -> list[dict]:
    return _load("actors.jsonl")


@pytest.fixture(scope="module")
def generic() -> list[dict]:
    return _load("generic_actors.jsonl")


def _str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def test_countries_shape(countries: list[dict]) -> None:
    assert len(countries) >= 240
    for c in countries:
        where = c.get("iso3")
        assert isinstance(c["iso2"], str) and len(c["iso2"]) == 2 and c["iso2"].isupper(), where
        assert isinstance(c["iso3"], str) and len(c["iso3"]) == 3 and c["iso3"].isupper(), where
        assert isinstance(c["name"], str) and c["name"].strip(), where
        assert _str_list(c["aliases"]), where
        assert _str_list(c["demonyms"]), where
        assert c["region"] in REGIONS, where
        forces = c["state_forces"]
        assert set(forces) == {"military", "police"}, where
        assert forces["military"].startswith("Military Forces of ") and forces["military"].endswith(
            c["name"]
        ), where
        assert forces["police"].startswith("Police Forces of ") and forces["police"].endswith(c["name"]), (
            where
        )
        period = c.get("period")
        assert period is None or (isinstance(period, str) and period[:4].isdigit() and "-" in period), where


def test_countries_unique_codes_and_names(countries: list[dict]) -> None:
    for key in ("iso2", "iso3", "name"):
        values = [c[key] for c in countries]
        dups = sorted({v for v in values if values.count(v) > 1})
        assert not dups, f"duplicate {key}: {dups}"


def test_expected_countries(countries: list[dict]) -> None:
    by_iso3 = {c["iso3"]: c for c in countries}
    assert by_iso3["PAK"]["state_forces"]["military"] == "Military Forces of Pakistan"
    assert by_iso3["COD"]["name"] == "Democratic Republic of Congo"
    assert by_iso3["MMR"]["name"] == "Myanmar" and "Burmese" in by_iso3["MMR"]["demonyms"]
    for iso3, name in [
        ("SYR", "Syria"),
        ("PSE", "Palestine"),
        ("RUS", "Russia"),
        ("IRN", "Iran"),
        ("KOR", "South Korea"),
    ]:
        assert by_iso3[iso3]["name"] == name


def test_actors_shape(actors: list[dict], countries: list[dict]) -> None:
    iso3 = {c["iso3"] for c in countries}
    assert len(actors) >= 150
    names = [a["name"] for a in actors]
    assert len(names) == len(set(names)), "duplicate actor names"
    allowed = {"name", "acronym", "aliases", "inter", "countries", "units", "kind", "force", "note"}
    for a in actors:
        where = a.get("name")
        assert set(a) <= allowed, (where, set(a) - allowed)
        assert isinstance(a["name"], str) and a["name"].strip(), where
        assert a["acronym"] is None or (isinstance(a["acronym"], str) and a["acronym"].strip()), where
        assert _str_list(a["aliases"]), where
        assert isinstance(a["inter"], int) and a["inter"] in INTER_RANGE, where
        assert _str_list(a["countries"]) and a["countries"], where
        unknown = [c for c in a["countries"] if c not in iso3]
        assert not unknown, f"{where}: unknown iso3 {unknown}"
        assert isinstance(a["units"], list), where
        for u in a["units"]:
            assert set(u) == {"name", "aliases"}, where
            assert isinstance(u["name"], str) and u["name"].strip() and _str_list(u["aliases"]), where
        assert a["kind"] in {"group", "state_unit"}, where
        if a["kind"] == "state_unit":
            assert a["inter"] == 1 and a.get("force") in {"military", "police"}, where
        else:
            assert "force" not in a, where
        assert "note" not in a or isinstance(a["note"], str), where


def test_no_alias_shared_by_groups_in_one_country(actors: list[dict]) -> None:
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in actors:
        spellings = {a["name"], *a["aliases"], *([a["acronym"]] if a["acronym"] else [])}
        for u in a["units"]:
            spellings |= {u["name"], *u["aliases"]}
        for country in a["countries"]:
            for s in spellings:
                claims[(country, s.casefold())].add(a["name"])
    conflicts = {k: sorted(v) for k, v in claims.items() if len(v) > 1}
    for (country, alias), owners in sorted(conflicts.items()):
        print(f"{country}: {alias!r} claimed by {owners}")
    assert not conflicts


def test_bla_units(actors: list[dict]) -> None:
    bla = next(a for a in actors if a["name"] == "Baloch Liberation Army")
    assert bla["acronym"] == "BLA" and bla["inter"] == 2 and bla["countries"] == ["PAK"]
    units = {u["name"]: u["aliases"] for u in bla["units"]}
    assert {"Majeed Brigade", "Special Tactical Operations Squad", "Fateh Squad", "Zirab"} <= set(units)
    assert "Majid Brigade" in units["Majeed Brigade"]
    assert "STOS" in units["Special Tactical Operations Squad"]
    assert "Fatah Squad" in units["Fateh Squad"]


def test_required_actors_present(actors: list[dict]) -> None:
    spellings = {s.casefold() for a in actors for s in [a["name"], *a["aliases"]]}
    for s in [
        "TTP",
        "ISKP",
        "ISWAP",
        "JNIM",
        "al-Shabaab",
        "HTS",
        "Houthis",
        "Hezbollah",
        "Hamas",
        "M23",
        "ADF",
        "RSF",
        "OLA",
        "NPA",
        "Arakan Army",
        "ELN",
        "CJNG",
        "PKK",
        "Wagner Group",
        "Frontier Corps",
        "Levies",
        "CTD",
        "Rangers",
        "Danab",
        "PMF",
        "IDF",
        "Azov",
    ]:
        in_units = any(
            s.casefold() in {u["name"].casefold(), *(x.casefold() for x in u["aliases"])}
            for a in actors
            for u in a["units"]
        )
        assert s.casefold() in spellings or in_units, s
    pmf = next(a for a in actors if a["name"] == "Popular Mobilization Forces")
    assert pmf["inter"] == 3
    wagner = next(a for a in actors if a["name"] == "Wagner Group")
    assert wagner["inter"] == 8


def test_generic_actors(generic: list[dict]) -> None:
    assert {g["category"] for g in generic} == GENERIC_CATEGORIES
    seen: dict[str, str] = {}
    for g in generic:
        assert set(g) == {"terms", "name", "inter", "category"}, g.get("category")
        assert _str_list(g["terms"]) and all(t == t.lower() for t in g["terms"]), g["category"]
        assert isinstance(g["inter"], int) and g["inter"] in INTER_RANGE, g["category"]
        assert any(p in g["name"] for p in ("{country}", "{military}", "{police}")), g["category"]
        for t in g["terms"]:
            assert t not in seen, f"{t!r} in both {seen[t]} and {g['category']}"
            seen[t] = g["category"]
    by_cat = {g["category"]: g for g in generic}
    assert by_cat["armed"]["inter"] == 3 and by_cat["armed"]["name"] == "Unidentified Armed Group ({country})"
    assert by_cat["protesters"]["inter"] == 6
    assert by_cat["rioters"]["inter"] == 5
    assert by_cat["civilians"]["inter"] == 7
    assert by_cat["military"]["name"] == "{military}" and by_cat["police"]["name"] == "{police}"
