"""The pre-filter: a lexical look at the raw text, before the parser, for whether an incident is possible.

The event coder finds incidents only at trigger phrases (data/triggers.jsonl), matched on a token's lemma
or lowercase form. The filter matches the same phrases on the raw text's words, allowing every surface form
the pipeline's lemmatizer could map to a trigger word (its suffix rules and exception tables, inverted), and
ignoring the punctuation between words, so it finds at least every place where the coder could. Two steps:

- an article with no trigger phrase at all cannot yield an event, and is skipped;
- an article whose only trigger phrases are everyday words in other senses ("strike a deal", "fire the
  coach", "target inflation": `weak_triggers` in data/prefilter.json) is skipped unless a conflict cue word
  (`cue_words`: forces, armed groups, casualties, weapons, crowds) occurs in it too.

Within a long text, `relevant` marks the paragraphs that hold a trigger phrase, so that the coder can leave
out paragraphs far from any (pipeline.py). bench/prefilter_loss.py measures what the filter costs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from conflictcoder.data_files import data_file
from conflictcoder.errors import LexiconError
from conflictcoder.lexicon import TriggerEntry

#: Words as the filter sees them: runs of letters (digits, punctuation and spaces separate them). spaCy's
#: tokens are never finer than this for the letters-only words of the lexicons.
_WORD = re.compile(r"[^\W\d_]+")

SKIP_REASON = (
    "skipped by the pre-filter: no word of the text can start a trigger phrase (data/triggers.jsonl), "
    "so no incident is possible"
)
WEAK_REASON = (
    "skipped by the pre-filter: the only trigger words are everyday words in other senses "
    "(data/prefilter.json weak_triggers) and no conflict cue word occurs"
)


def words_of(text: str) -> list[str]:
    """The lowercase letter runs of a text, in order."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True, slots=True)
class _Slot:
    forms: frozenset[str]
    optional: bool


Phrase = tuple[_Slot, ...]


class LemmaInverter:
    """Every surface form that a rule lemmatizer could give a lemma: its suffix rules run backwards, plus
    its exception table. Without such a lemmatizer, a generic set of English endings is used."""

    _GENERIC = (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ies", "y"))

    def __init__(self, rules: Iterable[tuple[str, str]], exceptions: dict[str, set[str]]) -> None:
        self.rules = tuple(sorted(set(rules)))
        self.exceptions = exceptions

    @classmethod
    def of(cls, nlp: Language | None) -> LemmaInverter:
        if nlp is None or "lemmatizer" not in nlp.pipe_names:
            return cls(cls._GENERIC, {})
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        rules: list[tuple[str, str]] = list(cls._GENERIC)
        exceptions: dict[str, set[str]] = {}
        if lookups.has_table("lemma_rules"):
            for pairs in lookups.get_table("lemma_rules").values():
                rules += [(old, new) for old, new in pairs]
        if lookups.has_table("lemma_exc"):
            for table in lookups.get_table("lemma_exc").values():
                for form, lemmas in table.items():
                    for lemma in lemmas:
                        exceptions.setdefault(lemma.lower(), set()).add(form.lower())
        return cls(rules, exceptions)

    def forms(self, word: str) -> frozenset[str]:
        """The word itself and every form whose lemma could be it (doubled consonants included)."""
        out = {word} | self.exceptions.get(word, set())
        for old, new in self.rules:
            if word.endswith(new):
                stem = word[: len(word) - len(new)] if new else word
                out.add(stem + old)
                if old in ("ed", "ing", "er", "est") and stem and stem[-1] not in "aeiouy":
                    out.add(stem + stem[-1] + old)  # "shot" -> "shotted" is harmless; "stab" -> "stabbed"
        return frozenset(f for f in out if f)


def _phrase(text: str, inverter: LemmaInverter) -> Phrase:
    """Slots for a lexicon phrase: a word with punctuation inside ("sit-in") becomes one slot per letter run;
    'word?' is optional."""
    slots: list[_Slot] = []
    for raw in text.lower().split():
        optional = raw.endswith("?")
        parts = words_of(raw.rstrip("?"))
        for part in parts:
            slots.append(_Slot(inverter.forms(part), optional))
    return tuple(slots)


class _PhraseMatcher:
    """Phrases over a word list, indexed by the forms of their first slot."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = phrases
        self.by_first: dict[str, list[int]] = {}
        for n, slots in enumerate(phrases):
            for form in slots[0].forms if slots else ():
                self.by_first.setdefault(form, []).append(n)
            if slots and slots[0].optional:  # an optional first word: index the next one as well
                for form in slots[1].forms if len(slots) > 1 else ():
                    self.by_first.setdefault(form, []).append(n)

    def _matches_at(self, words: Sequence[str], i: int, slots: Phrase) -> bool:
        j = i
        for slot in slots:
            if j < len(words) and words[j] in slot.forms:
                j += 1
            elif not slot.optional:
                return False
        return True

    def find(self, words: Sequence[str]) -> Iterator[tuple[int, int]]:
        """(word index, phrase number) for every phrase occurrence."""
        if self.by_first.keys().isdisjoint(words):
            return
        for i, w in enumerate(words):
            for n in self.by_first.get(w, ()):
                if self._matches_at(words, i, self.phrases[n]) or (
                    self.phrases[n][0].optional and self._matches_at(words, i, self.phrases[n][1:])
                ):
                    yield i, n


@dataclass(frozen=True)
class Relevance:
    """What the filter found in one text: trigger phrase positions (word indexes) and whether any is strong
    or a cue word occurs."""

    trigger_words: tuple[int, ...]
    strong: bool
    cue: bool

    @property
    def possible(self) -> bool:
        return bool(self.trigger_words) and (self.strong or self.cue)


class RelevanceFilter:
    """The lexical pre-filter (see the module docstring); build it with `RelevanceFilter.load`."""

    def __init__(self, triggers: _PhraseMatcher, weak: frozenset[int], cues: _PhraseMatcher) -> None:
        self.triggers, self.weak, self.cues = triggers, weak, cues

    @classmethod
    def load(
        cls, entries: Sequence[TriggerEntry], nlp: Language | None, lexicon_dir: Path | None = None
    ) -> RelevanceFilter:
        path = data_file("prefilter.json", lexicon_dir)
        raw = json.loads(path.read_text(encoding="utf-8"))
        inverter = LemmaInverter.of(nlp)
        phrases = [e.phrase.lower() for e in entries]
        unknown = sorted(set(raw["weak_triggers"]) - set(phrases))
        if unknown:
            raise LexiconError(path, 1, f"weak_triggers not in triggers.jsonl: {', '.join(unknown)}")
        weak_set = set(raw["weak_triggers"])
        weak = frozenset(n for n, p in enumerate(phrases) if p in weak_set)
        triggers = _PhraseMatcher([_phrase(p, inverter) for p in phrases])
        cues = _PhraseMatcher([_phrase(w, inverter) for w in raw["cue_words"]])
        return cls(triggers, weak, cues)

    def assess(self, text: str) -> Relevance:
        """Trigger phrase positions in `text`, whether any is strong, and whether a cue word occurs."""
        words = words_of(text)
        found = list(self.triggers.find(words))
        strong = any(n not in self.weak for _, n in found)
        cue = bool(found) and not strong and next(self.cues.find(words), None) is not None
        return Relevance(tuple(sorted({i for i, _ in found})), strong, cue)

    def skip_reason(self, text: str) -> str | None:
        """Why the article cannot hold an incident, or None when it may."""
        rel = self.assess(text)
        if not rel.trigger_words:
            return SKIP_REASON
        return None if rel.possible else WEAK_REASON

    def has_trigger(self, text: str) -> bool:
        """Whether any trigger phrase (weak ones included) occurs in `text`: a paragraph worth parsing."""
        return next(self.triggers.find(words_of(text)), None) is not None
