"""Dates and times of day, read only from DATE/TIME spans and resolved against the publication date.

A relative expression ("on Wednesday", "yesterday", "last week") needs an anchor: with no publication
date it stays unresolved, with a reason, never guessed. A date attached to a reporting verb ("said on
Thursday") dates the statement, not the incident.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from spacy.tokens import Doc, Span

from conflictcoder.extract.figures import FigureLexicon, hedge_before

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REPORTING_LEMMAS = frozenset(
    [
        "say",
        "claim",
        "tell",
        "add",
        "announce",
        "confirm",
        "report",
        "state",
        "deny",
        "allege",
        "accuse",
        "issue",
        "release",
        "note",
        "warn",
        "quote",
        "publish",
        "post",
        "write",
        "describe",
        "label",
        "call",
        "frame",
    ]
)
#: How far before publication a dated mention may lie and still be the reported incident.
HISTORY_DAYS = 45

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_TIME_RE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?", re.IGNORECASE)
_TIME24_RE = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\s*(?:hrs|hours|h)?\b")


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    sent: int
    date: date | None
    time_precision: int | None  # ACLED 1 day, 2 week, 3 month
    date_prec: int | None  # UCDP 1 day .. 5 year
    statement: bool  # dates a statement ("said on Thursday"), not an incident
    historical: bool  # well before the publication date: the past of the story
    reason: str


@dataclass(frozen=True)
class TimeOfDay:
    text: str
    start: int
    end: int
    sent: int
    hhmm: int
    hedge: str | None = None  # "around 2:15 a.m."


def _is_statement_date(span: Span) -> bool:
    """'said on Thursday': the date follows its reporting verb closely and hangs from it."""
    tok = span.root
    for _ in range(3):
        if tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok.lemma_.lower() in REPORTING_LEMMAS and 0 < span.start - tok.i <= 4
    return False


def _weekday_back(published: date, weekday: int) -> date:
    """The most recent `weekday` on or before `published` (news reports look back)."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


@functools.lru_cache(maxsize=8192)  # the same dates recur across the articles of a day (dateparser: ~1 ms)
def resolve_date(text: str, published: date | None) -> tuple[date | None, int | None, int | None, str]:
    """(date, ACLED time_precision, UCDP date_prec, reason) for one DATE span's text.

    >>> resolve_date("on Wednesday", date(2025, 1, 9))[:2]
    (datetime.date(2025, 1, 8), 1)
    """
    low = text.lower().strip()
    low = re.sub(r"^(on|in|since|during|by|from|until|the)\s+", "", low)
    low = re.sub(r"\s+(morning|afternoon|evening|night)$", "", low)
    for n, day in enumerate(WEEKDAYS):
        if re.fullmatch(rf"(last\s+|this\s+|early\s+|late\s+)?{day}", low):
            if published is None:
                return None, None, None, f"'{text}' is relative and the article has no publication date"
            return _weekday_back(published, n), 1, 1, f"'{text}' counted back from the publication date"
    relative = {
        "yesterday": 1,
        "today": 0,
        "tonight": 0,
        "last night": 1,
        "this morning": 0,
        "earlier today": 0,
        "the day before": 1,
        "day before yesterday": 2,
    }
    if low in relative:
        if published is None:
            return None, None, None, f"'{text}' is relative and the article has no publication date"
        return (
            published - timedelta(days=relative[low]),
            1,
            1,
            f"'{text}' counted back from the publication date",
        )
    if low in ("last week", "earlier this week", "this week", "past week", "earlier in the week"):
        if published is None:
            return None, None, None, f"'{text}' is relative and the article has no publication date"
        back = 7 if low in ("last week", "past week") else 3
        return published - timedelta(days=back), 2, 3, f"'{text}': within a week, middle of the range"
    if low in ("last month", "earlier this month", "this month"):
        if published is None:
            return None, None, None, f"'{text}' is relative and the article has no publication date"
        ref = published.replace(day=1) - timedelta(days=1) if low == "last month" else published
        return ref.replace(day=15), 3, 4, f"'{text}': only the month is known"
    has_day = bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", low)) and any(
        m in low for m in _MONTHS + [m[:3] for m in _MONTHS]
    )
    month_only = not has_day and any(re.search(rf"\b{m}\b", low) for m in _MONTHS)
    year_only = bool(re.fullmatch(r"(19|20)\d{2}", low))  # '9832' is a count, not a year
    if not (has_day or month_only or year_only or re.fullmatch(r"\d{4}-\d{2}-\d{2}", low)):
        return None, None, None, f"'{text}' is not a calendar date"
    has_year = bool(re.search(r"\b(19|20)\d{2}\b", low))
    if not has_year and published is None:
        return None, None, None, f"'{text}' has no year and the article has no publication date"
    settings = {
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day, 23, 59)
    parsed = dateparser.parse(low, languages=["en"], settings=settings)
    if parsed is None:
        return None, None, None, f"'{text}' could not be read as a date"
    if year_only:
        return parsed.date().replace(month=7, day=1), 3, 5, f"'{text}': only the year is known"
    if month_only:
        return parsed.date().replace(day=15), 3, 4, f"'{text}': only the month is known"
    return parsed.date(), 1, 1, f"'{text}' read as a calendar date"


_MONTH_WORD = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_WITH_YEAR = (
    rf"(?:{_MONTH_WORD} \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d\d|\d{{1,2}} {_MONTH_WORD},? (?:19|20)\d\d)"
)
#: Where a page states when it was published: "This story is from March 10, 2002", "Published 3 May 2019",
#: a dateline with a year ("KABUL, March 2, 2018 (Reuters) -", "TOKYO, May 5, 2015 (AP) —").
_PUBLISHED_IN_TEXT = (
    re.compile(
        rf"\bthis (?:story|article|report|page) (?:is|was) (?:from|published(?: on)?) ({_DATE_WITH_YEAR})",
        re.I,
    ),
    re.compile(rf"\b(?:published|updated|posted|first published)(?: on)?:? ({_DATE_WITH_YEAR})", re.I),
    re.compile(
        rf"^[A-Z][A-Za-z .'-]{{1,40}}, ({_DATE_WITH_YEAR})\s*(?:\([A-Za-z .]+\)\s*)?[-\u2013\u2014:]", re.M
    ),
)


def publication_date_in_text(text: str) -> tuple[date, str] | None:
    """The publication date a page states in its text, with the words that state it, or None.

    Only dates with a year count: a dateline's "Feb 19" alone cannot anchor "on Monday".
    """
    head = text[:600]
    for pattern in _PUBLISHED_IN_TEXT:
        hit = pattern.search(head if pattern.flags & re.M else text)
        if hit is None:
            continue
        parsed = dateparser.parse(hit.group(1).replace(".", ""), languages=["en"])
        if parsed is not None:
            return parsed.date(), hit.group(0).strip()
    return None


def find_dates(doc: Doc, published: date | None) -> list[DateMention]:
    """Every DATE entity with its resolution; sentence indexes follow `doc.sents`."""
    starts = [s.start for s in doc.sents]
    out: list[DateMention] = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        d, tp, dp, reason = resolve_date(ent.text, published)
        historical = False
        if d is not None and published is not None:
            historical = (published - d).days > HISTORY_DAYS
        sent = max(n for n, s in enumerate(starts) if s <= ent.start)
        out.append(
            DateMention(
                ent.text,
                ent.start_char,
                ent.end_char,
                sent,
                d,
                tp,
                dp,
                _is_statement_date(ent),
                historical,
                reason,
            )
        )
    return out


def find_times_of_day(doc: Doc, lex: FigureLexicon) -> list[TimeOfDay]:
    """Clock times in TIME entities ('12:30 p.m.' -> 1230)."""
    starts = [s.start for s in doc.sents]
    out: list[TimeOfDay] = []
    for ent in doc.ents:
        if ent.label_ != "TIME":
            continue
        m = _TIME_RE.search(ent.text)
        if m:
            hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
            hhmm = hour * 100 + int(m.group(2) or 0)
        elif m24 := _TIME24_RE.search(ent.text):
            hhmm = int(m24.group(1)) * 100 + int(m24.group(2))
        else:
            continue
        sent = max(n for n, s in enumerate(starts) if s <= ent.start)
        first_digit = next((t.i for t in ent if t.text[:1].isdigit() or t.like_num), ent.start)
        hedge, _ = hedge_before(doc, first_digit, lex)
        out.append(TimeOfDay(ent.text, ent.start_char, ent.end_char, sent, hhmm, hedge))
    return out
