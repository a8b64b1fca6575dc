"""One word-list object: a coder reads every data file from its own lexicon directory, once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conflictcoder.data_files import data_file
from conflictcoder.errors import LexiconError
from conflictcoder.ingest import ArticleDefaults, read_text
from conflictcoder.pipeline import Coder
from conflictcoder.settings import Settings
from conflictcoder.word_lists import load_lexicons

SEIZURE = "Police seized 23 rifles during a raid on a militant hideout in Quetta on Monday."


def _without_rifle(folder: Path) -> Path:
    folder.mkdir()
    raw = json.loads(data_file("figures.json", None).read_text(encoding="utf-8"))
    raw["things"] = {cls: [w for w in words if w != "rifle"] for cls, words in raw["things"].items()}
    (folder / "figures.json").write_text(json.dumps(raw), encoding="utf-8")
    return folder


def _seized(coder: Coder) -> list[tuple[str, float]]:
    coded = coder.code(read_text("test text", SEIZURE, ArticleDefaults(published=date(2025, 6, 12))))
    return [(c.figure, c.value.low) for e in coded.events for c in e.claims if c.figure == "weapons_seized"]


def test_a_coder_reads_figures_from_its_own_lexicon_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    data_dir = tmp_path_factory.mktemp("ccdata")
    packaged = Coder.load(Settings(data_dir=data_dir))
    assert _seized(packaged) == [("weapons_seized", 23)]
    lexicon_dir = _without_rifle(tmp_path_factory.mktemp("lex") / "mine")
    custom = Coder.load(Settings(data_dir=data_dir, lexicon_dir=lexicon_dir))
    assert _seized(custom) == []
    assert _seized(packaged) == [("weapons_seized", 23)]  # the first coder keeps its own word lists


def test_the_environment_variable_names_the_lexicon_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFLICTCODER_LEXICON_DIR", str(_without_rifle(tmp_path / "lex")))
    lex = load_lexicons(Settings().lexicon_dir)
    assert "rifle" not in lex.figures.thing_class
    assert "rifle" in load_lexicons(None).figures.thing_class  # files it lacks come from the package
    assert lex.triggers == load_lexicons(None).triggers


def test_a_word_list_missing_a_key_is_an_error_naming_the_file(tmp_path: Path) -> None:
    shutil.copy(data_file("places.json", None), tmp_path / "places.json")
    raw = json.loads((tmp_path / "places.json").read_text(encoding="utf-8"))
    del raw["locative"]
    (tmp_path / "places.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"places\.json.*locative"):
        load_lexicons(tmp_path)
    (tmp_path / "places.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"places\.json:1"):
        load_lexicons(tmp_path)


def test_no_data_file_is_read_at_import() -> None:
    """Importing every module reads no word list: the loaders fail if called before `load_lexicons`."""
    script = """
import importlib, pkgutil
import conflictcoder, conflictcoder.data_files as d
def refuse(*args, **kwargs):
    raise SystemExit(f"data file read at import: {args}")
d.data_file = d.load_jsonl = d.read_json_object = refuse
for m in pkgutil.walk_packages(conflictcoder.__path__, "conflictcoder."):
    if ".migrations" not in m.name:
        importlib.import_module(m.name)
print("imported")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "imported" in done.stdout, done.stderr[-2000:]
