"""Incidents: trigger sentences grouped into one record per incident, and typed in ACLED's taxonomy.

Grouping (one article):
- a sentence with triggers starts a new incident when it names an incident site different from the current
  one, or opens with a marker of a new incident ("In a separate development", "Separately", "Elsewhere";
  data/incidents.json);
- it joins an earlier incident when it names that incident's site ("during the Zehri attack");
- otherwise it continues the current incident; sentences without triggers lend their figures to it.
- Within one sentence, an abduction of civilians is its own incident beside a battle (a different
  actor pair, so a different ACLED event).

Typing (one incident) is the rule table of `extract/typing_rules.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from conflictcoder.extract.actors import ActorMention
from conflictcoder.extract.figures import FigureMention
from conflictcoder.extract.places import PlaceMention
from conflictcoder.extract.triggers import TriggerMention

GENERIC_FAMILIES = frozenset({"attack", "kill"})
VIOLENT_FAMILIES = frozenset({"clash", "attack", "kill", "remote", "territory", "riot", "sexual"})
STRATEGIC_FAMILIES = frozenset({"seize", "property", "base", "change", "disrupted", "transfer", "agreement"})
PROTEST_FAMILIES = frozenset({"protest", "protest_strike", "intervention"})
SEPARATE_FAMILIES = frozenset({"abduct", "sexual"})


@dataclass
class Incident:
    sentences: list[int]
    triggers: list[TriggerMention]
    site: PlaceMention | None = None
    extra_sentences: list[int] = field(default_factory=list)  # figure-only sentences attached
    separate_from: Incident | None = None  # split out of a sentence shared with another incident
    split_sentences: set[int] = field(default_factory=set)  # sentences an abduction was split out of
    joined_why: dict[int, str] = field(default_factory=dict)  # sentence -> why it is part of this incident

    @property
    def all_sentences(self) -> list[int]:
        return sorted(set(self.sentences) | set(self.extra_sentences))


def _site_places(places: list[PlaceMention], sent: int) -> list[PlaceMention]:
    """Places in a sentence that can be where something happened (no jurisdictions, no parents of others)."""
    here = [p for p in places if p.sent == sent and not p.in_title]
    parents = {id(p.parent) for p in here if p.parent is not None}
    return [p for p in here if id(p) not in parents]


def _same_site(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None:
        return True
    if a.key == b.key:
        return True
    chain_a, chain_b = _chain(a), _chain(b)
    return a.key in chain_b or b.key in chain_a


def _chain(p: PlaceMention) -> set[str]:
    out: set[str] = set()
    q = p.parent
    while q is not None and len(out) < 5:
        out.add(q.key)
        q = q.parent
    return out


def _opens_new_incident(doc: Doc, sent_index: int, markers: tuple[str, ...]) -> bool:
    sent = list(doc.sents)[sent_index]
    return sent.text.strip().lower().startswith(markers)


def group_incidents(
    doc: Doc,
    triggers: list[TriggerMention],
    places: list[PlaceMention],
    figures: list[FigureMention],
    markers: tuple[str, ...],
) -> list[Incident]:
    """Group trigger sentences (and the figures of sentences between them) into incidents; `markers` are the
    sentence openings that start a new incident (data/incidents.json)."""
    by_sent: dict[int, list[TriggerMention]] = {}
    for t in triggers:
        by_sent.setdefault(t.sent, []).append(t)
    incidents: list[Incident] = []
    current: Incident | None = None
    n_sents = len(list(doc.sents))
    figure_sents = {f.sent for f in figures}
    for s in range(n_sents):
        trig = by_sent.get(s)
        sites = _site_places(places, s)
        site = sites[0] if sites else None
        if not trig:
            if current is not None and s in figure_sents:
                target = _incident_at(incidents, site) if site is not None else current
                if target is not None:
                    target.extra_sentences.append(s)
                    target.joined_why[s] = (
                        f"no trigger; its figures join the incident at '{site.name}'"
                        if site is not None
                        else "no trigger; its figures join the incident told just before"
                    )
            continue
        main = [t for t in trig if t.family not in SEPARATE_FAMILIES]
        separate = [t for t in trig if t.family in SEPARATE_FAMILIES]
        if not main:
            main, separate = separate, []
        earlier = (
            _incident_at(incidents, site) if site is not None else _referred_to(doc, main, incidents, current)
        )
        new_marker = _opens_new_incident(doc, s, markers)
        if earlier is not None and not (new_marker and earlier is current):
            earlier.sentences.append(s)
            earlier.triggers.extend(main)
            host = earlier
            host.joined_why[s] = (
                f"names this incident's site '{site.name}'"
                if site is not None
                else "refers back to this incident by a definite noun ('the attack')"
            )
        elif current is not None and not new_marker and _same_site(current.site, site):
            current.sentences.append(s)
            current.triggers.extend(main)
            if current.site is None:
                current.site = site
            host = current
            host.joined_why[s] = "continues the incident told just before (same or no site, no new marker)"
        else:
            host = Incident([s], list(main), site)
            incidents.append(host)
            host.joined_why[s] = (
                "starts a new incident: "
                + (
                    "the first sentence with an incident trigger"
                    if current is None
                    else "it opens with a new-incident marker"
                    if new_marker
                    else f"it names another site ('{site.name if site else ''}')"
                )
            )
        current = host
        if separate and _is_violent(main):
            split = Incident([s], separate, host.site or site, separate_from=host)
            split.joined_why[s] = "an abduction or sexual violence split out of a violent sentence"
            incidents.append(split)
            host.split_sentences.add(s)
        elif separate:
            host.triggers.extend(separate)
    return incidents


def _referred_to(
    doc: Doc, triggers: list[TriggerMention], incidents: list[Incident], current: Incident | None
) -> Incident | None:
    """'the takeover', 'this attack': a definite noun that names an incident already told, by its kind."""
    for t in triggers:
        root = doc[t.start : t.end].root
        definite = root.pos_ == "NOUN" and any(
            c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their", "his")
            for c in root.children
        )
        if not definite:
            return None
    for inc in reversed(incidents):
        if inc is current or inc.separate_from is not None:
            continue
        if any(t.family == u.family for t in triggers for u in inc.triggers):
            return inc
    return None


def _is_violent(triggers: list[TriggerMention]) -> bool:
    return any(t.family in VIOLENT_FAMILIES for t in triggers)


def _incident_at(incidents: list[Incident], site: PlaceMention | None) -> Incident | None:
    if site is None:
        return None
    for inc in reversed(incidents):
        if inc.site is not None and inc.site.key == site.key and inc.separate_from is None:
            return inc
    return None


def trigger_agent(doc: Doc, trigger: TriggerMention, actors: list[ActorMention]) -> ActorMention | None:
    """The actor that performs the trigger: its grammatical subject or by-agent when that is an actor."""
    root = doc[trigger.start : trigger.end].root
    heads = [root, *([root.head] if root.head is not root else [])]
    for h in heads:
        for child in h.children:
            cand = None
            if child.dep_ in ("nsubj", "csubj"):
                cand = child
            elif child.dep_ == "agent":
                cand = next((c for c in child.children if c.dep_ == "pobj"), None)
            if cand is None:
                continue
            lo, hi = cand.left_edge.i, cand.right_edge.i + 1
            inside = [a for a in actors if lo <= a.start < hi]
            if inside:
                # "militants (suspected Baloch separatists)": the named group says who the generic one is
                return min(inside, key=lambda a: (a.category != "group", a.start))
    return None
