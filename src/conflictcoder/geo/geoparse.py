"""The geoparser: every place a text names, in the document's countries, with its role and its point.

One call, `Geoparser.parse`, serves both the event coder (`pipeline.code_article`) and the
`conflictcoder places` command, so both improve together:
1. find place mentions (`extract/places.py`: gazetteer names, kind words, locatives, NER) with their role
   (site, dateline, speaker location, government by metonymy, demonym/adjective);
2. decide the document's country focus from unambiguous evidence (`resolve.country_votes`);
3. resolve every mention inside that focus and the text's own hierarchy (`resolve.resolve_all`).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from conflictcoder.extract.actors import ActorLexicon, ActorMention
from conflictcoder.extract.places import PlaceMention, PlaceWords, find_places
from conflictcoder.geo.gazetteer import OpenGazetteer, Place
from conflictcoder.geo.resolve import Resolution, admin1_focus, country_votes, resolve_all
from conflictcoder.model import CountryFocus, DocumentPlaces, Location, PlaceOut

__all__ = ["GeoParse", "Geoparser"]


@dataclass
class GeoParse:
    """The place step's result for one document."""

    mentions: list[PlaceMention]
    resolved: dict[int, Resolution]  # by index into `mentions`; unresolvable mentions are absent
    countries: list[tuple[str, float]]  # (ISO2, evidence), strongest first
    iso3: dict[str, str] = field(default_factory=dict)  # ISO2 -> ISO3 for `countries`

    @property
    def locations(self) -> dict[int, Location]:
        return {n: r.location for n, r in self.resolved.items()}

    @property
    def focus_iso2(self) -> list[str]:
        return [c for c, _ in self.countries]

    def to_output(self, doc_id: str, text: str, names: dict[str, str]) -> DocumentPlaces:
        """The pydantic form `conflictcoder places` prints; `names` maps ISO2 to a country name."""
        total = sum(s for _, s in self.countries) or 1.0
        countries = [
            CountryFocus(iso3=self.iso3.get(c, c), name=names.get(c, c), score=round(s / total, 3))
            for c, s in self.countries
        ]
        places: list[PlaceOut] = []
        for n, m in enumerate(self.mentions):
            r = self.resolved.get(n)
            loc, p = (r.location, r.place) if r else (None, None)
            places.append(
                PlaceOut(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    name=(p.name if p else loc.location if loc else None),
                    geonames_id=p.geonames_id if p else None,
                    latitude=loc.latitude if loc else None,
                    longitude=loc.longitude if loc else None,
                    feature_class=p.feature_class if p else None,
                    feature_code=p.feature_code if p else None,
                    country=loc.iso3 if loc else None,
                    admin1=loc.admin1 if loc else None,
                    admin2=loc.admin2 if loc else None,
                    role=m.role,
                    score=round(r.score, 3) if r else 0.0,
                    reason=loc.reason if loc else f"'{m.name}' found ({m.source}) but not placed",
                )
            )
        return DocumentPlaces(id=doc_id, countries=countries, places=places)


def _stands_for_government(p: Place, city_population: int) -> bool:
    """'Islamabad said', 'Pakistan rejected': a country, or a city big enough to be a capital, as speaker."""
    if p.feature_class == "A":
        return p.feature_code in ("PCLI", "PCLH")
    return p.feature_code == "PPLC" or p.population >= city_population


@dataclass
class Geoparser:
    """Everything the place step needs, loaded once per run (see `pipeline.Coder`)."""

    gazetteer: OpenGazetteer
    names: Mapping[str, int]
    spellings: Container[str]
    actors: ActorLexicon
    words: PlaceWords

    def parse(self, doc: Doc, actors: Sequence[ActorMention] | None = None) -> GeoParse:
        """Find, classify and resolve every place in `doc`; `actors` (found when not given) are the
        text's actor mentions: group names are not places, and actors with a known country are evidence
        of the document's focus."""
        if actors is None:
            actors = self.actors.find(doc)
        groups: list[Span] = [doc[a.start : a.end] for a in actors if a.category == "group"]
        mentions = find_places(doc, self.names, groups, self.spellings, words=self.words)
        implied = [self.actors.by_iso3[a.iso3].iso2 for a in actors if a.iso3 in self.actors.by_iso3]
        votes = country_votes(mentions, self.gazetteer, self.words.continents, implied)
        countries = votes.most_common()
        focus = [c for c, _ in countries]
        resolved = resolve_all(mentions, self.gazetteer, focus, self.words.continents)
        admin1 = admin1_focus(resolved, focus[0] if focus else None)
        if admin1 is not None:  # a second pass, with the province or state the text is mostly about
            resolved = resolve_all(mentions, self.gazetteer, focus, self.words.continents, admin1)
        for n, m in enumerate(mentions):
            p = resolved[n].place if n in resolved else None
            big = self.words.government_city_population
            if m.speaks and m.role == "site" and p is not None and _stands_for_government(p, big):
                m.role = "government"
        iso3 = {c: self.actors.by_iso2[c].iso3 for c, _ in countries if c in self.actors.by_iso2}
        return GeoParse(mentions, resolved, countries, iso3)

    def country_names(self) -> dict[str, str]:
        return {c.iso2: c.name for c in self.actors.countries}
