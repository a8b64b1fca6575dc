"""Score the coder on whole news articles coded by hand (a folder of JSON files, one article each).

Each file holds `id`, `text`, `published` (or null), `title`, `outlet`, `url` and `gold.events[]` with
event_type, sub_event_type, date, location, admin2, admin1, country and claims[{claimant, figure, value}].
The metrics (issue 10):

- incident recall: share of gold events for which a predicted event of the same article has the same
  event_type and a matching place (see `place_matches`); gold "Multiple locations" aggregates are skipped;
- precision: share of predicted events whose place matches some gold event of the article;
- claim recall: share of gold claims with a number that a place-matched predicted event holds as low or high
  (or within low..high) with a claimant sharing a content word or an acronym with the gold claimant (any
  claimant when the gold one is generic: "officials", "report");
- date accuracy over found gold events with a known date; sub-event accuracy over found gold events;
- the false-event rate: share of articles whose gold has no event that get one or more events.

Files split into the same fixed tune/test halves as the notes files (`evaluate.split_of` on the id).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.console import Console
from rich.table import Table
from unidecode import unidecode

from conflictcoder.errors import EvalError
from conflictcoder.evaluate import split_of
from conflictcoder.model import Article, Claim, CodedArticle, Event, article_id_for, normalize_text


class GoldClaim(BaseModel):
    model_config = ConfigDict(extra="ignore")
    claimant: str = ""
    figure: str = ""
    value: float | None = None


class GoldEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")
    event_type: str
    sub_event_type: str | None = None
    date: dt.date | None = None
    location: str | None = None
    admin2: str | None = None
    admin1: str | None = None
    country: str | None = None
    claims: list[GoldClaim] = Field(default_factory=list)


class GoldArticle(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    events: list[GoldEvent]


@cache
def _terms() -> dict[str, frozenset[str]]:
    raw = json.loads((files("conflictcoder") / "data" / "article_scoring.json").read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}


def place_key(name: str | None) -> str:
    """A place name with case, accents, punctuation and unit words ('district', 'area') set aside."""
    if not name:
        return ""
    words = re.sub(r"[^a-z0-9 ]+", " ", unidecode(name).lower().replace("-", " ")).split()
    kept = [w for w in words if w not in _terms()["place_unit_words"]]
    return " ".join(kept or words)


def _pred_keys(ev: Event) -> set[str]:
    return {k for k in (place_key(ev.location), place_key(ev.admin3), place_key(ev.admin2)) if k}


def is_aggregate(gold: GoldEvent) -> bool:
    return (gold.location or "").lower().startswith("multiple locations")


def place_matches(ev: Event, gold: GoldEvent) -> bool:
    """Whether a predicted event sits at the gold event's place.

    The issue's rule: the prediction's location, admin3 or admin2 equals the gold location or admin2 once
    normalised. A gold event the text places no finer than a province or a country (location and admin2
    null) matches a prediction placed at that same coarse level: its location (or, with no location, its
    country) names the gold's admin1, or its country when the gold has no admin1.
    """
    if is_aggregate(gold):
        return False
    gold_keys = {k for k in (place_key(gold.location), place_key(gold.admin2)) if k}
    if gold_keys:
        return bool(_pred_keys(ev) & gold_keys)
    coarse = place_key(gold.admin1) or place_key(gold.country)
    if not coarse:
        return False
    finest = place_key(ev.location) or place_key(ev.country)
    return finest == coarse


def _content_words(name: str) -> list[str]:
    words = re.sub(r"[^A-Za-z0-9 ]+", " ", unidecode(name)).split()
    return [w for w in words if w.lower() not in _terms()["claimant_stop_words"]]


def is_generic_claimant(name: str) -> bool:
    """'officials', 'report', 'two security officials': no one in particular."""
    words = [w.lower() for w in _content_words(name)]
    return not words or all(w in _terms()["generic_claimant_words"] for w in words)


def _acronyms(words: list[str]) -> set[str]:
    out = {w for w in words if len(w) >= 2 and w.isupper()}
    initials = "".join(w[0] for w in words if w[:1].isupper())
    if len(initials) >= 2:
        out.add(initials.upper())
    return out


def claimant_matches(pred: str, gold: str) -> bool:
    """Shares a content word or an acronym ('NRF' = 'National Resistance Front'); any when gold is generic."""
    if is_generic_claimant(gold):
        return True
    pw, gw = _content_words(pred), _content_words(gold)
    if {w.lower() for w in pw} & {w.lower() for w in gw}:
        return True
    return bool(_acronyms(pw) & _acronyms(gw))


def value_matches(claim: Claim, value: float) -> bool:
    lo, hi = claim.value.low, claim.value.high
    return value in (lo, hi) or (hi is not None and lo <= value <= hi)


def claim_found(gold: GoldClaim, events: list[Event]) -> bool:
    if gold.value is None:
        return False
    for ev in events:
        for c in ev.claims:
            names = " ".join(x for x in (c.claimant, c.spokesperson) if x)
            if value_matches(c, gold.value) and claimant_matches(names, gold.claimant):
                return True
    return False


@dataclass
class ArticleScore:
    """Counts for one article; the overall figures are sums of these."""

    id: str
    split: str
    gold_events: int = 0
    found: int = 0
    predicted: int = 0
    predicted_matched: int = 0
    claims: int = 0
    claims_found: int = 0
    dated: int = 0
    dates_right: int = 0
    subs: int = 0
    subs_right: int = 0
    quiet: bool = False
    misses: list[str] = field(default_factory=list)
    confusion: list[tuple[str, str]] = field(default_factory=list)
    spurious_claims: int = 0
    background_events: int = 0
    duplicate_events: int = 0

    def errors(self) -> int:
        """How much went wrong, to rank the worst articles."""
        return (
            (self.gold_events - self.found)
            + (self.predicted - self.predicted_matched)
            + (self.claims - self.claims_found)
            + (self.dated - self.dates_right)
        )


def score_article(gold: GoldArticle, coded: CodedArticle) -> ArticleScore:
    """Score one coded article against its gold events."""
    preds = coded.events
    s = ArticleScore(id=gold.id, split=split_of(gold.id), predicted=len(preds), quiet=not gold.events)
    real = [g for g in gold.events if not is_aggregate(g)]
    s.gold_events = len(real)
    matched_to: dict[int, int] = {}
    for i, ev in enumerate(preds):
        hits = [j for j, g in enumerate(real) if place_matches(ev, g)]
        if hits:
            s.predicted_matched += 1
            matched_to[i] = hits[0]
        else:
            s.background_events += 1
    found_by = Counter(matched_to.values())
    s.duplicate_events = sum(n - 1 for n in found_by.values() if n > 1)
    for g in real:
        at_place = [ev for ev in preds if place_matches(ev, g)]
        same = [ev for ev in at_place if ev.event_type == g.event_type]
        pred_type = (same or at_place)[0].event_type if at_place else "NONE"
        s.confusion.append((g.event_type, pred_type))
        for c in g.claims:
            if c.value is not None:
                s.claims += 1
                s.claims_found += claim_found(c, at_place)
        if not same:
            s.misses.append(f"{g.event_type} at {g.location or g.admin2 or g.admin1 or g.country}")
            continue
        s.found += 1
        if g.sub_event_type:
            s.subs += 1
            s.subs_right += any(ev.sub_event_type == g.sub_event_type for ev in same)
        if g.date is not None:
            s.dated += 1
            s.dates_right += any(ev.event_date == g.date for ev in same)
    gold_values = {c.value for g in gold.events for c in g.claims if c.value is not None}
    s.spurious_claims = sum(
        1 for ev in preds for c in ev.claims if not gold_values & {c.value.low, c.value.high}
    )
    return s


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def summarize(scores: list[ArticleScore]) -> dict[str, Any]:
    """The overall metrics (micro-averaged over events, claims and quiet articles)."""
    tot = {
        k: sum(getattr(s, k) for s in scores)
        for k in (
            "gold_events",
            "found",
            "predicted",
            "predicted_matched",
            "claims",
            "claims_found",
            "dated",
            "dates_right",
            "subs",
            "subs_right",
            "spurious_claims",
            "background_events",
            "duplicate_events",
        )
    }
    quiet = [s for s in scores if s.quiet]
    quiet_with = sum(1 for s in quiet if s.predicted)
    confusion = Counter(pair for s in scores for pair in s.confusion)
    return {
        "articles": len(scores),
        "incident_recall": _ratio(tot["found"], tot["gold_events"]),
        "precision": _ratio(tot["predicted_matched"], tot["predicted"]),
        "claim_recall": _ratio(tot["claims_found"], tot["claims"]),
        "date_accuracy": _ratio(tot["dates_right"], tot["dated"]),
        "sub_event_accuracy": _ratio(tot["subs_right"], tot["subs"]),
        "quiet_false_event_rate": _ratio(quiet_with, len(quiet)),
        "counts": {**tot, "quiet_articles": len(quiet), "quiet_with_events": quiet_with},
        "event_type_confusion": [
            {"gold": g, "pred": p, "n": n} for (g, p), n in sorted(confusion.items(), key=lambda x: -x[1])
        ],
    }


def read_articles(folder: Path, split: str = "all") -> list[GoldArticle]:
    """Every `*.json` article of the folder in the chosen split, sorted by id."""
    if not folder.is_dir():
        raise EvalError(f"{folder}: not a directory")
    out: list[GoldArticle] = []
    for path in sorted(folder.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or not isinstance(raw.get("gold"), dict):
                raise ValueError("expected an object with 'gold': {'events': [...]}")
            art = GoldArticle.model_validate({**raw, "events": raw["gold"].get("events")})
        except (ValueError, ValidationError) as err:
            first = str(err).splitlines()[0] if not isinstance(err, ValidationError) else str(err.errors()[0])
            raise EvalError(f"{path}: {first}") from err
        if split == "all" or split_of(art.id) == split:
            out.append(art)
    if not out:
        raise EvalError(f"{folder}: no article files (*.json) in split {split!r}")
    return out


def to_article(gold: GoldArticle) -> Article:
    """The article as a user would give it: text and metadata, no gold."""
    text = normalize_text(gold.text)
    return Article(
        article_id=article_id_for(text),
        id=gold.id,
        text=text,
        published=gold.published,
        title=gold.title,
        outlet=gold.outlet,
        url=gold.url,
    )


def evaluate_folder(folder: Path, coder: Any, split: str = "test") -> dict[str, Any]:
    """Code every article of the split with `coder` (a `pipeline.Coder`) and score it."""
    golds = read_articles(folder, split)
    scores: list[ArticleScore] = []
    for gold, coded in zip(golds, coder.code_many([to_article(g) for g in golds]), strict=True):
        if not isinstance(coded, CodedArticle):
            raise EvalError(f"{folder / gold.id}: {coded}")
        scores.append(score_article(gold, coded))
    return {
        "folder": str(folder),
        "split": split,
        "overall": summarize(scores),
        "articles": [
            {
                "id": s.id,
                "gold_events": s.gold_events,
                "found": s.found,
                "predicted": s.predicted,
                "predicted_matched": s.predicted_matched,
                "claims": s.claims,
                "claims_found": s.claims_found,
                "dated": s.dated,
                "dates_right": s.dates_right,
                "subs": s.subs,
                "subs_right": s.subs_right,
                "quiet": s.quiet,
                "errors": s.errors(),
                "misses": s.misses,
            }
            for s in scores
        ],
    }


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def render_articles_report(report: dict[str, Any], console: Console) -> None:
    per = Table(title=f"articles ({report['split']})")
    for col in ("id", "found/gold", "matched/pred", "claims", "dates", "sub-types", "quiet"):
        per.add_column(col)
    for a in report["articles"]:
        per.add_row(
            a["id"],
            f"{a['found']}/{a['gold_events']}",
            f"{a['predicted_matched']}/{a['predicted']}",
            f"{a['claims_found']}/{a['claims']}",
            f"{a['dates_right']}/{a['dated']}",
            f"{a['subs_right']}/{a['subs']}",
            ("false events" if a["predicted"] else "ok") if a["quiet"] else "",
        )
    console.print(per)
    o, c = report["overall"], report["overall"]["counts"]
    tot = Table(title=f"overall: {o['articles']} articles, split={report['split']}")
    for col in ("metric", "value", "n"):
        tot.add_column(col)
    tot.add_row("incident recall", _fmt(o["incident_recall"]), f"{c['found']}/{c['gold_events']}")
    tot.add_row("precision", _fmt(o["precision"]), f"{c['predicted_matched']}/{c['predicted']}")
    tot.add_row("claim recall", _fmt(o["claim_recall"]), f"{c['claims_found']}/{c['claims']}")
    tot.add_row("date accuracy", _fmt(o["date_accuracy"]), f"{c['dates_right']}/{c['dated']}")
    tot.add_row("sub-event accuracy", _fmt(o["sub_event_accuracy"]), f"{c['subs_right']}/{c['subs']}")
    tot.add_row(
        "quiet false-event rate",
        _fmt(o["quiet_false_event_rate"]),
        f"{c['quiet_with_events']}/{c['quiet_articles']}",
    )
    console.print(tot)
