"""How an incident gets its ACLED type: one ordered rule table, read top to bottom.

Input: `IncidentCues`, the few facts about one incident the rules read (its triggers, whether the agent is a
state force, whether civilians were hit, ...); `incident_cues` derives them from the incident's actors and
figures (the CUE_RULES below say how). Output: `Typing`, the sub-event type, the trigger it came from and
the ids of the rules that fired. Each rule names the convention of ACLED's published codebook it implements
(summarised in the project's CODEBOOK.md, "ACLED event types and sub-event types").

Evaluation, for each trigger of the incident in text order:
1. DROP_RULES, first match wins: the trigger proposes nothing.
2. TYPE_RULES, first match wins: the sub-event type the trigger proposes (the last rule always matches).
3. ADJUST_RULES, first match wins: a correction of that proposal (an unorganised clash is mob violence).
4. WEIGHT_RULES, first match wins: the proposal's weight (else the trigger's weight in triggers.jsonl).
Then, when the incident is a protest, PROTEST_RULES (first match wins) add one proposal for the protest as a
whole. The heaviest proposal wins; on a tie, the earliest (trigger proposals before the protest one).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from conflictcoder.extract.events import (
    GENERIC_FAMILIES,
    PROTEST_FAMILIES,
    STRATEGIC_FAMILIES,
    VIOLENT_FAMILIES,
)
from conflictcoder.extract.triggers import TriggerMention, TriggerWords
from conflictcoder.model import EVENT_TYPE_OF

#: Who the dead are when they were fighters: a "kill" trigger then reports a fight, not an attack.
COMBATANTS = frozenset({"soldiers", "police", "security_forces", "militants"})
#: Actor categories and inter codes of armed, organised actors (ACLED inter 1-4 and 8).
STATE_CATEGORIES = frozenset({"state", "military", "police"})
ARMED_CATEGORIES = frozenset({"state", "military", "police", "group", "armed"})
CROWD_CATEGORIES = frozenset({"civilians", "protesters", "rioters"})
ORGANISED_INTER = frozenset({1, 2, 3, 4, 8})


@dataclass(frozen=True)
class Rule:
    """One row of the table: an id, the ACLED convention it implements, and what it does."""

    id: str
    acled: str  # the convention of ACLED's codebook, in words (CODEBOOK.md summarises them)
    text: str  # what the rule does here


@dataclass(frozen=True)
class IncidentCues:
    """What the typing rules read about one incident (built by `incident_cues`, or by hand in tests)."""

    triggers: tuple[TriggerMention, ...]
    agent_is_state: bool = False  # the actor performing the first trigger is a state force
    civilians_hit: bool = False  # the incident's target or victims are civilians
    protest: bool = False  # protesters are named or a protest trigger is present
    victims: frozenset[str] = frozenset()  # `about` of the killed/injured figures ("civilians", "soldiers")
    organized: bool = True  # an organised armed actor takes part (else a clash is mob violence)
    armed_target: bool = False  # the target is an armed force (its post, its men)


@dataclass(frozen=True)
class Typing:
    event_type: str
    sub_event_type: str
    trigger: TriggerMention
    rules: tuple[str, ...]  # ids of the rules that fired for the winning proposal, in order
    reason: str  # the rules in words (or the user's model's decision, see learn/combine.py)
    model: str | None = None  # the user's trained model, when it retyped the incident
    probability: float | None = None  # that model's probability for the type it chose


# ---- cues: how the facts the rules read are derived from the incident's actors and figures ----

CUE_RULES: tuple[Rule, ...] = (
    Rule(
        "civilians-hit",
        "Violence against civilians is violence by an organised armed actor against unarmed, non-combatant "
        "people; people killed in an attack on an armed force's post are not thereby civilians.",
        "civilians are hit when a civilian actor is a party (and no armed force's facility was targeted), "
        "when every victim is a civilian, or when nobody else is named and the victims are civilians or "
        "unknown; in an abduction split out of a battle, only a named civilian party counts",
    ),
    Rule(
        "protest-cue",
        "Protests are public demonstrations by members of the public.",
        "the incident is a protest when protesters are named or a protest or strike trigger is present",
    ),
    Rule(
        "organised-cue",
        "Mob violence is violence by an unorganised crowd; Battles need organised armed groups.",
        "an organised armed actor takes part when an actor has inter 1-4 or 8 or is an unnamed armed "
        "group, or when no crowd (civilians, protesters, rioters) is named at all",
    ),
    Rule(
        "armed-target-cue",
        "An attack on an armed force is a fight between armed actors, not violence against civilians.",
        "the target is armed when a force's facility is hit, another party is armed, or every victim "
        "is a combatant",
    ),
)


@dataclass(frozen=True)
class ActorFacts:
    """The two facts about an actor mention that the cue rules read."""

    category: str
    inter: int


def incident_cues(
    triggers: Collection[TriggerMention],
    agent_category: str | None,
    actors: Collection[ActorFacts],
    others: Collection[ActorFacts],
    victims: frozenset[str],
    forces_targeted: bool,
    split_out: bool,
) -> IncidentCues:
    """The cues of one incident (CUE_RULES). `actors` are the incident's parties, `others` those besides
    actor1; `forces_targeted` says a force's facility is in the incident ("attacked a police post");
    `split_out` marks an abduction split out of a sentence shared with another incident."""
    civilian_party = any(a.category == "civilians" for a in others)
    if split_out:
        civilians_hit = civilian_party
    else:
        civilians_hit = (
            (civilian_party and not forces_targeted)
            or (bool(victims) and victims <= {"civilians"})
            or (not others and not forces_targeted and bool(victims) and victims <= {"civilians", "unknown"})
        )
    protest = any(a.category == "protesters" for a in actors) or any(
        t.family in ("protest", "protest_strike") for t in triggers
    )
    organized = any(a.inter in ORGANISED_INTER or a.category == "armed" for a in actors) or not any(
        a.category in CROWD_CATEGORIES for a in actors
    )
    armed_target = (
        forces_targeted
        or any(a.category in ARMED_CATEGORIES for a in others)
        or (bool(victims) and victims <= COMBATANTS)
    )
    return IncidentCues(
        tuple(triggers),
        agent_is_state=agent_category in STATE_CATEGORIES,
        civilians_hit=civilians_hit,
        protest=protest,
        victims=victims,
        organized=organized,
        armed_target=armed_target,
    )


# ---- the table ----


@dataclass(frozen=True)
class _Context:
    """Facts about the whole incident that the per-trigger rules consult."""

    cues: IncidentCues
    families: frozenset[str]
    weapons: tuple[TriggerMention, ...]  # remote-violence triggers that type the incident
    weak_cues: frozenset[str]


Test = Callable[[TriggerMention, _Context], bool]
Retype = Callable[[TriggerMention, _Context], str | None]

DROP_RULES: tuple[tuple[Rule, Test], ...] = (
    (
        Rule(
            "weapon-over-generic",
            "Explosions/Remote violence events are typed by the weapon used (IED, shelling, air strike, "
            "grenade...).",
            "a generic attack or kill word proposes nothing when a specific weapon is named ('an IED attack' "
            "is an IED event)",
        ),
        lambda t, c: t.family in GENERIC_FAMILIES and bool(c.weapons),
    ),
    (
        Rule(
            "means-of-clash",
            "One event, one type: an ambush that opens with explosives and continues with gunfire is coded "
            "as the more severe engagement, an Armed clash, with the explosive in the notes.",
            "grenades, rockets or light explosives fired with gunfire at an armed force are the means of a "
            "clash and propose nothing",
        ),
        lambda t, c: t.family == "remote" and t not in c.weapons,
    ),
    (
        Rule(
            "device-disrupted",
            "Disrupted weapons use: explosives defused or intercepted before they cause harm.",
            "a weapon word proposes nothing when the device was defused or intercepted",
        ),
        lambda t, c: t.family == "remote" and "disrupted" in c.families,
    ),
    (
        Rule(
            "one-weak-protest-cue",
            "Protests are coded only when a demonstration is reported.",
            "one weak protest cue ('gathered', 'demanded') without a protest word is not a protest; two "
            "('blocked the road to demand ...') are",
        ),
        lambda t, c: (
            t.family == "protest_weak" and not (c.families & PROTEST_FAMILIES) and len(c.weak_cues) < 2
        ),
    ),
)

TYPE_RULES: tuple[tuple[Rule, Retype], ...] = (
    (
        Rule(
            "protest-context",
            "Riots and protests: violence or destruction by demonstrators is a Violent demonstration.",
            "in a protest, a trigger with a protest reading takes it ('burned' -> Violent demonstration)",
        ),
        lambda t, c: t.entry.protest_context if c.cues.protest else None,
    ),
    (
        Rule(
            "state-agent",
            "State forces retaking a place is Government regains territory; state detentions are Arrests.",
            "done by state forces, a trigger with a state reading takes it ('captured' -> Government "
            "regains territory, 'detained' -> Arrests)",
        ),
        lambda t, c: t.entry.state_agent if c.cues.agent_is_state else None,
    ),
    (
        Rule(
            "civilian-target",
            "Violence against civilians: organised armed actors deliberately attacking unarmed civilians "
            "(Attack, Abduction/forced disappearance, Sexual violence).",
            "against civilians, a trigger with a civilian reading takes it ('killed' -> Attack)",
        ),
        lambda t, c: t.entry.civilian_target if c.cues.civilians_hit else None,
    ),
    (
        Rule(
            "combatant-dead",
            "Battles: violent interaction between two organised armed groups; fighters killed are battle "
            "deaths.",
            "a kill word whose dead are all soldiers, police or militants reports an Armed clash",
        ),
        lambda t, c: (
            "Armed clash" if t.family == "kill" and c.cues.victims and c.cues.victims <= COMBATANTS else None
        ),
    ),
    (
        Rule(
            "trigger-type",
            "Each sub-event type of ACLED's taxonomy (CODEBOOK.md table).",
            "otherwise the trigger's own sub-event type in triggers.jsonl",
        ),
        lambda t, c: t.entry.sub_event_type,
    ),
)

ADJUST_RULES: tuple[tuple[Rule, Callable[[str, _Context], str | None]], ...] = (
    (
        Rule(
            "unorganised-clash",
            "Mob violence: violence by an unorganised crowd, with no organised armed group involved.",
            "a clash with no organised armed actor, state force or gunmen, outside a protest, is Mob "
            "violence",
        ),
        lambda sub, c: (
            "Mob violence" if sub == "Armed clash" and not c.cues.organized and not c.cues.protest else None
        ),
    ),
)

WEIGHT_RULES: tuple[tuple[Rule, Test, int], ...] = (
    (
        Rule(
            "strategic-folded",
            "One event, one type: a strategic development that is part of a violent event (a post looted "
            "after a battle) is recorded with that event, not as its own.",
            "a strategic trigger (seizure, destruction, base...) in a violent incident weighs nothing",
        ),
        lambda t, c: (
            t.family in STRATEGIC_FAMILIES and t.family != "disrupted" and bool(c.families & VIOLENT_FAMILIES)
        ),
        0,
    ),
)


def _force_used(c: _Context) -> bool:
    return any(
        t.family in ("attack", "kill", "clash") or t.entry.phrase in ("shoot", "shot")
        for t in c.cues.triggers
    )


PROTEST_RULES: tuple[tuple[Rule, Test, str, int], ...] = (
    (
        Rule(
            "violent-demonstration",
            "Riots: Violent demonstration, demonstrators engaging in violence or vandalism.",
            "protesters rioted or destroyed property",
        ),
        lambda t, c: "riot" in c.families or "property" in c.families,
        "Violent demonstration",
        8,
    ),
    (
        Rule(
            "excessive-force",
            "Protests: Excessive force against protesters, lethal or severe force against peaceful "
            "demonstrators.",
            "force was used and protesters (civilians or unknown victims) were killed or injured, with no "
            "dispersal reported",
        ),
        lambda t, c: (
            _force_used(c)
            and bool(c.cues.victims & {"civilians", "unknown"})
            and "intervention" not in c.families
        ),
        "Excessive force against protesters",
        9,
    ),
    (
        Rule(
            "protest-intervention",
            "Protests: Protest with intervention, a peaceful protest that authorities disperse or obstruct "
            "without excessive force.",
            "authorities dispersed protesters or detained more than one of them",
        ),
        lambda t, c: (
            "intervention" in c.families
            or any(u.family == "arrest" and not u.one_person for u in c.cues.triggers)
        ),
        "Protest with intervention",
        7,
    ),
    (
        Rule(
            "peaceful-protest",
            "Protests: Peaceful protest, demonstrators gather with no intervention.",
            "a protest with no intervention reported",
        ),
        lambda t, c: True,
        "Peaceful protest",
        6,
    ),
)

SELECT_RULE = Rule(
    "heaviest-proposal",
    "One event, one type: the most severe form of the incident types it.",
    "the proposal with the highest weight wins; on a tie, the earliest",
)

#: Every rule by id, in table order (CUE_RULES first), for explanations and reviews.
RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        *CUE_RULES,
        *(r for r, _ in DROP_RULES),
        *(r for r, _ in TYPE_RULES),
        *(r for r, _ in ADJUST_RULES),
        *(r for r, _, _ in WEIGHT_RULES),
        *(r for r, _, _, _ in PROTEST_RULES),
        SELECT_RULE,
    )
}


@dataclass(frozen=True)
class _Proposal:
    weight: int
    order: int  # minus the trigger's position; 0 for the protest proposal (ties go to the earlier)
    sub: str
    trigger: TriggerMention
    rules: tuple[str, ...]


def _context(cues: IncidentCues, words: TriggerWords) -> _Context:
    trig = cues.triggers
    gunfire = any(t.entry.phrase in words.gunfire for t in trig)
    # Grenades, rockets or explosions in an attack on armed forces where shots are fired too are the means of
    # an Armed clash; a device (IED, bomb, mine, air strike, suicide attack) still types the incident.
    means_only = cues.armed_target and gunfire
    weapons = tuple(
        t for t in trig if t.family == "remote" and not (means_only and t.entry.phrase in words.light_weapons)
    )
    weak = frozenset(t.entry.phrase for t in trig if t.family == "protest_weak")
    return _Context(cues, frozenset(t.family for t in trig), weapons, weak)


def _first(table: tuple[tuple[Rule, Callable[..., str | None]], ...], *args: Any) -> tuple[str, str] | None:
    """(rule id, value) of the first rule in `table` whose function gives a value for `args`."""
    for rule, fn in table:
        found = fn(*args)
        if found:
            return rule.id, found
    return None


def _propose(n: int, t: TriggerMention, c: _Context) -> _Proposal | None:
    if any(test(t, c) for _, test in DROP_RULES):
        return None
    fired, sub = _first(TYPE_RULES, t, c) or ("", t.entry.sub_event_type)  # trigger-type always matches
    rules = [fired]
    adjusted = _first(ADJUST_RULES, sub, c)
    if adjusted is not None:
        rules.append(adjusted[0])
        sub = adjusted[1]
    weight = t.entry.weight
    for rule, test, w in WEIGHT_RULES:
        if test(t, c):
            weight = w
            rules.append(rule.id)
            break
    return _Proposal(weight, -n, sub, t, tuple(rules))


def type_incident(cues: IncidentCues, words: TriggerWords) -> Typing | None:
    """The ACLED type of one incident by the rule table (module docstring); None when no trigger proposes a
    type (only weak cues such as 'gathered' or 'demanded')."""
    c = _context(cues, words)
    proposals = [p for p in (_propose(n, t, c) for n, t in enumerate(cues.triggers)) if p is not None]
    if cues.protest and c.families & PROTEST_FAMILIES:
        protest = next(t for t in cues.triggers if t.family in PROTEST_FAMILIES)
        for rule, test, sub, weight in PROTEST_RULES:
            if test(protest, c):
                proposals.append(_Proposal(weight, 0, sub, protest, (rule.id,)))
                break
    if not proposals:
        return None
    # max keeps the first of equal keys: trigger proposals are listed before the protest one
    best = max(proposals, key=lambda p: (p.weight, p.order))
    reason = explain_rules(best.rules, best.trigger)
    return Typing(EVENT_TYPE_OF[best.sub], best.sub, best.trigger, best.rules, reason)


def explain_rules(rules: tuple[str, ...], trigger: TriggerMention) -> str:
    """The fired rules in words: 'trigger 'captured'; state-agent: done by state forces, ...'."""
    parts = [f"trigger '{trigger.entry.phrase}'"]
    parts += [f"{r}: {RULES[r].text}" for r in rules]
    return "; ".join(parts)
