"""Batch fixtures: the command run as a user runs it (a subprocess), a data directory with a built
gazetteer for it, and pairs of empty stores (SQLite, and PostgreSQL as in tests/store)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from conflictcoder.geo.gazetteer import Gazetteer
from conflictcoder.store import make_engine
from tests.store.conftest import PG_ENV, _fresh_schema, _pg_problem, _schema_url

CLI = [sys.executable, "-c", "from conflictcoder.cli import app; app()"]


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `conflictcoder` subprocesses: a data directory whose gazetteer index is built."""
    given = os.environ.get("CONFLICTCODER_DATA_DIR")
    data_dir = Path(given) if given else tmp_path_factory.mktemp("batchdata")
    Gazetteer(data_dir / "gazetteer.sqlite").open().close()
    env = {k: v for k, v in os.environ.items() if k != "CONFLICTCODER_DATABASE_URL"}
    env["CONFLICTCODER_DATA_DIR"] = str(data_dir)
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `conflictcoder ARGS` in its own process group, stdout and stderr to `log`. Ctrl-C is
    restored to its default in the child: a test run started in the background (`pytest &`) ignores
    SIGINT, and a child would inherit that."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [*CLI, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one kind: one for the interrupted batch runs, one for the reference run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'batch.sqlite'}", f"sqlite:///{tmp_path / 'reference.sqlite'}"
        return
    problem = _pg_problem()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL for the batch store tests: {problem}")
        pytest.skip(problem)
    yield from pg_schema_pair("cc_batch")


def pg_schema_pair(prefix: str) -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL schemas (run, reference) on the test server, dropped afterwards."""
    base = os.environ[PG_ENV]
    schemas = [f"{prefix}_{os.getpid()}", f"{prefix}_ref_{os.getpid()}"]
    for schema in schemas:
        _fresh_schema(base, schema)
    yield _schema_url(base, schemas[0]), _schema_url(base, schemas[1])
    engine = make_engine(base)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()
