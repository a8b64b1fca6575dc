"""Whether a coded incident is news the article reports, or background it recalls (issue 10).

A news article names far more violence than it reports: the war's earlier attacks, a country's conflict in
general ("fighting in Syria", "attacks across Afghanistan"), incidents abroad named in passing. A careful
coder records only the incidents the article reports as news. Two steps:

Sentences (`background_sentences`): a sentence that sums over a period ("since 2011", "in 16 years of war",
"so far this year") gives no incident its figures; one that adds up several incidents ("In all, 14 soldiers
were killed in the two attacks") makes no incident either. The patterns are data (`data/background.json`).

Articles (`court_report`): a report of court proceedings (a plea, a trial, a sentence) reports no incident;
the attacks it names were reported when they happened.

Events (`background_reason`), when an article yields several (in a one-incident text that incident is the
news), in order:

1. an incident placed no finer than a country other than the article's own (its country context) is an
   incident abroad named in passing ("the US carried out air strikes", "attacks in Russia");
2. an incident placed no finer than a country with no date of its own is a conflict-wide mention, not an
   incident ("the war in Syria has killed ...", "fighting has intensified").

Incidents placed at a town, district or province, and country-level incidents with a date of their own in
their sentences ("On Thursday, Taliban fighters killed six policemen in the south"), are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from conflictcoder.data_files import read_json_object
from conflictcoder.errors import LexiconError
from conflictcoder.model import Event

#: The start of `Event.date_reason` when the incident's own sentences state no date.
_BORROWED_DATE = ("no date in its own sentences", "no date in the text")


def _country_level(event: Event) -> bool:
    """Placed at a country rather than at a town, district or province (an event placed nowhere is not:
    the text may name its site in words no gazetteer holds, "the town", "the outpost")."""
    return event.location is not None and event.location == event.country and event.admin1 is None


def background_reason(event: Event, context_iso3: str | None) -> str | None:
    """Why `event` is background rather than an incident the article reports, or None when it is news."""
    if not _country_level(event):
        return None
    where = event.location
    if event.iso3 and context_iso3 and event.iso3 != context_iso3:
        return (
            f"placed only at {where}, a country other than the article's: an incident abroad named in passing"
        )
    if event.event_date is None or (event.date_reason or "").startswith(_BORROWED_DATE):
        return f"placed only at {where} with no date of its own: a conflict-wide mention, not an incident"
    return None


@dataclass(frozen=True)
class BackgroundWords:
    """background.json: sentence patterns of period totals and of sums of incidents, and court words."""

    period_totals: tuple[re.Pattern[str], ...]
    aggregates: tuple[re.Pattern[str], ...]
    court_words: frozenset[str]
    court_min_count: int
    court_min_per_1000_words: float


def load_background_words(path: Path) -> BackgroundWords:
    raw = read_json_object(path)
    try:
        return BackgroundWords(
            period_totals=tuple(re.compile(p, re.IGNORECASE) for p in raw["period_totals"]),
            aggregates=tuple(re.compile(p, re.IGNORECASE) for p in raw["aggregates"]),
            court_words=frozenset(str(w).lower() for w in raw["court_words"]),
            court_min_count=int(raw["court_min_count"]),
            court_min_per_1000_words=float(raw["court_min_per_1000_words"]),
        )
    except re.error as err:
        raise LexiconError(path, None, f"bad pattern {err.pattern!r}: {err}") from err


def court_report(doc: Doc, words: BackgroundWords) -> bool:
    """Whether the article reports court proceedings (a trial, a plea, a sentence): dense with court words.

    The attacks such an article names are the subject of the proceedings, reported when they happened."""
    tokens = [t.lower_ for t in doc if t.is_alpha or "-" in t.text]
    hits = sum(1 for t in tokens if t in words.court_words)
    dense = hits * 1000 >= words.court_min_per_1000_words * max(len(tokens), 1)
    return hits >= words.court_min_count and dense


def background_sentences(doc: Doc, patterns: tuple[re.Pattern[str], ...]) -> set[int]:
    """Indexes (in `doc.sents` order) of sentences matching one of `patterns` (`BackgroundWords`' period
    totals or sums of incidents)."""
    return {n for n, sent in enumerate(doc.sents) if any(p.search(sent.text) for p in patterns)}
