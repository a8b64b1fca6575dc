"""The store commands: ingest (bad input reported, the rest stored), export, events show/split, db."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from conflictcoder.cli import app
from conflictcoder.settings import get_settings
from conflictcoder.store.db import head_revision

DAWN = (
    "QUETTA: At least four soldiers were martyred when militants ambushed a Frontier Corps convoy in "
    "Hoshab area of Kech district on Tuesday, the ISPR said."
)
REUTERS = (
    "QUETTA, Pakistan (Reuters) - Separatist militants ambushed a military convoy near Hoshab in Kech "
    "district of Pakistan's Balochistan province on Tuesday, killing five soldiers, a security official said."
)


def test_ingest_export_show_split(runner: CliRunner, store_url: str, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.json").write_text(
        json.dumps({"text": DAWN, "outlet": "Dawn", "published": "2025-03-12"}), encoding="utf-8"
    )
    (inputs / "b.json").write_text(
        json.dumps({"text": REUTERS, "outlet": "Reuters", "published": "2025-03-12"}), encoding="utf-8"
    )
    (inputs / "c.json").write_text("{broken", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(inputs), "--db", store_url])
    assert res.exit_code == 1, res.output
    assert f"error: {inputs / 'c.json'}:" in res.stderr
    assert "2 new" in res.stderr and "1 unreadable" in res.stderr
    again = runner.invoke(app, ["ingest", str(inputs / "a.json"), str(inputs / "b.json"), "--db", store_url])
    assert again.exit_code == 0 and "2 unchanged" in again.stderr

    res = runner.invoke(app, ["export", "--format", "acled", "--db", store_url, "--country", "PAK"])
    assert res.exit_code == 0, res.output
    [row] = list(csv.DictReader(io.StringIO(res.stdout)))
    assert row["source"] == "Dawn; Reuters" and row["location"] == "Hoshab"

    event_id = json.loads(
        runner.invoke(app, ["export", "--format", "jsonl", "--db", store_url]).stdout.splitlines()[0]
    )["event"]["event_id"]
    shown = runner.invoke(app, ["events", "show", event_id, "--db", store_url])
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.stdout)
    assert [h["action"] for h in detail["history"]] == ["create", "merge"]
    second = detail["reports"][1]["mention_id"]
    split = runner.invoke(app, ["events", "split", event_id, second, "--db", store_url])
    assert split.exit_code == 0, split.output
    res = runner.invoke(app, ["export", "--format", "ged", "--db", store_url])
    assert len(list(csv.DictReader(io.StringIO(res.stdout)))) == 2

    bad = runner.invoke(app, ["events", "split", "no-such-event", "x", "--db", store_url])
    assert bad.exit_code == 1 and "error: no-such-event: no such event" in bad.stderr


def test_db_upgrade_and_current(runner: CliRunner, store_url: str) -> None:
    res = runner.invoke(app, ["db", "upgrade", "--db", store_url])
    assert res.exit_code == 0, res.output
    assert f"schema at revision {head_revision()}" in res.stderr  # the newest migration
    res = runner.invoke(app, ["db", "current", "--db", store_url])
    assert f"current: {head_revision()}" in res.stdout


def test_default_store_is_a_sqlite_file_in_the_data_directory(runner: CliRunner) -> None:
    res = runner.invoke(app, ["db", "upgrade"])
    assert res.exit_code == 0, res.output
    assert (get_settings().data_dir / "conflictcoder.sqlite").is_file()


def test_export_problems_are_one_line_errors(runner: CliRunner, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    res = runner.invoke(app, ["export", "--format", "parquet", "--db", db])
    assert res.exit_code == 1 and "error: --format parquet: give --out FILE" in res.stderr
    res = runner.invoke(app, ["export", "--db", "nonsense://"])
    assert res.exit_code == 1 and res.stderr.startswith("error:")
    res = runner.invoke(app, ["export", "--from", "yesterday", "--db", db])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
