"""The pre-filter: a lexical look at the raw text, before the parser, for whether an incident is possible.

The event coder finds incidents only at trigger phrases (data/triggers.jsonl), matched on a token's lemma
or lowercase form. The filter matches the same phrases on the raw text's words, allowing every surface form
the pipeline's lemmatizer could map to a trigger word (its suffix rules and exception tables, inverted), and
ignoring the punctuation between words, so it finds at least every place where the coder could:

- an article with no trigger phrase cannot yield an event, and is skipped without parsing;
- where trigger phrases are sparse (their sentences a small share of the text: "strike a deal", "fire the
  coach", "a heart attack" in a business, sport or health story), pipeline.py parses only those sentences
  and skips the article when the trigger rules reject every one of them;
- within a long text, paragraphs far from any trigger phrase are not parsed (pipeline.py).

bench/prefilter_loss.py measures what the filter costs in events; nothing in it is learnt from coded data.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language

from conflictcoder.lexicon import TriggerEntry

#: Words as the filter sees them: runs of letters (digits, punctuation and spaces separate them). spaCy's
#: tokens are never finer than this for the letters-only words of the lexicons.
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n")

SKIP_REASON = (
    "skipped by the pre-filter: no word of the text can start a trigger phrase (data/triggers.jsonl), "
    "so no incident is possible"
)
REJECTED_REASON = (
    "skipped by the pre-filter: the trigger words occur only in senses the trigger rules reject "
    "(checked on their own sentences)"
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


class RelevanceFilter:
    """The lexical pre-filter (see the module docstring); build it with `RelevanceFilter.load`."""

    def __init__(self, triggers: _PhraseMatcher) -> None:
        self.triggers = triggers

    @classmethod
    def load(cls, entries: Sequence[TriggerEntry], nlp: Language | None) -> RelevanceFilter:
        inverter = LemmaInverter.of(nlp)
        return cls(_PhraseMatcher([_phrase(e.phrase, inverter) for e in entries]))

    def trigger_offsets(self, text: str) -> list[int]:
        """Character offsets of the words where a trigger phrase may start, in order."""
        if not self.has_trigger(text):
            return []
        # offsets from the text itself: lowering a whole text can change its length ("İ")
        found = [(m.start(), m.group().lower()) for m in _WORD.finditer(text)]
        words = [w for _, w in found]
        return sorted({found[i][0] for i, _ in self.triggers.find(words)})

    def has_trigger(self, text: str) -> bool:
        """Whether any trigger phrase may occur in `text`."""
        return next(self.triggers.find(words_of(text)), None) is not None


def trigger_sentences(
    text: str, offsets: Sequence[int], limit: int | None = None
) -> list[tuple[int, int]] | None:
    """The sentences (cut after '.', '!', '?' and at line breaks) holding the given offsets (sorted), in
    order; None as soon as their length passes `limit`."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    spans: list[tuple[int, int]] = []
    total = 0
    for at in offsets:
        k = bisect.bisect_right(ends, at)
        start, end = (ends[k - 1] if k else 0), ends[min(k, len(ends) - 1)]
        if spans and spans[-1][0] == start:
            continue
        spans.append((start, end))
        total += end - start
        if limit is not None and total > limit:
            return None
    return spans
