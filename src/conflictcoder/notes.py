"""ACLED-style neutral notes, generated from an event's fields only (never from a party's wording)."""

from __future__ import annotations

from conflictcoder.model import Dispute, DisputedValue, Event, Range3

_VERBS = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained control of territory from",
    "Non-state actor overtakes territory": "took control of territory held by",
    "Chemical weapon": "used chemical weapons against",
    "Air/drone strike": "carried out an air or drone strike on",
    "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled",
    "Remote explosive/landmine/IED": "detonated an explosive device against",
    "Grenade": "threw a grenade at",
    "Sexual violence": "committed sexual violence against",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted or detained",
    "Peaceful protest": "held a peaceful protest",
    "Protest with intervention": "protested, and authorities intervened",
    "Excessive force against protesters": "used excessive force against",
    "Violent demonstration": "engaged in a violent demonstration",
    "Mob violence": "engaged in mob violence against",
    "Agreement": "reached an agreement with",
    "Arrests": "arrested",
    "Change to group/activity": "changed group or activity",
    "Disrupted weapons use": "disrupted weapons use",
    "Headquarters or base established": "established a base",
    "Looting/property destruction": "looted or destroyed property",
    "Non-violent transfer of territory": "took over territory without fighting",
    "Other": "was involved in a strategic development",
}
_FIGURE_WORDS = {
    "killed": "killed",
    "injured": "injured",
    "abducted": "abducted",
    "arrested": "arrested",
    "displaced": "displaced",
    "weapons_seized": "seized",
    "ammunition_seized": "seized",
    "vehicles_seized": "seized",
    "vehicles_destroyed": "destroyed",
    "buildings_destroyed": "destroyed",
}
_STANCE_VERB = {"claims": "claimed", "confirms": "confirmed", "denies": "denied", "reports": "reported"}


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _dispute_sentence(d: Dispute) -> str:
    """'The BLA claimed 23 rifles were seized; the Commissioner of Kalat confirmed 20.' Denials go last."""
    what = f" {d.item}" if d.item else ""
    verb = _FIGURE_WORDS.get(d.figure, "counted")
    ordered = sorted(d.values, key=lambda v: v.stance == "denies")

    def part(v: DisputedValue) -> str:
        who = f"{'the ' if v.claimant[:1].islower() else ''}{v.claimant}"
        if v.stance == "denies" and v.value.low == 0:
            return f"{who} denied it"
        return f"{who} {_STANCE_VERB[v.stance]} {_value_of(v.value.low, v.value.high)}"

    first, *rest = [part(v) for v in ordered]
    return f"{first[:1].upper()}{first[1:]}{what} were {verb}; " + "; ".join(rest) + "."


def _value_of(low: float, high: float | None) -> str:
    if high is None:
        return f"at least {_num(low)}"
    return _num(low) if low == high else f"{_num(low)}-{_num(high)}"


def _range(r: Range3) -> str:
    if r.high is None or r.low == r.high:
        return _num(r.best) if r.high is not None else f"at least {_num(r.low)}"
    return f"{_num(r.best)} (range {_num(r.low)}-{_num(r.high)})"


def write_notes(event: Event) -> str:
    """One neutral paragraph: date, actors, action, place, figures, disputes named by claimant.

    >>> # e.g. "On 2025-01-08, Baloch Liberation Army took control of territory held by ... in Zehri
    >>> # (Khuzdar, Balochistan). The BLA claimed 23 rifles were seized; the Commissioner confirmed 20."
    """
    when = f"On {event.event_date.isoformat()}" if event.event_date else "On an unreported date"
    actor1 = event.actor1 or "an unidentified actor"
    verb = _VERBS[event.sub_event_type]
    target = (
        f" {event.actor2}"
        if event.actor2
        and verb.endswith(
            (
                " with",
                " from",
                " by",
                " of",
                " on",
                " against",
                " at",
                "attacked",
                "shelled",
                "arrested",
                "detained",
            )
        )
        else ""
    )
    if verb.endswith((" with", " from", " by", " of", " on", " against", " at")) and not target:
        verb = verb.rsplit(" ", 1)[0] if not verb.endswith("held by") else "took control of territory"
    where = ""
    if event.location:
        admins = [a for a in (event.admin2, event.admin1) if a and a != event.location]
        where = f" in {event.location}" + (f" ({', '.join(admins)})" if admins else "")
        if event.country and event.country not in (event.location, *admins):
            where += f", {event.country}"
    sentences = [f"{when}, {actor1} {verb}{target}{where}."]
    if event.sub_event_type == "Armed clash" and any(
        c.text and "ied" in c.text.lower().split() for c in event.claims
    ):
        sentences.append("The engagement reportedly began with an improvised explosive device.")
    if event.fatalities is not None:
        sentences.append(f"Fatalities: {_range(event.fatalities)}.")
    if event.injuries is not None:
        sentences.append(f"Injuries: {_range(event.injuries)}.")
    sentences.extend(_dispute_sentence(d) for d in event.disputes)
    return " ".join(sentences)
