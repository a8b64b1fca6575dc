"""`code --explain`: why each event is what it is, as data (`Event.explain`) and as a text block.

The pipeline records its reasons where it decides (incident grouping in `extract/events.group_incidents`,
typing in `extract/typing_rules`, actor and place choice in `pipeline._build_event`); this module only
assembles and renders them.
"""

from __future__ import annotations

from spacy.tokens import Span

from conflictcoder.extract.events import Incident
from conflictcoder.extract.typing_rules import RULES, Typing
from conflictcoder.model import Choice, Event, Explanation, SentenceDecision


def _not_joined(s: int, incidents: list[Incident], trigger_sents: set[int], figure_sents: set[int]) -> str:
    for n, other in enumerate(incidents, 1):
        if s in other.sentences or s in other.extra_sentences:
            why = other.joined_why.get(s, "grouped there")
            return f"part of incident {n} of the article: {why}"
    if s in trigger_sents:
        return "its triggers were folded into no incident"
    if s in figure_sents:
        return "no incident trigger; its figures name a place of no incident, so they were not attached"
    return "no incident trigger (none, or only negated, hypothetical or off-topic ones) and no figure"


def incident_sentences(
    sents: list[Span],
    inc: Incident,
    incidents: list[Incident],
    trigger_sents: set[int],
    figure_sents: set[int],
) -> list[SentenceDecision]:
    """The incident's sentences, the ones between them, and one neighbour on each side, each with why it
    was or was not joined."""
    own = set(inc.all_sentences)
    lo, hi = max(0, min(own) - 1), min(len(sents) - 1, max(own) + 1)
    out: list[SentenceDecision] = []
    for s in range(lo, hi + 1):
        text = sents[s].text.strip()
        if s in own:
            out.append(SentenceDecision(sentence=s, text=text, joined=True, why=inc.joined_why.get(s, "")))
        else:
            why = _not_joined(s, incidents, trigger_sents, figure_sents)
            out.append(SentenceDecision(sentence=s, text=text, joined=False, why=why))
    return out


def explanation(
    typing: Typing,
    sentences: list[SentenceDecision],
    actors: tuple[Choice, Choice],
    actors_left_out: list[Choice],
    place: Choice,
    places_left_out: list[Choice],
    trigger_text: str,
) -> Explanation:
    return Explanation(
        trigger=trigger_text,
        trigger_sentence=typing.trigger.sent,
        sentences=sentences,
        type_rules=[f"{r}: {RULES[r].text}" for r in typing.rules],
        actor1=actors[0],
        actor2=actors[1],
        actors_left_out=actors_left_out,
        place=place,
        places_left_out=places_left_out,
    )


def _choice(label: str, c: Choice) -> str:
    said = f" ('{c.mention}')" if c.mention and c.mention != c.value else ""
    return f"  {label}: {c.value or '-'}{said} — {c.why}"


def render(article_id: str, n: int, e: Event) -> str:
    """A plain-text block for one explained event."""
    x = e.explain
    head = f"event {n} of {article_id[:16]}: {e.event_type} / {e.sub_event_type}"
    if x is None:
        return head + "\n  (no explanation recorded)\n"
    lines = [head, f"  trigger: '{x.trigger}' (sentence {x.trigger_sentence})", "  sentences:"]
    for d in x.sentences:
        mark = "+" if d.joined else "-"
        text = d.text if len(d.text) <= 100 else d.text[:97] + "..."
        lines.append(f"    {mark} [{d.sentence}] {text}")
        lines.append(f"        {'joined' if d.joined else 'not joined'}: {d.why}")
    if e.type_reason is not None and e.type_reason.by == "model":
        lines.append(f"  type: {e.type_reason.text}")
    lines.append("  typing rules: " + ("; ".join(x.type_rules) or "-"))
    lines.append(_choice("actor1", x.actor1))
    lines.append(_choice("actor2", x.actor2))
    lines += [_choice("left out", c) for c in x.actors_left_out]
    lines.append(_choice("place", x.place))
    lines += [_choice("place not used", c) for c in x.places_left_out]
    return "\n".join(lines) + "\n"
