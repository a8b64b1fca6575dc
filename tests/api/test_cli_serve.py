"""`conflictcoder serve` refuses bad settings with a clear error and exit status 1 (before starting)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conflictcoder.cli import app


def test_bad_body_limit_is_an_error(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTCODER_API_MAX_BODY_BYTES", "lots")
    res = runner.invoke(app, ["serve"])
    assert res.exit_code == 1
    assert "error:" in res.stderr and "API settings" in res.stderr


def test_bad_database_url_is_an_error(runner: CliRunner) -> None:
    res = runner.invoke(app, ["serve", "--db", "nonsense://"])
    assert res.exit_code == 1
    assert "error:" in res.stderr and "Traceback" not in res.stderr


def test_serve_is_documented(runner: CliRunner) -> None:
    res = runner.invoke(app, ["serve", "--help"])
    assert res.exit_code == 0 and "--port" in res.stdout and "CONFLICTCODER_API_TOKEN" in res.stdout
