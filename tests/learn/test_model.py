"""Training data readers, fitting, the pickle-free model file, and the rules+model decision."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from conflictcoder.errors import ConflictCoderError, ModelError
from conflictcoder.learn import SubEventModel, choose, load_model
from conflictcoder.learn.classifier import ModelMeta
from conflictcoder.learn.features import FeatureConfig, analyze
from conflictcoder.learn.train import (
    TrainingData,
    fit,
    fit_estimators,
    read_acled_csv,
    read_labels_jsonl,
    train_file,
)
from tests.learn.texts import LABELLED, write_labels


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[SubEventModel, TrainingData]:
    labels = write_labels(tmp_path_factory.mktemp("learn") / "labels.jsonl")
    data = read_labels_jsonl(labels)
    return fit(data), data


def test_features_fold_digits_and_case_and_keep_bigrams() -> None:
    feats = analyze("Fired at 23 posts", FeatureConfig())
    assert "w fired at" in feats and "w 00" in feats and "w posts" in feats
    assert "c  fi" in feats and "c sts " in feats
    assert not [f for f in analyze("Fired at", FeatureConfig(char_max=0)) if f.startswith("c ")]


def test_labels_file_is_read_with_lines(trained: tuple[SubEventModel, TrainingData]) -> None:
    _, data = trained
    assert len(data.rows) == len(LABELLED) and data.rows[0].line == 1
    assert {r.sub_event_type for r in data.rows} == {s for _, s in LABELLED}


def test_model_types_unseen_texts(trained: tuple[SubEventModel, TrainingData]) -> None:
    model, _ = trained
    assert set(model.classes) == {s for _, s in LABELLED}
    cases = {
        "Hundreds of workers marched to the parliament demanding pay.": "Peaceful protest",
        "Police arrested two suspected members of an armed group.": "Arrests",
        "Mortar shells and rockets struck the city overnight.": "Shelling/artillery/missile attack",
    }
    for text, sub in cases.items():
        probs = model.predict(text)
        assert next(iter(probs)) == sub, (text, probs)
        assert sum(probs.values()) == pytest.approx(1.0)


def test_prediction_equals_scikit_learn(trained: tuple[SubEventModel, TrainingData]) -> None:
    """The model file's own arithmetic reproduces the fitted scikit-learn pipeline."""
    model, data = trained
    vectorizer, clf = fit_estimators(data, model.meta.c, model.meta.features)
    texts = [t for t, _ in LABELLED[::5]] + ["A text with no known feature: zzzz qqqq.", ""]
    expected = clf.predict_proba(vectorizer.transform(texts))
    assert list(clf.classes_) == model.classes
    np.testing.assert_allclose(model.predict_proba(texts), expected, rtol=1e-4, atol=1e-5)


def test_binary_model_matches_scikit_learn() -> None:
    rows = [(t, s) for t, s in LABELLED if s in ("Arrests", "Peaceful protest")]
    data = read_labels_from(rows)
    model = fit(data)
    vectorizer, clf = fit_estimators(data, model.meta.c, model.meta.features)
    texts = ["Police detained a protester.", "Teachers marched."]
    np.testing.assert_allclose(
        model.predict_proba(texts), clf.predict_proba(vectorizer.transform(texts)), rtol=1e-4, atol=1e-5
    )


def read_labels_from(rows: list[tuple[str, str]]) -> TrainingData:
    from conflictcoder.learn.train import LabeledText

    return TrainingData("test", [LabeledText(t, s, n) for n, (t, s) in enumerate(rows, 1)], 0)


def test_save_and_load_round_trip_without_pickle(
    trained: tuple[SubEventModel, TrainingData], tmp_path: Path
) -> None:
    model, _ = trained
    path = tmp_path / "m.model"  # no extension is added to the name the user gives
    model.save(path)
    assert path.is_file() and not list(tmp_path.glob("*.npz"))
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["coef.npy", "idf.npy", "intercept.npy", "meta.npy", "vocab.npy"]
    with np.load(path, allow_pickle=False) as npz:  # plain arrays: nothing in the file is executed
        meta = json.loads(npz["meta"].tobytes())
    assert meta["format"] == "conflictcoder-sub-event-model" and meta["rows"] == len(LABELLED)
    again = load_model(path)
    assert again.meta == model.meta
    texts = ["Troops and rebels exchanged fire.", "Students rallied."]
    np.testing.assert_allclose(again.predict_proba(texts), model.predict_proba(texts), rtol=1e-5)


def _resave(src: Path, dst: Path, **changes: np.ndarray) -> Path:
    with np.load(src, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays.update(changes)
    for k in [k for k, v in changes.items() if v is None]:
        del arrays[k]
    with dst.open("wb") as fh:
        np.savez(fh, **arrays)
    return dst


def test_bad_model_files_are_named(trained: tuple[SubEventModel, TrainingData], tmp_path: Path) -> None:
    model, _ = trained
    good = tmp_path / "good.npz"
    model.save(good)
    text = tmp_path / "notes.txt"
    text.write_text("not a model", encoding="utf-8")
    meta = json.loads(model.meta.model_dump_json())
    meta["classes"][0] = "Skirmish"
    single = tmp_path / "single.npy"
    np.save(single, np.ones(3))
    bad_meta = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    cases = {
        tmp_path / "missing.npz": "no such model file",
        text: "not a conflictcoder model file",
        single: "a single array, not a .npz archive",
        _resave(good, tmp_path / "nocoef.npz", coef=None): "no 'coef' array",
        _resave(good, tmp_path / "shape.npz", idf=np.ones(3, dtype=np.float32)): "array 'idf' has shape",
        _resave(good, tmp_path / "meta.npz", meta=bad_meta): "bad model metadata at 'classes.0'",
    }
    for path, problem in cases.items():
        with pytest.raises(ModelError) as err:
            load_model(path)
        assert str(err.value).startswith(f"{path}: ") and problem in str(err.value), str(err.value)


def test_acled_csv_any_case_any_delimiter_multiline_notes(tmp_path: Path) -> None:
    rows = [
        "EVENT_DATE;EVENT_TYPE;SUB_EVENT_TYPE;NOTES",
        '2024-01-01;Battles;armed clash;"Troops and rebels exchanged fire.\nTwo were killed."',
        "2024-01-02;Protests;Peaceful protest;",
        "2024-01-03;Strategic developments;Arrests;Police arrested four men.",
    ]
    f = tmp_path / "export.csv"
    f.write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")  # a byte-order mark, as Excel writes
    data = read_acled_csv(f)
    assert [(r.sub_event_type, r.line) for r in data.rows] == [("Armed clash", 2), ("Arrests", 5)]
    assert data.skipped_empty == 1 and "\n" in data.rows[0].text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("notes,event_type\nA clash.,Battles\n", ":1: no sub_event_type column in the header (older ACLED"),
        ("notes,sub_event_type\nA clash.,Armed clash\nA fight.,Skirmish\n", ":3: 'Skirmish' is not one of"),
        (
            'notes,event_type,sub_event_type\n"Two\nlines.",Battles,Armed clash\nA raid.,Protests,Arrests\n',
            ":4: sub-event type 'Arrests' belongs to 'Strategic developments', not 'Protests'",
        ),
        ("notes,sub_event_type\nonly one field\n", ":2: 1 fields, the header has 2"),
        ("", ":1: empty file"),
    ],
)
def test_bad_acled_csv_names_file_and_line(tmp_path: Path, content: str, problem: str) -> None:
    f = tmp_path / "export.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as err:
        read_acled_csv(f)
    assert str(err.value).startswith(str(f)) and problem in str(err.value), str(err.value)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", ":2: malformed JSON"),
        ('["a list"]', ":2: expected an object"),
        ('{"sub_event_type": "Arrests"}', ":2: no text"),
        ('{"text": "A raid.", "sub_event_type": "Raid"}', ":2: 'Raid' is not one of ACLED's 25"),
        (
            '{"text": "A raid.", "sub_event_type": "Arrests", "event_type": "Riot"}',
            ":2: 'Riot' is not one of",
        ),
    ],
)
def test_bad_labels_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    f = tmp_path / "labels.jsonl"
    f.write_text('{"text": "Police arrested two men.", "sub_event_type": "Arrests"}\n' + line + "\n")
    with pytest.raises(ModelError) as err:
        read_labels_jsonl(f)
    assert problem in str(err.value) and str(err.value).startswith(str(f))


def test_too_little_data_is_refused(tmp_path: Path) -> None:
    one_type = read_labels_from([(t, "Arrests") for t, _ in LABELLED])
    with pytest.raises(ModelError, match="at least two are needed"):
        fit(one_type)
    with pytest.raises(ModelError, match="at least 10 are needed"):
        fit(read_labels_from(LABELLED[:3]))
    with pytest.raises(ConflictCoderError, match="cannot read"):
        train_file(tmp_path / "absent.jsonl", "labels", tmp_path / "m.npz")


def test_choose_keeps_rules_unless_the_model_is_confident() -> None:
    probs = {"Attack": 0.62, "Armed clash": 0.30, "Grenade": 0.08}
    assert choose("Armed clash", 5, probs, 0.5)[0] == "Attack"
    assert choose("Armed clash", 5, probs, 0.7) == ("Armed clash", None)
    assert choose("Attack", 5, probs, 0.5) == ("Attack", None)
    weak = {"Attack": 0.35, "Armed clash": 0.33, "Grenade": 0.32}
    assert choose("Armed clash", 1, weak, 0.5)[0] == "Attack"  # a generic rule cue gives way sooner
    assert choose("Armed clash", 5, weak, 0.5)[0] == "Armed clash"
    _, reason = choose("Armed clash", 5, probs, 0.5)
    assert reason is not None and "0.62" in reason and "Armed clash" in reason


def test_meta_rejects_unknown_sub_event_types() -> None:
    with pytest.raises(ValueError, match="classes"):
        ModelMeta.model_validate(
            {
                "classes": ["Armed clash", "Skirmish"],
                "features": {},
                "trained_on": "x",
                "rows": 1,
                "class_counts": {},
                "c": 1.0,
                "created": "2025-01-01T00:00:00Z",
                "sklearn_version": "1",
            }
        )
