"""`conflictcoder train` then `code --model` / `eval --model`, and the model's place in the pipeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from conflictcoder.cli import app
from conflictcoder.learn import SubEventModel
from conflictcoder.learn.classifier import ModelMeta
from conflictcoder.learn.features import FeatureConfig
from conflictcoder.pipeline import Coder
from tests.learn.texts import LABELLED, write_labels

PROTEST = (
    "Hundreds of teachers marched peacefully to the parliament in Quetta on Monday, demanding higher pay."
)


def _one_word_model(word: str, rules_sub: str, model_sub: str) -> SubEventModel:
    """A model that gives `model_sub` probability ~1 to any text containing `word`, else 0.5."""
    meta = ModelMeta(
        classes=[rules_sub, model_sub],  # type: ignore[list-item]
        features=FeatureConfig(word_ngrams=1, char_max=0),
        trained_on="hand-made",
        rows=2,
        class_counts={rules_sub: 1, model_sub: 1},  # type: ignore[dict-item]
        c=1.0,
        created=datetime(2025, 1, 1, tzinfo=UTC),
        sklearn_version="none",
    )
    return SubEventModel(meta, {f"w {word}": 0}, np.ones(1), np.array([[-8.0, 8.0]]), np.zeros(2))


def test_pipeline_takes_a_confident_models_type_and_keeps_the_rest(coder: Coder, code_text) -> None:  # type: ignore[no-untyped-def]
    rules = code_text(PROTEST).events[0]
    assert rules.sub_event_type == "Peaceful protest"
    coder.model = _one_word_model("teachers", "Peaceful protest", "Looting/property destruction")
    try:
        retyped = code_text(PROTEST).events[0]
        coder.model = _one_word_model("nurses", "Peaceful protest", "Looting/property destruction")
        unsure = code_text(PROTEST).events[0]  # p = 0.5 for both: below the threshold, the rules stand
    finally:
        coder.model = None
    assert retyped.sub_event_type == "Looting/property destruction"
    assert retyped.event_type == retyped.disorder_type == "Strategic developments"
    assert (retyped.location, retyped.admin1, retyped.fatalities) == (
        rules.location,
        rules.admin1,
        rules.fatalities,
    )
    assert unsure.model_dump() == rules.model_dump()


def test_train_then_code_with_the_model(runner: CliRunner, tmp_path: Path) -> None:
    # Labels that no rule would give (protests called property destruction) show that the model is used.
    odd = [(t, "Looting/property destruction" if s == "Peaceful protest" else s) for t, s in LABELLED]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"text": t, "sub_event_type": s}) + "\n" for t, s in odd))
    model = tmp_path / "mine.model"
    res = runner.invoke(app, ["train", "--labels", str(labels), "--out", str(model), "--threshold", "0.3"])
    assert res.exit_code == 0, res.output
    assert "trained on 24 rows" in res.stderr and model.is_file()
    article = tmp_path / "a.txt"
    article.write_text(PROTEST, encoding="utf-8")
    plain = runner.invoke(app, ["code", str(article)])
    with_model = runner.invoke(app, ["code", str(article), "--model", str(model)])
    assert plain.exit_code == 0 and with_model.exit_code == 0, with_model.output
    assert json.loads(plain.stdout)["events"][0]["sub_event_type"] == "Peaceful protest"
    event = json.loads(with_model.stdout)["events"][0]
    assert event["sub_event_type"] == "Looting/property destruction"
    assert event["event_type"] == "Strategic developments"
    assert "model mine.model: 4 sub-event types" in with_model.stderr


def test_train_from_an_acled_export_and_eval_with_it(runner: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    lines = ["event_id_cnty,EVENT_TYPE,SUB_EVENT_TYPE,NOTES"]
    for n, (text, sub) in enumerate(LABELLED):
        et = {"Peaceful protest": "Protests", "Armed clash": "Battles", "Arrests": "Strategic developments"}
        lines.append(f'X{n},{et.get(sub, "Explosions/Remote violence")},{sub},"{text}"')
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "acled.npz"
    res = runner.invoke(app, ["train", "--acled", str(export), "-o", str(model)])
    assert res.exit_code == 0, res.output
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "g1",
                "text": PROTEST,
                "gold": {"event_type": "Protests", "sub_event_type": "Peaceful protest"},
            }
        )
        + "\n"
    )
    report = tmp_path / "report.json"
    res = runner.invoke(
        app, ["eval", str(gold), "--split", "all", "--model", str(model), "--out", str(report)]
    )
    assert res.exit_code == 0, res.output
    scored = json.loads(report.read_text())
    assert scored["model"].startswith("4 sub-event types") and "export.csv" in scored["model"]
    assert scored["accuracy"]["sub_event_type"]["value"] == 1.0


def test_train_errors_are_reported(runner: CliRunner, tmp_path: Path) -> None:
    labels = write_labels(tmp_path / "labels.jsonl")
    both = runner.invoke(app, ["train", "--labels", str(labels), "--acled", str(labels), "-o", "x"])
    neither = runner.invoke(app, ["train", "-o", str(tmp_path / "x")])
    assert both.exit_code == neither.exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Police arrested two men.", "sub_event_type": "Arrests"}\n{"text": 3}\n')
    res = runner.invoke(app, ["train", "--labels", str(bad), "-o", str(tmp_path / "m")])
    assert res.exit_code == 1 and f"error: {bad}:2: no text" in " ".join(res.stderr.split())
    assert not (tmp_path / "m").exists()
    article = tmp_path / "a.txt"
    article.write_text(PROTEST, encoding="utf-8")
    res = runner.invoke(app, ["code", str(article), "--model", str(tmp_path / "absent.npz")])
    assert res.exit_code == 1 and "absent.npz: no such model file" in " ".join(res.stderr.split())
    assert res.stdout == ""
