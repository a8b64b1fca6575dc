"""When two reports describe one incident, and what the merged event says. The whole rule lives here.

A report (one article's coding of one incident, a per-article `Event`) joins an existing event only when
it is compatible with it on all four counts:

1. **Date.** Both dates are known and agree: the same day when both are exact (ACLED time_precision 1);
   within 3 days when either is only known to the week (precision 2); the same month when either is
   only known to the month (precision 3). A report without a date never merges.
2. **Place.** The same country (iso3, both known), and neither the admin1 nor the admin2 names differ
   where both are given (a report that names only the province fits any district in it). When both
   name a town (geo_precision 1) with coordinates, they lie within 25 km of each other; when both name
   a place below the district that the gazetteer could not pin down (it took the district's
   coordinates), one name contains the other ("Zehri" / "Zehri Kochu").
3. **Type.** The same sub-event type, or two sub-types that reporters routinely use for one incident
   (`COMPATIBLE_SUBTYPES`: an IED ambush told as a clash by one outlet and as a bombing by another; a
   protest that turned violent).
4. **Actors and victims.** Actor1/actor2 carry no direction, so the two pairs must match one way round
   or the other, slot by slot: the same name, or a missing actor, or an "Unidentified …" group facing a
   named non-state group. And who was hit must not differ: when both reports count casualties of a
   known group (civilians, police, soldiers, militants), the groups must overlap ("security forces"
   overlaps police and soldiers). Two blasts in one district on one day, one hitting a police van and
   one a market, stay apart on this count.

Two reports from the same article never merge (the coder already split them); nor do reports that a
user split apart (`conflictcoder events split`). Among several compatible events the report joins the
closest (`affinity`: same sub-type, same town, same actors, same victims), ties to the oldest.

The merged event is a pure function of its reports (`combine`), so it can be recomputed after any
update or split. Each field group comes from one report: the date from the most precise report, the
place from the most precise one, the type by majority (ties: the earliest report), the actors from the
report naming the most specific actors. Claims from every report are kept and reconciled across sources
by `conflictcoder.reconcile` — the same low/best/high and disputes rule as within one article. Values a
report gives that were not chosen are returned as `alternatives`, so the store's revision history keeps
them: nothing is silently overwritten.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from conflictcoder.model import Event, Evidence
from conflictcoder.notes import write_notes
from conflictcoder.reconcile import reconcile_claims

#: Sub-event types that different outlets use for one incident (unordered pairs).
COMPATIBLE_SUBTYPES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("Armed clash", "Remote explosive/landmine/IED"),
        ("Armed clash", "Grenade"),
        ("Armed clash", "Non-state actor overtakes territory"),
        ("Armed clash", "Government regains territory"),
        ("Armed clash", "Attack"),
        ("Attack", "Remote explosive/landmine/IED"),
        ("Attack", "Suicide bomb"),
        ("Attack", "Grenade"),
        ("Attack", "Mob violence"),
        ("Attack", "Abduction/forced disappearance"),
        ("Suicide bomb", "Remote explosive/landmine/IED"),
        ("Air/drone strike", "Shelling/artillery/missile attack"),
        ("Peaceful protest", "Protest with intervention"),
        ("Protest with intervention", "Excessive force against protesters"),
        ("Protest with intervention", "Violent demonstration"),
        ("Peaceful protest", "Violent demonstration"),
        ("Violent demonstration", "Excessive force against protesters"),
        ("Violent demonstration", "Mob violence"),
        ("Looting/property destruction", "Non-state actor overtakes territory"),
        ("Arrests", "Disrupted weapons use"),
    )
)
MAX_TOWN_KM = 25.0
_CASUALTY_FIGURES = ("killed", "injured", "abducted")
#: Victim groups that may name the same people in different reports.
_VICTIM_OVERLAP = {
    "civilians": {"civilians"},
    "police": {"police", "security_forces"},
    "soldiers": {"soldiers", "security_forces"},
    "security_forces": {"police", "soldiers", "security_forces"},
    "militants": {"militants"},
}


@dataclass(frozen=True)
class Verdict:
    """Whether a report fits an event, and why not."""

    ok: bool
    reason: str = ""


def _days(a: date, b: date) -> int:
    return abs((a - b).days)


def dates_compatible(a: Event, b: Event) -> Verdict:
    if a.event_date is None or b.event_date is None:
        return Verdict(False, "a report without a date does not merge")
    precision = max(a.time_precision or 1, b.time_precision or 1)
    if precision >= 3:
        same = (a.event_date.year, a.event_date.month) == (b.event_date.year, b.event_date.month)
        return Verdict(same, "" if same else "different months")
    limit = 3 if precision == 2 else 0
    gap = _days(a.event_date, b.event_date)
    return Verdict(gap <= limit, "" if gap <= limit else f"dates {gap} days apart")


def _same(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x.casefold() == y.casefold()


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def places_compatible(a: Event, b: Event) -> Verdict:
    if a.iso3 is None or b.iso3 is None:
        return Verdict(False, "a report without a country does not merge")
    if a.iso3 != b.iso3:
        return Verdict(False, "different countries")
    if not _same(a.admin1, b.admin1):
        return Verdict(False, f"different admin1 ({a.admin1} / {b.admin1})")
    if not _same(a.admin2, b.admin2):
        return Verdict(False, f"different admin2 ({a.admin2} / {b.admin2})")
    towns = (
        a.geo_precision == 1
        and b.geo_precision == 1
        and None not in (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    km = km_between(a.latitude, a.longitude, b.latitude, b.longitude) if towns else None  # type: ignore[arg-type]
    if km is not None and km > MAX_TOWN_KM:
        return Verdict(False, f"towns {km:.0f} km apart")
    pa, pb = named_place(a), named_place(b)
    if pa and pb and pa not in pb and pb not in pa and km is None:
        return Verdict(False, f"different places ({a.location} / {b.location})")
    return Verdict(True)


def named_place(e: Event) -> str | None:
    """The event's place below admin2 (a town, village or area), case-folded; None when it names none."""
    if not e.location:
        return None
    name = e.location.casefold()
    coarser = {x.casefold() for x in (e.admin1, e.admin2, e.admin3, e.country) if x}
    return None if name in coarser else name


def types_compatible(a: Event, b: Event) -> Verdict:
    if a.sub_event_type == b.sub_event_type:
        return Verdict(True)
    if frozenset((a.sub_event_type, b.sub_event_type)) in COMPATIBLE_SUBTYPES:
        return Verdict(True)
    return Verdict(False, f"types differ ({a.sub_event_type} / {b.sub_event_type})")


def _unidentified(name: str) -> bool:
    return name.startswith("Unidentified")


def _actor_fits(x: tuple[str | None, int | None], y: tuple[str | None, int | None]) -> bool:
    (nx, ix), (ny, iy) = x, y
    if nx is None or ny is None or nx == ny:
        return True
    if _unidentified(nx) and _unidentified(ny):
        return True
    if _unidentified(nx):
        return iy not in (1, 7)  # an unidentified group is not the state or civilians
    if _unidentified(ny):
        return ix not in (1, 7)
    return False


def actors_compatible(a: Event, b: Event) -> Verdict:
    a1, a2 = (a.actor1, a.inter1), (a.actor2, a.inter2)
    b1, b2 = (b.actor1, b.inter1), (b.actor2, b.inter2)
    straight = _actor_fits(a1, b1) and _actor_fits(a2, b2)
    crossed = _actor_fits(a1, b2) and _actor_fits(a2, b1)
    if not (straight or crossed):
        return Verdict(False, f"actors differ ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})")
    va, vb = victims(a), victims(b)
    if va and vb and not any(_VICTIM_OVERLAP[x] & vb for x in va):
        return Verdict(False, f"different victims ({', '.join(sorted(va))} / {', '.join(sorted(vb))})")
    return Verdict(True)


def victims(event: Event) -> set[str]:
    """The known groups whose casualties the event's claims count."""
    return {
        c.about
        for c in event.claims
        if c.figure in _CASUALTY_FIGURES and c.about in _VICTIM_OVERLAP and c.stance != "denies"
    }


def compatible(report: Event, event: Event) -> Verdict:
    """Whether `report` describes the same incident as `event` (the rule in the module docstring)."""
    for check in (dates_compatible, places_compatible, types_compatible, actors_compatible):
        verdict = check(report, event)
        if not verdict.ok:
            return verdict
    return Verdict(True)


def affinity(report: Event, event: Event) -> int:
    """How closely a compatible event fits: used only to choose among several."""
    score = 4 * (report.sub_event_type == event.sub_event_type)
    score += 2 * bool(report.location and event.location and report.location == event.location)
    score += 2 * (report.event_date == event.event_date)
    named_r = {x for x in (report.actor1, report.actor2) if x}
    named_e = {x for x in (event.actor1, event.actor2) if x}
    score += len(named_r & named_e)
    score += len(victims(report) & victims(event))
    return score


# ---------------------------------------------------------------------------------------------------
# combine: the merged event of several reports

_DATE_FIELDS = ("event_date", "time_precision", "date_prec", "date_reason", "time_of_day")
_PLACE_FIELDS = (
    "location",
    "admin1",
    "admin2",
    "admin3",
    "country",
    "iso3",
    "latitude",
    "longitude",
    "geo_precision",
    "where_prec",
    "geonames_id",
    "geo_reason",
)
_TYPE_FIELDS = ("disorder_type", "event_type", "sub_event_type")
_ACTOR_FIELDS = (
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "actor_normalized",
)
_EVIDENCE_OF = {
    "date": ("event_date", "time_of_day"),
    "place": ("location",),
    "type": ("event_type",),
    "actors": ("actor1", "actor2"),
}


@dataclass
class Combined:
    """The merged event and, per field group, the values other reports gave that were not chosen."""

    event: Event
    alternatives: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _specificity(e: Event) -> int:
    return sum(1 for a in (e.actor1, e.actor2) if a and not _unidentified(a))


def _pick_date(reports: Sequence[Event]) -> int:
    dated = [i for i, r in enumerate(reports) if r.event_date is not None]
    return min(dated, key=lambda i: (reports[i].time_precision or 9, i)) if dated else 0


def _pick_place(reports: Sequence[Event]) -> int:
    return min(range(len(reports)), key=lambda i: (reports[i].geo_precision or 9, i))


def _pick_type(reports: Sequence[Event]) -> int:
    votes = Counter(r.sub_event_type for r in reports)
    top = max(votes.values())
    return next(i for i, r in enumerate(reports) if votes[r.sub_event_type] == top)


def _pick_actors(reports: Sequence[Event]) -> int:
    return max(
        range(len(reports)),
        key=lambda i: (
            _specificity(reports[i]),
            sum(1 for a in (reports[i].actor1, reports[i].actor2) if a),
            -i,
        ),
    )


def combine(event_id: str, reports: Sequence[Event], labels: Sequence[str] | None = None) -> Combined:
    """The merged event of `reports` (in arrival order); `labels` name each report in `alternatives`."""
    if not reports:
        raise ValueError("combine needs at least one report")
    if len(reports) == 1:  # one report: it is the event (its claims were reconciled by the coder)
        return Combined(reports[0].model_copy(update={"event_id": event_id}))
    labels = list(labels) if labels is not None else [r.event_id for r in reports]
    chosen = {
        "date": (_pick_date(reports), _DATE_FIELDS),
        "place": (_pick_place(reports), _PLACE_FIELDS),
        "type": (_pick_type(reports), _TYPE_FIELDS),
        "actors": (_pick_actors(reports), _ACTOR_FIELDS),
    }
    values: dict[str, Any] = {}
    alternatives: dict[str, list[dict[str, Any]]] = {}
    for group, (index, names) in chosen.items():
        pick = reports[index]
        values.update({n: getattr(pick, n) for n in names})
        key_fields = [n for n in names if not n.endswith(("reason", "normalized"))]
        mine = tuple(getattr(pick, n) for n in key_fields)
        for i, r in enumerate(reports):
            theirs = tuple(getattr(r, n) for n in key_fields)
            if i != index and theirs != mine:
                alt = {n: _jsonable(getattr(r, n)) for n in key_fields if getattr(r, n) != getattr(pick, n)}
                alternatives.setdefault(group, []).append({"report": labels[i], **alt})
    claims = [c for r in reports for c in r.claims]
    fatalities, injuries, figures, disputes = reconcile_claims(claims)
    evidence: dict[str, list[Evidence]] = {}
    for group, (index, _names) in chosen.items():
        for name in _EVIDENCE_OF[group]:
            if name in reports[index].evidence:
                evidence[name] = list(reports[index].evidence[name])
    killed = [c.evidence for c in claims if c.figure == "killed"]
    if killed:
        evidence["fatalities"] = killed
    sources: list[str] = []
    for r in reports:
        sources.extend(s for s in r.sources if s not in sources)
    merged = Event(
        event_id=event_id,
        **values,
        fatalities=fatalities,
        injuries=injuries,
        figures=figures,
        claims=claims,
        disputes=disputes,
        sources=sources,
        evidence=evidence,
        confidence=max(r.confidence for r in reports),
    )
    merged.notes = write_notes(merged)
    return Combined(merged, alternatives)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value
