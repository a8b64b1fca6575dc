"""The one loader of shipped data files (lexicons, actor dictionaries): JSONL validated row by row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from conflictcoder.errors import LexiconError

T = TypeVar("T", bound=BaseModel)


def data_file(name: str, lexicon_dir: Path | None = None) -> Path:
    """A data file from the user's lexicon directory when it has one, else the packaged copy.

    Without an explicit `lexicon_dir`, CONFLICTCODER_LEXICON_DIR (the settings) decides, so every data file
    (word lists loaded at import included) can be replaced the same way.
    """
    if lexicon_dir is None:
        from conflictcoder.settings import get_settings  # settings import nothing of ours; no cycle

        lexicon_dir = get_settings().lexicon_dir
    if lexicon_dir is not None and (lexicon_dir / name).is_file():
        return lexicon_dir / name
    return Path(str(files("conflictcoder") / "data" / name))


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
