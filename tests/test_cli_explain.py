"""`code --explain`: every event says its trigger, its sentences (and why neighbours were or were not
joined), the typing rule, and why its actors and place were chosen; nothing extra without the flag."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conflictcoder.cli import app

TWO_INCIDENTS = (
    "Militants attacked a police checkpoint in Bannu on Monday, killing two policemen, officials said. "
    "The attackers fled after an exchange of fire lasting an hour. "
    "Separately, gunmen abducted three teachers in Tank district on the same day. "
    "The provincial government announced a new budget for schools."
)


def _article(tmp_path: Path) -> Path:
    f = tmp_path / "two.txt"
    f.write_text(TWO_INCIDENTS, encoding="utf-8")
    return f


def test_explain_in_json_and_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["code", str(_article(tmp_path)), "--published", "2025-03-05", "--explain"])
    assert res.exit_code == 0, res.output
    clash, abduction = json.loads(res.stdout)["events"]
    assert (clash["sub_event_type"], abduction["sub_event_type"]) == (
        "Armed clash",
        "Abduction/forced disappearance",
    )
    x = clash["explain"]
    assert x["trigger"] == "exchange of fire" and x["trigger_sentence"] == 1
    joined = {d["sentence"]: d for d in x["sentences"]}
    assert joined[0]["joined"] and joined[1]["joined"] and "continues" in joined[1]["why"]
    assert not joined[2]["joined"] and "new-incident marker" in joined[2]["why"]
    assert [r.split(":")[0] for r in x["type_rules"]] == clash["type_reason"]["rules"]
    assert x["actor1"]["value"] == clash["actor1"] and "agent of 'attacked'" in x["actor1"]["why"]
    assert x["actor2"]["value"] == clash["actor2"]
    assert {c["mention"]: c["why"] for c in x["actors_left_out"]}["attackers"].startswith("another mention")
    assert x["place"]["value"] == clash["location"] == "Bannu" and "grouped by" in x["place"]["why"]
    y = abduction["explain"]
    last = next(d for d in y["sentences"] if d["sentence"] == 3)
    assert not last["joined"] and "no incident trigger" in last["why"]
    assert y["actor2"]["mention"] == "teachers"
    assert "event 1 of" in res.stderr and "event 2 of" in res.stderr
    assert "typing rules: trigger-type" in res.stderr and "not joined: part of incident 2" in res.stderr


def test_no_explain_without_the_flag(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["code", str(_article(tmp_path)), "--published", "2025-03-05"])
    assert res.exit_code == 0, res.output
    events = json.loads(res.stdout)["events"]
    assert events and all("explain" not in e for e in events)
    assert all(e["type_reason"]["by"] == "rules" and e["type_reason"]["rules"] for e in events)
    assert "typing rules" not in res.stderr


def test_explain_with_a_table_goes_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    args = ["code", str(_article(tmp_path)), "--published", "2025-03-05", "--explain", "-f", "table"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "conflictcoder events" in res.stdout and "typing rules:" in res.stdout
    assert "joined: starts a new incident" in res.stdout
