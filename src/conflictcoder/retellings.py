"""One incident told several times in an article stays one event (issue 10).

A news story tells its incident in the lead, again in an official's quote, again in a group's claim and in
later detail, often naming the place differently each time: the town, then its province or the country
("a suicide bombing in Kabul" ... "the Afghan capital" ... "Afghanistan"). Grouping by sentence makes one
event per telling. Two events of an article are one incident told twice when:

- they have the same event type (the telling may name the weapon differently: an IED, then "a blast");
- their dates agree, or one of them has none;
- one's place is the other's place or encloses it: the same location, or the other's admin2, admin1 or
  country.

The retelling folds into the event with the finer place (the first told when both are equally fine): its
claims and evidence join that event, the figures are reconciled again over all of them, and an attacker or
date the finer telling lacks is taken from the retelling. Events at
different towns stay apart ("attacks in three districts" are three events), and so do events of different
types at one place.
"""

from __future__ import annotations

from conflictcoder.model import Claim, Event, interaction_code
from conflictcoder.notes import write_notes
from conflictcoder.reconcile import reconcile_claims


def _names(e: Event) -> list[str]:
    """The event's place and the units enclosing it, finest first (only those the gazetteer gave)."""
    return [n for n in (e.location, e.admin3, e.admin2, e.admin1, e.country) if n]


def _depth(e: Event) -> int:
    """How fine the place is: more enclosing units named means a finer place."""
    return len(_names(e))


def _encloses(coarse: Event, fine: Event) -> bool:
    if not coarse.location or not fine.location:
        return False
    return coarse.location in _names(fine)


def retelling_of(a: Event, b: Event) -> bool:
    """Whether `a` and `b` tell the same incident (see the module docstring)."""
    if a.event_type != b.event_type:
        return False
    if a.event_date is not None and b.event_date is not None and a.event_date != b.event_date:
        return False
    return _encloses(a, b) or _encloses(b, a)


def _claim_key(c: Claim) -> tuple[object, ...]:
    return (c.claimant, c.figure, c.value.low, c.value.high, c.about, c.item, c.evidence.start)


def _fold(keep: Event, told: Event) -> None:
    seen = {_claim_key(c) for c in keep.claims}
    keep.claims.extend(c for c in told.claims if _claim_key(c) not in seen)
    keep.fatalities, keep.injuries, keep.figures, keep.disputes = reconcile_claims(keep.claims)
    for field, spans in told.evidence.items():
        if field in ("actor1", "actor2"):
            continue  # evidence of the retelling's actors only where they are taken (below)
        have = keep.evidence.setdefault(field, [])
        have.extend(s for s in spans if s not in have)
    _take_attacker(keep, told)
    if keep.event_date is None and told.event_date is not None:
        keep.event_date, keep.date_reason = told.event_date, told.date_reason
        keep.time_precision, keep.date_prec = told.time_precision, told.date_prec
    keep.notes = write_notes(keep)


def _take_attacker(keep: Event, told: Event) -> None:
    if keep.actor1 is not None or told.actor1 is None:
        return
    keep.actor1, keep.inter1 = told.actor1, told.inter1  # the group's claim, told later, names the attacker
    if told.actor1 == keep.actor2:
        keep.actor2, keep.inter2 = None, None
    keep.interaction = interaction_code(keep.inter1, keep.inter2)
    keep.evidence.setdefault("actor1", []).extend(told.evidence.get("actor1", []))
    keep.notes = write_notes(keep)


def lend_attackers(events: list[Event], recalled: list[Event]) -> None:
    """A telling dropped as background (placed only at the country) still names the attacker of the
    incident it retells: an event with no actor1 takes it. Its figures stay out."""
    for told in recalled:
        host = next((e for e in events if retelling_of(e, told)), None)
        if host is not None:
            _take_attacker(host, told)


def merge_retellings(events: list[Event]) -> list[Event]:
    """The article's events with every retelling folded into the telling with the finest place."""
    kept: list[Event] = []
    for ev in sorted(events, key=_depth, reverse=True):  # stable: equally fine places keep text order
        host = next((k for k in kept if retelling_of(k, ev)), None)
        if host is None:
            kept.append(ev)
        else:
            _fold(host, ev)
    order = {id(e): i for i, e in enumerate(events)}
    return sorted(kept, key=lambda e: order[id(e)])
