"""The command-line contract: formats, metadata, and bad input that never stops the other inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictcoder.cli import app

INCIDENT = "Gunmen shot dead two policemen at a checkpoint in Peshawar on Monday, police said."


def test_json_output_for_one_article(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(INCIDENT, encoding="utf-8")
    res = runner.invoke(app, ["code", str(f), "--published", "2025-03-05", "--outlet", "Daily Test"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["article"]["published"] == "2025-03-05" and out["article"]["outlet"] == "Daily Test"
    (event,) = out["events"]
    assert event["event_date"] == "2025-03-03"  # the Monday before Wednesday 5 March
    assert event["location"] == "Peshawar" and event["admin1"] == "Khyber Pakhtunkhwa"
    assert event["fatalities"]["best"] == 2


def test_jsonl_keeps_ids_and_order_and_reports_bad_lines(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_text(
        "\n".join(
            [
                json.dumps({"id": "first", "text": INCIDENT, "published": "2025-03-05"}),
                "{not json",
                json.dumps({"id": 7, "text": "The central bank kept interest rates unchanged on Tuesday."}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["code", str(f), "--format", "jsonl"])
    assert res.exit_code == 1
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["first", "7"]
    assert lines[1]["events"] == [] and "no incident" in lines[1]["reason"]
    assert f"{f}:2:" in res.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blob.txt", b"\x00\x01\x02binary", "binary"),
        ("report.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_files_are_named_and_the_rest_still_coded(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(INCIDENT, encoding="utf-8")
    res = runner.invoke(app, ["code", str(bad), str(good), "--published", "2025-03-05", "-f", "jsonl"])
    assert res.exit_code == 1
    assert str(bad) in res.stderr and message in res.stderr
    assert "Traceback" not in res.output
    (coded,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert coded["events"]


def test_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["code", str(tmp_path / "nope.txt")])
    assert res.exit_code == 1 and "no such file" in res.stderr


def test_text_without_incident_is_not_an_error(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "weather.txt"
    f.write_text(
        "Heavy rain is expected across the province this weekend, forecasters said.", encoding="utf-8"
    )
    res = runner.invoke(app, ["code", str(f)])
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    assert out["events"] == [] and out["reason"]


def test_table_and_out_file(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(INCIDENT, encoding="utf-8")
    target = tmp_path / "out.txt"
    res = runner.invoke(
        app, ["code", str(f), "--published", "2025-03-05", "-f", "table", "--out", str(target)]
    )
    assert res.exit_code == 0
    assert "Peshawar" in target.read_text(encoding="utf-8")


def test_bad_published_date_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(INCIDENT, encoding="utf-8")
    res = runner.invoke(app, ["code", str(f), "--published", "9 Jan"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
