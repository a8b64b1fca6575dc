"""Actor mentions -> normalized actors with ACLED inter codes (data/actors.jsonl, countries.jsonl,
generic_actors.jsonl).

Named groups match on their names and aliases (all-caps acronyms case-sensitively, so "IS" is not "is");
a state unit ("Levies", "Frontier Corps") becomes its country's state force with the unit kept as an
associated actor; a demonym before a force word ("Pakistani forces") names that country's military; generic
phrases ("unidentified gunmen", "protesters", "civilians") get the event's country when it is known.
Unknown names stay as written and are marked unnormalized by the caller.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc

from conflictcoder.data_files import load_jsonl
from conflictcoder.lexicon import PhraseIndex

Category = Literal["group", "state", "armed", "protesters", "rioters", "civilians", "military", "police"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class StateForces(_Strict):
    military: str
    police: str


class CountryEntry(_Strict):
    iso2: str
    iso3: str
    name: str
    aliases: list[str] = []
    demonyms: list[str] = []
    region: str | None = None
    state_forces: StateForces
    period: str | None = None


class UnitEntry(_Strict):
    name: str
    aliases: list[str] = []


class ActorEntry(_Strict):
    name: str
    acronym: str | None = None
    aliases: list[str] = []
    inter: int
    countries: list[str] = []
    units: list[UnitEntry] = []
    kind: Literal["group", "state_unit"] = "group"
    force: Literal["military", "police"] | None = None


class GenericEntry(_Strict):
    terms: list[str]
    name: str
    inter: int
    category: Literal["armed", "protesters", "rioters", "civilians", "military", "police"]


@dataclass(frozen=True)
class ActorMention:
    """An actor named in the text. `name` may hold {country}/{military}/{police} placeholders."""

    text: str
    name: str
    inter: int
    category: Category
    start: int  # token index
    end: int
    start_char: int
    end_char: int
    sent: int
    iso3: str | None = None  # country implied by the mention itself (demonym, state unit)
    unit: str | None = None  # sub-unit or state unit, kept as an associated actor
    normalized: bool = True


@dataclass(frozen=True)
class ActorLexicon:
    countries: tuple[CountryEntry, ...]
    actors: tuple[ActorEntry, ...]
    generic: tuple[GenericEntry, ...]

    @functools.cached_property
    def by_iso3(self) -> dict[str, CountryEntry]:
        return {c.iso3: c for c in self.countries}

    @functools.cached_property
    def by_iso2(self) -> dict[str, CountryEntry]:
        return {c.iso2: c for c in self.countries}

    @functools.cached_property
    def demonyms(self) -> dict[str, CountryEntry]:
        out: dict[str, CountryEntry] = {}
        for c in self.countries:
            for d in [*c.demonyms, c.name]:
                out.setdefault(d, c)
        return out

    @functools.cached_property
    def force_words(self) -> dict[str, str]:
        """One-word common names of state forces ("soldiers", "police") -> "military" or "police"."""
        return {
            term: g.category
            for g in self.generic
            if g.category in ("military", "police")
            for term in g.terms
            if " " not in term
        }

    @functools.cached_property
    def _named_index(self) -> tuple[PhraseIndex, dict[str, str], list[tuple[ActorEntry, str | None]]]:
        """(index over lowercase names, case-sensitive acronym table, key -> (actor, unit))."""
        keys: list[tuple[ActorEntry, str | None]] = []
        phrases: list[tuple[str, int]] = []
        acronyms: dict[str, str] = {}
        for actor in self.actors:
            for form in {actor.name, *actor.aliases, *([actor.acronym] if actor.acronym else [])}:
                self._add_form(form, actor, None, keys, phrases, acronyms)
            for unit in actor.units:
                for form in {unit.name, *unit.aliases}:
                    self._add_form(form, actor, unit.name, keys, phrases, acronyms)
        return PhraseIndex(phrases), acronyms, keys

    @staticmethod
    def _add_form(
        form: str,
        actor: ActorEntry,
        unit: str | None,
        keys: list[tuple[ActorEntry, str | None]],
        phrases: list[tuple[str, int]],
        acronyms: dict[str, str],
    ) -> None:
        keys.append((actor, unit))
        if form.replace("-", "").replace(".", "").isupper() and " " not in form:
            acronyms.setdefault(form, str(len(keys) - 1))
        else:
            phrases.append((" ".join(_tokenish(form)), len(keys) - 1))

    @functools.cached_property
    def _generic_index(self) -> PhraseIndex:
        return PhraseIndex((term, n) for n, g in enumerate(self.generic) for term in g.terms)

    def state_force(self, iso3: str | None, force: str = "military") -> str | None:
        country = self.by_iso3.get(iso3 or "")
        if country is None:
            return None
        name = country.state_forces.military if force == "military" else country.state_forces.police
        return f"{name} ({country.period})" if country.period else name

    def fill(self, name: str, iso3: str | None) -> tuple[str, bool]:
        """Fill {country}/{military}/{police} placeholders; (name, whether it could be filled)."""
        if "{" not in name:
            return name, True
        country = self.by_iso3.get(iso3 or "")
        if country is None:
            bare = (
                name.replace(" ({country})", "")
                .replace("{military}", "Military Forces")
                .replace("{police}", "Police Forces")
            )
            return bare, False
        return (
            name.replace("{country}", country.name)
            .replace("{military}", self.state_force(iso3, "military") or "")
            .replace("{police}", self.state_force(iso3, "police") or "")
        ), True

    def find(self, doc: Doc) -> list[ActorMention]:
        """Named, state and generic actor mentions, longest first and never overlapping."""
        sent_of = _sentence_index(doc)
        index, acronyms, keys = self._named_index
        found: list[ActorMention] = []

        def taken(s: int, e: int) -> bool:
            return any(m.start < e and s < m.end for m in found)

        def add(
            s: int,
            e: int,
            name: str,
            inter: int,
            cat: Category,
            iso3: str | None = None,
            unit: str | None = None,
        ) -> None:
            if not taken(s, e):
                span = doc[s:e]
                found.append(
                    ActorMention(
                        span.text,
                        name,
                        inter,
                        cat,
                        s,
                        e,
                        span.start_char,
                        span.end_char,
                        sent_of[s],
                        iso3,
                        unit,
                    )
                )

        for s, e, key in index.find(doc):
            actor, unit = keys[key]
            self._add_named(add, s, e, actor, unit)
        for tok in doc:
            key = (
                acronyms.get(tok.text) or acronyms.get(tok.text.rstrip("s"))
                if tok.text[:1].isupper()
                else None
            )
            if key is not None:
                actor, unit = keys[int(key)]
                self._add_named(add, tok.i, tok.i + 1, actor, unit)
        self._find_state(doc, add)
        for s, e, key in self._generic_index.find(doc):
            g = self.generic[key]
            if g.category in ("armed",) and _owned_by_group(doc, s, found):
                continue  # "BLA fighters", "its fighters": the group, not an unidentified one
            if g.category in ("military", "police") and doc[e - 1].dep_ in ("amod", "compound"):
                continue  # "military exercise", "police station": a modifier, not the force itself
            add(s, e, g.name, g.inter, g.category)
        return sorted(found, key=lambda m: m.start)

    def _add_named(self, add, s: int, e: int, actor: ActorEntry, unit: str | None) -> None:  # type: ignore[no-untyped-def]
        if actor.kind == "state_unit":
            iso3 = actor.countries[0] if actor.countries else None
            add(s, e, "{" + (actor.force or "military") + "}", 1, "state", iso3, actor.name)
        else:
            add(
                s,
                e,
                actor.name,
                actor.inter,
                "group",
                actor.countries[0] if len(actor.countries) == 1 else None,
                unit,
            )

    def _find_state(self, doc: Doc, add) -> None:  # type: ignore[no-untyped-def]
        """'Pakistani forces', 'the Afghan army', 'Indian police', 'Military Forces of Pakistan'."""
        force_words = self.force_words
        for tok in doc:
            country = self.demonyms.get(tok.text)
            if country is None:
                continue
            for k in range(tok.i + 1, min(tok.i + 4, len(doc))):
                cat = force_words.get(doc[k].lower_) or force_words.get(doc[k].lemma_.lower())
                if cat is not None:
                    add(tok.i, k + 1, "{" + cat + "}", 1, "state", country.iso3)
                    break
                if doc[k].text in ("'s", "’s") and k == tok.i + 1:
                    continue  # "Mali's army"
                if not (doc[k].is_alpha and doc[k].pos_ in ("ADJ", "NOUN", "PROPN")):
                    break


def _tokenish(form: str) -> list[str]:
    """Split a lexicon name the way spaCy's tokenizer splits text ("Tehrik-i-Taliban" -> 7 pieces)."""
    out: list[str] = []
    for word in form.lower().split():
        piece = ""
        for ch in word:
            if ch in "-'’().,":
                if piece:
                    out.append(piece)
                out.append(ch)
                piece = ""
            else:
                piece += ch
        if piece:
            out.append(piece)
    return out


def _owned_by_group(doc: Doc, s: int, found: list[ActorMention]) -> bool:
    """'BLA fighters', 'its fighters', 'fighters of the BLA', 'the group's fighters'."""
    after = doc[s + 1 : s + 4]
    if (
        after
        and after[0].lower_ == "of"
        and any(m.start in (s + 2, s + 3) and m.category == "group" for m in found)
    ):
        return True
    prev = doc[s - 1] if s > 0 else None
    if prev is not None and prev.lower_ in ("its", "their", "group", "group's"):
        return True
    if (
        prev is not None
        and prev.lower_ in ("the", "these", "those")
        and any(m.category == "group" and m.start < s for m in found)
    ):
        return True  # "the fighters" after a group was named: that group's fighters
    return any(m.end == s and m.category == "group" for m in found) or (
        prev is not None
        and prev.text in ("'s", "’s")
        and any(m.end == s - 1 and m.category == "group" for m in found)
    )


def _sentence_index(doc: Doc) -> list[int]:
    out = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = n
    return out


def load_actor_lexicon(countries: Path, actors: Path, generic: Path) -> ActorLexicon:
    """The three actor data files (countries.jsonl, actors.jsonl, generic_actors.jsonl), validated."""
    return ActorLexicon(
        tuple(load_jsonl(CountryEntry, countries)),
        tuple(load_jsonl(ActorEntry, actors)),
        tuple(load_jsonl(GenericEntry, generic)),
    )
