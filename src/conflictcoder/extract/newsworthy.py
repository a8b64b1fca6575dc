"""Whether a coded incident is news the article reports, or background it recalls (issue 10).

A news article names far more violence than it reports: the war's earlier attacks, a country's conflict in
general ("fighting in Syria", "attacks across Afghanistan"), incidents abroad named in passing. A careful
coder records only the incidents the article reports as news. Two steps:

Sentences (`background_sentences`): a sentence that sums over a period ("since 2011", "in 16 years of war",
"so far this year"), recalls an anniversary, or adds up several incidents ("In all, 14 soldiers were killed
in the two attacks") makes no incident and gives no incident its figures. The patterns are data
(`data/background.json`).

Events (`background_reason`), in order:

1. an incident placed no finer than a country other than the article's own (its country context) is an
   incident abroad named in passing ("the US carried out air strikes", "attacks in Russia");
2. an incident placed no finer than a country with no date of its own is a conflict-wide mention, not an
   incident ("the war in Syria has killed ...", "fighting has intensified");

Incidents placed at a town, district or province, and country-level incidents with a date of their own in
their sentences ("On Thursday, Taliban fighters killed six policemen in the south"), are kept.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from spacy.tokens import Doc

from conflictcoder.data_files import data_file
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


@cache
def _patterns(lexicon_dir: Path | None) -> tuple[re.Pattern[str], ...]:
    raw = json.loads(data_file("background.json", lexicon_dir).read_text(encoding="utf-8"))
    return tuple(re.compile(p, re.IGNORECASE) for key in ("period_totals", "aggregates") for p in raw[key])


def background_sentences(doc: Doc, lexicon_dir: Path | None = None) -> set[int]:
    """Indexes (in `doc.sents` order) of sentences that sum over a period or several incidents."""
    patterns = _patterns(lexicon_dir)
    return {n for n, sent in enumerate(doc.sents) if any(p.search(sent.text) for p in patterns)}
