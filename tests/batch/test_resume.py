"""`conflictcoder batch` killed at random points, then re-run: the final output equals an uninterrupted
run's, with nothing lost, partial or duplicated — into a folder, into SQLite and into PostgreSQL.

Each test starts the command as a subprocess (two workers), waits until it has written something, then
after a further random delay ends it: SIGKILL of the parent alone (its workers must then exit by
themselves), SIGKILL of the whole process group (a crash), or SIGINT (Ctrl-C: exit status 130). The
reference is the same inputs coded in this process without the batch machinery (`Coder.code_many`,
and `store.ingest_articles` for the stores). The seed of the random delays is printed on failure.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from conflictcoder.batch.columns import event_rows, events_schema
from conflictcoder.errors import IngestError
from conflictcoder.ingest import ArticleDefaults, read_inputs
from conflictcoder.model import CodedArticle
from conflictcoder.pipeline import Coder
from conflictcoder.store import ingest_articles, make_engine, open_store
from conflictcoder.store.tables import ArticleRow, ClaimRow, EventRow, MentionRow, RevisionRow
from tests.batch.conftest import run, start
from tests.batch.corpus import write_corpus

N = 160
SEED = int(os.environ.get("CONFLICTCODER_TEST_SEED", str(int(time.time()) % 100_000)))


def _group_gone(pgid: int, timeout: float = 60.0) -> bool:
    """True once no process of the group is left (the workers exit when their parent dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def interrupt(
    args: list[str], env: dict[str, str], progress: Callable[[], int], how: str, rng: random.Random, log: Path
) -> int:
    """Run the command and end it `how` once `progress()` has grown by a random one to three steps;
    returns the progress seen just before the end (the run must not have finished)."""
    before = progress()
    proc = start(args, env, log)
    deadline = time.monotonic() + 300
    target = before + rng.randint(1, 3)  # a random point: after one to three more chunks (or articles)
    trace = []
    while (seen := progress()) < target and proc.poll() is None and time.monotonic() < deadline:
        trace.append((round(time.monotonic(), 1), seen))
        time.sleep(0.05)
    assert proc.poll() is None, (
        f"finished before it could be interrupted (seed {SEED}, progress {before} -> {target}, "
        f"seen {trace[-5:]}): {log.read_text()}"
    )
    if how == "kill-parent":
        os.kill(proc.pid, signal.SIGKILL)
    elif how == "kill-group":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGINT)
    code = proc.wait(timeout=120)
    if how == "ctrl-c":
        assert code == 130, log.read_text()
        assert "run the same command again to resume" in log.read_text()
    else:
        assert code == -signal.SIGKILL
    assert _group_gone(proc.pid), f"worker processes outlived the batch ({how})"
    return seen


def _reference(coder: Coder, paths: list[str]) -> tuple[list[CodedArticle], list[IngestError]]:
    coded, errors = [], []
    for item in coder.code_many(read_inputs(paths, ArticleDefaults())):
        (errors if isinstance(item, IngestError) else coded).append(item)
    return coded, errors  # type: ignore[return-value]


def test_folder_output_after_kills_equals_an_uninterrupted_run(
    coder: Coder, cli_env: dict[str, str], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    paths = write_corpus(tmp_path / "in", N, bad_line_at=7)
    out = tmp_path / "out"
    args = ["batch", *paths, "--out", str(out), "--workers", "2", "--chunk", "8"]

    def parts() -> int:
        return sum(1 for p in (out / "parts").rglob("*.jsonl") if ".tmp" not in p.name) if out.exists() else 0

    seen = [
        interrupt(args, cli_env, parts, how, rng, tmp_path / f"{how}.log")
        for how in ("kill-parent", "ctrl-c")
    ]
    assert 0 < seen[0] < N // 8 and seen[1] >= seen[0]
    final = run(args, cli_env)
    assert final.returncode == 1, final.stderr  # the malformed line is reported, the rest coded
    assert f"{paths[0]}:8: invalid JSON" in final.stderr
    assert "done by an earlier run" in final.stderr

    coded, errors = _reference(coder, paths)
    assert (out / "articles.jsonl").read_text(encoding="utf-8") == "".join(
        c.model_dump_json() + "\n" for c in coded
    )
    got_errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert got_errors == [{"source": e.source, "line": e.line, "reason": e.reason} for e in errors]
    expected = pa.Table.from_pylist([r for c in coded for r in event_rows(c)], schema=events_schema())
    events = pq.read_table(out / "events.parquet")
    assert events.num_rows > 20 and events.equals(expected)
    assert len(set(events.column("event_id").to_pylist())) == events.num_rows
    assert not (out / "parts").exists()

    again = run(args, cli_env)  # a complete folder: nothing to do, same report
    assert again.returncode == 1 and "already complete" in again.stderr


def store_dump(url: str) -> dict[str, list[str]]:
    """Everything the store holds, by stable ids (surrogate keys and timestamps left out), sorted."""
    engine = make_engine(url)

    def rows(stmt: Any) -> list[str]:
        with engine.connect() as conn:
            return sorted(json.dumps(list(r), sort_keys=True, default=str) for r in conn.execute(stmt))

    a, e, m = ArticleRow, EventRow, MentionRow
    dump = {
        "articles": rows(
            select(
                a.article_id,
                a.external_id,
                a.url,
                a.outlet,
                a.title,
                a.published,
                a.text,
                a.version,
                a.reason,
            )
        ),
        "events": rows(select(e.event_id, e.revision, e.status, e.data)),
        "mentions": rows(
            select(m.mention_id, m.position, m.status, m.data, a.article_id, e.event_id)
            .join(a, a.pk == m.article_pk)
            .join(e, e.pk == m.event_pk)
        ),
        "claims": rows(
            select(m.mention_id, ClaimRow.claimant, ClaimRow.figure, ClaimRow.value_low, ClaimRow.text).join(
                m, m.pk == ClaimRow.mention_pk
            )
        ),
        "revisions": rows(
            select(
                e.event_id, RevisionRow.revision, RevisionRow.action, RevisionRow.article_id, RevisionRow.data
            ).join(e, e.pk == RevisionRow.event_pk)
        ),
    }
    engine.dispose()
    return dump


def test_store_after_kills_equals_an_uninterrupted_ingest(
    coder: Coder, cli_env: dict[str, str], tmp_path: Path, store_pair: tuple[str, str]
) -> None:
    rng = random.Random(SEED + 1)
    url, reference_url = store_pair
    paths = write_corpus(tmp_path / "in", N, bad_line_at=3)
    args = ["batch", *paths, "--db", url, "--workers", "2", "--chunk", "4"]
    engine = make_engine(url)

    def stored() -> int:
        try:
            with engine.connect() as conn:
                return len(conn.execute(select(ArticleRow.pk)).all())
        except Exception:  # the schema is not there yet
            return 0

    seen = [
        interrupt(args, cli_env, stored, how, rng, tmp_path / f"{how}.log")
        for how in ("kill-group", "ctrl-c")
    ]
    engine.dispose()
    assert 0 < seen[0] < N
    final = run(args, cli_env)
    assert final.returncode == 1, final.stderr
    assert f"{paths[0]}:4: invalid JSON" in final.stderr and "already stored" in final.stderr

    _engine, make_session = open_store(reference_url)
    summary = ingest_articles(make_session, coder, read_inputs(paths, ArticleDefaults()))
    _engine.dispose()
    assert summary.new == N
    got, expected = store_dump(url), store_dump(reference_url)
    assert len(got["articles"]) == N and len(got["events"]) > 20
    for table in expected:
        assert got[table] == expected[table], f"{table} differ (seed {SEED})"
