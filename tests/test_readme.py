"""The README opens with the set-up commands, and CI runs exactly the README's test command."""

from __future__ import annotations

from tests.conftest import REPO


def _commands() -> list[str]:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.startswith("    python3 -m venv")]


def test_readme_opens_with_two_setup_commands() -> None:
    demo, test = _commands()[:2]
    assert "conflictcoder code examples/" in demo
    assert "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in [ln.strip() for ln in ci]
