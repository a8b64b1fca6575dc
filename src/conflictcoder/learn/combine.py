"""How a user's trained model and the shipped rules decide an incident's sub-event type together.

The rules find the incidents (a model never creates or drops one) and propose a sub-event type from the
trigger that won (the rule table of `extract.typing_rules`). The model reads the text of the incident's
sentences and gives each sub-event type it was trained on a probability. `choose` keeps the rules' type unless
- the model's top type has probability >= the model's threshold (set at training, 0.5 by default), or
- the rules are weak (their winning trigger has weight <= WEAK_RULE_WEIGHT, a generic word such as
  "violence" or "incident") and the model's top type has probability >= WEAK_RULE_THRESHOLD.
The event type then follows from the sub-event type (ACLED's taxonomy), and the disorder type from both;
actors, place, date and figures stay the rules' own.
"""

from __future__ import annotations

import dataclasses

from conflictcoder.extract.typing_rules import Typing
from conflictcoder.learn.classifier import SubEventModel
from conflictcoder.model import EVENT_TYPE_OF

#: A winning trigger this light is a generic cue; the model then needs less confidence to overrule it.
WEAK_RULE_WEIGHT = 2
WEAK_RULE_THRESHOLD = 0.3


def choose(
    rule_sub: str, rule_weight: int, probs: dict[str, float], threshold: float
) -> tuple[str, str | None]:
    """(sub-event type, reason) — the reason is None when the rules' type stands."""
    if not probs:
        return rule_sub, None
    best, p = max(probs.items(), key=lambda kv: kv[1])
    if best == rule_sub:
        return rule_sub, None
    if p >= threshold:
        return best, f"trained model: {best} with probability {p:.2f} (rules said {rule_sub})"
    if rule_weight <= WEAK_RULE_WEIGHT and p >= WEAK_RULE_THRESHOLD:
        return best, f"trained model: {best} with probability {p:.2f} over a weak rule cue ({rule_sub})"
    return rule_sub, None


def retype(typing: Typing, model: SubEventModel, text: str) -> Typing:
    """The incident's typing after consulting the model on its text (`choose` states the rule)."""
    probs = model.predict(text)
    sub, reason = choose(typing.sub_event_type, typing.trigger.entry.weight, probs, model.threshold)
    if reason is None:
        return typing
    return dataclasses.replace(
        typing,
        event_type=EVENT_TYPE_OF[sub],
        sub_event_type=sub,
        reason=reason,
        model=model.describe(),
        probability=round(probs[sub], 4),
    )
