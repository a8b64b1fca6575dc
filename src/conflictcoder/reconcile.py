"""Claims -> low / best / high per figure, and disputes. The whole rule lives here, to read and change.

For each figure of an event (grouped by figure kind, item head and whose casualties):
- low  = the lowest value any source gives (a denial counts as a claim of zero);
- high = the highest value any source gives; None when every source gave only a lower bound;
- best = the figure confirmed by an official or independent source when there is one (the lowest such),
         otherwise the lowest figure claimed or reported: ACLED's conservative practice.
- a Dispute lists every source's value whenever two sources give different values.
Fatalities and injuries are reconciled over each source's own total: a source's figures for different
groups add up ("killed four soldiers and two civilians" is 6), a breakdown of a figure it already gave
("seven dead, including three civilians") does not, and the totals of the sources then go through the
rule above. Their disputes compare those totals, so "the army said 20 militants; a local official put the
dead at seven" is one dispute of 20 against 7.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from conflictcoder.model import Claim, Dispute, DisputedValue, Range3, ReconciledFigure, ValueRange

RULE_CONFIRMED = "best = the lowest figure confirmed by an official or independent source"
RULE_LOWEST = "best = the lowest figure claimed or reported (no independent confirmation)"
RULE_SINGLE = "best = the only figure reported"
#: Figures whose event total is the sum over the groups each source names (fatalities, injuries).
TOTALLED = ("killed", "injured")


def item_key(item: str | None) -> str | None:
    """Claims about '23 Kalashnikov rifles' and '20 rifles' are about the same item: its head noun."""
    if not item:
        return None
    head = item.lower().split()[-1]
    return head[:-1] if head.endswith("s") and not head.endswith("ss") else head


def _group(claims: Iterable[Claim]) -> dict[tuple[str, str | None, str], list[Claim]]:
    groups: dict[tuple[str, str | None, str], list[Claim]] = defaultdict(list)
    for c in claims:
        about = c.about if c.figure in ("killed", "injured", "abducted", "arrested") else "unknown"
        groups[(c.figure, item_key(c.item), about)].append(c)
    return groups


def reconcile_values(claims: list[Claim]) -> tuple[Range3, str]:
    """low/best/high of one figure from its claims, and the rule that chose `best`."""
    low = min(c.value.low for c in claims)
    highs = [c.value.high for c in claims if c.value.high is not None]
    high = max([*highs, *(c.value.low for c in claims)]) if highs else None
    confirmed = [c for c in claims if c.stance == "confirms"]
    distinct = {(c.value.low, c.value.high) for c in claims}
    if len(distinct) == 1:
        best, rule = claims[0].value.low, RULE_SINGLE
    elif confirmed:
        best, rule = min(c.value.low for c in confirmed), RULE_CONFIRMED
    else:
        best, rule = low, RULE_LOWEST
    return Range3(low=low, best=best, high=high), rule


def _dispute(figure: str, item: str | None, claims: list[Claim]) -> Dispute | None:
    by_source: dict[str, Claim] = {}
    for c in claims:
        by_source.setdefault(c.claimant, c)
    values = {(c.value.low, c.value.high) for c in by_source.values()}
    if len(by_source) < 2 or len(values) < 2:
        return None
    return Dispute(
        figure=figure,  # type: ignore[arg-type]
        item=item,
        values=[
            DisputedValue(claimant=c.claimant, stance=c.stance, value=c.value) for c in by_source.values()
        ],
    )


def source_totals(claims: list[Claim], kind: str) -> list[Claim]:
    """One claim per source: the sum of its own figures of this kind, breakdowns and repeats left out."""
    by_source: dict[str, dict[tuple[str, float, float | None], Claim]] = defaultdict(dict)
    for c in claims:
        if c.figure == kind and not c.subset:
            by_source[c.claimant].setdefault((c.about, c.value.low, c.value.high), c)
    totals: list[Claim] = []
    for own in by_source.values():
        parts = list(own.values())
        named = {(c.value.low, c.value.high) for c in parts if c.about != "unknown"}
        # "four people were killed … the four were soldiers": one count, said twice
        parts = [c for c in parts if c.about != "unknown" or (c.value.low, c.value.high) not in named]
        high = None if any(c.value.high is None for c in parts) else sum(c.value.high or 0 for c in parts)
        confirmed = any(c.stance == "confirms" for c in parts)
        totals.append(
            parts[0].model_copy(
                update={
                    "value": ValueRange(low=sum(c.value.low for c in parts), high=high),
                    "stance": "confirms" if confirmed else parts[0].stance,
                    "about": parts[0].about if len({c.about for c in parts}) == 1 else "unknown",
                }
            )
        )
    return totals


def reconcile_claims(
    claims: list[Claim],
) -> tuple[Range3 | None, Range3 | None, list[ReconciledFigure], list[Dispute]]:
    """(fatalities, injuries, reconciled figures, disputes) for one event's claims."""
    figures: list[ReconciledFigure] = []
    disputes: list[Dispute] = []
    for (figure, _key, about), group in _group(claims).items():
        rng, rule = reconcile_values(group)
        item = next((c.item for c in group if c.item), None)
        figures.append(ReconciledFigure(figure=figure, item=item, about=about, range=rng, rule=rule))  # type: ignore[arg-type]
        d = _dispute(figure, item, group) if figure not in TOTALLED else None
        if d is not None:
            disputes.append(d)
    totals: dict[str, Range3 | None] = {}
    for kind in TOTALLED:
        per_source = source_totals(claims, kind)
        totals[kind] = reconcile_values(per_source)[0] if per_source else None
        d = _dispute(kind, None, per_source)
        if d is not None:
            disputes.append(d)
    return totals["killed"], totals["injured"], figures, disputes
