"""Exports of stored events: ACLED CSV (ACLED's columns and formats), UCDP-GED-style CSV, JSONL,
GeoJSON, Parquet, and the filters."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conflictcoder.export import ACLED_COLUMNS, GED_COLUMNS, export_events
from conflictcoder.store import EventFilter, list_events, save_one
from tests.conftest import shared_file

REPORTS = [
    (
        "Dawn",
        "2025-03-12",
        "QUETTA: At least four soldiers were martyred when militants ambushed a Frontier Corps convoy in "
        "Hoshab area of Kech district on Tuesday, the ISPR said. The Baloch Liberation Front claimed "
        "responsibility and said nine soldiers were killed.",
    ),
    (
        "Reuters",
        "2025-03-12",
        "QUETTA, Pakistan (Reuters) - Separatist militants ambushed a military convoy near Hoshab in Kech "
        "district of Pakistan's Balochistan province on Tuesday, killing five soldiers, a security official "
        "said.",
    ),
    ("Dawn", "2025-04-23", "QUETTA: Gunmen shot dead two shopkeepers in Quetta on Tuesday, police said."),
    (
        "Reuters",
        "2025-05-07",
        "MOGADISHU (Reuters) - An Al Shabaab suicide bomber rammed a car laden with explosives into a "
        "checkpoint in Mogadishu on Tuesday, killing six soldiers, police said.",
    ),
    (
        "Kyiv Independent",
        "2025-03-26",
        "Hundreds of residents held a peaceful protest in Kharkiv on Tuesday demanding the release of "
        "prisoners of war.",
    ),
]


@pytest.fixture
def filled(store, code_report):  # type: ignore[no-untyped-def]
    for outlet, day, text in REPORTS:
        save_one(store, *code_report(text, day, outlet))
    return store


def _export(store, fmt: str, flt: EventFilter | None = None, out: Path | None = None) -> str:  # type: ignore[no-untyped-def]
    with store() as s:
        events = list_events(s, flt)
    buf = io.StringIO()
    export_events(events, fmt, out, buf)
    return buf.getvalue()


def test_acled_columns_are_the_codebooks_in_order() -> None:
    codebook = shared_file("CODEBOOK.md").read_text(encoding="utf-8")
    section = codebook.split("## ACLED export row (column order)")[1].strip().split("\n\n")[0]
    listed = [c.strip() for c in section.replace("\n", " ").split(",") if c.strip()]
    assert list(ACLED_COLUMNS) == [*listed, "iso3"]


def test_acled_columns_cover_the_gold_export_keys() -> None:
    path = shared_file("eval", "acled_global_2020.jsonl")
    with path.open(encoding="utf-8") as f:
        gold_keys = set(json.loads(f.readline())["gold"])
    assert gold_keys - set(ACLED_COLUMNS) <= {"data_id", "event_id_no_cnty"}


def test_acled_rows_use_acleds_value_formats(filled) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(_export(filled, "acled"))))
    assert rows and list(rows[0]) == list(ACLED_COLUMNS)
    hoshab = next(r for r in rows if r["location"] == "Hoshab")
    assert re.fullmatch(r"PAK\d+", hoshab["event_id_cnty"])
    assert (
        hoshab["event_date"] == "2025-03-11" and hoshab["year"] == "2025" and hoshab["time_precision"] == "1"
    )
    assert hoshab["iso"] == "586" and hoshab["iso3"] == "PAK" and hoshab["country"] == "Pakistan"
    assert hoshab["source"] == "Dawn; Reuters"
    assert hoshab["fatalities"] == "5"  # the conservative figure: the one a security official confirmed
    assert re.fullmatch(r"-?\d+\.\d{4}", hoshab["latitude"]) and re.fullmatch(
        r"-?\d+\.\d{4}", hoshab["longitude"]
    )
    assert hoshab["interaction"] in ("12", "13", "10", "20")
    assert hoshab["timestamp"].isdigit() and len(hoshab["timestamp"]) >= 10
    for r in rows:
        assert r["inter1"].isdigit() and r["inter2"].isdigit() and r["fatalities"].isdigit()
        assert r["disorder_type"] in ("Political violence", "Demonstrations", "Strategic developments")
    protest = next(r for r in rows if r["event_type"] == "Protests")
    assert protest["tags"] == "crowd size=no report"


def test_ged_rows_keep_low_best_high_and_who_claimed(filled) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(_export(filled, "ged"))))
    assert list(rows[0]) == list(GED_COLUMNS)
    hoshab = next(r for r in rows if r["where_coordinates"] == "Hoshab")
    assert (hoshab["low"], hoshab["best"], hoshab["high"]) == ("4", "5", "9")
    assert "Baloch Liberation Front" in hoshab["source_original"]
    assert hoshab["number_of_sources"] == "2" and hoshab["source_office"] == "Dawn; Reuters"
    assert hoshab["date_start"] == hoshab["date_end"] == "2025-03-11" and hoshab["date_prec"] == "1"
    assert hoshab["type_of_violence"] == "1"
    assert hoshab["where_prec"].isdigit()
    assert hoshab["geom_wkt"].startswith("POINT (")


def test_jsonl_geojson_and_parquet(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [json.loads(x) for x in _export(filled, "jsonl").splitlines()]
    assert len(lines) == 4 and all(x["event"]["claims"] is not None for x in lines)
    doc = json.loads(_export(filled, "geojson"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 4
    point = doc["features"][0]["geometry"]
    assert point["type"] == "Point" and len(point["coordinates"]) == 2
    out = tmp_path / "events.parquet"
    _export(filled, "parquet", out=out)
    table = pq.read_table(out)
    assert table.num_rows == 4
    assert set(ACLED_COLUMNS) <= set(table.column_names)
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert str(table.schema.field("fatalities").type) == "int32"


def test_filters(filled) -> None:  # type: ignore[no-untyped-def]
    def n(**kw) -> int:  # type: ignore[no-untyped-def]
        with filled() as s:
            return len(list_events(s, EventFilter(**kw)))

    assert n() == 4
    assert n(date_from=date(2025, 4, 1)) == 2
    assert n(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)) == 2
    assert n(country="PAK") == 2 and n(country="pakistan") == 2 and n(country="Somalia") == 1
    assert n(admin1="Balochistan") == 2
    assert n(event_type="Battles") == 1 and n(event_type="Suicide bomb") == 1
    assert n(actor="SHABAAB") == 1
    assert n(country="PAK", event_type="Protests") == 0
