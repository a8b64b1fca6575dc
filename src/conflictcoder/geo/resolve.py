"""Toponym resolution: place mentions -> Locations in the admin hierarchy, with honest precision codes.

Candidates for a name are ranked by the article's context: the countries it names or implies, the
enclosing place the text gives ("Zehri in Khuzdar district"), the kind word after the name
("district", "village"), and population. A name the gazetteer lacks takes the coordinates of the most
precise enclosing unit the text names, with a coarser precision and a reason. One unresolvable name
never affects the others.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from unidecode import unidecode

from conflictcoder.extract.places import PlaceMention
from conflictcoder.geo.gazetteer import OpenGazetteer, Place
from conflictcoder.geo.names import normalize_name
from conflictcoder.model import Location

log = logging.getLogger(__name__)

_ADMIN_SUFFIX = re.compile(
    r"\s+(district|province|division|region|governorate|prefecture|county|tehsil|municipality|department|"
    r"oblast|state|agency|city|raion|rayon|zone|subdistrict)$",
    re.IGNORECASE,
)
_ADMIN_PREFIX = re.compile(r"^(shahrestan-e|ostan-e|provincia de|departamento de|wilayat)\s+", re.IGNORECASE)


#: Normalized continent name -> (name, GeoNames id, latitude, longitude), from data/places.json.
Continents = Mapping[str, tuple[str, int, float, float]]


def display_name(name: str | None) -> str | None:
    """ACLED-style display form of an admin unit: ASCII, no type word ('Khuzdār District' -> 'Khuzdar')."""
    if not name:
        return name
    plain = unidecode(name).strip()
    plain = _ADMIN_PREFIX.sub("", plain)
    return _ADMIN_SUFFIX.sub("", plain) or plain


def country_context(
    mentions: Sequence[PlaceMention], gaz: OpenGazetteer, continents: Continents, extra: Iterable[str] = ()
) -> list[str]:
    """ISO2 codes of the article's countries, most evident first."""
    return [iso2 for iso2, _ in country_votes(mentions, gaz, continents, extra).most_common()]


def country_votes(
    mentions: Sequence[PlaceMention], gaz: OpenGazetteer, continents: Continents, extra: Iterable[str] = ()
) -> Counter[str]:
    """Evidence per ISO2 country that the text is about it: named countries weigh most, then the
    countries of the most populous reading of each other place name."""
    votes: Counter[str] = Counter()
    for iso2 in extra:
        votes[iso2] += 5
    parents = {id(m.parent) for m in mentions if m.parent is not None}
    for m in mentions:
        if m.key in continents:
            continue
        country = gaz.country(m.name)
        if country is not None:
            votes[country.iso2] += 5
            continue
        cands = gaz.lookup(m.name)[:3] + gaz.lookup_admin(m.name, 1)[:2] or gaz.lookup_spelling(m.name)[:3]
        if cands:
            best = max(cands, key=lambda p: p.population)
            # a big place or one the text uses as a parent ("(Kamukunji, Nairobi)") is better evidence
            # than a small namesake abroad ("Eastleigh", Hampshire)
            weight = 1 + math.log10(best.population + 1) / 7 + (1 if id(m) in parents else 0)
            votes[best.iso2] += weight
    return votes


def _from_place(p: Place, mention: str, reason: str) -> Location:
    if p.feature_code == "PCLI":
        return Location(
            location=p.country,
            country=p.country,
            iso3=p.iso3,
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=3,
            where_prec=6,
            geonames_id=p.geonames_id,
            reason=reason,
        )
    if p.feature_code == "ADM1":
        name = display_name(p.name) or p.name
        return Location(
            location=name,
            admin1=name,
            country=p.country,
            iso3=p.iso3,
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=3,
            where_prec=4,
            geonames_id=p.geonames_id,
            reason=reason,
        )
    if p.feature_code == "ADM2":
        name = display_name(p.name) or p.name
        return Location(
            location=name,
            admin1=display_name(p.admin1),
            admin2=name,
            country=p.country,
            iso3=p.iso3,
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=2,
            where_prec=3,
            geonames_id=p.geonames_id,
            reason=reason,
        )
    return Location(
        location=p.name if p.feature_code != "USER" else mention,
        admin1=display_name(p.admin1),
        admin2=display_name(p.admin2),
        country=p.country,
        iso3=p.iso3,
        latitude=p.latitude,
        longitude=p.longitude,
        geo_precision=1,
        where_prec=1,
        geonames_id=p.geonames_id,
        reason=reason,
    )


_KIND_CODE = {"admin1": "ADM1", "admin2": "ADM2", "admin3": "ADM2", "place": "PPL"}


def _code_family(feature_code: str) -> str:
    return "PPL" if feature_code.startswith("PPL") or feature_code == "USER" else feature_code


def _candidates(m: PlaceMention, gaz: OpenGazetteer) -> list[Place]:
    cands: list[Place] = []
    if m.kind in (None, "place"):
        cands += gaz.lookup(m.name, feature_class="P")
    if m.kind in (None, "admin2", "admin3", "place"):
        cands += gaz.lookup_admin(m.name, 2)
    if m.kind in (None, "admin1"):
        cands += gaz.lookup_admin(m.name, 1)
    if m.kind is None:
        country = gaz.country(m.name)
        if country is not None:
            cands.append(country)
    if not cands:  # another transliteration: "Idleb", "al-Hasakeh", "Tyr"
        cands = [p for p in gaz.lookup_spelling(m.name) if p.feature_class in ("P", "A")]
    return cands


def _score(
    p: Place,
    m: PlaceMention,
    context: Sequence[str],
    parent: Location | None,
    is_parent: bool = False,
    admin1: str | None = None,
) -> float:
    score = math.log10(p.population + 1) / 3
    if admin1 is not None and context and p.iso2 == context[0] and admin1 in (p.admin1_code, p.admin1):
        score += 1.5  # inside the province or state the text is mostly about
    if m.kind is None and not is_parent and _code_family(p.feature_code) == "PPL":
        score += 1.5  # a bare name in a report is a town ("protested in Mogilev"), not its province
    if context and p.iso2 == context[0]:
        score += 4
    elif p.iso2 in context:
        score += 2
    if parent is not None:
        p_admin1, p_admin2 = display_name(p.admin1), display_name(p.admin2)
        if parent.admin2 and p_admin2 == parent.admin2:
            score += 4
        elif parent.admin1 and (p_admin1 == parent.admin1 or display_name(p.name) == parent.admin1):
            score += 3
        elif parent.iso3 and p.iso3 == parent.iso3:
            score += 1
    if m.kind is not None and _KIND_CODE.get(m.kind) == _code_family(p.feature_code):
        score += 2
    return score


def _enclosed(m: PlaceMention, parent: Location) -> Location:
    """A place the gazetteer lacks, placed at its enclosing unit's coordinates with a coarser precision."""
    if parent.where_prec == 1:
        geo, where, within = 2, 2, f"the town of {parent.location}"
    elif parent.admin2:
        geo, where, within = 2, 3, f"{parent.admin2} district"
    elif parent.admin1:
        geo, where, within = 3, 4, f"{parent.admin1} province"
    else:
        geo, where, within = 3, 6, parent.country or "its country"
    return Location(
        location=m.name,
        admin1=parent.admin1,
        admin2=parent.admin2,
        country=parent.country,
        iso3=parent.iso3,
        latitude=parent.latitude,
        longitude=parent.longitude,
        geo_precision=geo,
        where_prec=where,
        reason=f"'{m.name}' is not in the gazetteer; the text places it in {within}, "
        "whose coordinates are used",
    )


@dataclass
class Resolution:
    """How one mention was resolved: the location, the gazetteer entry (None when placed through the text's
    hierarchy) and the winning candidate's score."""

    location: Location
    place: Place | None = None
    score: float = 0.0


def resolve_mentions(
    mentions: Sequence[PlaceMention], gaz: OpenGazetteer, context: Sequence[str], continents: Continents
) -> dict[int, Location]:
    """Resolve every mention (keyed by its index in `mentions`); unresolvable ones are simply absent."""
    return {n: r.location for n, r in resolve_all(mentions, gaz, context, continents).items()}


def resolve_all(
    mentions: Sequence[PlaceMention],
    gaz: OpenGazetteer,
    context: Sequence[str],
    continents: Continents,
    admin1: str | None = None,
) -> dict[int, Resolution]:
    """Resolve every mention (keyed by its index in `mentions`) with the entry and score behind it."""
    out: dict[int, Location] = {}
    chosen: dict[int, tuple[Place, float]] = {}
    index = {id(m): n for n, m in enumerate(mentions)}
    parents = {id(m.parent) for m in mentions if m.parent is not None}
    by_key: dict[str, int] = {}

    def resolve(n: int, depth: int = 0) -> Location | None:
        if n in out:
            return out[n]
        m = mentions[n]
        parent = None
        if m.parent is not None and depth < 4 and id(m.parent) in index:
            parent = resolve(index[id(m.parent)], depth + 1)
        if parent is None and m.key in by_key:
            first = by_key[m.key]
            out[n] = out[first]
            if first in chosen:
                chosen[n] = chosen[first]
            return out[n]
        if m.key in continents:
            out[n], chosen[n] = _continent(m, continents)
            return out[n]
        cands = _candidates(m, gaz)
        loc: Location | None = None
        if cands:
            best = _best(cands, m, context, parent, id(m) in parents, admin1)
            consistent = parent is None or _consistent(best, parent)
            # outside the article's main country only a big place, or one the text itself encloses
            plausible = not context or best.iso2 == context[0] or best.population >= 100_000
            if consistent and (plausible or parent is not None):
                how = (
                    "the text's enclosing place" if parent else "the article's country context and population"
                )
                loc = _from_place(best, m.name, f"gazetteer match for '{m.name}' ranked by {how}")
                chosen[n] = (best, _score(best, m, context, parent, id(m) in parents, admin1))
        if loc is None and parent is not None:
            free = _best(cands, m, context, None, id(m) in parents, admin1) if cands else None
            if free is not None and _stands_alone(free) and _same_name(free, m):
                # "London, Paris": a list, not a hierarchy, when the name is a big place of its own
                loc = _from_place(free, m.name, f"gazetteer match for '{m.name}', a place of its own")
                chosen[n] = (free, _score(free, m, context, None))
            else:
                loc = _enclosed(m, parent)
        if loc is None:
            log.debug("no gazetteer match for %r", m.name)
            return None
        out[n] = loc
        by_key.setdefault(m.key, n)
        return loc

    for n in range(len(mentions)):
        resolve(n)
    _place_compound_names(mentions, out)
    return {n: Resolution(loc, *chosen[n]) if n in chosen else Resolution(loc) for n, loc in out.items()}


def admin1_focus(resolved: dict[int, Resolution], iso2: str | None) -> str | None:
    """The admin1 code the text is mostly about within its main country, when one clearly leads: at least
    two mentions placed in it and at least half of those placed at admin1 or below in that country."""
    votes: Counter[str] = Counter()
    for r in resolved.values():
        p = r.place
        if p is None or iso2 is None or p.iso2 != iso2 or p.feature_code in ("PCLI", "PCLH", "CONT"):
            continue
        if p.admin1_code:
            votes[p.admin1_code] += 2 if p.feature_code == "ADM1" else 1
    if not votes:
        return None
    code, top = votes.most_common(1)[0]
    return code if top >= 2 and top * 2 >= sum(votes.values()) else None


def _continent(m: PlaceMention, continents: Continents) -> tuple[Location, tuple[Place, float]]:
    name, gid, lat, lon = continents[m.key]
    place = Place(
        geonames_id=gid,
        name=name,
        ascii_name=name,
        feature_class="L",
        feature_code="CONT",
        population=0,
        iso2="",
        iso3="",
        country="",
        admin1=None,
        admin1_code=None,
        admin2=None,
        admin2_code=None,
        latitude=lat,
        longitude=lon,
    )
    loc = Location(
        location=name,
        latitude=lat,
        longitude=lon,
        geo_precision=3,
        where_prec=7,
        geonames_id=gid,
        reason=f"'{m.name}' is a continent",
    )
    return loc, (place, 0.0)


_BIG_TOWN = 100_000  # a town this populous is not taken for a small namesake, nor placed inside another


def _same_name(p: Place, m: PlaceMention) -> bool:
    """The mention spells the place's own name (not an alternate name or another transliteration)."""
    return m.key in (normalize_name(p.name), normalize_name(p.ascii_name))


def _stands_alone(p: Place) -> bool:
    return p.feature_code in ("PCLI", "ADM1") or p.population >= _BIG_TOWN


def _best(
    cands: Sequence[Place],
    m: PlaceMention,
    context: Sequence[str],
    parent: Location | None,
    is_parent: bool,
    admin1: str | None = None,
) -> Place:
    """The best-scored candidate, except that a named country is that country ("Russia", not the town in
    Ohio) and a province or state beats a small town of its name outside it ("California", not the town
    in Maryland) unless the text encloses the name."""
    scored = {id(p): _score(p, m, context, parent, is_parent, admin1) for p in cands}
    best = max(cands, key=lambda p: scored[id(p)])
    if parent is not None or m.kind is not None:
        return best
    country = next((p for p in cands if p.feature_code == "PCLI"), None)
    if country is not None:
        return country
    # "Moscow" is the capital of Russia, not the town in Idaho, unless the text says otherwise
    exact = [p for p in cands if _same_name(p, m)]
    famous = max(exact, key=lambda p: p.population, default=best)
    if famous.population >= 500_000 and famous.population >= 50 * max(best.population, 1):
        return famous
    if _code_family(best.feature_code) == "PPL" and best.population < _BIG_TOWN:
        units = [p for p in cands if p.feature_code == "ADM1" and scored[id(p)] >= scored[id(best)] - 2.5]
        unit = max(units, key=lambda p: scored[id(p)], default=None)
        if unit is not None and display_name(best.admin1) != display_name(unit.name):
            return unit
    return best


def _place_compound_names(mentions: Sequence[PlaceMention], out: dict[int, Location]) -> None:
    """'Zehri Kochu' after 'Zehri': a compound toponym (X Bazaar, X Kalan) lies near its first part."""
    for n, m in enumerate(mentions):
        if n in out or " " not in m.name:
            continue
        first = m.name.split()[0].lower()
        near = next((out[k] for k, p in enumerate(mentions) if k in out and p.name.lower() == first), None)
        if near is None:
            continue
        where, geo = (2, 2) if near.where_prec == 1 else (max(near.where_prec, 3), 2 if near.admin2 else 3)
        out[n] = Location(
            location=m.name,
            admin1=near.admin1,
            admin2=near.admin2,
            country=near.country,
            iso3=near.iso3,
            latitude=near.latitude,
            longitude=near.longitude,
            geo_precision=geo,
            where_prec=where,
            reason=f"'{m.name}' is not in the gazetteer; its name places it by {near.location}, whose "
            f"coordinates are used",
        )


def _consistent(p: Place, parent: Location) -> bool:
    if parent.iso3 and p.iso3 != parent.iso3:
        return False
    if parent.admin2 and p.feature_code not in ("ADM1", "PCLI") and display_name(p.admin2) != parent.admin2:
        return p.feature_code == "ADM2" and display_name(p.name) == parent.admin2
    if parent.admin1 and p.feature_code != "PCLI":
        return display_name(p.admin1) == parent.admin1 or display_name(p.name) == parent.admin1
    return True
