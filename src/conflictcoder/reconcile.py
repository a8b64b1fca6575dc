"""Claims -> low / best / high per figure, and disputes. The whole rule lives here, to read and change.

For each figure of an event (grouped by figure kind, item head and whose casualties):
- low  = the lowest value any source gives (a denial counts as a claim of zero);
- high = the highest value any source gives; None when every source gave only a lower bound;
- best = the figure confirmed by an official or independent source when there is one (the lowest such),
         otherwise the lowest figure claimed or reported: ACLED's conservative practice.
- a Dispute lists every source's value whenever two sources give different values.
Fatalities and injuries add up the reconciled figures of each group (soldiers, militants, civilians, ...).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from conflictcoder.model import Claim, Dispute, DisputedValue, Range3, ReconciledFigure

RULE_CONFIRMED = "best = the lowest figure confirmed by an official or independent source"
RULE_LOWEST = "best = the lowest figure claimed or reported (no independent confirmation)"
RULE_SINGLE = "best = the only figure reported"


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


def _total(figures: list[ReconciledFigure], kind: str) -> Range3 | None:
    parts = [f.range for f in figures if f.figure == kind]
    if not parts:
        return None
    high = None if any(p.high is None for p in parts) else sum(p.high or 0 for p in parts)
    return Range3(low=sum(p.low for p in parts), best=sum(p.best for p in parts), high=high)


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
        d = _dispute(figure, item, group)
        if d is not None:
            disputes.append(d)
    return _total(figures, "killed"), _total(figures, "injured"), figures, disputes
