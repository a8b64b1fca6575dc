"""A per-run memo of merged events, so that ingest need not re-read and re-parse what it just wrote.

An event's state is fixed by its store number and revision: every change to its reports (a merge, a
supersede, a split) writes a new revision. So `(pk, revision)` -> (merged event, its active reports)
stays true for as long as that revision exists, whoever reads it.

Entries learned inside a transaction are only staged; `commit()` keeps them once the transaction has
committed, `discard()` drops them when it rolled back (a rolled-back revision number can be reused by
another writer for different reports). The memo never outlives the ingest run that made it, so a store
dropped and rebuilt under the same URL cannot be confused with the old one.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from conflictcoder.model import Event

#: Events kept; about 5–20 kB each. Reports of one incident arrive within days of each other, so the
#: events being merged into are almost always among the most recently used.
DEFAULT_SIZE = 4096


@dataclass(frozen=True)
class Known:
    """An event at one revision: the merged event (parsed, and as stored) and, when known, its active
    reports in arrival order with their labels (`None` when the event was read from the store and its
    reports were not)."""

    event: Event
    data: dict[str, Any]
    reports: tuple[Event, ...] | None = None
    labels: tuple[str, ...] | None = None


class EventMemo:
    """A bounded, least-recently-used map `(pk, revision) -> Known` (one revision per event: a newer one
    replaces the older), with transaction staging."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[int, tuple[int, Known]] = OrderedDict()
        self._staged: dict[int, tuple[int, Known]] = {}

    def get(self, pk: int, revision: int) -> Known | None:
        """What is known of event `pk` at `revision` (staged first), or None."""
        staged = self._staged.get(pk)
        if staged is not None and staged[0] == revision:
            return staged[1]
        kept = self._kept.get(pk)
        if kept is None or kept[0] != revision:
            return None
        self._kept.move_to_end(pk)
        return kept[1]

    def stage(self, pk: int, revision: int, known: Known) -> None:
        self._staged[pk] = (revision, known)

    def commit(self) -> None:
        """The transaction committed: keep what it staged."""
        for pk, entry in self._staged.items():
            self._kept[pk] = entry
            self._kept.move_to_end(pk)
        self._staged.clear()
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def discard(self) -> None:
        """The transaction rolled back: forget what it staged."""
        self._staged.clear()

    def __len__(self) -> int:
        return len(self._kept)
