"""Toponym mentions: where the text names a place, and the hierarchy the text itself gives.

Statistical NER alone misses or mislabels many South Asian and African place names (the small English
model tags "Zehri" as PERSON), so a mention is found by any of:
- a gazetteer name (capitalised, 1-4 tokens) that is not part of an actor name;
- a place pattern: "the X area", "X district", "X village", "X tehsil", ...;
- a proper noun governed by a locative preposition ("in X", "at X", "near X") or followed by "in <place>";
- an earlier mention of the same name in the same article.
The text's own hierarchy is recorded as `parent`: "Zehri in Balochistan's Khuzdar district" gives
Zehri -> Khuzdar (district) -> Balochistan.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc, Span, Token

from conflictcoder.data_files import read_json_object
from conflictcoder.geo.names import normalize_name, spelling_key


@dataclass(frozen=True)
class PlaceWords:
    """The word lists of data/places.json, loaded once by the coder (`word_lists.load_lexicons`)."""

    #: Words that say what kind of place precedes them ("Kech district"), and the admin level they imply.
    place_kinds: dict[str, str]
    locative: frozenset[str]
    #: Locatives that also introduce people and things ("of Smith", "from Jones"): a name after them must be
    #: known to the gazetteer or tagged as a place by NER.
    weak_locative: frozenset[str]
    #: Nouns after which "of X" is a place ("the outskirts of X", "north of X", "control of X").
    spatial_heads: frozenset[str]
    #: Continents: normalized name -> (name, GeoNames id, latitude, longitude); the gazetteer has none.
    continents: dict[str, tuple[str, int, float, float]]
    #: Words never a place on their own, though the gazetteer has them as names ("Western", "Centre").
    not_alone: frozenset[str]
    #: Titles after which "of X" names an office-holder's jurisdiction, not where something happened.
    title_words: frozenset[str]
    not_places: frozenset[str]
    #: Nouns a place name modifies when it says whose, not where ("Baloch residents", "a Pakistan soldier").
    people_heads: frozenset[str]
    #: Lowercase words inside place names ("Rio de Janeiro", "Playa del Carmen").
    connectors: frozenset[str]
    #: Lemmas of verbs of saying and stance: their subject place speaks ("Islamabad said"), and a place that
    #: says where their subject is ("officials in Quetta said") is where someone spoke from.
    statement_verbs: frozenset[str]
    #: A city at least this populous that is the subject of a statement verb stands for its government.
    government_city_population: int


def load_place_words(path: Path) -> PlaceWords:
    """Read data/places.json (or the user's copy at `path`)."""
    raw = read_json_object(path)
    return PlaceWords(
        place_kinds=raw["place_kinds"],
        locative=frozenset(raw["locative"]),
        weak_locative=frozenset(raw["weak_locative"]),
        spatial_heads=frozenset(raw["spatial_heads"]) | frozenset(raw["place_kinds"]),
        continents={
            normalize_name(name): (name, int(v[0]), float(v[1]), float(v[2]))
            for name, v in raw["continents"].items()
        },
        not_alone=frozenset(raw["not_alone"]),
        title_words=frozenset(raw["title_words"]),
        not_places=frozenset(raw["not_places"]),
        people_heads=frozenset(raw["people_heads"]),
        connectors=frozenset(raw["name_connectors"]),
        statement_verbs=frozenset(raw["statement_verbs"]),
        government_city_population=int(raw["government_city_population"]),
    )


#: "QUETTA:", "KABUL, Afghanistan (Reuters) —": a dateline opens the text with capitalised words and a colon
#: or dash; every place inside it has the role "dateline".
_DATELINE = re.compile(
    r"\A\s*[A-Z][^\n:—–a-z]{0,40}"  # "QUETTA", "NEW DELHI"
    r"(?:,\s*[A-Z][\w .]{0,30})?\s*"  # ", Pakistan"
    r"(?:\([^)\n]{0,40}\)\s*)?"  # "(Reuters)"
    r"(?:[:—–]|-\s)"
)


#: What a place mention does in its sentence. Only a "site" can be where an incident happened; the others
#: are kept so the geoparser can report them: a dateline ("QUETTA:"), where a speaker spoke from
#: ("officials in Quetta said"), a capital or country standing for its government ("Islamabad said"), and a
#: demonym or adjective ("Afghan forces").
#: "adjective" is a place name used as a modifier of a thing ("Pakistan cricket"); "demonym" is reserved for
#: people words ("Afghan"), which the finder does not report yet.
PlaceRole = Literal["site", "dateline", "speaker_location", "government", "demonym", "adjective"]


@dataclass
class PlaceMention:
    """One place named in the text; offsets index the article text.

    This is the seam between the place step (`geo/`, this module: finding, role, resolution) and the event
    coder (`pipeline`): the coder picks an incident's place among its sentences' mentions whose `role` is
    "site" and never classifies roles itself.
    """

    name: str
    start: int
    end: int
    sent: int
    kind: str | None = None  # "admin1" / "admin2" / "admin3" / "place" from a following kind word
    parent: PlaceMention | None = field(default=None, repr=False)
    in_title: bool = False  # "the Commissioner of Kalat": a jurisdiction, not an incident site
    source: str = "gazetteer"
    role: PlaceRole = "site"
    speaks: bool = False  # subject of a statement verb ("Islamabad said"): government if a country or capital

    @property
    def key(self) -> str:
        return normalize_name(self.name)


def _is_name_token(tok: Token, w: PlaceWords) -> bool:
    return (tok.is_title or tok.is_upper) and tok.is_alpha and tok.lower_ not in w.not_places


def _is_name(span: Span, w: PlaceWords) -> bool:
    """Capitalised name tokens, with lowercase connectors inside ('Rio de Janeiro', 'Deir ez Zor')."""
    if not span or not _is_name_token(span[0], w) or not _is_name_token(span[-1], w):
        return False
    return all(_is_name_token(t, w) or (t.lower_ in w.connectors and t.is_lower) for t in span)


def _name_span_from(
    doc: Doc, i: int, names: Mapping[str, int], w: PlaceWords, max_len: int = 5
) -> Span | None:
    """The run of capitalised name tokens starting at i: it stops at a kind word unless the gazetteer
    knows the name with it ("Cape Town"), and takes lowercase connectors inside ("Rio de Janeiro")."""
    j = i
    while j < len(doc) and j - i < max_len:
        tok = doc[j]
        if tok.lower_ in w.place_kinds and (tok.is_lower or normalize_name(doc[i : j + 1].text) not in names):
            break
        connector = tok.lower_ in w.connectors and tok.is_lower and j > i
        if not (_is_name_token(tok, w) or (connector and j + 1 < len(doc) and _is_name_token(doc[j + 1], w))):
            break
        j += 1
    return doc[i:j] if j > i else None


def _kind_after(doc: Doc, end: int, w: PlaceWords) -> str | None:
    if end < len(doc) and doc[end].lower_ in w.place_kinds:
        return w.place_kinds[doc[end].lower_]
    return None


def _in_title(span: Span, w: PlaceWords) -> bool:
    """'Commissioner of Kalat', 'Balochistan government', 'Quetta police chief'."""
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in w.title_words:
        return True
    nxt = doc[span.end] if span.end < len(doc) else None
    return nxt is not None and nxt.lower_ in w.title_words and nxt.lower_ not in w.place_kinds


def _covered(spans: list[Span], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def find_places(
    doc: Doc,
    names: Mapping[str, int],
    actor_spans: list[Span],
    spellings: Container[str] = frozenset(),
    *,
    words: PlaceWords,
) -> list[PlaceMention]:
    """Find place mentions in `doc`; `names` maps normalized gazetteer names to their largest population,
    `spellings` holds the gazetteer's `spelling_key`s (a name after "in" spelled another way is a place),
    `words` the coder's place word lists."""
    w = words
    found: dict[tuple[int, int], tuple[Span, str]] = {}
    sent_of = {s.start: n for n, s in enumerate(doc.sents)}
    sent_starts = sorted(sent_of)

    def add(span: Span, source: str) -> None:
        if _covered(actor_spans, span.start, span.end):
            return
        if any(k[0] < span.end and span.start < k[1] for k in found):
            return
        found[(span.start, span.end)] = (span, source)

    # 1. Patterns with kind words and locative cues, longest names first.
    for tok in doc:
        if tok.lower_ in w.place_kinds and tok.i > 0 and _is_name_token(doc[tok.i - 1], w):
            k = tok.i - 1
            while k > 0 and tok.i - k < 4 and _is_name_token(doc[k - 1], w):
                k -= 1
            if not tok.is_lower and normalize_name(doc[k : tok.i + 1].text) in names:
                continue  # "Cape Town", "Kuwait City": the kind word is part of the name
            add(doc[k : tok.i], "pattern")
    for tok in doc:
        if tok.lower_ in w.locative and tok.i + 1 < len(doc):
            span = _name_span_from(doc, tok.i + 1, names, w)
            if span is None:
                continue
            ent_label = next((e.label_ for e in doc.ents if e.start <= span.start < e.end), "")
            if ent_label in ("DATE", "TIME", "CARDINAL", "ORDINAL", "NORP", "MONEY", "PERCENT"):
                continue
            if len(span) == 1 and span[0].lower_ in w.not_alone:
                continue
            exact = normalize_name(span.text) in names
            place_label = ent_label in ("GPE", "LOC", "FAC")
            spatial_of = tok.lower_ == "of" and tok.i > 0 and doc[tok.i - 1].lower_ in w.spatial_heads
            if tok.lower_ in w.weak_locative and not spatial_of:
                if exact or place_label:
                    add(span, "pattern")
                continue
            # another transliteration of a known name ("Idleb"), unless NER calls it a holiday ("Easter")
            known = exact or (ent_label != "EVENT" and spelling_key(span.text) in spellings)
            if known or ent_label in ("GPE", "LOC", "FAC", "PERSON", ""):
                add(span, "pattern")
    # 2. Gazetteer names, 4 tokens down to 1.
    for n in (4, 3, 2, 1):
        for i in range(len(doc) - n + 1):
            span = doc[i : i + n]
            if not _is_name(span, w):
                continue
            key = normalize_name(span.text)
            if (n == 1 and span[0].lower_ in w.not_alone) or key not in names:
                continue
            ent = next((e for e in doc.ents if e.start <= span.start < e.end), None)
            cue = _locative_before(span, w) or _follows_place(span, found, w)
            if ent is not None and ent.label_ not in ("GPE", "LOC", "FAC") and not cue:
                continue  # a surname, organisation or number that happens to be a town name
            if _modifies_people(span, w):
                continue  # "a Pakistan soldier": whose, not where
            if ent is None and not cue and (any(t.pos_ != "PROPN" for t in span) or names[key] < 10_000):
                continue  # a capitalised common word, or too small a place to trust without a cue
            add(span, "gazetteer")
    # 3. NER places the gazetteer does not know.
    for ent in doc.ents:
        if len(ent) == 1 and ent[0].lower_ in w.not_alone:
            continue
        if ent.label_ in ("GPE", "LOC", "FAC") and _is_name_token(ent[0], w) and not _modifies_people(ent, w):
            add(ent, "ner")
    # 4. Every later occurrence of a name already established as a place.
    known = {normalize_name(s.text) for s, _ in found.values()}
    for n in (3, 2, 1):
        for i in range(len(doc) - n + 1):
            span = doc[i : i + n]
            if (
                _is_name(span, w)
                and normalize_name(span.text) in known
                and not _in_person(span)
                and not _modifies_people(span, w)
            ):
                add(span, "repeat")

    mentions: list[PlaceMention] = []
    for (start, end), (span, source) in sorted(found.items()):
        sent = next(sent_of[s] for s in reversed(sent_starts) if s <= start)
        mentions.append(
            PlaceMention(
                name=span.text,
                start=span.start_char,
                end=span.end_char,
                sent=sent,
                kind=_kind_after(doc, end, w),
                in_title=_in_title(span, w),
                source=source,
            )
        )
    _link_parents(doc, mentions, w)
    _classify_roles(doc, mentions, w)
    return mentions


def _classify_roles(doc: Doc, mentions: list[PlaceMention], w: PlaceWords) -> None:
    """Datelines and the places speakers are in; `speaks` marks a candidate for government metonymy,
    decided by the geoparser once it knows whether the place is a country or a capital."""
    dateline = _DATELINE.match(doc.text)
    for m in mentions:
        if dateline is not None and m.end <= dateline.end():
            m.role = "dateline"
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in w.statement_verbs:
            m.speaks = True
        head = root.head
        located = head.lower_ in ("in", "from", "at") and head.head.pos_ in ("NOUN", "PROPN")
        if root.dep_ == "pobj" and located:
            noun = head.head
            verb = noun.head
            speaking = noun.dep_ in ("nsubj", "nsubjpass", "dobj", "npadvmod") or noun.dep_ == "ROOT"
            if speaking and verb.lemma_.lower() in w.statement_verbs and noun.lower_ not in w.place_kinds:
                m.role = "speaker_location"


def _modifies_people(span: Span, w: PlaceWords) -> bool:
    """'Baloch residents', 'Kurdish fighters': an ethnic or regional adjective, not a place."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return nxt is not None and nxt.lower_ in w.people_heads


def _in_person(span: Span) -> bool:
    return any(
        e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end and len(e) > len(span)
        for e in span.doc.ents
    )


def _follows_place(span: Span, found: Mapping[tuple[int, int], object], w: PlaceWords) -> bool:
    """'Hoshab area (Kech, Balochistan)', 'Zamora, Michoacan': a name right after a place, set off by a
    bracket or comma, is the place's enclosing unit."""
    doc = span.doc
    k = span.start - 1
    if k < 1 or doc[k].text not in ("(", ","):
        return False
    before = doc[k - 1]
    return before.lower_ in w.place_kinds or any(end == k for _, end in found)


def _locative_before(span: Span, w: PlaceWords) -> bool:
    return span.start > 0 and span.doc[span.start - 1].lower_ in w.locative


def _link_parents(doc: Doc, mentions: list[PlaceMention], w: PlaceWords) -> None:
    """'X in Y', 'X, Y', "Y's X district", 'X (Y)': Y is X's parent in the text's hierarchy."""
    text = doc.text
    possessed: dict[int, PlaceMention] = {}
    for a, b in itertools.pairwise(mentions):
        gap = text[a.end : b.start]
        # skip over a kind word ("Pandaran area in Kalat")
        gap_words = [
            word
            for word in gap.replace(",", " , ").split()
            if word.lower() not in w.place_kinds and word.lower() not in ("a", "an", "the", "small", "remote")
        ]
        between = " ".join(gap_words).lower()
        if between in ("in", ", in", "of", ",", "(", "near", "in province of", ", , in", ", of", ", near"):
            a.parent = b
        elif between in ("’s", "'s") or gap.strip() in ("’s", "'s"):
            # "Balochistan's Khuzdar district": the possessor contains the possessed
            b.parent = a
            possessed[id(a)] = b
    # "Zehri in Balochistan's Khuzdar district": Zehri's parent is Khuzdar, not Balochistan.
    for m in mentions:
        if m.parent is not None and id(m.parent) in possessed and possessed[id(m.parent)] is not m:
            m.parent = possessed[id(m.parent)]
