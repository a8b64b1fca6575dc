"""Trigger mentions: the words that say an incident happened, with the contexts that cancel them.

A trigger does not make an event when it is negated ("no harm"), irrealis or reported second-hand as
an accusation, threat, plan or investigation ("accused of targeting", "threatened to attack",
"an inquiry into the attack"), or when it needs support the sentence does not give (a "strike" with no
workers, "capture" with no place, "release" with no prisoners).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from conflictcoder.data_files import read_json_object
from conflictcoder.lexicon import PhraseIndex, TriggerEntry


@dataclass(frozen=True)
class TriggerWords:
    """The word lists of data/trigger_contexts.json that decide whether a trigger reports an incident."""

    #: Governing words that make a trigger irrealis, generic or second-hand.
    suppressors: frozenset[str]
    negators: frozenset[str]
    civil_context: frozenset[str]
    prisoner_words: frozenset[str]
    worker_words: frozenset[str]
    #: Modifiers that make the incident not real ("a mock attack", "a simulated invasion").
    fake_modifiers: frozenset[str]
    #: Sentence words of sport, disasters, accidents, money and ceremonies: there "attack", "exploded",
    #: "killing", "bombarded" or "missile" report no conflict unless a conflict cue is also present.
    non_conflict: frozenset[str]
    conflict_cues: frozenset[str]
    #: Particles and objects that turn a trigger verb into something else ("shelled out", "surrender a
    #: passport").
    phrasal_cancel: dict[str, list[str]]
    object_cancel: dict[str, list[str]]
    #: What "thwarted"/"foiled" stops when it is a ground attack (a clash), not a device (disrupted
    #: weapons use).
    assault_objects: frozenset[str]
    device_words: frozenset[str]
    #: Weapons that are a means of an Armed clash when armed forces are attacked with gunfire as well.
    light_weapons: frozenset[str]
    gunfire: frozenset[str]
    force_facilities: frozenset[str]
    accusing_words: frozenset[str]
    irrealis_modals: frozenset[str]
    #: Per weak trigger, the sentence words that confirm or cancel its reading (`_supported`).
    support: dict[str, frozenset[str]]
    #: Objects of "capture"/"seize"/"take over" that make it taking ground.
    territory_objects: frozenset[str]


def load_trigger_words(path: Path) -> TriggerWords:
    """Read data/trigger_contexts.json (or the user's copy at `path`)."""
    raw = read_json_object(path)
    return TriggerWords(
        suppressors=frozenset(raw["suppressors"]),
        negators=frozenset(raw["negators"]),
        civil_context=frozenset(raw["civil_context"]),
        prisoner_words=frozenset(raw["prisoner_words"]),
        worker_words=frozenset(raw["worker_words"]),
        fake_modifiers=frozenset(raw["fake_modifiers"]),
        non_conflict=frozenset(w for words in raw["non_conflict_contexts"].values() for w in words),
        conflict_cues=frozenset(raw["conflict_cues"]),
        phrasal_cancel=raw["phrasal_cancel"],
        object_cancel=raw["object_cancel"],
        assault_objects=frozenset(raw["assault_objects"]),
        device_words=frozenset(raw["device_words"]),
        light_weapons=frozenset(raw["light_weapons"]),
        gunfire=frozenset(raw["gunfire"]),
        force_facilities=frozenset(raw["force_facilities"]),
        accusing_words=frozenset(raw["accusing_words"]),
        irrealis_modals=frozenset(raw["irrealis_modals"]),
        support={k: frozenset(v) for k, v in raw["support"].items()},
        territory_objects=frozenset(raw["territory_objects"]),
    )


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


def _out_of_context(span: Span, w: TriggerWords) -> bool:
    """A trigger in a sentence about sport, a disaster, an accident, money or a ceremony, with no conflict
    cue; a fake or phrasal reading ("a mock attack", "shelled out", "surrender his passport")."""
    root = span.root
    lemma = root.lemma_.lower()
    if any(c.lower_ in w.fake_modifiers for c in root.children if c.dep_ in ("amod", "compound")):
        return True
    if any(c.dep_ == "prt" and c.lower_ in w.phrasal_cancel.get(lemma, ()) for c in root.children):
        return True
    if any(c.dep_ == "dobj" and c.lemma_.lower() in w.object_cancel.get(lemma, ()) for c in root.children):
        return True
    sent = span.sent
    words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
    text = sent.text.lower()
    off_topic = bool(words & w.non_conflict) or any(" " in x and x in text for x in w.non_conflict)
    return off_topic and not (words & w.conflict_cues)


def _suppressed(span: Span, w: TriggerWords) -> bool:
    doc = span.doc
    root = span.root
    if _out_of_context(span, w):
        return True
    if any(c.dep_ == "neg" for c in root.children):
        return True
    left = [t.lower_ for t in doc[max(span.sent.start, span.start - 3) : span.start]]
    if any(x in w.negators for x in left[-2:]):
        return True
    if any(x in w.accusing_words for x in left):
        return True
    for anc in _ancestors(root):
        if anc.lemma_.lower() in w.suppressors or anc.lower_ in w.suppressors:
            return True
        if anc.tag_ == "MD" or any(
            c.tag_ == "MD" and c.lower_ in w.irrealis_modals
            for c in anc.children
            if c.dep_ == "aux"
        ):
            return True
    return any(
        c.tag_ == "MD" and c.lower_ in w.irrealis_modals
        for c in root.children
        if c.dep_ == "aux"
    )


def _supported(entry: TriggerEntry, span: Span, w: TriggerWords) -> bool:
    """Weak or ambiguous triggers need a word in the sentence that confirms the reading."""
    sent_words = {t.lower_ for t in span.sent} | {t.lemma_.lower() for t in span.sent}
    phrase = entry.phrase
    sup = w.support
    prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if phrase == "mine":
        return prev not in w.civil_context and bool(sent_words & sup["mine_blast"])
    if phrase == "strike":
        return bool(sent_words & w.worker_words) and not (sent_words & sup["strike_air"])
    if phrase == "release":
        return bool(sent_words & w.prisoner_words)
    if phrase == "join":
        return bool(sent_words & sup["join_armed"])
    if phrase == "fire":  # "fired with small arms on the positions of": a verb aimed at something
        root = span.root
        objects = [c.lemma_.lower() for c in root.children if c.dep_ == "dobj"]
        if any(o not in sup["fire_round_objects"] for o in objects):
            return False  # "fired rockets at the camp" (the weapon types it), "fired their coach"
        return root.pos_ == "VERB" and any(
            c.dep_ == "prep"
            and c.lower_ in sup["fire_aim_preps"]
            and not any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree)
            for c in root.children
        )
    if phrase in ("strike on", "strikes on"):  # an air strike, not a labour strike: someone was hit
        return not (sent_words & w.worker_words) and bool(sent_words & sup["strike_on_hit"])
    if phrase in ("capture", "take over", "enter"):
        return _takes_ground(span, w)
    if phrase in ("target", "engage"):
        return any(c.dep_ in ("dobj", "nsubjpass") for c in span.root.children) or span.root.dep_ == "ROOT"
    if phrase in ("jet", "aircraft"):
        return bool(sent_words & sup["aircraft_strike"])
    if phrase == "execute":
        objs = {c.lemma_.lower() for c in span.root.children if c.dep_ in ("dobj", "nsubjpass")}
        return not (objs & sup["execute_task_objects"])
    if phrase in ("demonstration", "demonstrate"):
        nxt = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
        return nxt != "of" and not (sent_words & sup["demonstration_label"])
    if phrase in ("deploy", "reinforcement", "curfew", "lockdown", "surrender"):
        return True
    if phrase in ("burn", "destroy", "damage"):
        return not (sent_words & sup["destroy_not"])
    if phrase == "march":
        return bool(sent_words & sup["march_protest"])
    if phrase == "rocket":
        return not (sent_words & sup["rocket_not"])
    if phrase in ("shot", "shoot", "fire at", "fire on"):
        return not (sent_words & sup["shot_not"])
    if phrase in ("battle", "fight", "fighting"):
        return not (sent_words & sup["battle_not"])
    return True


def _takes_ground(span: Span, w: TriggerWords) -> bool:
    """The object of 'capture'/'seize'/'take over' is a place or a post, not people or goods."""
    root = span.root
    objs = [c for c in root.children if c.dep_ in ("dobj", "pobj", "nsubjpass")]
    objs += [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    for o in objs:
        if o.lemma_.lower() in w.territory_objects or o.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        if o.pos_ == "PROPN" and o.ent_type_ not in ("PERSON", "ORG", "NORP"):
            return True
    nxt = span.doc[span.end : span.end + 4]
    return any(t.ent_type_ in ("GPE", "LOC", "FAC") or t.lemma_.lower() in w.territory_objects for t in nxt)


def _one_person(span: Span) -> bool:
    """'He was arrested', 'police detained the editor Ali Khan': the patient is one person."""
    return any(
        c.dep_ in ("nsubjpass", "dobj")
        and (c.lower_ in ("he", "she", "him", "her") or c.ent_type_ == "PERSON")
        for c in span.root.children
    )


def _stops_an_assault(span: Span, w: TriggerWords) -> bool:
    """'thwarted an attack of Houthi forces', 'repelled an incursion': a clash, unless a device was stopped
    ('foiled a suicide attack')."""
    for obj in (c for c in span.root.children if c.dep_ in ("dobj", "nsubjpass")):
        if obj.lemma_.lower() in w.assault_objects:
            return not any(w.device_words & {t.lower_, t.lemma_.lower()} for t in obj.subtree)
    return False


def find_triggers(
    doc: Doc, index: PhraseIndex, entries: tuple[TriggerEntry, ...], words: TriggerWords
) -> list[TriggerMention]:
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
        if _suppressed(span, words) or not _supported(entry, span, words):
            continue
        if entry.family == "seize" and takeover is not None and _takes_ground(span, words):
            entry = takeover
        if entry.family == "disrupted" and clash is not None and _stops_an_assault(span, words):
            entry = clash
        out.append(TriggerMention(entry, s, e, span.start_char, span.end_char, sent_of[s], _one_person(span)))
    return out


def trigger_index(entries: tuple[TriggerEntry, ...]) -> PhraseIndex:
    return PhraseIndex((e.phrase, n) for n, e in enumerate(entries))
