"""One exception hierarchy: every message names the input it could not handle."""

from __future__ import annotations

from pathlib import Path


class ConflictCoderError(Exception):
    """Base of every error the library raises on purpose."""


class IngestError(ConflictCoderError):
    """An input could not be read as an article: the message names the file (and line) and the problem."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")
        self.source, self.reason, self.line = source, reason, line


class LexiconError(ConflictCoderError):
    """A shipped or user data file is malformed."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}" if line is not None else f"{path}: {reason}")
        self.path, self.line = path, line


class GazetteerError(ConflictCoderError):
    """The gazetteer index is missing, unbuildable or a file to import is malformed."""


class EvalError(ConflictCoderError):
    """A gold file for `conflictcoder eval` is malformed."""


class ModelError(ConflictCoderError):
    """Training data for `conflictcoder train`, or a trained model file, is malformed or unusable."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")
        self.source, self.reason, self.line = source, reason, line
