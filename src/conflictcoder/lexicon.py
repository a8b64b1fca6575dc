"""Typed entries of the shipped lexicons and a small lemma-or-form phrase matcher shared by them.

spaCy's Matcher cannot say "lemma is X or lower form is X" in one token, and the lexicons are written by
people who think in words, so phrases are matched here: each word of a phrase matches a token whose lemma
or lowercase form equals it; a word ending in "?" may be skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Token

from conflictcoder.data_files import load_jsonl
from conflictcoder.model import SubEventType

Family = Literal[
    "clash",
    "attack",
    "kill",
    "riot",
    "sexual",
    "abduct",
    "arrest",
    "remote",
    "territory",
    "protest",
    "protest_strike",
    "protest_weak",
    "intervention",
    "agreement",
    "change",
    "disrupted",
    "seize",
    "base",
    "property",
    "transfer",
]


class TriggerEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    phrase: str
    sub_event_type: SubEventType
    weight: int
    family: Family
    civilian_target: SubEventType | None = None
    state_agent: SubEventType | None = None
    protest_context: SubEventType | None = None


def load_triggers(path: Path) -> tuple[TriggerEntry, ...]:
    """The trigger lexicon (data/triggers.jsonl or the user's copy), validated."""
    return tuple(load_jsonl(TriggerEntry, path))


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    optional: bool


def _words(phrase: str) -> tuple[_Word, ...]:
    return tuple(_Word(w.rstrip("?"), w.endswith("?")) for w in phrase.lower().split())


def token_keys(token: Token) -> tuple[str, str]:
    """The two forms a lexicon word may match: the lemma and the lowercase surface form."""
    return token.lemma_.lower(), token.lower_


class PhraseIndex:
    """Find lexicon phrases in a Doc by lemma or lowercase form; longest match wins at each start."""

    def __init__(self, phrases: Iterable[tuple[str, int]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[_Word, ...], int]]] = {}
        for phrase, key in phrases:
            words = _words(phrase)
            self._by_first.setdefault(words[0].text, []).append((words, key))

    def _match_at(self, doc: Doc, i: int, words: Sequence[_Word]) -> int | None:
        j = i
        for w in words:
            if j < len(doc) and w.text in token_keys(doc[j]):
                j += 1
            elif not w.optional:
                return None
        return j

    def find(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        """Yield (start, end, key) for non-overlapping longest matches, left to right."""
        i = 0
        while i < len(doc):
            best: tuple[int, int] | None = None
            # in a fixed order (the word, then its lemma): a set's order changes with the process's hash
            # seed, and the first of two equally long matches wins
            for k in dict.fromkeys(token_keys(doc[i])):
                for words, key in self._by_first.get(k, ()):
                    end = self._match_at(doc, i, words)
                    if end is not None and (best is None or end > best[0]):
                        best = (end, key)
            if best is None:
                i += 1
                continue
            yield i, best[0], best[1]
            i = best[0]
