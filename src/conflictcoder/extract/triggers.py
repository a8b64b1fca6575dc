"""Trigger mentions: the words that say an incident happened, with the contexts that cancel them.

A trigger does not make an event when it is negated ("no harm"), irrealis or reported second-hand as
an accusation, threat, plan or investigation ("accused of targeting", "threatened to attack",
"an inquiry into the attack"), or when it needs support the sentence does not give (a "strike" with no
workers, "capture" with no place, "release" with no prisoners).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from conflictcoder.data_files import data_file
from conflictcoder.lexicon import PhraseIndex, TriggerEntry

_CONTEXT = json.loads(data_file("trigger_contexts.json").read_text(encoding="utf-8"))
#: Governing words that make a trigger irrealis, generic or second-hand.
SUPPRESSORS = frozenset(_CONTEXT["suppressors"])
NEGATORS = frozenset(_CONTEXT["negators"])
CIVIL_CONTEXT = frozenset(_CONTEXT["civil_context"])
PRISONER_WORDS = frozenset(_CONTEXT["prisoner_words"])
WORKER_WORDS = frozenset(_CONTEXT["worker_words"])
#: Modifiers that make the incident not real ("a mock attack", "a simulated invasion").
FAKE_MODIFIERS = frozenset(_CONTEXT["fake_modifiers"])
#: Sentence words of sport, disasters, accidents, money and ceremonies: there "attack", "exploded",
#: "killing", "bombarded" or "missile" report no conflict unless a conflict cue is also present.
NON_CONFLICT = frozenset(w for words in _CONTEXT["non_conflict_contexts"].values() for w in words)
CONFLICT_CUES = frozenset(_CONTEXT["conflict_cues"])
#: Particles and objects that turn a trigger verb into something else ("shelled out", "surrender a passport").
PHRASAL_CANCEL: dict[str, list[str]] = _CONTEXT["phrasal_cancel"]
OBJECT_CANCEL: dict[str, list[str]] = _CONTEXT["object_cancel"]
#: What "thwarted"/"foiled" stops when it is a ground attack (a clash), not a device (disrupted weapons use).
ASSAULT_OBJECTS = frozenset(_CONTEXT["assault_objects"])
DEVICE_WORDS = frozenset(_CONTEXT["device_words"])
#: Weapons that are a means of an Armed clash when armed forces are attacked with gunfire as well.
LIGHT_WEAPONS = frozenset(_CONTEXT["light_weapons"])
GUNFIRE = frozenset(_CONTEXT["gunfire"])
FORCE_FACILITIES = frozenset(_CONTEXT["force_facilities"])


@dataclass(frozen=True)
class TriggerMention:
    entry: TriggerEntry
    start: int  # token index
    end: int
    start_char: int
    end_char: int
    sent: int
    one_person: bool = False  # "he was arrested": the act befell one named person, not a crowd

    @property
    def family(self) -> str:
        return self.entry.family


def _ancestors(tok: Token, hops: int = 4) -> list[Token]:
    out: list[Token] = []
    while tok.head is not tok and len(out) < hops:
        tok = tok.head
        out.append(tok)
    return out


def _out_of_context(span: Span) -> bool:
    """A trigger in a sentence about sport, a disaster, an accident, money or a ceremony, with no conflict
    cue; a fake or phrasal reading ("a mock attack", "shelled out", "surrender his passport")."""
    root = span.root
    lemma = root.lemma_.lower()
    if any(c.lower_ in FAKE_MODIFIERS for c in root.children if c.dep_ in ("amod", "compound")):
        return True
    if any(c.dep_ == "prt" and c.lower_ in PHRASAL_CANCEL.get(lemma, ()) for c in root.children):
        return True
    if any(c.dep_ == "dobj" and c.lemma_.lower() in OBJECT_CANCEL.get(lemma, ()) for c in root.children):
        return True
    sent = span.sent
    words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
    text = sent.text.lower()
    off_topic = bool(words & NON_CONFLICT) or any(" " in w and w in text for w in NON_CONFLICT)
    return off_topic and not (words & CONFLICT_CUES)


def _suppressed(span: Span) -> bool:
    doc = span.doc
    root = span.root
    if _out_of_context(span):
        return True
    if any(c.dep_ == "neg" for c in root.children):
        return True
    left = [t.lower_ for t in doc[max(span.sent.start, span.start - 3) : span.start]]
    if any(w in NEGATORS for w in left[-2:]):
        return True
    if any(
        w in ("accused", "accusing", "accuse", "threatened", "vowed", "plans", "planned", "planning")
        for w in left
    ):
        return True
    for anc in _ancestors(root):
        if anc.lemma_.lower() in SUPPRESSORS or anc.lower_ in SUPPRESSORS:
            return True
        if anc.tag_ == "MD" or any(
            c.tag_ == "MD" and c.lower_ in ("would", "could", "might", "may", "will")
            for c in anc.children
            if c.dep_ == "aux"
        ):
            return True
    return any(
        c.tag_ == "MD" and c.lower_ in ("would", "could", "might", "may", "will")
        for c in root.children
        if c.dep_ == "aux"
    )


def _supported(entry: TriggerEntry, span: Span) -> bool:
    """Weak or ambiguous triggers need a word in the sentence that confirms the reading."""
    sent_words = {t.lower_ for t in span.sent} | {t.lemma_.lower() for t in span.sent}
    phrase = entry.phrase
    prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if phrase == "mine":
        return prev not in CIVIL_CONTEXT and bool(
            sent_words
            & {"explode", "blast", "detonate", "hit", "step", "strike", "struck", "explosion", "kill"}
        )
    if phrase == "strike":
        return bool(sent_words & WORKER_WORDS) and not (sent_words & {"air", "drone", "missile"})
    if phrase == "release":
        return bool(sent_words & PRISONER_WORDS)
    if phrase == "join":
        return bool(
            sent_words & {"militant", "militants", "insurgents", "rebels", "group", "taliban", "ranks"}
        )
    if phrase == "fire":  # "fired with small arms on the positions of": a verb aimed at something
        root = span.root
        objects = [c.lemma_.lower() for c in root.children if c.dep_ == "dobj"]
        if any(o not in ("shot", "round", "bullet", "volley", "burst") for o in objects):
            return False  # "fired rockets at the camp" (the weapon types it), "fired their coach"
        return root.pos_ == "VERB" and any(
            c.dep_ == "prep"
            and c.lower_ in ("on", "at", "upon", "toward", "towards", "into")
            and not any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree)
            for c in root.children
        )
    if phrase in ("strike on", "strikes on"):  # an air strike, not a labour strike: someone was hit
        return not (sent_words & WORKER_WORDS) and bool(
            sent_words & {"kill", "die", "dead", "wound", "injure", "hit", "destroy", "target", "casualty"}
        )
    if phrase in ("capture", "take over", "enter"):
        return _takes_ground(span)
    if phrase in ("target", "engage"):
        return any(c.dep_ in ("dobj", "nsubjpass") for c in span.root.children) or span.root.dep_ == "ROOT"
    if phrase in ("jet", "aircraft"):
        return bool(
            sent_words & {"bomb", "strike", "strikes", "struck", "pound", "pounded", "raid", "target"}
        )
    if phrase == "execute":
        objs = {c.lemma_.lower() for c in span.root.children if c.dep_ in ("dobj", "nsubjpass")}
        return not (
            objs
            & {
                "mission",
                "operation",
                "plan",
                "order",
                "attack",
                "raid",
                "task",
                "strategy",
                "warrant",
                "deal",
                "agreement",
                "project",
            }
        )
    if phrase in ("demonstration", "demonstrate"):
        nxt = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
        return nxt != "of" and not (sent_words & {"call", "called", "calls", "label", "labeled", "labelled"})
    if phrase in ("deploy", "reinforcement", "curfew", "lockdown", "surrender"):
        return True
    if phrase in ("burn", "destroy", "damage"):
        return not (sent_words & {"calorie", "calories", "fuel", "forest", "wildfire"})
    if phrase == "march":
        return bool(
            sent_words
            & {
                "protest",
                "protester",
                "protesters",
                "rally",
                "demand",
                "demanding",
                "against",
                "slogan",
                "slogans",
            }
        )
    if phrase == "rocket":
        return not (sent_words & {"price", "prices", "stock", "stocks", "shares", "space", "launch"})
    if phrase in ("shot", "shoot", "fire at", "fire on"):
        return not (sent_words & {"goal", "keeper", "goalkeeper", "ball", "film", "photo", "basket"})
    if phrase in ("battle", "fight", "fighting"):
        return not (
            sent_words
            & {
                "election",
                "court",
                "legal",
                "cancer",
                "covid",
                "virus",
                "pandemic",
                "corruption",
                "title",
                "championship",
                "match",
                "inflation",
            }
        )
    return True


TERRITORY_OBJECTS = frozenset(
    [
        "town",
        "village",
        "city",
        "area",
        "district",
        "base",
        "post",
        "outpost",
        "checkpoint",
        "checkpost",
        "station",
        "headquarters",
        "hill",
        "compound",
        "complex",
        "office",
        "building",
        "committee",
        "camp",
        "territory",
        "region",
        "province",
        "valley",
        "neighbourhood",
        "neighborhood",
        "locality",
        "settlement",
        "airport",
        "port",
        "bridge",
        "road",
        "highway",
    ]
)


def _takes_ground(span: Span) -> bool:
    """The object of 'capture'/'seize'/'take over' is a place or a post, not people or goods."""
    root = span.root
    objs = [c for c in root.children if c.dep_ in ("dobj", "pobj", "nsubjpass")]
    objs += [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    for o in objs:
        if o.lemma_.lower() in TERRITORY_OBJECTS or o.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        if o.pos_ == "PROPN" and o.ent_type_ not in ("PERSON", "ORG", "NORP"):
            return True
    nxt = span.doc[span.end : span.end + 4]
    return any(t.ent_type_ in ("GPE", "LOC", "FAC") or t.lemma_.lower() in TERRITORY_OBJECTS for t in nxt)


def _one_person(span: Span) -> bool:
    """'He was arrested', 'police detained the editor Ali Khan': the patient is one person."""
    return any(
        c.dep_ in ("nsubjpass", "dobj")
        and (c.lower_ in ("he", "she", "him", "her") or c.ent_type_ == "PERSON")
        for c in span.root.children
    )


def _stops_an_assault(span: Span) -> bool:
    """'thwarted an attack of Houthi forces', 'repelled an incursion': a clash, unless a device was stopped
    ('foiled a suicide attack')."""
    for obj in (c for c in span.root.children if c.dep_ in ("dobj", "nsubjpass")):
        if obj.lemma_.lower() in ASSAULT_OBJECTS:
            return not any(t.lower_ in DEVICE_WORDS or t.lemma_.lower() in DEVICE_WORDS for t in obj.subtree)
    return False


def find_triggers(doc: Doc, index: PhraseIndex, entries: tuple[TriggerEntry, ...]) -> list[TriggerMention]:
    """Triggers that report an incident (suppressed and unsupported ones are left out).

    Seizing ground is taking territory: 'seized the Pandaran area' is read like 'took control of'.
    """
    takeover = next((e for e in entries if e.family == "territory" and e.state_agent), None)
    clash = next((e for e in entries if e.phrase == "clash"), None)
    sent_of = {}
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = n
    out: list[TriggerMention] = []
    for s, e, key in index.find(doc):
        entry = entries[key]
        span = doc[s:e]
        if _suppressed(span) or not _supported(entry, span):
            continue
        if entry.family == "seize" and takeover is not None and _takes_ground(span):
            entry = takeover
        if entry.family == "disrupted" and clash is not None and _stops_an_assault(span):
            entry = clash
        out.append(TriggerMention(entry, s, e, span.start_char, span.end_char, sent_of[s], _one_person(span)))
    return out


def trigger_index(entries: tuple[TriggerEntry, ...]) -> PhraseIndex:
    return PhraseIndex((e.phrase, n) for n, e in enumerate(entries))
