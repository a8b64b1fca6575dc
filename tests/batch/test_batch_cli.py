"""`conflictcoder batch` on the bulk formats, its refusals, and the progress bar (terminal only)."""

from __future__ import annotations

import gzip
import io
import json
import os
import pty
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from typer.testing import CliRunner

from conflictcoder.batch.progress import article_progress
from conflictcoder.batch.run import count_inputs
from conflictcoder.cli import app
from conflictcoder.errors import IngestError
from conflictcoder.ingest import ArticleDefaults, read_inputs, read_text
from conflictcoder.pipeline import Coder
from tests.batch.conftest import CLI, run
from tests.batch.corpus import records


def test_progress_bar_only_on_a_terminal() -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True, width=120)
    with article_progress(terminal, 10) as progress:
        progress.done(4)
    drawn = terminal.file.getvalue()  # type: ignore[attr-defined]
    assert "4/10" in drawn and "articles/s" in drawn and "ETA" in drawn
    pipe = Console(file=io.StringIO(), force_terminal=False)
    with article_progress(pipe, 10) as progress:
        progress.done(4)
    assert pipe.file.getvalue() == "" and progress.count == 4  # type: ignore[attr-defined]


def _mixed_inputs(folder: Path) -> list[str]:
    rows = records(24)
    folder.mkdir()
    gz = folder / "a.jsonl.gz"
    gz.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows[:10]).encode()))
    parquet = folder / "b.parquet"
    pq.write_table(pa.Table.from_pylist(rows[10:20]), parquet)
    plain = folder / "c.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows[20:]) + "[1, 2]\n", encoding="utf-8")
    return [str(gz), str(parquet), str(plain)]


def test_batch_over_bulk_formats_equals_code(coder: Coder, runner: CliRunner, tmp_path: Path) -> None:
    inputs = _mixed_inputs(tmp_path / "in")
    assert count_inputs(inputs[1:]) == 15  # Parquet rows and JSONL lines are counted ahead; gzip is not
    assert count_inputs(inputs) is None
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", *inputs, "--out", str(out), "--workers", "1", "--chunk", "5"])
    assert res.exit_code == 1, res.output  # the array line is an error, reported at the end
    assert f"error: {inputs[2]}:5: expected a JSON object, got an array" in res.stderr
    assert "24 coded now" in res.stderr
    expected = [
        c for c in coder.code_many(read_inputs(inputs, ArticleDefaults())) if not isinstance(c, IngestError)
    ]
    assert (out / "articles.jsonl").read_text(encoding="utf-8") == "".join(
        c.model_dump_json() + "\n" for c in expected
    )

    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps(records(1)[0]) + "\n", encoding="utf-8")
    refused = runner.invoke(app, ["batch", str(other), "--out", str(out)])
    assert refused.exit_code == 1 and "holds the output of a different batch run" in refused.stderr


def test_batch_needs_one_destination(runner: CliRunner, tmp_path: Path) -> None:
    both = runner.invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--db", "sqlite://"])
    neither = runner.invoke(app, ["batch", str(tmp_path)])
    for res in (both, neither):
        assert res.exit_code == 1 and "give exactly one of --out DIR or --db URL" in res.stderr
    stdin = runner.invoke(app, ["batch", "-", "--out", str(tmp_path / "o")])
    assert stdin.exit_code == 1 and "not standard input" in stdin.stderr


def test_an_article_that_fails_to_code_does_not_lose_its_chunk(coder: Coder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from conflictcoder.batch import pool

    texts = [
        "Gunmen killed two guards at a checkpoint on Monday.",
        "BOOM",
        "Police arrested five protesters.",
    ]
    articles = [read_text(f"t{i}", t, ArticleDefaults()) for i, t in enumerate(texts)]

    class Fragile:
        """The real coder, except that it fails on one text (as a pipeline bug would)."""

        def code_many(self, items):  # type: ignore[no-untyped-def]
            for item in items:
                yield self.code(item)

        def code(self, article):  # type: ignore[no-untyped-def]
            if article.text == "BOOM":
                raise ValueError("cannot parse")
            return coder.code(article)

    monkeypatch.setattr(pool, "_CODER", Fragile())
    first, failed, last = pool.code_articles(articles)
    assert failed == "coding failed (ValueError: cannot parse)"
    assert first.events and first.article.source_path == "t0" and last.article.source_path == "t2"  # type: ignore[union-attr]


def _stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run `conflictcoder ARGS` with stderr on a pseudo-terminal (stdout a pipe); returns what it drew."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], env=env, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has exited
            break
        if not chunk:
            break
        drawn += chunk
    proc.communicate(timeout=300)
    os.close(leader)
    return proc.returncode, drawn.decode("utf-8", errors="replace")


def test_code_shows_progress_on_a_terminal_only(cli_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records(12)), encoding="utf-8")
    code, drawn = _stderr_on_a_terminal(
        ["code", str(path), "--format", "jsonl", "--out", str(tmp_path / "o")], cli_env
    )
    assert code == 0 and "/12" in drawn and "articles/s" in drawn
    piped = run(["code", str(path), "--format", "jsonl", "--out", str(tmp_path / "o2")], cli_env)
    assert piped.returncode == 0 and "articles/s" not in piped.stderr
