"""Every word list and dictionary a coder uses, loaded once from one lexicon directory.

`Coder.load(settings)` calls `load_lexicons(settings.lexicon_dir)` and passes the parts to the extractors as
arguments; no module reads a data file at import time or falls back to the global settings. For each file,
the user's lexicon directory (CONFLICTCODER_LEXICON_DIR) wins when it holds a copy; otherwise the packaged
`data/` file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from conflictcoder.data_files import data_file, read_json_object
from conflictcoder.errors import LexiconError
from conflictcoder.extract.actors import ActorLexicon, load_actor_lexicon
from conflictcoder.extract.claims import AttributionLexicon, load_attribution_lexicon
from conflictcoder.extract.figures import FigureLexicon, load_figure_lexicon
from conflictcoder.extract.newsworthy import BackgroundWords, load_background_words
from conflictcoder.extract.places import PlaceWords, load_place_words
from conflictcoder.extract.triggers import TriggerWords, load_trigger_words, trigger_index
from conflictcoder.lexicon import PhraseIndex, TriggerEntry, load_triggers

T = TypeVar("T")


@dataclass(frozen=True)
class Lexicons:
    """The loaded data files of one lexicon directory (see the module docstring)."""

    lexicon_dir: Path | None  # None: the packaged data/ only
    triggers: tuple[TriggerEntry, ...]  # triggers.jsonl
    trigger_index: PhraseIndex  # the same triggers, indexed for matching
    trigger_words: TriggerWords  # trigger_contexts.json
    actors: ActorLexicon  # countries.jsonl, actors.jsonl, generic_actors.jsonl
    figures: FigureLexicon  # figures.json (+ attribution.json's denying verbs)
    attribution: AttributionLexicon  # attribution.json, sources.jsonl
    places: PlaceWords  # places.json
    new_incident_markers: tuple[str, ...]  # incidents.json
    background: BackgroundWords  # background.json


def _read(load: Callable[..., T], *paths: Path) -> T:
    """Run one loader on its files; a word-list file that lacks a key or has the wrong shape names itself."""
    try:
        return load(*paths)
    except LexiconError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise LexiconError(paths[0], None, f"missing or malformed entry: {err!r}") from err


def _markers(path: Path) -> tuple[str, ...]:
    return tuple(str(m).lower() for m in read_json_object(path)["new_incident_markers"])


def load_lexicons(lexicon_dir: Path | None) -> Lexicons:
    """Load and validate every data file once; a bad file raises LexiconError naming it."""

    def f(name: str) -> Path:
        return data_file(name, lexicon_dir)

    triggers = load_triggers(f("triggers.jsonl"))
    return Lexicons(
        lexicon_dir=lexicon_dir,
        triggers=triggers,
        trigger_index=trigger_index(triggers),
        trigger_words=_read(load_trigger_words, f("trigger_contexts.json")),
        actors=load_actor_lexicon(f("countries.jsonl"), f("actors.jsonl"), f("generic_actors.jsonl")),
        figures=_read(load_figure_lexicon, f("figures.json"), f("attribution.json")),
        attribution=_read(load_attribution_lexicon, f("attribution.json"), f("sources.jsonl")),
        places=_read(load_place_words, f("places.json")),
        new_incident_markers=_read(_markers, f("incidents.json")),
        background=_read(load_background_words, f("background.json")),
    )
