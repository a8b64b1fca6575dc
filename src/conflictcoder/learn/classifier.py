"""A trained sub-event-type model: its file format, loading and saving, and probabilities for texts.

File format (version 1), written by `conflictcoder train`: a NumPy `.npz` archive (a zip) holding
- `meta`: a JSON document described by `ModelMeta` (classes, feature settings, threshold, provenance);
- `vocab`: the feature strings in column order, UTF-8, one per line;
- `idf`: the inverse document frequency of each feature (float32);
- `coef`: one row per feature, one column per class (float32);
- `intercept`: one value per class (float32).

The archive is read with `allow_pickle=False`: loading a model file reads arrays and JSON and runs no code
from it (unlike pickle or joblib files), so a model from someone else is data, not a program.

Prediction is the one the model was fitted with (scikit-learn's TfidfVectorizer with sublinear tf and l2
norm, then a multinomial LogisticRegression): the text's features (features.py) are counted, weighted
1 + log(count) times idf, l2-normalized, and the class probabilities are softmax(x · coef + intercept).
No scikit-learn is needed to predict.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from conflictcoder.errors import ModelError
from conflictcoder.learn.features import FeatureConfig, analyze
from conflictcoder.model import SubEventType

FORMAT = "conflictcoder-sub-event-model"
#: Probability from which the model's sub-event type replaces the rules' (see combine.py).
DEFAULT_THRESHOLD = 0.5
ARRAYS = ("meta", "vocab", "idf", "coef", "intercept")


class ModelMeta(BaseModel):
    """The JSON part of a model file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["conflictcoder-sub-event-model"] = FORMAT
    version: Literal[1] = 1
    classes: list[SubEventType] = Field(min_length=2, description="ACLED sub-event types, column order")
    features: FeatureConfig
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    trained_on: str = Field(description="name of the training file (no path)")
    rows: int = Field(ge=1, description="training rows")
    class_counts: dict[SubEventType, int]
    c: float = Field(gt=0, description="inverse regularization strength of the logistic regression")
    created: datetime
    sklearn_version: str

    @model_validator(mode="after")
    def _distinct_classes(self) -> ModelMeta:
        if len(set(self.classes)) != len(self.classes):
            raise ValueError("classes repeat")
        return self


class SubEventModel:
    """Probabilities of ACLED sub-event types for texts; built by `fit` (train.py) or `load`."""

    def __init__(
        self,
        meta: ModelMeta,
        vocab: dict[str, int],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.meta, self.vocab, self.idf, self.coef, self.intercept = meta, vocab, idf, coef, intercept

    @property
    def classes(self) -> list[str]:
        return list(self.meta.classes)

    @property
    def threshold(self) -> float:
        return self.meta.threshold

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per class (`classes` order); rows sum to 1."""
        scores = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        known = self.vocab.get
        for row, text in enumerate(texts):
            # count first, then look up each distinct feature once, in C loops (the lookups dominate)
            counts = Counter(analyze(text, self.meta.features))
            ids = np.fromiter(map(known, counts.keys(), repeat(-1)), dtype=np.int64, count=len(counts))
            hit = ids >= 0
            if not hit.any():
                continue
            idx = ids[hit]
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))[hit])
            x = tf * self.idf[idx]
            x /= np.linalg.norm(x)
            scores[row] += x @ self.coef[idx]
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, text: str) -> dict[str, float]:
        """Each class's probability for one text, highest first."""
        probs = self.predict_proba([text])[0]
        order = np.argsort(-probs)
        return {self.meta.classes[i]: float(probs[i]) for i in order}

    def save(self, path: Path) -> None:
        """Write the model file (atomically: a partial file never replaces a good one)."""
        arrays = {
            "meta": np.frombuffer(self.meta.model_dump_json().encode("utf-8"), dtype=np.uint8),
            "vocab": np.frombuffer(
                "\n".join(sorted(self.vocab, key=self.vocab.__getitem__)).encode("utf-8"), dtype=np.uint8
            ),
            "idf": self.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
        }
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        try:
            with tmp.open("wb") as fh:
                np.savez_compressed(fh, allow_pickle=False, **arrays)
            tmp.replace(path)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            raise ModelError(str(path), f"cannot write the model file: {err.strerror or err}") from err

    @classmethod
    def load(cls, path: Path) -> SubEventModel:
        """Read and check a model file written by `save` (no code in the file is run)."""
        where = str(path)
        if not path.is_file():
            raise ModelError(where, "no such model file")
        try:
            loaded = np.load(path, allow_pickle=False)
            if not isinstance(loaded, np.lib.npyio.NpzFile):
                raise ModelError(where, "not a conflictcoder model file (a single array, not a .npz archive)")
            with loaded as npz:
                absent = [k for k in ARRAYS if k not in npz.files]
                if absent:
                    raise ModelError(where, f"not a conflictcoder model file: no {absent[0]!r} array")
                arrays = {k: npz[k] for k in ARRAYS}
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
            raise ModelError(where, "not a conflictcoder model file (expected a .npz archive)") from err
        try:
            raw = json.loads(arrays["meta"].tobytes().decode("utf-8"))
            if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                raise ModelError(where, "not a conflictcoder model file (wrong format marker)")
            meta = ModelMeta.model_validate(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelError(where, f"unreadable model metadata: {err}") from err
        except ValidationError as err:
            first = err.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            raise ModelError(where, f"bad model metadata at {loc!r}: {first['msg']}") from err
        features = arrays["vocab"].tobytes().decode("utf-8").split("\n")
        n, k = len(features), len(meta.classes)
        shapes = {"idf": (n,), "coef": (n, k), "intercept": (k,)}
        for name, shape in shapes.items():
            if arrays[name].shape != shape:
                raise ModelError(where, f"array {name!r} has shape {arrays[name].shape}, expected {shape}")
            if not np.all(np.isfinite(arrays[name])):
                raise ModelError(where, f"array {name!r} holds values that are not finite numbers")
        return cls(
            meta,
            {f: i for i, f in enumerate(features)},
            arrays["idf"].astype(np.float64),
            arrays["coef"].astype(np.float32),
            arrays["intercept"].astype(np.float64),
        )

    def describe(self) -> str:
        return (
            f"{len(self.meta.classes)} sub-event types, {len(self.vocab):,} features, trained on "
            f"{self.meta.rows:,} rows of {self.meta.trained_on}, threshold {self.meta.threshold:g}"
        )


def load_model(path: Path) -> SubEventModel:
    return SubEventModel.load(path)
