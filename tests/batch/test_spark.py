"""The Spark job in local mode (`local[2,2]`: two cores, a failed task tried again once): its output
equals the local batch's on the same input, and a task that fails once (injected through
CONFLICTCODER_SPARK_FAIL_ONCE) is retried without leaving duplicates; the store gets what `ingest` stores.

Needs Java (`.ci/run` installs Debian's default-jre-headless) and PySpark (a test dependency).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conflictcoder.cli import app
from conflictcoder.ingest import ArticleDefaults, read_inputs
from conflictcoder.pipeline import Coder
from conflictcoder.store import ingest_articles, open_store
from tests.batch.conftest import pg_schema_pair
from tests.batch.corpus import records
from tests.batch.test_resume import store_dump
from tests.store.conftest import _pg_problem


def _spark_problem() -> str | None:
    if shutil.which("java") is None:
        return "no java on PATH (bash .ci/run installs default-jre-headless)"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def spark_ready() -> None:
    problem = _spark_problem()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Spark for the Spark tests: {problem}")
        pytest.skip(problem)


@pytest.fixture
def spark_stores(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """PostgreSQL (two fresh schemas) when reachable, else two SQLite files."""
    if _pg_problem() is not None:
        yield f"sqlite:///{tmp_path / 'spark.sqlite'}", f"sqlite:///{tmp_path / 'ref.sqlite'}"
        return
    yield from pg_schema_pair("cc_spark")


def _rows(table) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return sorted(table.to_pylist(), key=lambda r: (r["article_id"], r["event_id"]))


def test_spark_equals_local_batch_and_survives_a_failed_task(
    spark_ready: None,
    coder: Coder,
    runner: CliRunner,
    cli_env: dict[str, str],
    spark_stores: tuple[str, str],
    tmp_path: Path,
) -> None:
    rows = records(36)
    folder = tmp_path / "in"
    folder.mkdir()
    plain, packed = folder / "a.jsonl", folder / "b.jsonl.gz"
    lines = [json.dumps(r) for r in rows[:18]]
    lines.insert(4, '{"text": 12}')
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    packed.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows[18:]).encode()))
    inputs = [str(plain), str(packed)]

    local = tmp_path / "local"
    res = runner.invoke(app, ["batch", *inputs, "--out", str(local), "--workers", "1"])
    assert res.exit_code == 1 and f"{plain}:5: invalid field 'text'" in res.stderr, res.output

    db, reference_db = spark_stores
    flag = tmp_path / "failed-once"
    env = {**cli_env, "CONFLICTCODER_SPARK_FAIL_ONCE": str(flag), "SPARK_LOCAL_IP": "127.0.0.1"}
    out = tmp_path / "spark"
    args = [
        *inputs,
        "--out",
        str(out),
        "--db",
        db,
        "--master",
        "local[2,2]",
        "--conf",
        "spark.ui.enabled=false",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "conflictcoder.spark", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 1, proc.stderr[-3000:]  # one record is an error, reported at the end
    assert flag.exists() and "injected task failure" in proc.stderr  # a task failed and was tried again
    assert f"error: {plain}:5: invalid field 'text'" in proc.stderr
    counts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert counts["articles"] == 36 and counts["errors"] == 1 and counts["stored_new"] == 36

    spark_events = ds.dataset(out / "events", format="parquet").to_table()
    local_events = pq.read_table(local / "events.parquet")
    assert spark_events.schema == local_events.schema
    assert spark_events.num_rows > 5 and _rows(spark_events) == _rows(local_events)
    ids = spark_events.column("event_id").to_pylist()
    assert len(ids) == len(set(ids))  # no event twice, although a task ran twice
    articles = ds.dataset(out / "articles", format="parquet").to_table().to_pylist()
    assert len({(a["source"], a["line"]) for a in articles}) == len(articles) == 37

    _engine, make_session = open_store(reference_db)
    ingest_articles(make_session, coder, read_inputs(inputs, ArticleDefaults()))
    _engine.dispose()
    assert store_dump(db) == store_dump(reference_db)
