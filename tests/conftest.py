"""Session fixtures: one loaded Coder (spaCy pipeline + gazetteer) for every test that codes text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.model import CodedArticle
from conflictcoder.pipeline import Coder
from conflictcoder.settings import Settings, get_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def coder(tmp_path_factory: pytest.TempPathFactory) -> Coder:
    """A Coder whose gazetteer index is built once into a temporary data directory."""
    return Coder.load(Settings(data_dir=tmp_path_factory.mktemp("ccdata")))


@pytest.fixture(scope="session")
def code_text(coder: Coder):  # type: ignore[no-untyped-def]
    def run(text: str, published: date | None = None) -> CodedArticle:
        return coder.code(read_text("test text", text, ArticleDefaults(published=published)))

    return run


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or a skip with a clear message where the checkout has no ../shared."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} is not available (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRunner]:
    """A CLI runner whose commands use a fresh data directory and the default store."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CONFLICTCODER_DATA_DIR", str(tmp_path_factory.mktemp("clidata")))
    mp.delenv("CONFLICTCODER_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    mp.undo()
    get_settings.cache_clear()
