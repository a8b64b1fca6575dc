"""The one loader of shipped data files (lexicons, actor dictionaries): JSONL validated row by row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from conflictcoder.errors import LexiconError

T = TypeVar("T", bound=BaseModel)


def data_file(name: str, lexicon_dir: Path | None) -> Path:
    """A data file from the user's lexicon directory when it has one, else the packaged copy.

    `lexicon_dir` is the settings' (CONFLICTCODER_LEXICON_DIR), passed by `word_lists.load_lexicons`; None
    means the packaged files. Nothing here reads the settings itself.
    """
    if lexicon_dir is not None and (lexicon_dir / name).is_file():
        return lexicon_dir / name
    return Path(str(files("conflictcoder") / "data" / name))


def read_json_object(path: Path) -> dict[str, Any]:
    """A JSON word-list file as a dict; a file that is not a JSON object raises LexiconError naming it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise LexiconError(path, err.lineno, err.msg) from err
    if not isinstance(raw, dict):
        raise LexiconError(path, None, "expected a JSON object of word lists")
    return raw


def _rows(path: Path) -> Iterator[tuple[int, str]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            yield n, line


def load_jsonl(model: type[T], path: Path) -> list[T]:
    """Parse every non-blank line of `path` as `model`.

    A bad line raises LexiconError naming the file and the line.
    """
    out: list[T] = []
    for n, line in _rows(path):
        try:
            out.append(model.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as err:
            reason = str(err).splitlines()[0] if isinstance(err, json.JSONDecodeError) else _brief(err)
            raise LexiconError(path, n, reason) from err
    return out


def _brief(err: ValidationError) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    return f"{loc}: {first['msg']}" if loc else first["msg"]
