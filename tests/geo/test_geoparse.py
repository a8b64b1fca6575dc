"""The geoparser on its own: `conflictcoder places` and the roles the event coder relies on."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conflictcoder.cli import app
from conflictcoder.pipeline import Coder

TEXT = (
    "QUETTA: Gunmen attacked a Levies post near Zehri in Khuzdar district of Balochistan on Monday, "
    "officials in Turbat said. Islamabad condemned the attack."
)


def _roles(coder: Coder, text: str) -> dict[str, str]:
    geo = coder.geoparser.parse(coder.nlp(text))
    return {m.name: m.role for m in geo.mentions}


def test_roles_dateline_speaker_location_government_and_sites(coder: Coder) -> None:
    roles = _roles(coder, TEXT)
    assert roles == {
        "QUETTA": "dateline",
        "Zehri": "site",
        "Khuzdar": "site",
        "Balochistan": "site",
        "Turbat": "speaker_location",
        "Islamabad": "government",
    }


def test_a_small_city_as_subject_is_still_a_site(coder: Coder) -> None:
    assert (
        _roles(coder, "Town people in Khuzdar said that Khuzdar welcomed the decision.")["Khuzdar"] == "site"
    )


def test_places_command_json_and_table(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["places", str(f)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["countries"][0]["iso3"] == "PAK"
    by_text = {p["text"]: p for p in out["places"]}
    khuzdar = by_text["Khuzdar"]
    assert (khuzdar["feature_code"], khuzdar["country"], khuzdar["admin1"]) == ("ADM2", "PAK", "Balochistan")
    assert TEXT[khuzdar["start"] : khuzdar["end"]] == "Khuzdar"
    zehri = by_text["Zehri"]
    assert zehri["admin2"] == "Khuzdar" and zehri["latitude"] is not None and zehri["reason"]
    table = runner.invoke(app, ["places", str(f), "--format", "table", "--out", str(tmp_path / "t.txt")])
    assert table.exit_code == 0 and "Khuzdar" in (tmp_path / "t.txt").read_text(encoding="utf-8")


def test_places_command_reports_a_bad_file_and_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad.write_bytes(b"\x00\x01binary")
    res = runner.invoke(app, ["places", str(good), str(bad), "--format", "jsonl"])
    assert res.exit_code == 1
    assert "b.txt" in res.stderr
    assert len(res.stdout.splitlines()) == 1
