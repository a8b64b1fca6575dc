"""The output folder of `conflictcoder batch --out DIR`, built so that an interrupted run resumes.

The inputs are read in a fixed order and cut into numbered chunks of `chunk_size` items. Each coded
chunk is written to `parts/NNNNN/NNNNNNNNN.jsonl` under a temporary name and renamed into place, so a
part exists whole or not at all: the parts present are the chunks done. `manifest.json` records the run
(inputs with their sizes and modification times, chunk size, metadata defaults, model), so a re-run with
the same command codes only the missing chunks, and a different command is refused rather than mixed in.

When every chunk is done, the parts are joined in order into the results (each written under a
temporary name and renamed), the manifest is marked complete, and the parts are removed:
- `articles.jsonl`: one coded article per line, as `conflictcoder code --format jsonl` writes them;
- `events.parquet`: one row per event, with the store's export columns (`batch.columns`);
- `errors.jsonl`: one unreadable or uncodable input per line (`source`, `line`, `reason`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.model import CodedArticle

MANIFEST = "manifest.json"
PARTS = "parts"
ARTICLES = "articles.jsonl"
EVENTS = "events.parquet"
ERRORS = "errors.jsonl"
FORMAT_VERSION = 1


class BatchError(ConflictCoderError):
    """A batch run cannot start or finish (the message names the folder or input and the problem)."""


class Manifest(BaseModel):
    """What a batch run was asked to do; a resumed run must ask the same."""

    format_version: int = FORMAT_VERSION
    inputs: list[str]
    files: list[tuple[str, int, int]]  # every input file: path, size, modification time (ns)
    chunk_size: int
    defaults: dict[str, Any]
    model: str | None = None
    complete: bool = False

    def same_run(self, other: Manifest) -> bool:
        return self.model_dump(exclude={"complete"}) == other.model_dump(exclude={"complete"})


def input_files(paths: Sequence[str]) -> list[tuple[str, int, int]]:
    """Every input file under `paths` (directories walked for the files the readers take, hidden
    entries skipped) with its size and modification time."""
    from conflictcoder.ingest.paths import READERS, stream_reader

    found: list[tuple[str, int, int]] = []
    for given in paths:
        path = Path(given)
        files = (
            sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and (p.suffix.lower() in READERS or stream_reader(p) is not None)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if path.is_dir()
            else [path]
        )
        for file in files:
            try:
                st = file.stat()
            except OSError:
                found.append((str(file), -1, -1))  # the reader reports it
                continue
            found.append((str(file), st.st_size, st.st_mtime_ns))
    return found


class OutDir:
    """An output folder: its manifest, the chunks already done, atomic part writes and the final join."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def start(self, manifest: Manifest) -> set[int]:
        """Create the folder or check it holds the same run; returns the numbers of the chunks done."""
        path = self.root / MANIFEST
        if path.is_file():
            try:
                found = Manifest.model_validate_json(path.read_text(encoding="utf-8"))
            except ValueError as err:
                raise BatchError(f"{path}: not a batch manifest ({err})") from err
            if not found.same_run(manifest):
                raise BatchError(
                    f"{self.root}: holds the output of a different batch run (other inputs, changed input "
                    "files or other options); give a new --out folder or delete this one"
                )
            if found.complete:
                return set()
        elif self.root.exists() and any(self.root.iterdir()):
            raise BatchError(f"{self.root}: not empty and not a batch output folder; give a new --out folder")
        self.root.mkdir(parents=True, exist_ok=True)
        if not path.is_file():
            _write_atomic(path, manifest.model_dump_json(indent=2) + "\n")
        return self._done_chunks()

    @property
    def complete(self) -> bool:
        path = self.root / MANIFEST
        return path.is_file() and Manifest.model_validate_json(path.read_text(encoding="utf-8")).complete

    def _done_chunks(self) -> set[int]:
        done: set[int] = set()
        parts = self.root / PARTS
        if not parts.is_dir():
            return done
        for file in parts.rglob("*"):
            if ".tmp" in file.name:
                file.unlink(missing_ok=True)  # left by an interrupted write
            elif file.suffix == ".jsonl" and file.stem.isdigit():
                done.add(int(file.stem))
        return done

    def _part(self, index: int) -> Path:
        return self.root / PARTS / f"{index // 1000:05d}" / f"{index:09d}.jsonl"

    def write_part(self, index: int, results: Sequence[CodedArticle | IngestError]) -> None:
        """Write one chunk's results (in input order) whole, or not at all."""
        lines = []
        for item in results:
            if isinstance(item, IngestError):
                lines.append(json.dumps({"error": _error_record(item)}, ensure_ascii=False))
            else:
                lines.append('{"coded": ' + item.model_dump_json() + "}")
        path = self._part(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, "".join(line + "\n" for line in lines))

    def _parts_in_order(self) -> Iterator[Path]:
        parts = self.root / PARTS
        if parts.is_dir():
            yield from sorted(p for p in parts.rglob("*.jsonl") if p.stem.isdigit())

    def finish(self, manifest: Manifest, chunks: int) -> tuple[int, int, int]:
        """Join the parts into the results; returns (articles, events, errors). Every chunk below
        `chunks` must be done."""
        from conflictcoder.batch.columns import EventsWriter

        missing = sorted(set(range(chunks)) - self._done_chunks())
        if missing:
            raise BatchError(f"{self.root}: chunks {missing[:5]} are missing; re-run the same command")
        n_articles = n_errors = 0
        articles_tmp = self.root / (ARTICLES + ".tmp")
        errors_tmp = self.root / (ERRORS + ".tmp")
        events_tmp = self.root / (EVENTS + ".tmp")
        with (
            articles_tmp.open("w", encoding="utf-8") as articles,
            errors_tmp.open("w", encoding="utf-8") as errors,
            EventsWriter(events_tmp) as events,
        ):
            for part in self._parts_in_order():
                for line in part.read_text(encoding="utf-8").splitlines():
                    record = json.loads(line)
                    if "error" in record:
                        errors.write(json.dumps(record["error"], ensure_ascii=False) + "\n")
                        n_errors += 1
                        continue
                    coded = CodedArticle.model_validate(record["coded"])
                    articles.write(coded.model_dump_json() + "\n")
                    events.add(coded)
                    n_articles += 1
        n_events = events.rows
        for tmp, name in ((articles_tmp, ARTICLES), (errors_tmp, ERRORS), (events_tmp, EVENTS)):
            os.replace(tmp, self.root / name)
        _write_atomic(
            self.root / MANIFEST,
            manifest.model_copy(update={"complete": True}).model_dump_json(indent=2) + "\n",
        )
        shutil.rmtree(self.root / PARTS, ignore_errors=True)
        return n_articles, n_events, n_errors

    def counts(self) -> tuple[int, int, int]:
        """(articles, events, errors) of a complete folder."""
        import pyarrow.parquet as pq

        def lines(name: str) -> int:
            with (self.root / name).open(encoding="utf-8") as f:
                return sum(1 for _ in f)

        return lines(ARTICLES), pq.ParquetFile(self.root / EVENTS).metadata.num_rows, lines(ERRORS)

    def errors(self) -> list[IngestError]:
        """The per-item errors of a complete folder."""
        out = []
        for line in (self.root / ERRORS).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            out.append(IngestError(r["source"], r["reason"], line=r.get("line")))
        return out


def _error_record(err: IngestError) -> dict[str, Any]:
    return {"source": err.source, "line": err.line, "reason": err.reason}


def _write_atomic(path: Path, text: str) -> None:
    """Write `path` under a temporary name, flush it to disk, and rename it into place."""
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
